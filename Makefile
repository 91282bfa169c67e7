# The two commands a new user needs:
#   make run    set everything up and run the assistant (Rasa + action server)
#   make test   set up what the tests need and run the whole test suite
.PHONY: run test setup train seed chat bench bench-bridge bench-escalation escalation-report clean

run:
	@scripts/run.sh

test:
	@scripts/test.sh

setup:
	@scripts/setup.sh

train:
	@scripts/setup.sh

seed:
	@. scripts/lib.sh && "$$RASA_VENV/bin/python" -m actions.store.seed --reset

chat:
	@. scripts/lib.sh && "$$RASA_VENV/bin/python" -m bot.chat

bench:
	@scripts/bench.sh

bench-bridge:
	@scripts/bench-bridge.sh

# What the escalation check costs a turn, against the assistant without it.
bench-escalation:
	@scripts/setup.sh
	@.venv-rasa/bin/python -m bench.escalation

# Precision, recall and false handoffs of escalation.yml on the labelled
# conversations in tests/escalation/ (writes docs/escalation.md).
escalation-report:
	@test -x .venv-rasa/bin/python || scripts/setup.sh
	@.venv-rasa/bin/python -m actions.escalation.evaluate --markdown docs/escalation.md --plot docs/escalation-thresholds.png
	@.venv-rasa/bin/python -m actions.escalation.evaluate --model "$$(ls -t models/*.tar.gz | head -n 1)" --markdown docs/escalation-with-nlu.md

clean:
	rm -rf var results reports
