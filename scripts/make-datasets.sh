#!/usr/bin/env bash
# Generates the D4RL-style datasets that the committed behaviour policies allow, at D4RL's sizes,
# and prints their statistics as a Markdown table (rows, episodes, mean and std of the episode
# return). A file that already exists is not collected again, only measured.
#   scripts/make-datasets.sh [OUT_DIR=data] [TASK...]      # tasks: hopper walker2d halfcheetah
# Kinds: random, medium, medium-replay, expert, medium-expert; a kind whose policy the catalog
# (behaviour-policies/manifest.json) does not hold yet is listed as missing. Each 1M-row file
# takes about 5 minutes on a quiet 2-core machine (2M for medium-expert: about 10).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:-$ROOT/data}"
shift || true
tasks=("$@")
[[ ${#tasks[@]} -gt 0 ]] || tasks=(hopper walker2d halfcheetah)
[[ -f "$ROOT/evaluator/target/dtql.jar" ]] || "$ROOT/scripts/setup.sh"
mkdir -p "$out"
python="$ROOT/python-env-server/.venv/bin/python"

rows=()
for task in "${tasks[@]}"; do
  for kind in random medium medium-replay expert medium-expert; do
    file="$out/$task-$kind.hdf5"
    if [[ ! -f "$file" ]]; then
      log="$out/.$task-$kind.log"
      if ! "$ROOT/bin/dtql" collect --task "$task" --kind "$kind" --output "$file" >"$log" 2>&1; then
        if grep -q "has no .* behaviour policy" "$log"; then
          rows+=("| $task | $kind | no policy in the catalog yet | | | |")
          rm -f "$log"
          continue
        fi
        cat "$log" >&2
        exit 1
      fi
      rm -f "$log"
    fi
    rows+=("$("$python" - "$file" "$task" "$kind" <<'PY'
import sys
import h5py
import numpy as np

path, task, kind = sys.argv[1:]
with h5py.File(path, "r") as f:
    rewards = np.asarray(f["rewards"], dtype=np.float64)
    ends = np.asarray(f["terminals"]) | np.asarray(f["timeouts"])
returns, total = [], 0.0
for r, end in zip(rewards, ends):
    total += r
    if end:
        returns.append(total)
        total = 0.0
returns = np.array(returns)
print(f"| {task} | {kind} | {len(rewards):,} | {len(returns):,} | {returns.mean():,.0f} | "
      f"{returns.std():,.0f} |")
PY
)")
  done
done
echo "| task | kind | rows | episodes | mean return | std |"
echo "|---|---|---|---|---|---|"
printf '%s\n' "${rows[@]}"
