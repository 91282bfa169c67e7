"""Tracker events for escalation tests, shaped as the action server receives them."""

from __future__ import annotations

from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple, Union

from escalation import settings as escalation_settings
from escalation.turns import History, read_history

Message = Union[str, Tuple[str, str], Tuple[str, str, float]]


def user(text: str, intent: str = "inform", confidence: float = 0.95) -> Dict[str, Any]:
    """A customer message event with its NLU result."""
    return {"event": "user", "text": text, "parse_data": {"intent": {"name": intent, "confidence": confidence}}}


def action(name: str) -> Dict[str, Any]:
    """An action the assistant ran."""
    return {"event": "action", "name": name}


def bot(utter_action: str, text: str = "…") -> Dict[str, Any]:
    """A message the assistant sent from a domain response."""
    return {"event": "bot", "text": text, "metadata": {"utter_action": utter_action}}


def events_for(messages: Iterable[Message], after: Optional[Sequence[Sequence[Dict[str, Any]]]] = None) -> List[Dict[str, Any]]:
    """User events for ``messages`` (text, or (text, intent[, confidence])), each followed by its bot events."""
    events: List[Dict[str, Any]] = [action("action_session_start"), action("action_listen")]
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


def history(*messages: Message, after: Optional[Sequence[Sequence[Dict[str, Any]]]] = None) -> History:
    """The history of a conversation of ``messages``, ready to decide on its last one.

    The trailing ``action_listen`` is dropped: the check runs right after the customer's message.
    """
    events = events_for(messages, after)
    return read_history(events[:-1])


def settings() -> escalation_settings.Settings:
    """The shipped settings (escalation.yml)."""
    return escalation_settings.load()
