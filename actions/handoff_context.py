"""What a person needs to take over a conversation, built from the tracker (pure)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

# Slots that are bookkeeping, not facts about the customer.
_INTERNAL_SLOTS = frozenset({"requested_slot", "session_started_metadata", "escalation"})  # escalation: the evidence already


def transcript(events: Sequence[Mapping[str, Any]], limit: int = 50) -> list[dict[str, Any]]:
    """The last ``limit`` customer and bot turns: ``{role, text, ts}``."""
    turns = []
    for event in events:
        if event.get("event") == "user" and event.get("text"):
            turns.append({"role": "customer", "text": event["text"], "ts": event.get("timestamp")})
        elif event.get("event") == "bot" and event.get("text"):
            turns.append({"role": "bot", "text": event["text"], "ts": event.get("timestamp")})
    return turns[-limit:]


def recent_intents(events: Sequence[Mapping[str, Any]], limit: int = 5) -> list[dict[str, Any]]:
    """The last customer turns' intents with confidences, newest last."""
    intents = []
    for event in events:
        if event.get("event") != "user":
            continue
        intent = (event.get("parse_data") or {}).get("intent") or {}
        if intent.get("name"):
            intents.append({"text": event.get("text", ""), "intent": intent["name"],
                            "confidence": round(float(intent.get("confidence") or 0.0), 3)})
    return intents[-limit:]


def known_slots(slots: Mapping[str, Any]) -> dict[str, Any]:
    """Slots with a value, without bookkeeping ones."""
    return {k: v for k, v in slots.items() if v is not None and k not in _INTERNAL_SLOTS}


def order_record(order: Any) -> dict[str, Any]:
    """One order as the agent's context panel shows it (``order`` is the store's ``Order``)."""
    return {"order_number": order.order_number, "status": order.status, "placed_at": order.placed_on.isoformat(),
            "total": f"{order.total_cents / 100:.2f}", "items": order.items, "carrier": order.carrier,
            "expected_delivery": order.expected_delivery.isoformat()}


def customer_record(customer: Any, orders: Sequence[Any], limit: int = 5) -> dict[str, Any]:
    """A verified customer's account and latest orders for the agent (``Customer``, ``Order`` records)."""
    return {
        "customer": {"customer_id": customer.id, "name": customer.name, "email": customer.email,
                     "phone": customer.phone, "address": customer.address, "verified": True},
        "orders": [order_record(o) for o in list(orders)[:limit]],
    }


def named_order_record(order: Any) -> dict[str, Any]:
    """Only the order an unverified customer named: whoever names an order number must not see,
    through the agent, whose account it is."""
    return {"customer": None, "orders": [order_record(order)], "unverified_order": order.order_number}


def handoff_request(
    conversation_id: str,
    reason: str,
    latest: Mapping[str, Any],
    events: Sequence[Mapping[str, Any]],
    slots: Mapping[str, Any],
    evidence: list[dict[str, Any]] | None = None,
    summary: str | None = None,
    customer: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The body of the bridge's ``POST /api/handoff``; ``customer`` is a ``customer_record``."""
    intent = latest.get("intent") or {}
    text = latest.get("text") or ""
    if evidence is None:
        evidence = [{"signal": reason, "intent": intent.get("name"),
                     "confidence": round(float(intent.get("confidence") or 0.0), 3), "message": text}]
    return {
        "conversation_id": conversation_id,
        "reason": reason,
        "summary": summary or (f"{reason.replace('_', ' ')}: {text[:140]!r}" if text else reason.replace("_", " ")),
        "evidence": evidence,
        "transcript": transcript(events),
        "intents": recent_intents(events),
        "slots": known_slots(slots),
        **(dict(customer) if customer else {"customer": None, "orders": []}),
    }
