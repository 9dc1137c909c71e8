#!/usr/bin/env bash
# Installs what the project needs on a fresh Debian 12 machine, then builds it. Safe to re-run:
# each step is skipped when its inputs have not changed.
#   1. system packages (Java 17, Maven, Python 3 with venv) with apt-get, only if missing;
#   2. the simulator's virtual environment, python-env-server/.venv, from pinned requirements,
#      with Python stubs generated from proto/ (one source of truth, nothing generated committed);
#   3. the Maven build (Java stubs generated from the same proto/), tests skipped.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
log() { printf '[setup] %s\n' "$*" >&2; }

# --- 1. system packages ---------------------------------------------------------------------
missing=()
command -v javac >/dev/null 2>&1 || missing+=(openjdk-17-jdk-headless)
command -v mvn >/dev/null 2>&1 || missing+=(maven)
# Plots are rendered headless by the JDK, which needs fontconfig and at least one font.
command -v fc-list >/dev/null 2>&1 && [[ -n "$(fc-list 2>/dev/null | head -n 1)" ]] \
  || missing+=(fontconfig fonts-dejavu-core)
PYTHON="${PYTHON:-}"
if [[ -z "$PYTHON" ]]; then
  for candidate in python3.11 python3; do
    if command -v "$candidate" >/dev/null 2>&1; then PYTHON="$(command -v "$candidate")"; break; fi
  done
fi
if [[ -z "$PYTHON" ]] || ! "$PYTHON" -c 'import venv, ensurepip' >/dev/null 2>&1; then
  missing+=(python3 python3-venv python3-pip)
  PYTHON=/usr/bin/python3
fi
if ((${#missing[@]})); then
  if [[ "$(id -u)" != 0 ]]; then
    log "missing system packages: ${missing[*]}; run this script as root, or install them with apt-get"
    exit 1
  fi
  log "installing system packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
"$PYTHON" - <<'PY' || { log "Python 3.10 or newer is needed (found $("$PYTHON" --version))"; exit 1; }
import sys; sys.exit(0 if sys.version_info >= (3, 10) else 1)
PY

# --- 2. the simulator's virtual environment ---------------------------------------------------
SERVER="$ROOT/python-env-server"
VENV="$SERVER/.venv"
stamp="$VENV/.installed-requirements"
want="$(cat "$SERVER/requirements.txt" "$SERVER/pyproject.toml" | sha256sum | cut -d' ' -f1)"
if [[ ! -x "$VENV/bin/python" ]]; then
  log "creating $VENV"
  "$PYTHON" -m venv "$VENV"
fi
if [[ ! -f "$stamp" || "$(cat "$stamp")" != "$want" ]]; then
  log "installing pinned Python packages into $VENV"
  "$VENV/bin/python" -m pip install -q --disable-pip-version-check -r "$SERVER/requirements.txt"
  "$VENV/bin/python" -m pip install -q --disable-pip-version-check --no-deps -e "$SERVER"
  echo "$want" > "$stamp"
fi
"$VENV/bin/python" -m dtql_envserver.codegen

# --- 3. the Java build ------------------------------------------------------------------------
log "building the Java modules (mvn package, tests skipped)"
mvn -B -q -DskipTests package
log "ready"
