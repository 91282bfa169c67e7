"""The customer turns that count for the next decision, read from tracker events."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

OFFER_ACTION = "action_offer_human"
DECLINED_ACTION = "action_offer_declined"
HANDOFF_ACTIONS = frozenset({"action_handoff", "action_escalate"})
# Bookkeeping actions that say nothing about how the turn went.
_SILENT_ACTIONS = frozenset({"action_listen", "action_extract_slots", "action_session_start"})


@dataclass(frozen=True)
class Turn:
    """One customer message and what the assistant did after it."""

    text: str
    intent: str = ""
    confidence: float = 0.0
    bot: tuple[str, ...] = ()


@dataclass(frozen=True)
class History:
    """The turns since the last fresh start, and the offers made in them.

    A fresh start is a new session, the end of a human handoff (``resume``),
    a handoff, or the customer declining a person: evidence before it has been
    acted on and does not count again.
    """

    turns: tuple[Turn, ...]
    after_decline: bool = False
    # Index in ``turns`` of the turn after which a person was last offered.
    last_offer: int | None = None

    @property
    def offer_pending(self) -> bool:
        """True when a person was offered right before the latest customer message."""
        return self.last_offer is not None and self.last_offer == len(self.turns) - 2


def _intent(event: Mapping[str, Any]) -> tuple[str, float]:
    intent = (event.get("parse_data") or {}).get("intent") or {}
    try:
        confidence = float(intent.get("confidence") or 0.0)
    except (TypeError, ValueError):
        confidence = 0.0
    return str(intent.get("name") or ""), confidence


def read_history(events: Sequence[Mapping[str, Any]]) -> History:
    """Fold tracker events (as the action server receives them) into a ``History``."""
    turns: list[Turn] = []
    bot: list[str] = []
    after_decline = False
    last_offer: int | None = None

    def close_turn() -> None:
        if turns:
            turns[-1] = Turn(turns[-1].text, turns[-1].intent, turns[-1].confidence, tuple(bot))

    for event in events:
        kind = event.get("event")
        if kind == "user":
            close_turn()
            bot = []
            intent, confidence = _intent(event)
            turns.append(Turn(str(event.get("text") or ""), intent, confidence))
        elif kind == "action":
            name = str(event.get("name") or "")
            if name == "action_session_start" or name in HANDOFF_ACTIONS or name == DECLINED_ACTION:
                turns, bot, last_offer = [], [], None
                after_decline = name == DECLINED_ACTION
            elif name == OFFER_ACTION:
                last_offer = len(turns) - 1
                bot.append(name)
            elif name not in _SILENT_ACTIONS:
                bot.append(name)
        elif kind == "resume":
            turns, bot, last_offer, after_decline = [], [], None, False
        elif kind == "bot":
            utter = (event.get("metadata") or {}).get("utter_action")
            if utter and (not bot or bot[-1] != utter):
                bot.append(str(utter))
    close_turn()
    return History(tuple(turns), after_decline, last_offer)

