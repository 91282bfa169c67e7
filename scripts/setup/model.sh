# The demo shop's store and a trained model (training is skipped when nothing changed).
# Sourced by scripts/setup.sh (uses ROOT, RASA_VENV, BRIDGE_VENV, with_tests and the helpers of lib.sh).
# shellcheck shell=bash

step "Preparing the shop store (demo customers and orders)"
"$RASA_VENV/bin/python" -m actions.store.seed

step "Training the assistant (skipped when data and config are unchanged)"
"$RASA_VENV/bin/rasa" train --out models --domain domain.yml --data data --config config.yml
ls -t models/*.tar.gz >/dev/null 2>&1 || die "training produced no model (see the output above)"
echo "      model: $(ls -t models/*.tar.gz | head -n 1)"
