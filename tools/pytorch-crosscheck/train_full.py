"""Independent end-to-end DTQL run in PyTorch (from dtql.md), on the outside hopper file, then a
10-episode evaluation on Gymnasium Hopper-v4 with 1024-candidate softmax selection.
usage: train_full.py DATASET SEED OUT [train_steps=15000] [pretrain=1500]

Settings: hopper-medium's (lr 1e-4, alpha 5, critic lr 3e-4, expectile 0.7, batch 256) without
LR decay, as the outside test in the hardening issue ran them. Writes OUT.jsonl (1000-step
window means of the losses) and OUT.result.json (returns and normalised score)."""

import json
import math
import sys
import time

import gymnasium as gym
import h5py
import numpy as np
import torch

from dtql_ref import CRITIC_Q, GROUPS, SD, SMAX, SMIN, TARGET, Agent, actor_heads, q_net

dataset, seed, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
train_steps = int(sys.argv[4]) if len(sys.argv) > 4 else 15000
pretrain = int(sys.argv[5]) if len(sys.argv) > 5 else 1500
torch.manual_seed(seed)
np.random.seed(seed)
B = 256

f = h5py.File(dataset, "r")
obs, act, rew = f["observations"][:], f["actions"][:], f["rewards"][:]
term, tout = f["terminals"][:].astype(bool), f["timeouts"][:].astype(bool)
idx = np.array([i for i in range(len(obs) - 1) if not tout[i]])
S = torch.from_numpy(obs[idx]).float()
A = torch.from_numpy(act[idx]).float()
R = torch.from_numpy(rew[idx]).float()
S2 = torch.from_numpy(obs[idx + 1]).float()
D = torch.from_numpy(term[idx].astype(np.float32))
od, ad = S.shape[1], A.shape[1]
print("transitions", len(idx), flush=True)


def linear(fan_in, fan_out):
    b = 1 / math.sqrt(fan_in)
    return torch.empty(fan_out, fan_in).uniform_(-b, b), torch.empty(fan_out).uniform_(-b, b)


state = {}


def mlp(prefix, dims, ln):
    for i in range(len(dims) - 1):
        w, bb = linear(dims[i], dims[i + 1])
        state[f"{prefix}/{i}/weight"], state[f"{prefix}/{i}/bias"] = w, bb
        if ln and i < len(dims) - 2:
            state[f"{prefix}/{i}/ln_gamma"] = torch.ones(dims[i + 1])
            state[f"{prefix}/{i}/ln_beta"] = torch.zeros(dims[i + 1])


mlp("critic/q1", [od + ad, 256, 256, 256, 1], True)
mlp("critic/q2", [od + ad, 256, 256, 256, 1], True)
mlp("critic/v", [od, 256, 256, 256, 1], False)
mlp("bc/time", [16, 32, 16], False)
mlp("bc/body", [ad + od + 16, 256, 256, 256, 256, ad], False)
mlp("actor", [od, 256, 256, 256, 2 * ad], False)
for i in range(4):
    w = state[f"actor/{i}/weight"]
    torch.nn.init.orthogonal_(w)
    state[f"actor/{i}/bias"].zero_()
for t, o in zip(TARGET, CRITIC_Q):
    state[t] = state[o].clone()
for g, names in GROUPS.items():
    n = sum(state[k].numel() for k in names)
    state[f"optim/{g}/m"] = torch.zeros(n)
    state[f"optim/{g}/v"] = torch.zeros(n)
counters = {"counters": {f"optim/{g}/updates": 0 for g in GROUPS}}
cfg = dict(
    lr=1e-4,
    critic_lr=3e-4,
    pretrain=pretrain,
    alpha=5.0,
    gamma=0.0,
    discount=0.99,
    expectile=0.7,
    tau=0.005,
    lr_decay=False,
    train_steps=train_steps,
)
ag = Agent(state, counters, cfg)

lmin, lmax = (math.log(SMIN) - math.log(SD)) / 0.5, (math.log(SMAX) - math.log(SD)) / 0.5
cmin, cmax = 1 / (1 + math.exp(-lmin)), 1 / (1 + math.exp(-lmax))


def sigmas():
    u = torch.rand(B, dtype=torch.float64) * (cmax - cmin) + cmin
    return torch.exp(torch.logit(u) * 0.5 + math.log(SD))


log = open(f"{out}.jsonl", "w")
acc = {}
t0 = time.time()
for step in range(pretrain + train_steps):
    i = torch.randint(0, len(idx), (B,))
    batch = (S[i], A[i], R[i], S2[i], D[i])
    noise = {"bc_sigma": sigmas(), "bc_eps": torch.randn(B, ad)}
    if step >= pretrain:
        noise.update(pi_eps=torch.randn(B, ad), tr_sigma=sigmas(), tr_eps=torch.randn(B, ad))
    m = ag.update(batch, noise, step)
    for k, v in m.items():
        if not k.startswith("grad/"):
            acc.setdefault(k, []).append(v)
    if (step + 1) % 1000 == 0:
        row = {
            "step": step + 1,
            **{k: float(np.mean(v)) for k, v in acc.items()},
            "sps": (step + 1) / (time.time() - t0),
        }
        acc = {}
        log.write(json.dumps(row) + "\n")
        log.flush()
        print(json.dumps(row), flush=True)

P = ag.P


def select(o, gen):
    s = torch.from_numpy(o).float()[None, :]
    with torch.no_grad():
        mean, log_std = actor_heads(P, s)
        z = mean + log_std.exp() * torch.randn(1024, ad, generator=gen)
        a = torch.tanh(z).clamp(-1, 1)
        sr = s.expand(1024, od)
        sa = torch.cat([sr, a], -1)
        q = torch.min(q_net(P, "critic_target/q1", sa), q_net(P, "critic_target/q2", sa)).flatten()
        k = torch.multinomial(torch.softmax(q, 0), 1, generator=gen).item()
    return a[k].numpy().astype(np.float64)


env = gym.make("Hopper-v4")
rets = []
for e in range(10):
    gen = torch.Generator().manual_seed(10_000 + e)
    o, _ = env.reset(seed=seed * 1000 + e)
    ret = 0.0
    n = 0
    while True:
        o, r, te, tr, _ = env.step(select(o, gen))
        ret += r
        n += 1
        if te or tr:
            break
    rets.append(ret)
    print(f"episode {e} return {ret:.1f} length {n}", flush=True)
norm = [100 * (r + 20.272305) / (3234.3 + 20.272305) for r in rets]
res = {
    "seed": seed,
    "returns": rets,
    "normalized_mean": float(np.mean(norm)),
    "normalized_std": float(np.std(norm)),
}
print(json.dumps(res), flush=True)
json.dump(res, open(f"{out}.result.json", "w"))
