#!/usr/bin/env bash
# Run the whole test suite. Sets up everything the tests need first (the Rasa
# environment with pytest, a trained model), so it works on a fresh clone.
#   scripts/test.sh [pytest args]
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

"$ROOT/scripts/setup.sh" --test

step "Running the test suite (unit tests, rasa data validate, NLU and story tests, end-to-end)"
export SQLALCHEMY_SILENCE_UBER_WARNING=1
"$RASA_VENV/bin/python" -m pytest "$@"
