"""An independent PyTorch implementation of one DTQL update, written from shared/reference/dtql.md.

It consumes states, batches and noise exported by the Java ReferenceTraceExport and compares.
Parameters are held as plain tensors keyed by the Java names (so states load without mapping),
networks are written functionally with torch.nn.functional, and the optimiser is torch.optim.Adam.
"""

import json
import math
import os

import numpy as np
import torch
import torch.nn.functional as F

torch.set_num_threads(1)

SD, SMIN, SMAX = 0.5, 0.002, 80.0


# ---------------------------------------------------------------- parameter layout (group order)
def mlp_names(prefix, n_layers, ln_hidden):
    out = []
    for i in range(n_layers):
        out += [f"{prefix}/{i}/weight", f"{prefix}/{i}/bias"]
        if ln_hidden and i < n_layers - 1:
            out += [f"{prefix}/{i}/ln_gamma", f"{prefix}/{i}/ln_beta"]
    return out


CRITIC_Q = mlp_names("critic/q1", 4, True) + mlp_names("critic/q2", 4, True)
CRITIC = CRITIC_Q + mlp_names("critic/v", 4, False)
TARGET = [n.replace("critic/", "critic_target/", 1) for n in CRITIC_Q]
BC = mlp_names("bc/time", 2, False) + mlp_names("bc/body", 5, False)
ACTOR = mlp_names("actor", 4, False)
GROUPS = {"critic": CRITIC, "bc": BC, "actor": ACTOR}


def load_state(d):
    st = {}
    for f in os.listdir(d):
        if f.endswith(".npy"):
            st[f[:-4].replace(".", "/")] = torch.from_numpy(np.load(os.path.join(d, f)).copy())
    with open(os.path.join(d, "counters.json")) as fh:
        counters = json.load(fh)
    return st, counters


# ---------------------------------------------------------------- networks
def mish(x):
    return x * torch.tanh(F.softplus(x))


def q_net(P, prefix, x):
    h = x
    for i in range(3):
        h = F.linear(h, P[f"{prefix}/{i}/weight"], P[f"{prefix}/{i}/bias"])
        h = F.layer_norm(
            h, (h.shape[-1],), P[f"{prefix}/{i}/ln_gamma"], P[f"{prefix}/{i}/ln_beta"], 1e-5
        )
        h = mish(h)
    return F.linear(h, P[f"{prefix}/3/weight"], P[f"{prefix}/3/bias"])


def v_net(P, x):
    h = x
    for i in range(3):
        h = mish(F.linear(h, P[f"critic/v/{i}/weight"], P[f"critic/v/{i}/bias"]))
    return F.linear(h, P["critic/v/3/weight"], P["critic/v/3/bias"])


def sinusoidal(t, dim=16):
    half = dim // 2
    f = torch.exp(torch.arange(half, dtype=torch.float32) * -(math.log(10000.0) / (half - 1)))
    a = t[:, None] * f[None, :]
    return torch.cat([a.sin(), a.cos()], dim=-1)


def score_net(P, x, s, t):
    e = sinusoidal(t)
    e = F.linear(e, P["bc/time/0/weight"], P["bc/time/0/bias"])
    e = F.linear(mish(e), P["bc/time/1/weight"], P["bc/time/1/bias"])
    h = torch.cat([x, s, e], dim=-1)
    h = F.linear(h, P["bc/body/0/weight"], P["bc/body/0/bias"])  # no activation (reference quirk)
    for i in (1, 2, 3):
        h = mish(F.linear(h, P[f"bc/body/{i}/weight"], P[f"bc/body/{i}/bias"]))
    return F.linear(h, P["bc/body/4/weight"], P["bc/body/4/bias"])


def actor_heads(P, s):
    h = s
    for i in range(3):
        h = F.relu(F.linear(h, P[f"actor/{i}/weight"], P[f"actor/{i}/bias"]))
    out = F.linear(h, P["actor/3/weight"], P["actor/3/bias"])
    mean, log_std = out.chunk(2, dim=-1)
    return mean, log_std.clamp(-5.0, 2.0)


