#!/usr/bin/env bash
# SAC and data-collection benchmark (issue: behaviour policies and D4RL-style datasets):
#   1. SAC learner updates/s at batch 256 (256x256 networks), hopper and walker2d sizes, with one
#      and with two intra-op threads (each in its own JVM: OpenMP reads its settings once);
#   2. online training rate: environment steps/s of `dtql sac` on hopper (one update per step)
#      through a local server, for a few thousand steps past the random warm-up;
#   3. collection throughput: rows/s of `dtql collect --kind medium` on hopper (ROWS, default
#      1000000) from the committed behaviour-policy catalog.
#   scripts/bench-sac.sh [seconds-per-case=10] [rows=1000000]
# Needs scripts/setup.sh to have run. Prints figures; asserts nothing.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LIB="$ROOT/evaluator/target/lib"
[[ -d "$LIB" ]] || { echo "missing $LIB: run scripts/setup.sh first" >&2; exit 1; }
seconds="${1:-10}"
rows="${2:-1000000}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

echo "== SAC learner (updates/s, batch 256)"
for threads in 1 2; do
  java -Dai.djl.offline=true -Xmx4g -cp "$LIB/*" io.dtql.agent.bench.SacBenchmark "$threads" \
    "$seconds" 2>/dev/null
done

echo "== online SAC on hopper through a local server (env steps/s, one update per step)"
DTQL_THREADS=1 "$ROOT/bin/dtql" sac --task hopper --run-dir "$work/sac" --env-steps 4000 \
  --random-steps 1000 --eval-every 100000 --progress none >/dev/null 2>&1
python3 - "$work/sac/metrics.jsonl" <<'PY'
import json, sys
rows = [json.loads(line) for line in open(sys.argv[1])]
learning = [r["charts/steps_per_s"] for r in rows if r["step"] > 1000]
print(f"{'env steps/s while learning (1 thread)':40s} {sum(learning) / len(learning):10.1f}")
PY

echo "== collection: hopper medium, $rows rows, 64 envs"
if [[ -f "$ROOT/behaviour-policies/manifest.json" ]] && grep -q '"medium"' "$ROOT/behaviour-policies/manifest.json"; then
  start=$(date +%s.%N)
  DTQL_THREADS=1 "$ROOT/bin/dtql" collect --task hopper --kind medium --rows "$rows" \
    --output "$work/medium.hdf5" 2>/dev/null | grep -v '^collect' || true
  end=$(date +%s.%N)
  python3 -c "s=$end-$start; print(f\"{'collect wall time (incl. JVM + server start)':40s} {s:10.1f} s = {$rows/s:,.0f} rows/s\")"
else
  echo "no hopper medium policy in behaviour-policies/manifest.json: skipped"
fi
