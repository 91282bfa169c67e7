# The handoff bridge's environment: a current Python (3.11+) with current aiohttp,
# python-socketio and redis-py (and the test and lint tools with --test).
# Sourced by scripts/setup.sh (uses ROOT, RASA_VENV, BRIDGE_VENV, with_tests and the helpers of lib.sh).
# shellcheck shell=bash

step "Setting up the handoff bridge's environment in ${BRIDGE_VENV#$ROOT/} (current Python and libraries)"
if [ ! -x "$BRIDGE_VENV/bin/python" ]; then
  bridge_python=$(find_bridge_python) || die "no Python 3.11 or later found for the bridge.
Install one (for example: pyenv install 3.11, or apt-get install python3.11 python3.11-venv),
or point BRIDGE_PYTHON at it."
  "$bridge_python" -m venv "$BRIDGE_VENV"
fi
echo "      using $("$BRIDGE_VENV/bin/python" --version)"
bridge_wanted=$(cat requirements/bridge.txt requirements/bridge-lock.txt | sha256sum | cut -c1-16)
[ "$with_tests" -eq 1 ] && bridge_wanted="$bridge_wanted-$(sha256sum < requirements/bridge-test.txt | cut -c1-16)"
if [ "$(cat "$BRIDGE_VENV/.installed" 2>/dev/null)" = "$bridge_wanted" ]; then
  echo "      up to date"
else
  PIP_VENV="$BRIDGE_VENV" pip_install bridge -c requirements/bridge-lock.txt -r requirements/bridge.txt
  [ "$with_tests" -eq 1 ] && PIP_VENV="$BRIDGE_VENV" pip_install bridge-test -c requirements/bridge-lock.txt -r requirements/bridge-test.txt
  echo "$bridge_wanted" > "$BRIDGE_VENV/.installed"
fi
