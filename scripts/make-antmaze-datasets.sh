#!/usr/bin/env bash
# Generates D4RL's six antmaze datasets with the catalog's walking controller (task ant-goal, kind
# controller) and prints their statistics as a Markdown table: rows, 1000-step episodes, episodes
# that reach the evaluation goal, rows at the goal, episodes that end with the ant upside down
# (nothing ends an antmaze episode early, so a flipped ant lies there to the end), and the
# waypoints passed and the command goals reached and abandoned. A file that already exists
# is not collected again.
#   scripts/make-antmaze-datasets.sh [OUT_DIR=data] [KIND...]
#   ROWS=50000 POLICIES=DIR scripts/make-antmaze-datasets.sh     # smaller files, another catalog
# Kinds: antmaze-umaze antmaze-umaze-diverse antmaze-medium-play antmaze-medium-diverse
# antmaze-large-play antmaze-large-diverse (default: all six, 1,000,000 rows each).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:-$ROOT/data}"
shift || true
kinds=("$@")
[[ ${#kinds[@]} -gt 0 ]] || kinds=(antmaze-umaze antmaze-umaze-diverse antmaze-medium-play
  antmaze-medium-diverse antmaze-large-play antmaze-large-diverse)
[[ -f "$ROOT/evaluator/target/dtql.jar" ]] || "$ROOT/scripts/setup.sh"
mkdir -p "$out"
# The collections (an hour for all six) run from a copy of the jar: a rebuild meanwhile would
# change the jar under a running JVM.
bin="$(mktemp -d)"
trap 'rm -rf "$bin"' EXIT
cp -r "$ROOT/evaluator/target/dtql.jar" "$ROOT/evaluator/target/lib" "$bin/"
python="$ROOT/python-env-server/.venv/bin/python"
extra=()
[[ -n "${ROWS:-}" ]] && extra+=(--rows "$ROWS")
[[ -n "${POLICIES:-}" ]] && extra+=(--policies "$POLICIES")

rows=()
for kind in "${kinds[@]}"; do
  file="$out/$kind.hdf5"
  if [[ ! -f "$file" ]]; then
    DTQL_JAR="$bin/dtql.jar" "$ROOT/bin/dtql" collect --kind "$kind" --output "$file" "${extra[@]}" >&2
  fi
  rows+=("$("$python" - "$file" "$kind" <<'PY'
import sys

import h5py
import numpy as np

path, kind = sys.argv[1:]
with h5py.File(path, "r") as f:
    rewards = np.asarray(f["rewards"], dtype=np.float64)
    timeouts = np.asarray(f["timeouts"]).astype(bool)
    quat = np.asarray(f["observations"][:, 3:7], dtype=np.float64)  # torso w, x, y, z
    meta = {k: f["metadata/antmaze"][k][()].decode() for k in f["metadata/antmaze"]}
ends = np.flatnonzero(timeouts)
episodes = np.split(rewards, ends[:-1] + 1) if len(ends) else [rewards]
reaching = sum(1 for e in episodes if e.max(initial=0) > 0)
# The torso's z axis points down when 1 - 2 (x^2 + y^2) < 0.
upside_down = 1 - 2 * (quat[:, 1] ** 2 + quat[:, 2] ** 2) < 0
last_rows = np.unique(np.append(ends, len(rewards) - 1))
flipped = int(upside_down[last_rows].sum())
print(f"| {kind} | {len(rewards):,} | {len(episodes):,} | {reaching:,} | {int(rewards.sum()):,} | "
      f"{flipped:,} | "
      f"{int(meta['waypoints_passed']):,} | {int(meta['command_goals_reached']):,} | "
      f"{int(meta['command_goals_abandoned']):,} |")
PY
)")
done
echo "| kind | rows | episodes | reaching the goal | rows at the goal | ending upside down | waypoints passed | goals reached | goals abandoned |"
echo "|---|---|---|---|---|---|---|---|---|"
printf '%s\n' "${rows[@]}"
