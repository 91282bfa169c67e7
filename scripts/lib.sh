# Shared helpers of the set-up, run and test scripts (sourced, not run).
# shellcheck shell=bash

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RASA_VENV="${RASA_VENV:-$ROOT/.venv-rasa}"
BRIDGE_VENV="${BRIDGE_VENV:-$ROOT/.venv-bridge}"
# rasa-webchat from npm for the compatibility test (tests/handoff/test_webchat.py): the last
# published version, and the registry's integrity of its tarball.
WEBCHAT_VERSION=1.0.1
WEBCHAT_INTEGRITY="sha512-Ld1zVJvTAaTrs6A5p8t70agNNrKYRyXlvqXZRgBoDvKKUXbA0jhJKECi5bdPGlaR6jsmqWtVylHS+YqIqo0x8w=="
# Debian's Chromium, driven by Playwright in the page tests (tests/handoff/test_pages.py)
export CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
VAR_DIR="${VAR_DIR:-$ROOT/var}"  # state: secrets, stores, logs (a test runs make run in its own)
LOG_DIR="$VAR_DIR/log"
mkdir -p "$LOG_DIR"

export RASA_TELEMETRY_ENABLED=false
export TF_CPP_MIN_LOG_LEVEL=2
export PYTHONWARNINGS="${PYTHONWARNINGS:-ignore::DeprecationWarning,ignore::UserWarning:sanic_cors}"
export PYTHONPATH="$ROOT${PYTHONPATH:+:$PYTHONPATH}"

# Embedded defaults: everything on loopback, state under var/.
export RASA_HOST="${RASA_HOST:-127.0.0.1}"
export RASA_PORT="${RASA_PORT:-5005}"
export ACTION_SERVER_HOST="${ACTION_SERVER_HOST:-127.0.0.1}"
export ACTION_SERVER_PORT="${ACTION_SERVER_PORT:-5055}"
export TRACKER_DB_URL="${TRACKER_DB_URL:-sqlite:///$VAR_DIR/trackers.sqlite3}"
export SHOP_DB_URL="${SHOP_DB_URL:-sqlite+aiosqlite:///$VAR_DIR/shop.sqlite3}"
export BRIDGE_HOST="${BRIDGE_HOST:-127.0.0.1}"
export BRIDGE_PORT="${BRIDGE_PORT:-8000}"
export EMBEDDED_REDIS_PORT="${EMBEDDED_REDIS_PORT:-6390}"

_step_started=0
# step "message": print a numbered step header with the time the last one took.
step() {
  local now; now=$(date +%s)
  if [ "$_step_started" -ne 0 ]; then
    printf '      done in %ss\n' "$((now - _step_started))"
  fi
  _step_started=$now
  printf '\033[1m==> %s\033[0m\n' "$*"
}

die() { printf '\033[31merror:\033[0m %s\n' "$*" >&2; exit 1; }

# find_rasa_python: print the path of an interpreter Rasa 3.6.21 supports.
# Preference: $RASA_PYTHON, then 3.10 / 3.9 / 3.8 on PATH or in pyenv, then
# 3.11 (which needs the two-step install with the lock file).
find_rasa_python() {
  local candidate version
  if [ -n "${RASA_PYTHON:-}" ]; then echo "$RASA_PYTHON"; return 0; fi
  for version in 3.10 3.9 3.8 3.11; do
    for candidate in "python$version" $(_pyenv_pythons "$version"); do
      if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c 'import venv, ensurepip' >/dev/null 2>&1; then
        command -v "$candidate"; return 0
      fi
    done
  done
  return 1
}

_pyenv_pythons() {
  command -v pyenv >/dev/null 2>&1 || return 0
  local root; root=$(pyenv root 2>/dev/null) || return 0
  ls -d "$root/versions/$1".*/bin/python 2>/dev/null | sort -t. -k3 -n -r || true
}

python_version_of() { "$1" -c 'import sys; print("%d.%d" % sys.version_info[:2])'; }

# find_bridge_python: a current Python (3.11 or later) for the bridge.
find_bridge_python() {
  local candidate version
  if [ -n "${BRIDGE_PYTHON:-}" ]; then echo "$BRIDGE_PYTHON"; return 0; fi
  for version in 3.13 3.12 3.11; do
    for candidate in "python$version" $(_pyenv_pythons "$version"); do
      if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c 'import venv, ensurepip' >/dev/null 2>&1; then
        command -v "$candidate"; return 0
      fi
    done
  done
  if command -v python3 >/dev/null 2>&1 && python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
    command -v python3; return 0
  fi
  return 1
}

# pip_install LOGNAME ARGS...: pip install (into $PIP_VENV, default the Rasa
# environment) with a one-line progress counter; the whole pip output goes to
# var/log/LOGNAME.log and is shown on failure.
pip_install() {
  local log="$LOG_DIR/$1.log"; shift
  local n=0 line
  set +e
  "${PIP_VENV:-$RASA_VENV}/bin/python" -m pip install --disable-pip-version-check "$@" 2>&1 | tee "$log" | while IFS= read -r line; do
    case "$line" in
      Collecting*|Requirement\ already*) n=$((n + 1)); printf '\r      %d packages resolved' "$n" ;;
      Installing\ collected*) printf '\r      installing %d packages (this is the long part)...' "$n" ;;
    esac
  done
  local status=${PIPESTATUS[0]}
  set -e
  printf '\n'
  if [ "$status" -ne 0 ]; then
    tail -n 30 "$log" >&2
    die "pip failed (full log: $log)"
  fi
}

# wait_for_url URL SECONDS NAME: poll until URL answers 200.
wait_for_url() {
  local url=$1 limit=$2 name=$3 i
  for ((i = 0; i < limit; i++)); do
    if "$RASA_VENV/bin/python" -c "import urllib.request,sys; urllib.request.urlopen(sys.argv[1], timeout=2)" "$url" >/dev/null 2>&1; then
      return 0
    fi
    printf '\r      waiting for %s... %ss' "$name" "$i"
    sleep 1
  done
  printf '\n'
  return 1
}
