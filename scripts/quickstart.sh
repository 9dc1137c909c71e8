#!/usr/bin/env bash
# The main job, end to end: installs what is needed (scripts/setup.sh), then runs
# `dtql quickstart`: collects a hopper-medium dataset from the committed behaviour policy through
# local simulator servers, trains DTQL on it for a bounded budget (6,000 steps, at most 10 minutes),
# evaluates 10 episodes next to the behaviour policy and prints the scores and where the run is.
# Arguments go to `dtql quickstart` (e.g. --minutes 30, --steps 100000, --device gpu).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$ROOT/scripts/setup.sh"
exec "$ROOT/bin/dtql" quickstart "$@"
