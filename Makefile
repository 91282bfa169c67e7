# The two commands a new user needs:
#   make run    set everything up and run the assistant (Rasa + action server)
#   make test   set up what the tests need and run the whole test suite
.PHONY: run test lint setup train seed chat cluster bench bench-bridge bench-load bench-turns bench-escalation bench-nlu escalation-report nlu-report clean

run:
	@scripts/run.sh

test:
	@scripts/test.sh

# ruff over both environments' code (each at its own target version, pyproject.toml) and
# mypy --strict over the bridge, the escalation package and the harness; the test command runs it first.
lint:
	@test -x .venv-bridge/bin/ruff || scripts/setup.sh --test
	@scripts/lint.sh

setup:
	@scripts/setup.sh

train:
	@scripts/setup.sh

seed:
	@. scripts/lib.sh && "$$RASA_VENV/bin/python" -m actions.store.seed --reset

chat:
	@. scripts/lib.sh && "$$RASA_VENV/bin/python" -m bot.chat

# The production-like layout on loopback: nginx (port 8080) -> 2 bridges -> 2 Rasa servers,
# PostgreSQL, Redis primary + replica + 3 sentinels (deploy/cluster.py; data and logs in
# var/cluster). Ctrl-C stops it. CLUSTER_ARGS="--database sqlite" for the SQLite stores.
#   make cluster CLUSTER_ARGS="--bridges 3 --port 8081"
cluster:
	@scripts/setup.sh
	@.venv-bridge/bin/python -m deploy.cluster $(CLUSTER_ARGS)

bench:
	@scripts/bench.sh

bench-bridge:
	@scripts/bench-bridge.sh

# 1,000 customers and 50 agents for 10 minutes through the cluster while a bridge is killed,
# the Redis primary is killed (failover), PostgreSQL restarts and a Rasa server is killed;
# every message accounted for. Writes
# docs/operations.md (its section), docs/operations-figures.json and the plots (~30 minutes).
#   make bench-load BENCH_ARGS="--customers 200 --minutes 3"
bench-load:
	@scripts/setup.sh
	@.venv-bridge/bin/python -m pip install --disable-pip-version-check -q -r requirements/bench.txt -c requirements/bridge-lock.txt
	@.venv-bridge/bin/python -m bench.load_fault $(BENCH_ARGS)

# A turn's cost as one conversation grows to 200+ turns, on SQLite and on PostgreSQL, beside a
# short reference conversation (docs/benchmarks.md, "A turn's cost as the conversation grows"; ~6 minutes).
bench-turns:
	@scripts/setup.sh --test
	@.venv-rasa/bin/python -m bench.turn_cost $(BENCH_ARGS)

# What the escalation check costs a turn, against the assistant without it.
bench-escalation:
	@scripts/setup.sh
	@.venv-rasa/bin/python -m bench.escalation

# Training time, model size, server memory and /model/parse latency of the NLU pipeline
# against the one before it and against it without the sentence encoder (three trainings).
bench-nlu:
	@scripts/setup.sh
	@.venv-rasa/bin/python -m bench.nlu $(BENCH_ARGS)

# Per-language intent, FAQ, entity and out-of-scope figures of the newest model on the
# held-out sets (writes its section of docs/nlu.md and the confusion-matrix plots).
nlu-report:
	@test -x .venv-rasa/bin/python || scripts/setup.sh
	@.venv-rasa/bin/python -m bot.nlu_eval --markdown docs/nlu.md --plots docs

# Precision, recall and false handoffs of escalation.yml on the labelled
# conversations in tests/escalation/ (writes docs/escalation.md).
escalation-report:
	@test -x .venv-rasa/bin/python || scripts/setup.sh
	@.venv-rasa/bin/python -m escalation.evaluation --markdown docs/escalation.md --plot docs/escalation-thresholds.png
	@.venv-rasa/bin/python -m escalation.evaluation --model "$$(ls -t models/*.tar.gz | head -n 1)" --markdown docs/escalation-with-nlu.md

clean:
	rm -rf var results reports
