"""Tracker events for escalation tests, shaped as the action server receives them."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from escalation import settings as escalation_settings
from escalation.turns import History, read_history

Message = str | tuple[str, str] | tuple[str, str, float]


def user(text: str, intent: str = "inform", confidence: float = 0.95) -> dict[str, Any]:
    """A customer message event with its NLU result."""
    return {"event": "user", "text": text, "parse_data": {"intent": {"name": intent, "confidence": confidence}}}


def action(name: str) -> dict[str, Any]:
    """An action the assistant ran."""
    return {"event": "action", "name": name}


def bot(utter_action: str, text: str = "…") -> dict[str, Any]:
    """A message the assistant sent from a domain response."""
    return {"event": "bot", "text": text, "metadata": {"utter_action": utter_action}}


def events_for(messages: Iterable[Message], after: Sequence[Sequence[dict[str, Any]]] | None = None) -> list[dict[str, Any]]:
    """User events for ``messages`` (text, or (text, intent[, confidence])), each followed by its bot events."""
    events: list[dict[str, Any]] = [action("action_session_start"), action("action_listen")]
    after = list(after or [])
    for i, message in enumerate(messages):
        if isinstance(message, str):
            events.append(user(message))
        else:
            events.append(user(*message))
        if i < len(after):
            events.extend(after[i])
        events.append(action("action_listen"))
    return events


def history(*messages: Message, after: Sequence[Sequence[dict[str, Any]]] | None = None) -> History:
    """The history of a conversation of ``messages``, ready to decide on its last one.

    The trailing ``action_listen`` is dropped: the check runs right after the customer's message.
    """
    events = events_for(messages, after)
    return read_history(events[:-1])


def settings() -> escalation_settings.Settings:
    """The shipped settings (escalation.yml)."""
    return escalation_settings.load()
