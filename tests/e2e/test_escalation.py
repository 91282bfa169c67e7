"""Escalation end to end: the check runs on every turn in the real action server, the
policy acts on it in the real Rasa server (trained model), handoffs land in the store."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import rows
from tests.e2e.stack import Chat

pytestmark = pytest.mark.rasa


def decisions(chat: Chat) -> list:
    """Every escalation decision stored in the tracker, oldest first."""
    events = chat.stack.tracker(chat.sender)["events"]
    return [e["value"] for e in events if e["event"] == "slot" and e["name"] == "escalation" and e["value"]]


def requests(chat: Chat) -> list:
    return rows(chat.stack.shop_db, "SELECT reason FROM support_requests WHERE conversation_id=? ORDER BY id",
                chat.sender)


def test_every_turn_is_checked_and_a_calm_conversation_is_left_alone(stack):
    chat = Chat(stack)
    chat.say("hi")
    chat.say("where is my order ORD-100101?")
    chat.say("not bad, no worries, thanks!")
    checked = decisions(chat)
    assert [d["turn"] for d in checked] == [1, 2, 3]  # once per message, though the form re-runs slot mappings
    assert {d["action"] for d in checked} == {"none"}
    assert requests(chat) == []


def test_rising_annoyance_gets_empathy_and_an_offer_and_a_decline_is_respected(stack):
    chat = Chat(stack)
    assert "order number" in chat.say("where is my parcel")
    reply = chat.say("come on, still nothing??")
    assert "sorry" in reply.lower() and "connect you with a person" in reply
    assert chat.buttons() == ["Yes, connect me", "No, let's keep going"]
    assert chat.slot("requested_slot") is None  # the form was left for the offer
    assert "keep going" in chat.say("no thanks")
    reply = chat.say("honestly this is so annoying")  # a complaint, and more frustration
    assert "really sorry" in reply and "connect you with a person" not in reply  # acknowledged, not asked again
    held = decisions(chat)[-1]
    assert held["action"] == "none" and "declined" in held["note"]
    assert requests(chat) == []
    assert "a person will follow up" in chat.say("ok fine, get me a human")  # asking always works


def test_accepting_the_offer_hands_over_with_the_offers_reason(stack):
    chat = Chat(stack)
    chat.say("where is my parcel")
    assert "connect you with a person" in chat.say("come on, still nothing??")
    assert "a person will follow up" in chat.say("yes please")
    assert requests(chat) == [("frustration",)]


def test_a_frustrated_customer_is_handed_over_with_the_reason_explained(stack):
    chat = Chat(stack)
    chat.say("where is my order ORD-100102")
    reply = chat.say("THIS IS USELESS!!! you don't understand anything, I need it TODAY")
    assert "so frustrating" in reply and "a person will follow up" in reply
    assert requests(chat) == [("frustration",)]
    decision = decisions(chat)[-1]
    assert decision["action"] == "handoff" and decision["reason"] == "frustration"
    assert decision["summary"].startswith("frustration ") and "shouting" in decision["summary"]


def test_a_form_that_keeps_failing_is_handed_over_at_the_third_rejection(stack):
    chat = Chat(stack)
    assert "order number" in chat.say("I want to cancel an order")
    assert "doesn't look like an order number" in chat.say("12345")
    assert "couldn't find" in chat.say("ORD-999998")
    reply = chat.say("ORD-999997")
    assert "couldn't find" in reply and "haven't been able to sort this out" in reply
    assert requests(chat) == [("unresolved",)]
    assert any(e["feature"] == "validation_failures"
               for e in decisions(chat)[-1]["signals"]["unresolved"]["evidence"])


def test_a_sensitive_topic_goes_to_a_person_even_when_the_nlu_misreads_it(stack):
    chat = Chat(stack)
    reply = chat.say("there are two payments on my card that I didn't make")
    assert "person from our team should handle" in reply
    assert requests(chat) == [("sensitive",)]
