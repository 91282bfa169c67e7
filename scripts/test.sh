#!/usr/bin/env bash
# Run the whole test suite. Sets up everything the tests need first (the Rasa
# environment with pytest, a trained model), so it works on a fresh clone.
#   scripts/test.sh [pytest args]
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

"$ROOT/scripts/setup.sh" --test

export SQLALCHEMY_SILENCE_UBER_WARNING=1
step "Lint: ruff over both environments' code, mypy --strict over handoff/, escalation/ and harness/"
"$ROOT/scripts/lint.sh"
step "The pages' pure parts: Node's test runner over tests/web/"
node --test tests/web/
step "Rasa side: actions, rasa data validate, NLU and story tests, end-to-end through Rasa"
"$RASA_VENV/bin/python" -m pytest tests --ignore=tests/handoff "$@"
step "Bridge: state, protocol, queue and agents on a real Redis, the whole journey through the real Rasa"
"$BRIDGE_VENV/bin/python" -m pytest tests/handoff "$@"
