#!/usr/bin/env bash
# DTQL training and action-selection benchmark (agent's TrainingBenchmark): full-step steps/s at
# hopper sizes (batch 256) and antmaze sizes (batch 2048), selection latency with 1024 candidates
# and with one sample, achieved GFLOP/s against a matmul ceiling measured in the same run.
#   scripts/bench-agent.sh [benchmark args...]     (needs scripts/setup.sh to have run)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LIB="$ROOT/evaluator/target/lib"
[[ -d "$LIB" ]] || { echo "missing $LIB: run scripts/setup.sh first" >&2; exit 1; }
exec java -Dai.djl.offline=true -Xmx8g -cp "$LIB/*" io.dtql.agent.bench.TrainingBenchmark "$@"
