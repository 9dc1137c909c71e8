#!/usr/bin/env bash
# Evaluation benchmark (evaluator's EvaluationBenchmark): a 10-episode hopper evaluation with
# 1024-candidate selection, as wall time per 10,000 env steps, env steps/s, and the shares of
# policy inference, simulation and transport. Starts its own local server.
#   scripts/bench-eval.sh [threads=auto] [env-steps=10000] [num-envs=10]
# Needs scripts/setup.sh to have run.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LIB="$ROOT/evaluator/target/lib"
JAR="$ROOT/evaluator/target/dtql.jar"
[[ -f "$JAR" ]] || { echo "missing $JAR: run scripts/setup.sh first" >&2; exit 1; }
exec java -Djava.awt.headless=true -Dai.djl.offline=true -Ddtql.home="$ROOT" \
  -cp "$JAR:$LIB/*" io.dtql.evaluator.bench.EvaluationBenchmark "$@"
