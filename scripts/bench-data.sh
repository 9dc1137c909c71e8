#!/usr/bin/env bash
# Dataset loading benchmark (agent's DatasetLoadBenchmark): writes a synthetic D4RL-layout file of
# 2M hopper-sized rows (float32 and float64) to a temp dir, then times loading it and reports the
# memory the transitions hold against their raw float32 size.
#   scripts/bench-data.sh [rows] [dir]              (needs scripts/setup.sh to have run)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LIB="$ROOT/evaluator/target/lib"
[[ -d "$LIB" ]] || { echo "missing $LIB: run scripts/setup.sh first" >&2; exit 1; }
exec java -Xmx8g -cp "$LIB/*" io.dtql.agent.data.bench.DatasetLoadBenchmark "$@"