def edm_loss(P, x0, s, sigma64, eps, max_action=1.0):
    sigma = torch.as_tensor(sigma64).to(torch.float32)  # drawn in float64, cast
    sig = sigma[:, None]
    x1 = x0 + eps * sig
    c_skip = SD**2 / (sig**2 + SD**2)
    c_out = sig * SD / (sig**2 + SD**2) ** 0.5
    c_in = 1 / (sig**2 + SD**2) ** 0.5
    f = score_net(P, x1 * c_in, s, torch.log(sigma) / 4)
    d = (c_out * f + c_skip * x1).clamp(-max_action, max_action)
    return ((d - x0) / c_out).pow(2).mean()


# ---------------------------------------------------------------- one update
class Agent:
    def __init__(self, state, counters, cfg):
        self.cfg = cfg
        self.P = {}
        for n, v in state.items():
            if n.startswith("optim/"):
                continue
            t = v.clone()
            if not n.startswith("critic_target/"):
                t.requires_grad_(True)
            self.P[n] = t
        self.opt = {}
        lrs = {"critic": cfg["critic_lr"], "bc": cfg["lr"], "actor": cfg["lr"]}
        for g, names in GROUPS.items():
            params = [self.P[n] for n in names]
            total = sum(p.numel() for p in params)
            m, v = state[f"optim/{g}/m"], state[f"optim/{g}/v"]
            assert m.numel() == total, (g, m.numel(), total)
            opt = torch.optim.Adam(params, lr=lrs[g], foreach=False)
            done = counters["counters"][f"optim/{g}/updates"]
            if done > 0:
                off = 0
                for p in params:
                    k = p.numel()
                    opt.state[p] = {
                        "step": torch.tensor(float(done)),
                        "exp_avg": m[off : off + k].reshape(p.shape).clone(),
                        "exp_avg_sq": v[off : off + k].reshape(p.shape).clone(),
                    }
                    off += k
            self.opt[g] = opt

    def grads(self, g):
        return torch.cat([self.P[n].grad.reshape(-1) for n in GROUPS[g]])

    def update(self, batch, noise, step):
        cfg, P = self.cfg, self.P
        s, a, r, s2, d = batch
        out = {}
        if cfg.get("lr_decay"):
            # CosineAnnealingLR(T_max = train steps, eta_min 0), stepped once per training step
            # only: every optimiser holds its base rate in pretraining.
            t = max(0, step - cfg["pretrain"])
            f = 0.5 * (1 + math.cos(math.pi * t / cfg["train_steps"]))
            for g, base in (("critic", cfg["critic_lr"]), ("bc", cfg["lr"]), ("actor", cfg["lr"])):
                for pg in self.opt[g].param_groups:
                    pg["lr"] = base * f
        # critic + value
        for o in self.opt.values():
            o.zero_grad(set_to_none=True)
        sa = torch.cat([s, a], -1)
        q1, q2 = q_net(P, "critic/q1", sa), q_net(P, "critic/q2", sa)
        qmin = torch.min(q1, q2).detach()
        v = v_net(P, s)
        diff = qmin - v
        w = torch.where(diff > 0, cfg["expectile"], 1 - cfg["expectile"])
        vloss = (w * diff**2).mean()
        with torch.no_grad():
            vnext = v_net(P, s2)
        target = r[:, None] + (1 - d[:, None]) * cfg["discount"] * vnext
        qloss = F.mse_loss(q1, target) + F.mse_loss(q2, target)
        (vloss + qloss).backward()
        out["grad/critic"] = self.grads("critic").clone()
        self.opt["critic"].step()
        out["losses/critic"] = qloss.item()
        out["losses/value"] = vloss.item()
        out["values/q_mean"] = qmin.mean().item()
        out["values/v_mean"] = v.mean().item()
        # behaviour cloning
        bc = edm_loss(P, a, s, noise["bc_sigma"], noise["bc_eps"])
        bc.backward()
        out["grad/bc"] = self.grads("bc").clone()
        self.opt["bc"].step()
        out["losses/bc"] = bc.item()
        # actor
        if step >= cfg["pretrain"]:
            for n in BC + CRITIC:
                P[n].grad = None
            mean, log_std = actor_heads(P, s)
            z = mean + log_std.exp() * noise["pi_eps"]
            pi = (torch.tanh(z) * 1.0).clamp(-1.0, 1.0)
            tr = edm_loss(P, pi, s, noise["tr_sigma"], noise["tr_eps"])
            sp = torch.cat([s, pi], -1)
            qpi = torch.min(q_net(P, "critic/q1", sp), q_net(P, "critic/q2", sp))
            aloss = cfg["alpha"] * tr - qpi.mean()
            if cfg.get("gamma", 0) > 0:
                pre = torch.atanh(a / (1.0 + 1e-3))
                logp = torch.distributions.Normal(mean, log_std.exp()).log_prob(pre).sum(-1)
                nll = -logp.mean()
                aloss = aloss + cfg["gamma"] * nll
                out["losses/nll"] = nll.item()
            aloss.backward()
            out["grad/actor"] = self.grads("actor").clone()
            self.opt["actor"].step()
            out["losses/actor"] = aloss.item()
            out["losses/trust_region"] = tr.item()
        # Polyak
        with torch.no_grad():
            for tn, on in zip(TARGET, CRITIC_Q):
                P[tn].mul_(1 - cfg["tau"]).add_(P[on], alpha=cfg["tau"])
        return out

    def flat(self, names):
        return torch.cat([self.P[n].detach().reshape(-1) for n in names])

    def moments(self, g):
        ms, vs = [], []
        for n in GROUPS[g]:
            st = self.opt[g].state[self.P[n]]
            ms.append(st["exp_avg"].reshape(-1))
            vs.append(st["exp_avg_sq"].reshape(-1))
        return torch.cat(ms), torch.cat(vs)


