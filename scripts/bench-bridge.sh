#!/usr/bin/env bash
# Benchmark the handoff bridge against Rasa's own socketio channel, on the newest
# trained model: first-reply latency at 1/10/50 conversations, customer <-> agent
# relay with 500 live human chats, and 1,000 / 5,000 idle connections.
# Writes the bridge section of docs/benchmarks.md (other sections are kept).
#   scripts/bench-bridge.sh [--quick] [--out FILE] [--phases latency,relay,idle] [--timeout SECONDS]
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

"$BRIDGE_VENV/bin/python" -m bench.bridge "$@"
