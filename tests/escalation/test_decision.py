"""Combining the signals into one decision, with cooldowns and explanations."""

from __future__ import annotations

import dataclasses

import pytest

from escalation.decision import HANDOFF, NONE, OFFER, decide
from escalation.routing import DECLINED_ACTION, ESCALATE_ACTION, OFFER_ACTION, next_action
from escalation.turns import read_history
from tests.escalation.helpers import action, history, settings, user

S = settings()


def test_a_calm_conversation_decides_nothing():
    decision = decide(history(("hi", "greet"), ("where is my order", "order_status"), ("ORD-100101", "inform")), S)
    assert decision.action == NONE
    assert decision.reason is None


def test_rising_annoyance_is_offered_a_person_before_a_handoff():
    decision = decide(history(("where is my parcel", "order_status"), ("ugh, this is taking ages", "inform")), S)
    assert decision.action == OFFER
    assert decision.reason == "frustration"
    assert S.offer_threshold <= decision.score < S.handoff_threshold


def test_an_angry_message_hands_over_with_a_one_line_explanation():
    decision = decide(history(("where is my order", "order_status"),
                              ("THIS IS USELESS!!! you don't understand anything", "out_of_scope", 0.5)), S)
    assert decision.action == HANDOFF
    assert decision.reason == "frustration"
    line = decision.explain()
    assert line.startswith("frustration 0.")
    assert "shouting" in line and "this is useless" in line.lower()
    assert "\n" not in line


def test_sensitive_beats_explicit_when_both_fire():
    decision = decide(history(("I want to speak to a person about a fraudulent charge", "request_human", 0.9)), S)
    assert (decision.action, decision.reason) == (HANDOFF, "sensitive")


def test_the_decision_as_stored_carries_every_signal_that_fired():
    stored = decide(history(("this is useless", "out_of_scope", 0.4), ("asdf", "nlu_fallback", 0.3)), S).as_dict()
    assert set(stored) >= {"action", "reason", "score", "turn", "summary", "signals"}
    assert set(stored["signals"]) == {"frustration", "unresolved"}
    assert all(e["value"] > 0 for s in stored["signals"].values() for e in s["evidence"] if e["feature"] != "negative_turns")


def test_weights_and_thresholds_come_from_the_settings():
    angry = history(("this is useless!!", "out_of_scope", 0.5))
    assert decide(angry, S).action == HANDOFF
    muted = dataclasses.replace(S, weights={**S.weights, "frustration": 0.0})
    assert decide(angry, muted).action == NONE
    strict = dataclasses.replace(S, handoff_threshold=0.99, offer_threshold=0.99)
    assert decide(angry, strict).action == NONE


def test_after_a_decline_frustration_is_held_back_but_an_explicit_request_is_not():
    base = [user("ugh"), action("action_offer_human"), action("action_listen"), user("no", "deny"),
            action("action_offer_declined"), action("action_listen")]
    angry = read_history(base + [user("this is useless!!", "out_of_scope", 0.5)])
    held = decide(angry, S)
    assert held.action == NONE and "declined" in held.note
    asks = read_history(base + [user("ok fine, get me an agent", "request_human", 0.9)])
    assert decide(asks, S).action == HANDOFF


def test_no_second_offer_right_after_the_first():
    events = [user("ugh, this is taking ages", "order_status"), action("action_offer_human"), action("action_listen"),
              user("hmm, this is annoying", "inform")]
    decision = decide(read_history(events), S)
    assert decision.action != OFFER


def test_quiet_period_ends():
    base = [user("ugh"), action("action_offer_human"), action("action_listen"), user("no", "deny"),
            action("action_offer_declined"), action("action_listen")]
    calm = [user(f"question {i}", "faq") for i in range(S.quiet_turns_after_decline)]
    late = read_history(base + calm + [user("THIS IS USELESS!!! you never listen", "out_of_scope", 0.5)])
    assert decide(late, S).action == HANDOFF


# --- routing -------------------------------------------------------------------

@pytest.mark.parametrize("decision, intent, pending, expected", [
    ({"action": "handoff"}, "inform", False, ESCALATE_ACTION),
    ({"action": "offer"}, "inform", False, OFFER_ACTION),
    ({"action": "none"}, "inform", False, None),
    (None, "inform", False, None),
    ({"action": "handoff"}, "request_human", False, None),  # its rule hands over, with its own words
    ({"action": "none"}, "affirm", True, ESCALATE_ACTION),
    ({"action": "none"}, "deny", True, DECLINED_ACTION),
    ({"action": "none"}, "deny", False, None),
    ({"action": "offer"}, "faq", True, OFFER_ACTION),
])
def test_routing(decision, intent, pending, expected):
    assert next_action(decision, intent, pending) == expected
