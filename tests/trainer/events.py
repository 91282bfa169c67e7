"""Tracker events shaped as Rasa stores them, for the trainer's tests."""

from __future__ import annotations

from typing import Any

T0 = 1_763_800_000.0


def user(text: str, intent: str, confidence: float = 0.95, ts: float = T0, channel: str = "rest",
         response_key: str | None = None) -> dict[str, Any]:
    parse: dict[str, Any] = {"intent": {"name": intent, "confidence": confidence}, "entities": [], "text": text}
    if response_key:
        parse["response_selector"] = {"faq": {"response": {"intent_response_key": response_key}}}
    return {"event": "user", "text": text, "timestamp": ts, "parse_data": parse, "input_channel": channel}


def bot(text: str, ts: float = T0, agent: str | None = None, utter: str | None = None) -> dict[str, Any]:
    metadata: dict[str, Any] = {}
    if agent:
        metadata["agent"] = {"id": agent.lower(), "name": agent}
    if utter:
        metadata["utter_action"] = utter
    return {"event": "bot", "text": text, "timestamp": ts, "metadata": metadata}


def action(name: str, ts: float = T0) -> dict[str, Any]:
    return {"event": "action", "name": name, "timestamp": ts}


def decision(action_name: str, reason: str, summary: str, ts: float = T0) -> dict[str, Any]:
    return {"event": "slot", "name": "escalation", "timestamp": ts,
            "value": {"action": action_name, "reason": reason, "summary": summary}}


def handed_off_conversation() -> list[dict[str, Any]]:
    """A customer who got angry, was handed over, talked with Alice, and went back to the bot."""
    return [
        action("action_session_start", T0), action("action_listen", T0),
        user("where is my order ORD-100101, my email is jane.doe@example.com", "order_status", 0.97, T0 + 1),
        bot("Order ORD-100101 shipped.", T0 + 2),
        user("THIS IS USELESS!!!", "nlu_fallback", 0.3, T0 + 10),
        decision("handoff", "frustration", "frustration 0.90: shouting 'where is my order ORD-100101, my email is "
                 "jane.doe@example.com'", T0 + 10),
        action("action_escalate", T0 + 11), {"event": "pause", "timestamp": T0 + 11},
        user("my card 4111 1111 1111 1111 was charged twice", "complaint", 0.8, T0 + 20, channel="handoff_bridge"),
        bot("I've asked DHL to check, call us on +1 415 555 0134 if needed.", T0 + 30, agent="Alice"),
        {"event": "resume", "timestamp": T0 + 40},
        user("thanks", "thank", 0.99, T0 + 50), bot("You're welcome!", T0 + 51),
    ]


def calm_conversation(ts: float = T0 + 86400 * 3) -> list[dict[str, Any]]:
    return [
        action("action_session_start", ts),
        user("how long does shipping take", "faq", 0.9, ts + 1, response_key="faq/shipping_times"),
        bot("3-5 days.", ts + 2, utter="utter_faq/shipping_times"),
        user("asdfgh", "nlu_fallback", 0.3, ts + 3), action("utter_please_rephrase", ts + 4),
        user("has my thingy left the building yet", "complaint", 0.45, ts + 5),
    ]
