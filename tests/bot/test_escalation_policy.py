"""The escalation policy on real Rasa trackers and the real domain."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, ActiveLoop, Event, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.policies.escalation import EscalationPolicy

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.load(ROOT / "domain.yml")


@pytest.fixture
def policy(tmp_path) -> EscalationPolicy:
    storage = LocalModelStorage(tmp_path)
    return EscalationPolicy.create(EscalationPolicy.get_default_config(), storage, Resource("escalation"),
                                   ExecutionContext(GraphSchema({}), "test"))


def tracker(domain: Domain, events: List[Event]) -> DialogueStateTracker:
    return DialogueStateTracker.from_events("c1", [ActionExecuted("action_listen"), *events], domain.slots)


def said(text: str, intent: str, confidence: float = 0.95) -> UserUttered:
    return UserUttered(text, {"name": intent, "confidence": confidence})


def predicted(policy: EscalationPolicy, trk: DialogueStateTracker, domain: Domain) -> Optional[str]:
    prediction = policy.predict_action_probabilities(trk, domain)
    if prediction.max_confidence == 0:
        return None
    assert prediction.policy_priority == 7
    assert prediction.is_no_user_prediction  # competes with (and beats) RulePolicy's form predictions
    return domain.action_names_or_texts[prediction.max_confidence_index]


def test_a_handoff_decision_wins_even_inside_a_form(policy, domain):
    trk = tracker(domain, [ActiveLoop("order_status_form"), said("THIS IS USELESS", "inform"),
                           SlotSet("escalation", {"action": "handoff", "reason": "frustration"})])
    assert predicted(policy, trk, domain) == "action_escalate"


def test_an_offer_decision_predicts_the_offer_then_listening(policy, domain):
    trk = tracker(domain, [said("ugh", "inform"), SlotSet("escalation", {"action": "offer", "reason": "frustration"})])
    assert predicted(policy, trk, domain) == "action_offer_human"
    trk.update(ActionExecuted("action_offer_human"))
    assert predicted(policy, trk, domain) == "action_listen"


def test_the_answer_to_an_offer(policy, domain):
    base = [said("ugh", "inform"), ActionExecuted("action_offer_human"), ActionExecuted("action_listen")]
    yes = tracker(domain, base + [said("yes", "affirm"), SlotSet("escalation", {"action": "none"})])
    no = tracker(domain, base + [said("no thanks", "deny"), SlotSet("escalation", {"action": "none"})])
    assert predicted(policy, yes, domain) == "action_escalate"
    assert predicted(policy, no, domain) == "action_offer_declined"


def test_it_abstains_without_a_decision_of_this_turn(policy, domain):
    old = tracker(domain, [said("ugh", "inform"), SlotSet("escalation", {"action": "handoff", "reason": "frustration"}),
                           ActionExecuted("action_listen"), said("where is my order", "order_status")])
    assert predicted(policy, old, domain) is None
    calm = tracker(domain, [said("hi", "greet"), SlotSet("escalation", {"action": "none"})])
    assert predicted(policy, calm, domain) is None


def test_rule_handled_intents_are_left_to_their_rules(policy, domain):
    trk = tracker(domain, [said("agent", "request_human"), SlotSet("escalation", {"action": "handoff",
                                                                                   "reason": "explicit_request"})])
    assert predicted(policy, trk, domain) is None


def test_a_form_that_rejected_an_answer_is_checked_again_once(policy, domain):
    from rasa.shared.core.events import BotUttered

    base = [ActiveLoop("cancel_order_form"), said("ORD-999997", "inform"), SlotSet("escalation", {"action": "none"}),
            ActionExecuted("cancel_order_form"), BotUttered("not found", metadata={"utter_action": "utter_order_not_found"})]
    trk = tracker(domain, base)
    assert predicted(policy, trk, domain) == "action_check_escalation"
    trk.update(ActionExecuted("action_check_escalation"))
    trk.update(SlotSet("escalation", {"action": "handoff", "reason": "unresolved"}))
    assert predicted(policy, trk, domain) == "action_escalate"
    calm = tracker(domain, base + [ActionExecuted("action_check_escalation"), SlotSet("escalation", {"action": "none"})])
    assert predicted(policy, calm, domain) == "action_listen"
    accepted = tracker(domain, [ActiveLoop("cancel_order_form"), said("ORD-100101", "inform"),
                                ActionExecuted("cancel_order_form"), BotUttered("ok", metadata={"utter_action": "utter_ask_cancel_confirmed"})])
    assert predicted(policy, accepted, domain) is None
