#!/usr/bin/env bash
# Set up everything: the Rasa side's environment, the bridge's environment, the web
# pages' packages, (for the tests) the browser and nginx, the demo store and a trained
# model. Safe to run again: each step is skipped when it is up to date.
#   scripts/setup.sh          everything the product needs
#   scripts/setup.sh --test   ... plus what the test suite needs
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

with_tests=0
[ "${1:-}" = "--test" ] && with_tests=1

# Each step's code lives in scripts/setup/, in the order below.
for part in rasa-env bridge-env web system model; do
  source "$ROOT/scripts/setup/$part.sh"
done
step "Set-up complete"
