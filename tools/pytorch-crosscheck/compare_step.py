"""Teacher-forced comparison: for each dumped step K, load Java's state before update K, run the
PyTorch update with the same batch and noise, and compare against Java's state after update K:
losses, gradients (Java's recovered from its Adam first moments), parameters, moments, target."""

import os
import sys

import torch

from dtql_ref import GROUPS, TARGET, Agent, config, load_state, load_step, metrics, rel

trace = sys.argv[1]
steps = sorted(
    int(d[5:])
    for d in os.listdir(trace)
    if d.startswith("step_") and os.path.isdir(os.path.join(trace, d, "state"))
)
cfg = config(trace)
rows = metrics(trace)
worst = {}
for k in steps:
    before, cnt = load_state(os.path.join(trace, f"step_{k}", "state"))
    after, _ = load_state(os.path.join(trace, f"step_{k}", "state_after"))
    agent = Agent(before, cnt, cfg)
    batch, noise = load_step(trace, k)
    out = agent.update(batch, noise, k)
    print(f"== step {k} ({'actor' if k >= cfg['pretrain'] else 'pretrain'})")
    row = rows[k + 1]
    for name in (
        "losses/critic",
        "losses/value",
        "values/q_mean",
        "values/v_mean",
        "losses/bc",
        "losses/actor",
        "losses/trust_region",
        "losses/nll",
    ):
        if name in out:
            j, p = row[name], out[name]
            r = abs(j - p) / max(abs(p), 1e-12)
            worst[name] = max(worst.get(name, 0), r)
            print(f"  {name:22s} java {j:+.8e} torch {p:+.8e} rel {r:.2e}")
    for g, names in GROUPS.items():
        if f"grad/{g}" not in out:
            continue
        m0, m1 = before[f"optim/{g}/m"], after[f"optim/{g}/m"]
        jg = (m1.double() - 0.9 * m0.double()) / 0.1
        r, a = rel(jg, out[f"grad/{g}"])
        worst["grad/" + g] = max(worst.get("grad/" + g, 0), r)
        jp = torch.cat([after[n].reshape(-1) for n in names])
        rp, ap = rel(
            jp - torch.cat([before[n].reshape(-1) for n in names]),
            agent.flat(names) - torch.cat([before[n].reshape(-1) for n in names]),
        )
        pm, pv = agent.moments(g)
        rm, _ = rel(m1, pm)
        rv, _ = rel(after[f"optim/{g}/v"], pv)
        worst["delta/" + g] = max(worst.get("delta/" + g, 0), rp)
        print(
            f"  {g:7s} grad rel {r:.2e} (max abs {a:.2e})  param-delta rel {rp:.2e}"
            f"  m rel {rm:.2e}  v rel {rv:.2e}"
        )
        # per-tensor gradient detail when something is off
        if r > 1e-3:
            off = 0
            for n in names:
                kk = before[n].numel()
                rr, aa = rel(jg[off : off + kk], out[f"grad/{g}"][off : off + kk])
                print(f"     {n:28s} grad rel {rr:.2e}")
                off += kk
    jt = torch.cat([after[n].reshape(-1) for n in TARGET])
    rt, at = rel(jt, agent.flat(TARGET))
    print(f"  target rel {rt:.2e} (max abs {at:.2e})")
print("worst relative differences:")
for k, v in worst.items():
    print(f"  {k:22s} {v:.2e}")
