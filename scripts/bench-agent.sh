#!/usr/bin/env bash
# DTQL training and action-selection benchmark (agent's TrainingBenchmark): full-step steps/s at
# hopper sizes (batch 256) and antmaze sizes (batch 2048), selection latency with 1024 candidates
# and with one sample, achieved GFLOP/s against a matmul ceiling measured in the same run.
#   scripts/bench-agent.sh [threads=2|auto] [seconds-per-case=10] [cases]
#   scripts/bench-agent.sh neighbour [seconds=20]
# The "neighbour" mode measures hopper/256 training under each thread setting twice: on a quiet
# machine and while another process keeps one core busy (what training beside the local simulator
# server or a build looks like). Each setting runs in its own JVM because OpenMP reads its
# settings once per process. Needs scripts/setup.sh to have run.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LIB="$ROOT/evaluator/target/lib"
[[ -d "$LIB" ]] || { echo "missing $LIB: run scripts/setup.sh first" >&2; exit 1; }
bench() { java -Dai.djl.offline=true -Xmx8g -cp "$LIB/*" io.dtql.agent.bench.TrainingBenchmark "$@"; }

if [[ "${1:-}" != neighbour ]]; then
  bench "$@"
  exit
fi
seconds="${2:-20}"
# name | environment | threads argument
settings=(
  "2 threads, OpenMP defaults||2"
  "2 threads, OMP_WAIT_POLICY=PASSIVE|OMP_WAIT_POLICY=PASSIVE|2"
  "1 thread|OMP_WAIT_POLICY=PASSIVE|1"
  "dtql default (threads sized at start-up)||auto"
)
rate() { # env, threads -> hopper steps/s
  env $1 java -Dai.djl.offline=true -Xmx8g -cp "$LIB/*" io.dtql.agent.bench.TrainingBenchmark \
    "$2" "$seconds" hopper 2>/dev/null | awk '/^hopper .* steps\/s / {print $6; exit}'
}
printf '%-44s %12s %12s\n' "setting (hopper/256 steps/s)" "quiet" "1 core busy"
for s in "${settings[@]}"; do
  IFS='|' read -r name envs threads <<<"$s"
  quiet="$(rate "$envs" "$threads")"
  # The neighbour: one process that keeps one core busy for the whole measurement.
  sh -c 'while :; do :; done' & hog=$!
  sleep 1
  busy="$(rate "$envs" "$threads")"
  kill "$hog"; wait "$hog" 2>/dev/null || true
  printf '%-44s %12s %12s\n' "$name" "$quiet" "$busy"
done
