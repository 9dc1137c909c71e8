#!/usr/bin/env bash
# Starts, or resumes, the online SAC run that makes a task's behaviour policies, as a background
# job that survives the shell: runs/sac-TASK-sSEED (checkpoints every 10,000 steps, so a stopped
# or killed job loses at most that much; run this script again to continue). The job runs from a
# copy of the built jar, so rebuilding the project does not disturb it.
#   scripts/train-behaviour.sh TASK [SEED=0] [ENV_STEPS=1000000]
#   tail -f runs/sac-TASK-sSEED.log        # progress: a line every 10 s, evaluations
#   kill -TERM $(cat runs/sac-TASK-sSEED.pid)   # stop: saves a checkpoint first
#   scripts/train-behaviour.sh --park TASK [SEED=0]
# --park stops the job (if it runs) and copies what a later machine needs to continue into
# behaviour-policies/training/sac-TASK-sSEED, to be committed: run.json, metrics.jsonl, the latest
# checkpoint (about 3 MB) and the three best-scoring actor snapshots besides the newest. The
# replay log (hundreds of MB) stays behind, so on a machine without runs/ this script resumes the
# parked run with --refill-replay REFILL_ROWS (default 100000): the buffer is refilled with that
# many steps of the current policy before updates continue (recorded in the run's run.json).
# One intra-op thread per job (DTQL_THREADS), so two jobs can share a 2-core machine.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
park=false
if [[ "${1:-}" == "--park" ]]; then
  park=true
  shift
fi
task="${1:?usage: scripts/train-behaviour.sh [--park] TASK [SEED] [ENV_STEPS]}"
seed="${2:-0}"
steps="${3:-1000000}"
name="sac-$task-s$seed"
run="$ROOT/runs/$name"
parked="$ROOT/behaviour-policies/training/$name"

running() { [[ -f "$run.pid" ]] && kill -0 "$(cat "$run.pid")" 2>/dev/null; }

if $park; then
  if running; then
    kill -TERM "$(cat "$run.pid")"
    for _ in $(seq 600); do running || break; sleep 0.5; done
    if running; then echo "the job did not stop within 5 minutes" >&2; exit 1; fi
  fi
  latest="$(cat "$run/checkpoints/latest" 2>/dev/null)" || {
    echo "$run has no checkpoint to park" >&2
    exit 1
  }
  rm -rf "$parked.tmp" && mkdir -p "$parked.tmp/checkpoints" "$parked.tmp/snapshots"
  cp "$run/run.json" "$run/metrics.jsonl" "$parked.tmp/"
  cp "$run/checkpoints/$latest" "$run/checkpoints/latest" "$parked.tmp/checkpoints/"
  python3 - "$run" "$parked.tmp" <<'PY'
import json, pathlib, shutil, sys
run, dest = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
scores = {}
for line in (run / "metrics.jsonl").read_text().splitlines():
    row = json.loads(line)
    snapshot = run / "snapshots" / f"step-{row['step']:09d}.policy"
    if "eval/normalized_mean" in row and snapshot.exists():
        scores[snapshot] = row["eval/normalized_mean"]
snapshots = sorted(run.glob("snapshots/step-*.policy"))
keep = set(sorted(scores, key=scores.get, reverse=True)[:3]) | set(snapshots[-1:])
for snapshot in keep:
    shutil.copy2(snapshot, dest / "snapshots" / snapshot.name)
    print(f"parked {snapshot.name} (evaluation {scores.get(snapshot, float('nan')):.1f})")
PY
  rm -rf "$parked" && mv "$parked.tmp" "$parked"
  echo "parked $run at $latest in $parked ($(du -sh "$parked" | cut -f1)); commit it"
  exit 0
fi

[[ -f "$ROOT/evaluator/target/dtql.jar" ]] || "$ROOT/scripts/setup.sh"
bin="$ROOT/runs/.sac-bin-$task-s$seed"
mkdir -p "$ROOT/runs"
if running; then
  echo "already running: pid $(cat "$run.pid") ($run.log)" >&2
  exit 1
fi
if [[ ! -f "$run/run.json" && -f "$parked/run.json" ]]; then
  cp -r "$parked" "$run"
  echo "continuing the parked run $parked (without its replay log)"
fi
rm -rf "$bin" && mkdir -p "$bin"
cp -r "$ROOT/evaluator/target/dtql.jar" "$ROOT/evaluator/target/lib" "$bin/"
java_cmd=(env DTQL_JAR="$bin/dtql.jar" "$ROOT/bin/dtql") # bin/dtql execs java: $! is its pid
if [[ -f "$run/run.json" ]]; then
  args=(sac --resume "$run" --env-steps "$steps" --progress lines)
  if [[ ! -f "$run/replay.log" ]]; then
    args+=(--refill-replay "${REFILL_ROWS:-100000}")
  fi
else
  args=(sac --task "$task" --seed "$seed" --run-dir "$run" --env-steps "$steps" --progress lines)
fi
DTQL_THREADS="${DTQL_THREADS:-1}" setsid nohup "${java_cmd[@]}" "${args[@]}" >>"$run.log" 2>&1 &
echo $! >"$run.pid"
echo "started pid $! : ${args[*]} (log $run.log)"
