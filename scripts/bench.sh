#!/usr/bin/env bash
# Benchmark the assistant: training time, model size, server memory and
# REST-channel latency under load. Writes docs/benchmarks.md (its own section).
#   scripts/bench.sh [--skip-training] [--conversations N] [--messages-per-conversation N] [--out FILE]
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

"$ROOT/scripts/setup.sh"

"$RASA_VENV/bin/python" -m bench.rasa_rest "$@"
