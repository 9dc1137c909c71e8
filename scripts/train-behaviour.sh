#!/usr/bin/env bash
# Starts, or resumes, the online SAC run that makes a task's behaviour policies, as a background
# job that survives the shell: runs/sac-TASK-sSEED (checkpoints every 10,000 steps, so a stopped
# or killed job loses at most that much; run this script again to continue). The job runs from a
# copy of the built jar, so rebuilding the project does not disturb it.
#   scripts/train-behaviour.sh TASK [SEED=0] [ENV_STEPS=1000000]
#   tail -f runs/sac-TASK-sSEED.log        # progress: a line every 10 s, evaluations
#   kill -TERM $(cat runs/sac-TASK-sSEED.pid)   # stop: saves a checkpoint first
# One intra-op thread per job (DTQL_THREADS), so two jobs can share a 2-core machine.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
task="${1:?usage: scripts/train-behaviour.sh TASK [SEED] [ENV_STEPS]}"
seed="${2:-0}"
steps="${3:-1000000}"
[[ -f "$ROOT/evaluator/target/dtql.jar" ]] || "$ROOT/scripts/setup.sh"
run="$ROOT/runs/sac-$task-s$seed"
bin="$ROOT/runs/.sac-bin-$task-s$seed"
mkdir -p "$ROOT/runs"
if [[ -f "$run.pid" ]] && kill -0 "$(cat "$run.pid")" 2>/dev/null; then
  echo "already running: pid $(cat "$run.pid") ($run.log)" >&2
  exit 1
fi
rm -rf "$bin" && mkdir -p "$bin"
cp -r "$ROOT/evaluator/target/dtql.jar" "$ROOT/evaluator/target/lib" "$bin/"
java_cmd=(java -Djava.awt.headless=true -Dai.djl.offline=true -Ddtql.home="$ROOT" -jar "$bin/dtql.jar")
if [[ -f "$run/run.json" ]]; then
  args=(sac --resume "$run" --env-steps "$steps" --progress lines)
else
  args=(sac --task "$task" --seed "$seed" --run-dir "$run" --env-steps "$steps" --progress lines)
fi
DTQL_THREADS="${DTQL_THREADS:-1}" setsid nohup "${java_cmd[@]}" "${args[@]}" >>"$run.log" 2>&1 &
echo $! >"$run.pid"
echo "started pid $! : ${args[*]} (log $run.log)"
