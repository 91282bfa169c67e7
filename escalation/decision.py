"""One explainable decision per customer turn: nothing, offer a person, or hand over."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from escalation.reasons import EXPLICIT_REQUEST, SENSITIVE
from escalation.settings import Settings
from escalation.signals import Signal, all_signals
from escalation.turns import History

NONE, OFFER, HANDOFF = "none", "offer", "handoff"
# Signals a customer can't be talked out of: they go through cooldowns.
ALWAYS = frozenset({EXPLICIT_REQUEST, SENSITIVE})


@dataclass(frozen=True)
class Decision:
    """What to do, why, and everything that fired on the way."""

    action: str
    reason: str | None
    score: float
    signals: Mapping[str, Signal]
    turn: int
    note: str = ""

    def explain(self) -> str:
        """One line for an agent: ``frustration 0.82: 3 negative turns, shouting, 'this is useless'``."""
        if self.reason is None:
            return "no signal" if not self.note else self.note
        signal = self.signals[self.reason]
        parts = []
        for evidence in signal.evidence:
            if evidence.feature == "message":
                parts.append(f"{evidence.detail} '{evidence.message}'" if evidence.detail else f"'{evidence.message}'")
            elif evidence.message and evidence.feature not in ("negative_turns",):
                parts.append(f"{evidence.detail} '{evidence.message}'")
            else:
                parts.append(evidence.detail)
        return f"{self.reason.replace('_', ' ')} {self.score:.2f}: " + "; ".join(parts[:4])

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form: stored in the ``escalation`` slot and sent with the handoff."""
        return {
            "action": self.action,
            "reason": self.reason,
            "score": round(self.score, 3),
            "turn": self.turn,
            "summary": self.explain(),
            "signals": {
                name: {"score": round(s.score, 3), "evidence": [e.as_dict() for e in s.evidence]}
                for name, s in self.signals.items() if s.score > 0
            },
            **({"note": self.note} if self.note else {}),
        }


def decide(history: History, settings: Settings) -> Decision:
    """The decision for the latest customer turn of ``history``."""
    turns = history.turns
    signals = all_signals(turns, settings)
    weighted = {name: settings.weights.get(name, 0.0) * signal.score for name, signal in signals.items()}
    rank = {name: i for i, name in enumerate(settings.reason_order)}
    reason, score = max(weighted.items(), key=lambda item: (item[1], -rank.get(item[0], 99)))
    turn = len(turns)
    if score <= 0:
        return Decision(NONE, None, 0.0, signals, turn)

    if reason not in ALWAYS:
        # The customer said no to a person a moment ago: respect it for a while.
        if history.after_decline and turn <= settings.quiet_turns_after_decline:
            return Decision(NONE, None, score, signals, turn,
                            note=f"{reason} {score:.2f} held back: customer declined a person {turn} turn(s) ago")
    if score >= settings.handoff_threshold:
        return Decision(HANDOFF, reason, score, signals, turn)
    if score >= settings.offer_threshold:
        recently_offered = history.last_offer is not None and (turn - 1 - history.last_offer) < settings.turns_between_offers
        if recently_offered:
            return Decision(NONE, reason, score, signals, turn, note="a person was offered recently")
        return Decision(OFFER, reason, score, signals, turn)
    return Decision(NONE, reason, score, signals, turn)
