"""Exporting a review batch (redacted, de-duplicated) and merging reviewed examples (refusing conflicts)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from bot.trainer.export import build_batch
from bot.trainer.merge import MergeRefused, merge, plan
from bot.trainer.nludata import labels_by_text, normalised, read_reviewed
from tests.trainer.events import calm_conversation, handed_off_conversation

ROOT = Path(__file__).resolve().parents[2]
PLANTED = ["jane.doe@example.com", "4111 1111 1111 1111", "+1 415 555 0134", "ORD-100101"]


@pytest.fixture(scope="module")
def batch():
    existing = labels_by_text(ROOT / "data" / "nlu")
    return build_batch([("jane-conversation", handed_off_conversation()), ("c2", calm_conversation())],
                       existing, "b1")


def test_nothing_personal_leaves_in_the_batch(batch):
    text = yaml.safe_dump(batch)
    for value in PLANTED + ["jane-conversation"]:
        assert value not in text
    assert "[card number]" in text


def test_examples_carry_the_prediction_and_are_new(batch):
    texts = {normalised(e["text"]): e for e in batch["examples"]}
    thingy = texts["has my thingy left the building yet"]
    assert thingy["predicted"] == {"intent": "complaint", "confidence": 0.45}
    assert thingy["status"] == "pending" and thingy["label"] is None
    assert "thanks" not in texts  # already a training example
    assert not any(e["text"].startswith("/") for e in batch["examples"])
    order = next(e for e in batch["examples"] if "where is my order" in e["text"])
    assert "](order_number)" in order["text"] and "](email)" in order["text"]  # entities annotated for training


def test_agent_replies_and_handed_off_conversations_are_candidates(batch):
    (reply,) = batch["responses"]
    assert reply["agent"] == "Alice" and "DHL" in reply["text"] and "[card number]" in reply["after"]
    (story,) = batch["stories"]
    assert story["reason"].startswith("escalation handoff: frustration")
    assert [list(step)[0] for step in story["steps"]].count("agent") == 1


@pytest.fixture
def data(tmp_path):
    shutil.copytree(ROOT / "data", tmp_path / "data")
    return tmp_path / "data"


def test_merge_writes_a_tidy_file_and_is_idempotent(data):
    decided = [("e1", "has my thingy left the building yet", "order_status"),
               ("e2", "do u ship to the moon", "out_of_scope"),
               ("e3", "what do deliveries cost to norway", "faq/international_shipping")]
    result = merge(decided, data, ROOT / "domain.yml")
    assert result.added == {"order_status": 1, "out_of_scope": 1, "faq/international_shipping": 1}
    written = read_reviewed(data / "nlu" / "reviewed.yml")
    assert written["order_status"] == ["has my thingy left the building yet"]
    again = merge(decided, data, ROOT / "domain.yml")
    assert again.total == 0 and again.already_there == 3
    assert list(yaml.safe_load((data / "nlu" / "reviewed.yml").read_text())["nlu"][0]) == ["intent", "examples"]


def test_merge_refuses_conflicts_and_unknown_intents_and_writes_nothing(data):
    existing_example = "I want to talk to a human"
    decided = [("e1", existing_example, "order_status"),
               ("e2", "a brand new phrasing", "not_an_intent"),
               ("e3", "same words", "order_status"), ("e4", "Same words!", "faq/shipping_times"),
               ("e5", "where can I buy cheese", "faq/no_such_topic")]
    with pytest.raises(MergeRefused) as refused:
        merge(decided, data, ROOT / "domain.yml")
    message = str(refused.value)
    assert "e1" in message and "already an example of request_human" in message
    assert "e2" in message and "not_an_intent" in message
    assert "e4" in message and "e3" in message
    assert "e5" in message and "utter_faq/no_such_topic" in message
    assert not (data / "nlu" / "reviewed.yml").exists()


def test_plan_counts_repeats_within_a_batch():
    add, problems, already = plan([("e1", "hello there friend", "greet"), ("e2", "Hello there, friend!", "greet")],
                                  {}, {"greet"}, set())
    assert add == {"greet": ["hello there friend"]} and problems == [] and already == 1
