#!/usr/bin/env bash
# Environment stepping throughput: the Python server's in-process vector env (no gRPC) next to the
# same task stepped from Java through gRPC (env-bridge's EnvThroughputBenchmark), N = 1, 16, 64.
#   scripts/bench-env.sh [seconds-per-measurement] [rounds] [more EnvThroughputBenchmark args]
# Defaults 3 s and 3 rounds; the server (and the in-process side) is pinned to the last CPU, as
# `--server-arg=--cpu-affinity=N` does for the dtql CLI. E.g. `scripts/bench-env.sh 3 3
# --server-cpus none` for an unpinned server, `... --transport unary` for unary Step calls.
# These 2-core machines are noisy (the same in-process figure varies up to 2x between minutes), so
# each gRPC measurement is paired with an in-process one taken right before it, and the median
# paired ratio per N is the headline. Needs scripts/setup.sh to have run.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
SECONDS_PER_MEASUREMENT="${1:-3}"
ROUNDS="${2:-3}"
shift $(($# < 2 ? $# : 2))
PY="$ROOT/python-env-server/.venv/bin/python"
[[ -x "$PY" ]] || { echo "missing $PY: run scripts/setup.sh first" >&2; exit 1; }

cp_file="$ROOT/env-bridge/target/bench-classpath.txt"
# Not offline: a fresh machine may not have maven-dependency-plugin yet. The test scope is kept
# on purpose: it brings slf4j-simple, so the launcher's log lines show.
mvn -B -q -pl env-bridge -am compile dependency:build-classpath -Dmdep.outputFile="$cp_file" >&2
classpath="$ROOT/env-bridge/target/classes:$ROOT/proto/target/classes:$(cat "$cp_file")"

exec java -cp "$classpath" -Ddtql.home="$ROOT" io.dtql.envbridge.bench.EnvThroughputBenchmark \
  --task hopper --sizes 1,16,64 --seconds "$SECONDS_PER_MEASUREMENT" --rounds "$ROUNDS" \
  --python "$PY" --server-cpus "$(($(nproc) - 1))" "$@"
