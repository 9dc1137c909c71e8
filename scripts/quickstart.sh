#!/usr/bin/env bash
# The main job, end to end on the embedded default: installs what is needed, then runs
# `dtql quickstart`, which starts a local simulator server and drives it through the bridge.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$ROOT/scripts/setup.sh"
exec "$ROOT/bin/dtql" quickstart "$@"
