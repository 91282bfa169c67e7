"""The language policy on real Rasa trackers and the real domain: it keeps the language slot."""

from __future__ import annotations

from pathlib import Path

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.policies.language import LanguagePolicy

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.load(ROOT / "domain.yml")


@pytest.fixture
def policy(tmp_path) -> LanguagePolicy:
    return LanguagePolicy.create(LanguagePolicy.get_default_config(), LocalModelStorage(tmp_path),
                                 Resource("language"), ExecutionContext(GraphSchema({}), "test"))


def said(text: str, metadata: dict | None = None) -> UserUttered:
    return UserUttered(text, {"name": "inform", "confidence": 0.9}, metadata=metadata or {})


def language_set(policy, domain, events) -> list:
    trk = DialogueStateTracker.from_events("c1", [ActionExecuted("action_listen"), *events], domain.slots)
    prediction = policy.predict_action_probabilities(trk, domain)
    assert prediction.max_confidence == 0  # never predicts an action
    return [e.value for e in prediction.events if isinstance(e, SlotSet) and e.key == "language"]


def test_the_slot_follows_the_message_then_the_widget_then_stays(policy, domain):
    assert language_set(policy, domain, [said("荷物がまだ届きません")]) == ["ja"]
    assert language_set(policy, domain, [said("/greet", {"language": "ja-JP"})]) == ["ja"]
    assert language_set(policy, domain, [SlotSet("language", "ja"), said("ORD-100101")]) == []  # kept
    assert language_set(policy, domain, [SlotSet("language", "ja"), said("where is it now", {"language": "ja"})]) \
        == ["en"]  # the customer switched
    assert language_set(policy, domain, [said("hello")]) == ["en"]


def test_nothing_is_set_between_the_bots_own_actions(policy, domain):
    events = [said("荷物がまだ届きません"), SlotSet("language", "ja"), ActionExecuted("utter_greet"), BotUttered("…")]
    assert language_set(policy, domain, events) == []
