# The two commands a new user needs:
#   make run    set everything up and run the assistant (Rasa + action server)
#   make test   set up what the tests need and run the whole test suite
.PHONY: run test setup train seed chat bench bench-bridge clean

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

clean:
	rm -rf var results reports
