"""The trainer's loop on the real stack: conversations through the bridge (one handed to an agent),
then the trainer CLI (Rasa environment) lists, exports with redaction, reviews, merges, retrains,
evaluates, promotes into the running Rasa server and rolls back."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.launcher import RASA, ROOT, http_json, latest_model
from handoff import protocol
from harness.clients import Agent, Customer
from harness.rasa import RasaStack
from tests.handoff.conftest import start_rasa_stack

PYTHON = str(Path(RASA).parent / "python")
MISUNDERSTOOD = "has my thingy left the building yet"
PLANTED = ["jane.doe@example.com", "+1 415 555 0134", "4111 1111 1111 1111"]


@pytest.fixture(scope="module")
def rasa_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RasaStack]:
    """A Rasa stack of its own: the trainer lists and exports every conversation in its tracker store."""
    stack = start_rasa_stack(tmp_path_factory.mktemp("rasa-trainer"))
    yield stack
    stack.stop()


def trainer(*args: str, stack: RasaStack, stdin: str = "", ok: bool = True) -> subprocess.CompletedProcess:
    env = dict(os.environ, TRACKER_DB_URL=stack.tracker_url, PYTHONPATH=str(ROOT),
               RASA_TELEMETRY_ENABLED="false", TF_CPP_MIN_LOG_LEVEL="2")
    done = subprocess.run([PYTHON, "-m", "bot.trainer", *args], cwd=ROOT, env=env, input=stdin, text=True,
                          capture_output=True, timeout=1500)
    if ok:
        assert done.returncode == 0, (done.stdout + done.stderr)[-4000:]
    return done


class Probe(threading.Thread):
    """Sends a customer message every half second until stopped; records failures."""

    def __init__(self, stack: RasaStack) -> None:
        super().__init__(daemon=True)
        self.stack, self.answered, self.errors = stack, 0, []  # type: ignore[var-annotated]
        self._stop_event = threading.Event()

    def run(self) -> None:
        while not self._stop_event.is_set():
            try:
                if self.stack.say(f"probe-{self.answered}", "hello", timeout=120):
                    self.answered += 1
                else:
                    self.errors.append("no reply")
            except Exception as e:  # noqa: BLE001 - any failure is what the test looks for
                self.errors.append(repr(e))
            self._stop_event.wait(0.5)

    def stop(self) -> None:
        self._stop_event.set()
        self.join(timeout=180)


def parse(stack: RasaStack, text: str) -> str:
    return http_json("POST", f"{stack.rasa_url}/model/parse?token={stack.token}", {"text": text})["intent"]["name"]


def quick_config(path: Path) -> Path:
    """config.yml with fewer epochs: a candidate in about a minute (the pipeline is the same)."""
    text = (ROOT / "config.yml").read_text()
    text = re.sub(r"epochs: 100", "epochs: 40", text)
    text = re.sub(r"epochs: 60", "epochs: 20", text)
    path.write_text(text)
    return path


@pytest.fixture
def workspace(tmp_path: Path) -> dict[str, Path]:
    """A copy of data/ and a models folder holding the running model, so the repository stays untouched."""
    shutil.copytree(ROOT / "data", tmp_path / "data")
    (tmp_path / "models").mkdir()
    shutil.copy2(latest_model(), tmp_path / "models")
    return {"root": tmp_path, "data": tmp_path / "data", "models": tmp_path / "models"}


async def test_from_conversations_to_a_promoted_model_and_back(bridge, rasa_stack, workspace):
    before = parse(rasa_stack, MISUNDERSTOOD)
    assert before != "order_status"  # the phrasing the current model gets wrong

    # --- a scripted batch through the real stack
    happy = Customer(bridge.url)
    happy_id = await happy.connect()
    await happy.say("where is my order ORD-100101")
    await happy.bot_says("on its way")
    private = Customer(bridge.url)
    private_id = await private.connect()
    await private.say(f"my email is {PLANTED[0]} and my phone is {PLANTED[1]}, card {PLANTED[2]}, where is my refund")
    await private.seen.wait_for(protocol.BOT_UTTERED)
    confused = Customer(bridge.url)
    confused_id = await confused.connect()
    alice = await Agent(bridge.url, "alice", "alice-demo-password").connect()
    await confused.say(MISUNDERSTOOD)
    await confused.seen.wait_for(protocol.BOT_UTTERED)  # the bot's answer to what it misunderstood
    await confused.say("can I talk to a person please")
    await confused.seen.wait_for(protocol.HANDOFF_QUEUED)
    await alice.emit(protocol.CLAIM, {"conversation_id": confused_id})
    await alice.seen.wait_for(protocol.CLAIMED)
    await alice.emit(protocol.AGENT_MESSAGE, {"conversation_id": confused_id,
                                              "text": "It left our warehouse this morning and is with DHL now."})
    await confused.bot_says("left our warehouse")
    await alice.emit(protocol.HAND_BACK, {"conversation_id": confused_id})
    await confused.seen.wait_for(protocol.HANDOFF_RETURNED)
    for client in (happy, private, confused, alice):
        await client.close()

    # --- find and export
    listed = trainer("list", stack=rasa_stack).stdout
    assert all(cid[:34] in listed for cid in (happy_id, private_id, confused_id))
    handed = trainer("list", "--handed-off", stack=rasa_stack).stdout
    assert confused_id[:34] in handed and happy_id[:34] not in handed
    assert "agent Alice: It left our warehouse" in trainer("show", confused_id, stack=rasa_stack).stdout

    reviews = workspace["root"] / "reviews"
    trainer("--data", str(workspace["data"]), "export", "--batch", "week-47", "--out", str(reviews), stack=rasa_stack)
    review_file = reviews / "week-47.yml"
    exported = review_file.read_text()
    for value in PLANTED + [happy_id, private_id, confused_id]:
        assert value not in exported
    batch = yaml.safe_load(exported)
    texts = {e["text"]: e for e in batch["examples"]}
    assert texts[MISUNDERSTOOD]["predicted"]["intent"] == before
    assert any("left our warehouse" in r["text"] for r in batch["responses"])
    assert len(batch["stories"]) == 1

    # --- a scripted review: relabel the misunderstood phrasing, accept what was understood, skip the rest
    answers = []
    for example in batch["examples"]:
        if example["text"] == MISUNDERSTOOD:
            answers.append("r\norder_status")
        elif example["predicted"]["intent"] == "order_status":
            answers.append("a")
        else:
            answers.append("s")
    answers += ["a"] * len(batch["responses"])
    trainer("review", str(review_file), stack=rasa_stack, stdin="\n".join(answers) + "\n")
    reviewed = yaml.safe_load(review_file.read_text())
    assert {e["text"]: e["label"] for e in reviewed["examples"]}[MISUNDERSTOOD] == "order_status"

    # --- merge (rasa data validate runs inside and must stay clean)
    merged = trainer("--data", str(workspace["data"]), "merge", str(review_file), stack=rasa_stack).stdout
    assert "order_status +" in merged
    assert MISUNDERSTOOD in (workspace["data"] / "nlu" / "reviewed.yml").read_text()

    # --- retrain (short-epoch config), evaluate, promote
    models = ["--models", str(workspace["models"]), "--data", str(workspace["data"])]
    trainer(*models, "train", "--config", str(quick_config(workspace["root"] / "quick.yml")), "--name", "cand-1",
            stack=rasa_stack)
    assert (workspace["models"] / "candidates" / "cand-1.tar.gz").exists()
    reports = workspace["root"] / "reports"
    evaluated = trainer(*models, "evaluate", "--reports", str(reports), stack=rasa_stack).stdout
    report = next(reports.glob("cand-1-vs-*/report.md")).read_text()
    nlu_report = json.loads((reports / "cand-1" / "rasa" / "intent_report.json").read_text())
    per_intent = [v["f1-score"] for k, v in nlu_report.items()
                  if isinstance(v, dict) and k not in ("macro avg", "weighted avg", "micro avg")]
    recomputed = sum(per_intent) / len(per_intent)
    row = next(line for line in report.splitlines() if line.startswith("| intent macro F1 |"))
    assert abs(float(row.split("|")[3]) - recomputed) < 0.0015, (row, recomputed)
    assert "confusion-cand-1.png" in report and (next(reports.glob("cand-1-vs-*")) / "confusion-cand-1.png").exists()

    server = ["--rasa-url", rasa_stack.rasa_url, "--token", rasa_stack.token]
    probe = Probe(rasa_stack)  # customers keep talking while the model is swapped
    probe.start()
    if "verdict: worse" in evaluated:
        refused = trainer(*models, "promote", *server, stack=rasa_stack, ok=False)
        assert refused.returncode == 2 and "--force" in refused.stderr
        trainer(*models, "promote", "--force", *server, stack=rasa_stack)
    else:
        trainer(*models, "promote", *server, stack=rasa_stack)
    probe.stop()
    assert probe.answered >= 1 and probe.errors == [], probe.errors  # no request failed during the swap
    status: dict[str, Any] = http_json("GET", f"{rasa_stack.rasa_url}/status?token={rasa_stack.token}")
    assert Path(status["model_file"]).name == "cand-1.tar.gz"
    assert parse(rasa_stack, MISUNDERSTOOD) == "order_status"
    assert "cand-1" in trainer(*models, "history", stack=rasa_stack).stdout

    # --- roll back: the old behaviour is back
    trainer(*models, "rollback", *server, stack=rasa_stack)
    assert parse(rasa_stack, MISUNDERSTOOD) == before
