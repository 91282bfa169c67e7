"""The events the bridge writes into (and reads from) Rasa's tracker: plain data, pure.

While a person owns a conversation Rasa is paused, but its tracker still gets every
turn (trainers learn from the human part): the customer's lines as ``user`` events
with parse data, the agent's as ``bot`` events with the agent in the metadata.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from typing import Any

from handoff.protocol import AgentIdentity

INPUT_CHANNEL = "handoff_bridge"


def parse_or_fallback(parse_data: Mapping[str, Any], text: str) -> dict[str, Any]:
    """Rasa's parse of ``text``, or an ``nlu_fallback`` one when the parse failed (a user event needs one)."""
    if (parse_data.get("intent") or {}).get("name"):
        return dict(parse_data)
    return {"intent": {"name": "nlu_fallback", "confidence": 0.0}, "entities": [], "text": text}


def customer_turn(text: str, parse_data: Mapping[str, Any], state: str, message_id: str | None,
                  now: float | None = None) -> list[dict[str, Any]]:
    """A customer's line while a person owns the conversation (``state``): listen, then the user event."""
    ts = time.time() if now is None else now
    metadata: dict[str, Any] = {"handoff": state, **({"message_id": message_id} if message_id else {})}
    return [{"event": "action", "name": "action_listen", "timestamp": ts},
            {"event": "user", "text": text, "timestamp": ts, "input_channel": INPUT_CHANNEL,
             "parse_data": parse_or_fallback(parse_data, text), "metadata": metadata}]


def agent_turn(text: str, agent: AgentIdentity, now: float | None = None) -> list[dict[str, Any]]:
    """An agent's line, as a bot event that names the agent."""
    return [{"event": "bot", "text": text, "timestamp": time.time() if now is None else now,
             "metadata": agent.as_metadata()}]


def satisfaction(rating: int, comment: str, now: float | None = None) -> list[dict[str, Any]]:
    """The survey's answer as the ``satisfaction`` and ``satisfaction_comment`` slots (the trainer filters on them)."""
    ts = time.time() if now is None else now
    return [{"event": "slot", "name": "satisfaction", "value": rating, "timestamp": ts},
            {"event": "slot", "name": "satisfaction_comment", "value": comment or None, "timestamp": ts}]


def turn_replies(events: Sequence[Mapping[str, Any]], message_id: str) -> list[dict[str, Any]] | None:
    """The assistant's replies to the customer message ``message_id`` in a Rasa tracker's events, shaped
    like the REST channel's output; ``None`` when Rasa never received that message.

    The bridge puts ``message_id`` in the metadata of every message it sends, so a turn can be found
    again after the process that sent it died before writing the replies.
    """
    start = None
    for index, event in enumerate(events):
        if event.get("event") == "user" and (event.get("metadata") or {}).get("message_id") == message_id:
            start = index
    if start is None:
        return None
    replies: list[dict[str, Any]] = []
    for event in events[start + 1:]:
        if event.get("event") == "user":
            break
        if event.get("event") == "bot":
            data = event.get("data") or {}
            reply: dict[str, Any] = {"text": event.get("text")} if event.get("text") else {}
            for name in ("buttons", "image", "attachment", "custom"):
                if data.get(name):
                    reply[name] = data[name]
            if reply:
                replies.append(reply)
    return replies


ERASED = "[erased]"


def erased(events: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """A tracker's events with every word and value of the customer gone (a data-deletion request):
    user and bot texts become ``[erased]`` (a bot line can quote an address back), entities, parse
    texts, metadata and slot values are dropped; intents, actions and times stay (the conversation
    is still counted, its reasons and ratings are not)."""
    out: list[dict[str, Any]] = []
    for event in events:
        kind = event.get("event")
        item = dict(event)
        if kind == "user":
            intent = ((event.get("parse_data") or {}).get("intent") or {})
            item.update(text=ERASED, metadata={}, parse_data={
                "intent": {"name": intent.get("name"), "confidence": intent.get("confidence", 0.0)},
                "entities": [], "text": ERASED})
        elif kind == "bot":
            item.update(text=ERASED, data={}, metadata={})
        elif kind == "slot":
            item["value"] = None
        elif kind in ("session_started", "action") and "metadata" in item:
            item["metadata"] = {}
        out.append(item)
    return out
