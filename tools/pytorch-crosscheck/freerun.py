"""Free run: start from Java's state at step 0, apply every recorded batch and noise draw with the
PyTorch update, and compare per-step losses with Java's metrics and the final state with Java's."""

import os
import sys

import torch

from dtql_ref import GROUPS, TARGET, Agent, config, load_state, load_step, metrics, rel

trace, n = sys.argv[1], int(sys.argv[2])
cfg = config(trace)
rows = metrics(trace)
st, cnt = load_state(os.path.join(trace, "step_0", "state"))
ag = Agent(st, cnt, cfg)
worst = {}
for k in range(n):
    batch, noise = load_step(trace, k)
    out = ag.update(batch, noise, k)
    for name, v in out.items():
        if name.startswith("grad/"):
            continue
        j = rows[k + 1][name]
        r = abs(j - v) / max(abs(v), 1e-6)
        worst.setdefault(name, []).append(r)
    if (k + 1) % 50 == 0 or k == n - 1:
        print(f"step {k + 1}: " + "  ".join(f"{kk} {max(v[-50:]):.1e}" for kk, v in worst.items()))
fin, _ = load_state(os.path.join(trace, f"step_{n - 1}", "state_after"))
for g, names in GROUPS.items():
    j = torch.cat([fin[nn].reshape(-1) for nn in names])
    s0 = torch.cat([st[nn].reshape(-1) for nn in names])
    r, a = rel(j, ag.flat(names))
    rd, _ = rel(j - s0, ag.flat(names) - s0)
    print(f"final {g}: param rel {r:.2e} (max abs {a:.2e}); change-since-init rel {rd:.2e}")
r, a = rel(torch.cat([fin[nn].reshape(-1) for nn in TARGET]), ag.flat(TARGET))
print(f"final target: rel {r:.2e}")
