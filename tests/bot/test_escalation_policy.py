"""The escalation policy on real Rasa trackers and the real domain: it decides every turn,
stores the decision, and predicts offers and handoffs."""

from __future__ import annotations

from pathlib import Path

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, ActiveLoop, BotUttered, Event, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.policies.escalation import EscalationPolicy

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.load(ROOT / "domain.yml")


@pytest.fixture
def policy(tmp_path) -> EscalationPolicy:
    return EscalationPolicy.create(EscalationPolicy.get_default_config(), LocalModelStorage(tmp_path),
                                   Resource("escalation"), ExecutionContext(GraphSchema({}), "test"))


def tracker(domain: Domain, events: list[Event]) -> DialogueStateTracker:
    return DialogueStateTracker.from_events("c1", [ActionExecuted("action_listen"), *events], domain.slots)


def said(text: str, intent: str, confidence: float = 0.95) -> UserUttered:
    return UserUttered(text, {"name": intent, "confidence": confidence})


def rejected(response: str = "utter_order_not_found") -> BotUttered:
    return BotUttered("not found", metadata={"utter_action": response})


def predicted(policy, trk, domain) -> tuple[str | None, dict | None]:
    """The predicted action (None: abstains) and the decision the prediction stores, if any."""
    prediction = policy.predict_action_probabilities(trk, domain)
    stored = [e.value for e in prediction.events if isinstance(e, SlotSet) and e.key == "escalation"]
    assert len(stored) <= 1
    if prediction.max_confidence == 0:
        return None, stored[0] if stored else None
    assert prediction.policy_priority == 7
    assert prediction.is_no_user_prediction  # competes with (and beats) RulePolicy's form predictions
    return domain.action_names_or_texts[prediction.max_confidence_index], stored[0] if stored else None


def test_every_customer_message_gets_a_stored_decision(policy, domain):
    action, decision = predicted(policy, tracker(domain, [said("hi, not bad thanks", "greet")]), domain)
    assert action is None
    assert decision["action"] == "none" and decision["turn"] == 1


def test_a_decision_is_made_once_per_message(policy, domain):
    trk = tracker(domain, [said("hi", "greet"), SlotSet("escalation", {"action": "none"})])
    assert predicted(policy, trk, domain) == (None, None)


def test_an_angry_customer_inside_a_form_is_handed_over(policy, domain):
    trk = tracker(domain, [ActiveLoop("order_status_form"), said("where is it", "order_status"),
                           ActionExecuted("order_status_form"), ActionExecuted("action_listen"),
                           said("THIS IS USELESS!!! you don't understand", "inform", 0.5)])
    action, decision = predicted(policy, trk, domain)
    assert action == "action_escalate"
    assert decision["action"] == "handoff" and decision["reason"] == "frustration"
    assert decision["summary"].startswith("frustration ")


def test_rising_annoyance_is_offered_a_person_then_the_bot_listens(policy, domain):
    trk = tracker(domain, [said("where is my parcel", "order_status"), ActionExecuted("order_status_form"),
                           ActionExecuted("action_listen"), said("come on, still nothing??", "order_status")])
    action, decision = predicted(policy, trk, domain)
    assert action == "action_offer_human" and decision["action"] == "offer"
    trk.update(SlotSet("escalation", decision))
    trk.update(ActionExecuted("action_offer_human"))
    assert predicted(policy, trk, domain) == ("action_listen", None)


def test_the_answer_to_an_offer(policy, domain):
    base = [said("ugh", "inform"), ActionExecuted("action_offer_human"), ActionExecuted("action_listen")]
    assert predicted(policy, tracker(domain, base + [said("yes please", "affirm")]), domain)[0] == "action_escalate"
    assert predicted(policy, tracker(domain, base + [said("no thanks", "deny")]), domain)[0] == "action_offer_declined"


def test_rule_handled_intents_get_a_decision_but_are_left_to_their_rules(policy, domain):
    action, decision = predicted(policy, tracker(domain, [said("agent", "request_human")]), domain)
    assert action is None  # its rule hands over, with its own words
    assert decision["reason"] == "explicit_request"


def test_a_form_rejecting_a_third_answer_is_noticed_at_the_rejection(policy, domain):
    events: list[Event] = [ActiveLoop("cancel_order_form")]
    for answer in ("12345", "ORD-999998"):
        events += [said(answer, "inform"), SlotSet("escalation", {"action": "none"}),
                   ActionExecuted("cancel_order_form"), rejected(), SlotSet("escalation", {"action": "none"}),
                   ActionExecuted("action_listen")]
    events += [said("ORD-999997", "inform"), SlotSet("escalation", {"action": "none"}),
               ActionExecuted("cancel_order_form"), rejected()]
    action, decision = predicted(policy, tracker(domain, events), domain)
    assert action == "action_escalate"
    assert decision["reason"] == "unresolved"


def test_a_first_rejection_is_rechecked_and_left_to_the_form(policy, domain):
    trk = tracker(domain, [ActiveLoop("cancel_order_form"), said("12345", "inform"),
                           SlotSet("escalation", {"action": "none"}), ActionExecuted("cancel_order_form"), rejected()])
    action, decision = predicted(policy, trk, domain)
    assert action is None and decision["action"] == "none"
    trk.update(SlotSet("escalation", decision))
    assert predicted(policy, trk, domain) == (None, None)  # checked once per rejection


def test_the_second_please_rephrase_in_a_row_hands_over_right_after_it(policy, domain):
    """A failure is news: the bot's own "please rephrase" is checked again at once, whatever the NLU's
    confidence was (here it was sure of a wrong FAQ topic)."""
    events: list[Event] = [said("きのう届いたやつのふたがしまらない", "faq", 0.8), SlotSet("escalation", {"action": "none"}),
                           ActionExecuted("utter_please_rephrase"), rejected("utter_please_rephrase")]
    first = tracker(domain, events)
    action, decision = predicted(policy, first, domain)
    assert action is None and decision["action"] == "none"  # one failure: the bot listens
    events += [SlotSet("escalation", decision), ActionExecuted("action_listen"),
               said("だから保存容器のふたです", "faq", 0.82), SlotSet("escalation", {"action": "none"}),
               ActionExecuted("utter_please_rephrase"), rejected("utter_please_rephrase")]
    action, decision = predicted(policy, tracker(domain, events), domain)
    assert action == "action_escalate" and decision["reason"] == "unresolved"