def load_step(trace, k):
    d = os.path.join(trace, f"step_{k}")

    def ld(n):
        return torch.from_numpy(np.load(os.path.join(d, n)).copy())

    batch = [ld(f"batch_{n}.npy") for n in ("obs", "act", "rew", "next_obs", "done")]
    noise = {"bc_sigma": ld("noise_bc_sigma.npy"), "bc_eps": ld("noise_bc_eps.npy")}
    if os.path.exists(os.path.join(d, "noise_pi_eps.npy")):
        noise.update(
            pi_eps=ld("noise_pi_eps.npy"),
            tr_sigma=ld("noise_tr_sigma.npy"),
            tr_eps=ld("noise_tr_eps.npy"),
        )
    return batch, noise


def metrics(trace):
    rows = {}
    with open(os.path.join(trace, "metrics.jsonl")) as fh:
        for line in fh:
            r = json.loads(line)
            rows[r["step"]] = r
    return rows


def config(trace):
    txt = open(os.path.join(trace, "config.txt")).read()
    kv = dict(p.split("=") for p in txt[txt.index("[") + 1 : txt.rindex("]")].split(", "))
    return {
        "lr": float(kv["learningRate"]),
        "critic_lr": float(kv["criticLearningRate"]),
        "pretrain": int(kv["pretrainSteps"]),
        "alpha": float(kv["alpha"]),
        "gamma": float(kv["gamma"]),
        "discount": float(kv["discount"]),
        "expectile": float(kv["expectile"]),
        "tau": float(kv["targetTau"]),
        "lr_decay": kv["lrDecay"] == "true",
        "train_steps": int(kv["trainSteps"]),
    }


def rel(a, b):
    a, b = a.double(), b.double()
    return ((a - b).norm() / max(b.norm().item(), 1e-30)).item(), (a - b).abs().max().item()
