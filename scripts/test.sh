#!/usr/bin/env bash
# Runs every test: the Python server's pytest suite, then all Java tests including the
# end-to-end tests that start the real Python server (Maven profile e2e). Installs first.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
"$ROOT/scripts/setup.sh"
echo "== python-env-server: ruff, then pytest"
(cd python-env-server && .venv/bin/ruff check src tests && .venv/bin/ruff format --check src tests \
  && .venv/bin/python -m pytest -q tests)
echo "== Java: mvn verify -Pe2e"
mvn -B verify -Pe2e
