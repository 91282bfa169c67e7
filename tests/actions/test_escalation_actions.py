"""The escalation actions: the offer, the decline, the handoff on the bot's own judgement."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker

from actions.escalation_actions import ActionEscalate, ActionOfferDeclined, ActionOfferHuman
from tests.actions.helpers import SENDER, responses, run


def conversation(events: list[dict[str, Any]], active_loop: str = "") -> Tracker:
    """A tracker over raw events; the latest message is the last user event."""
    latest = next(e for e in reversed(events) if e["event"] == "user")
    message = {"text": latest["text"], **latest["parse_data"], "entities": []}
    return Tracker(SENDER, {}, message, events, False, None, {"name": active_loop} if active_loop else {},
                   "action_listen")


def user(text: str, intent: str, confidence: float = 0.95) -> dict[str, Any]:
    return {"event": "user", "text": text, "parse_data": {"intent": {"name": intent, "confidence": confidence}}}


def decision_slot(value: dict[str, Any]) -> dict[str, Any]:
    return {"event": "slot", "name": "escalation", "value": value}


async def test_an_offer_shows_empathy_asks_and_leaves_the_form(domain):
    trk = conversation([user("ugh, this is taking ages", "inform"),
                        decision_slot({"action": "offer", "reason": "frustration"})], active_loop="order_status_form")
    events, messages = await run(ActionOfferHuman(), trk, domain)
    assert responses(messages) == ["utter_empathy_frustration", "utter_offer_human"]
    assert {"event": "active_loop", "name": None} in [{k: e.get(k) for k in ("event", "name")} for e in events]


async def test_a_decline_is_acknowledged(domain):
    events, messages = await run(ActionOfferDeclined(), conversation([user("no", "deny")]), domain)
    assert responses(messages) == ["utter_offer_declined"]


async def test_escalate_records_the_decisions_reason_and_summary(store, domain):
    decision = {"action": "handoff", "reason": "unresolved", "score": 1.0, "summary": "unresolved 1.00: 2 fallbacks",
                "signals": {"unresolved": {"score": 1.0, "evidence": [{"feature": "consecutive_fallbacks", "value": 1.0,
                                                                        "detail": "2 fallback(s) in a row"}]}}}
    trk = conversation([user("asdf", "nlu_fallback", 0.3), decision_slot(decision)])
    events, messages = await run(ActionEscalate(), trk, domain)
    assert responses(messages) == ["utter_escalate_unresolved", "utter_handoff_recorded"]
    (request,) = await store.support_requests(SENDER)
    assert request["reason"] == "unresolved"


async def test_an_accepted_offer_hands_over_with_the_offers_reason(store, domain):
    offer = {"action": "offer", "reason": "frustration", "score": 0.5, "summary": "frustration 0.50: impatient"}
    trk = conversation([user("ugh", "inform"), decision_slot(offer),
                        {"event": "action", "name": "action_offer_human"}, {"event": "action", "name": "action_listen"},
                        user("yes please", "affirm"), decision_slot({"action": "none", "reason": None})])
    events, messages = await run(ActionEscalate(), trk, domain)
    assert responses(messages) == ["utter_escalate_accepted", "utter_handoff_recorded"]
    (request,) = await store.support_requests(SENDER)
    assert request["reason"] == "frustration"
