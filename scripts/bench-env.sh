#!/usr/bin/env bash
# Environment stepping throughput: the Python server's in-process vector env (no gRPC) next to the
# same task stepped from Java through gRPC (env-bridge's EnvThroughputBenchmark), N = 1, 16, 64.
#   scripts/bench-env.sh [seconds-per-size]      (default 5; needs scripts/setup.sh to have run)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
SECONDS_PER_SIZE="${1:-5}"
SIZES=(1 16 64)
PY="$ROOT/python-env-server/.venv/bin/python"
[[ -x "$PY" ]] || { echo "missing $PY: run scripts/setup.sh first" >&2; exit 1; }

echo "== in-process (python -m dtql_envserver.bench)" >&2
inprocess_json="$("$PY" -m dtql_envserver.bench --json --task hopper --seconds "$SECONDS_PER_SIZE" \
  --num-envs "${SIZES[@]}")"
# "N=rate,N=rate" for the Java side, from the bench's JSON lines (mode in_process only).
inprocess="$(printf '%s\n' "$inprocess_json" | "$PY" -c '
import json, sys
rows = [json.loads(line) for line in sys.stdin if line.strip()]
print(",".join("%d=%s" % (r["num_envs"], r["env_steps_per_s"]) for r in rows if r["mode"] == "in_process"))
')"

echo "== gRPC from Java (EnvThroughputBenchmark)" >&2
cp_file="$ROOT/env-bridge/target/bench-classpath.txt"
# Not offline: a fresh machine may not have maven-dependency-plugin yet. The test scope is kept
# on purpose: it brings slf4j-simple, so the launcher's log lines show.
mvn -B -q -pl env-bridge -am compile dependency:build-classpath -Dmdep.outputFile="$cp_file" >&2
classpath="$ROOT/env-bridge/target/classes:$ROOT/proto/target/classes:$(cat "$cp_file")"
sizes_csv="$(IFS=,; echo "${SIZES[*]}")"
java -cp "$classpath" -Ddtql.home="$ROOT" io.dtql.envbridge.bench.EnvThroughputBenchmark \
  --task hopper --sizes "$sizes_csv" --seconds "$SECONDS_PER_SIZE" --inprocess "$inprocess"
