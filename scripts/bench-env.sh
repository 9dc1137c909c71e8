#!/usr/bin/env bash
# Environment stepping throughput: the Python server's in-process vector env (no gRPC) next to the
# same task stepped from Java through gRPC (env-bridge's EnvThroughputBenchmark), N = 1, 16, 64.
#   scripts/bench-env.sh [seconds-per-size] [rounds]    (defaults 3 and 3; needs scripts/setup.sh)
# These 2-core machines are noisy (the same in-process figure varies up to 2x between minutes), so
# the two sides are measured in alternating rounds, each ratio against the in-process figure taken
# just before it, and the median ratio per N is the headline.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
SECONDS_PER_SIZE="${1:-3}"
ROUNDS="${2:-3}"
SIZES=(1 16 64)
PY="$ROOT/python-env-server/.venv/bin/python"
[[ -x "$PY" ]] || { echo "missing $PY: run scripts/setup.sh first" >&2; exit 1; }

cp_file="$ROOT/env-bridge/target/bench-classpath.txt"
# Not offline: a fresh machine may not have maven-dependency-plugin yet. The test scope is kept
# on purpose: it brings slf4j-simple, so the launcher's log lines show.
mvn -B -q -pl env-bridge -am compile dependency:build-classpath -Dmdep.outputFile="$cp_file" >&2
classpath="$ROOT/env-bridge/target/classes:$ROOT/proto/target/classes:$(cat "$cp_file")"
sizes_csv="$(IFS=,; echo "${SIZES[*]}")"

tables=()
for ((round = 1; round <= ROUNDS; round++)); do
  echo "== round $round/$ROUNDS: in-process (python -m dtql_envserver.bench), then gRPC from Java" >&2
  inprocess_json="$("$PY" -m dtql_envserver.bench --json --task hopper --seconds "$SECONDS_PER_SIZE" \
    --rounds 1 --num-envs "${SIZES[@]}")"
  # "N=rate,N=rate" for the Java side, from the bench's JSON lines (mode in_process only).
  inprocess="$(printf '%s\n' "$inprocess_json" | "$PY" -c '
import json, sys
rows = [json.loads(line) for line in sys.stdin if line.strip()]
print(",".join("%d=%s" % (r["num_envs"], r["env_steps_per_s"]) for r in rows if r["mode"] == "in_process"))
')"
  table="$(java -cp "$classpath" -Ddtql.home="$ROOT" io.dtql.envbridge.bench.EnvThroughputBenchmark \
    --task hopper --sizes "$sizes_csv" --seconds "$SECONDS_PER_SIZE" --inprocess "$inprocess" \
    --jit-warmup-seconds "$([[ $round == 1 ]] && echo 5 || echo 2)" 2>/dev/null)"
  echo "$table"
  tables+=("$table")
done

# Median over rounds of each N's ratio (rows: N, in-process, gRPC, ratio%, ...).
printf '%s\n' "${tables[@]}" | "$PY" -c '
import re, statistics, sys
ratios, grpc, local = {}, {}, {}
for line in sys.stdin:
    m = re.match(r"\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)%", line)
    if m:
        n = int(m.group(1))
        local.setdefault(n, []).append(float(m.group(2)))
        grpc.setdefault(n, []).append(float(m.group(3)))
        ratios.setdefault(n, []).append(float(m.group(4)))
print("== median over %d rounds" % len(next(iter(ratios.values()), [])))
print("%6s %20s %16s %14s  %s" % ("N", "in-process steps/s", "gRPC steps/s", "ratio median", "ratios"))
for n in sorted(ratios):
    r = statistics.median(ratios[n])
    flag = "  (below the 60%% target)" % () if n >= 16 and r < 60 else ""
    print("%6d %20.0f %16.0f %13.0f%%  %s%s" % (n, statistics.median(local[n]), statistics.median(grpc[n]),
          r, " ".join("%.0f%%" % x for x in ratios[n]), flag))
'
