#!/usr/bin/env bash
# Lint: ruff over all Python code (the Rasa side at 3.10, the bridge at 3.11+: pyproject.toml),
# mypy --strict over the bridge (handoff/), the escalation package and the harness, and over the bridge's
# tests for what breaks them (stale imports, renamed attributes; pyproject.toml).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
"$BRIDGE_VENV/bin/ruff" check .
"$BRIDGE_VENV/bin/mypy" handoff escalation harness tests/handoff
