"""Logged conversations, read from Rasa's tracker store, summarised and filtered (pure but for ``TrackerLog``).

Rasa keeps every event of every conversation in its SQL tracker store (SQLite
``var/trackers.sqlite3`` by default, PostgreSQL by URL): each customer message
with its intent, confidence and entities, the bot's actions and messages, the
escalation decision (slot ``escalation``), the handoff, and the human part the
bridge appends (customer messages on input channel ``handoff_bridge``, agent
messages as bot events with ``metadata.agent``).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bot.launcher import ROOT
from escalation.reasons import REASON_BY_INTENT

HANDOFF_ACTIONS = frozenset({"action_handoff", "action_escalate"})
FALLBACK_INTENTS = frozenset({"nlu_fallback"})
FALLBACK_ACTIONS = frozenset({"action_default_fallback", "utter_please_rephrase", "utter_default"})
BRIDGE_CHANNEL = "handoff_bridge"


def tracker_db_url() -> str:
    """SQLAlchemy URL of the tracker store: ``TRACKER_DB_URL`` (what the Rasa servers use, endpoints.yml),
    else the embedded default, the SQLite file ``var/trackers.sqlite3``."""
    return os.environ.get("TRACKER_DB_URL") or f"sqlite:///{ROOT / 'var' / 'trackers.sqlite3'}"


class TrackerLog:
    """The ``events`` table of Rasa's SQL tracker store: read, and (``forget_before``) its retention."""

    def __init__(self, url: str | None = None) -> None:
        import sqlalchemy as sa

        self.url = url or tracker_db_url()
        self._sa = sa
        self._engine = sa.create_engine(self.url)

    def conversation_ids(self) -> list[str]:
        """Every conversation id, oldest first."""
        sql = self._sa.text("SELECT sender_id, MIN(id) FROM events GROUP BY sender_id ORDER BY MIN(id)")
        with self._engine.connect() as conn:
            return [row[0] for row in conn.execute(sql)]

    def forget_before(self, cutoff: float, dry_run: bool = False) -> list[str]:
        """Delete every event of the conversations whose last event is older than ``cutoff`` (a Unix
        time): the tracker store's retention period. Returns the conversations (deleted, or that would be)."""
        with self._engine.begin() as conn:
            old = [str(row[0]) for row in conn.execute(self._sa.text(
                "SELECT sender_id FROM events GROUP BY sender_id HAVING MAX(timestamp) < :cutoff"),
                {"cutoff": cutoff})]
            if not dry_run:
                for start in range(0, len(old), 500):
                    chunk = old[start:start + 500]
                    marks = ", ".join(f":s{i}" for i in range(len(chunk)))
                    conn.execute(self._sa.text(f"DELETE FROM events WHERE sender_id IN ({marks})"),
                                 {f"s{i}": sender for i, sender in enumerate(chunk)})
        return old

    def events(self, conversation_id: str) -> list[dict[str, Any]]:
        """The conversation's events in order, as Rasa stored them."""
        sql = self._sa.text("SELECT data FROM events WHERE sender_id = :sid ORDER BY id")
        with self._engine.connect() as conn:
            return [json.loads(row[0]) for row in conn.execute(sql, {"sid": conversation_id})]

    def all(self) -> Iterable[tuple[str, list[dict[str, Any]]]]:
        """Every conversation with its events."""
        for conversation_id in self.conversation_ids():
            yield conversation_id, self.events(conversation_id)


# --------------------------------------------------------------------------- one conversation, as lines

@dataclass(frozen=True)
class Line:
    """One line of a readable transcript."""

    ts: float
    who: str          # customer | bot | agent | system
    text: str
    intent: str = ""
    confidence: float | None = None
    agent: str = ""
    human_mode: bool = False  # a customer message relayed to an agent
    detail: str = ""          # for ``show`` only: may quote the customer (never exported)


def _intent(event: Mapping[str, Any]) -> tuple[str, float | None]:
    parse = event.get("parse_data") or {}
    intent = parse.get("intent") or {}
    name = str(intent.get("name") or "")
    if name == "faq":
        key = (((parse.get("response_selector") or {}).get("faq") or {}).get("response") or {}).get(
            "intent_response_key")
        name = key or name
    confidence = intent.get("confidence")
    return name, float(confidence) if confidence is not None else None


def lines(events: Sequence[Mapping[str, Any]]) -> list[Line]:
    """The conversation as customer, bot, agent and system lines."""
    out: list[Line] = []
    for event in events:
        kind, ts = event.get("event"), float(event.get("timestamp") or 0)
        if kind == "user" and event.get("text"):
            intent, confidence = _intent(event)
            out.append(Line(ts, "customer", str(event["text"]), intent, confidence,
                            human_mode=event.get("input_channel") == BRIDGE_CHANNEL))
        elif kind == "bot" and event.get("text"):
            agent = ((event.get("metadata") or {}).get("agent") or {})
            if agent:
                out.append(Line(ts, "agent", str(event["text"]), agent=str(agent.get("name") or agent.get("id") or "")))
            else:
                out.append(Line(ts, "bot", str(event["text"])))
        elif kind == "action" and event.get("name") in HANDOFF_ACTIONS:
            out.append(Line(ts, "system", f"handed to a person ({event['name']})"))
        elif kind == "slot" and event.get("name") == "escalation" and isinstance(event.get("value"), dict):
            decision = event["value"]
            if decision.get("action") in ("offer", "handoff"):
                score = decision.get("score")
                score_text = f" {float(score):.2f}" if isinstance(score, (int, float)) else ""
                out.append(Line(ts, "system", f"escalation {decision['action']}: {decision.get('reason')}{score_text}",
                                detail=str(decision.get("summary") or "")))
        elif kind == "resume":
            out.append(Line(ts, "system", "back to the assistant"))
        elif kind == "pause":
            out.append(Line(ts, "system", "assistant paused"))
    return out


# --------------------------------------------------------------------------- summaries and filters

@dataclass(frozen=True)
class Summary:
    """What a trainer filters conversations by."""

    id: str
    started: float
    ended: float
    customer_turns: int
    intents: tuple[str, ...]
    fallbacks: int
    low_confidence: int
    handed_off: bool
    reasons: tuple[str, ...]
    agent_turns: int
    satisfaction: int | None = None


def summarise(conversation_id: str, events: Sequence[Mapping[str, Any]], low_confidence: float = 0.5) -> Summary:
    """The summary of one conversation."""
    timestamps = [float(e["timestamp"]) for e in events if e.get("timestamp")]
    intents: list[str] = []
    fallbacks = low = agent_turns = 0
    reasons: list[str] = []
    handed_off = False
    satisfaction: int | None = None
    last_decision: Mapping[str, Any] | None = None
    last_intent = ""
    for event in events:
        kind = event.get("event")
        if kind == "user" and event.get("text"):
            if event.get("input_channel") == BRIDGE_CHANNEL:
                continue  # said to the agent: not judged by the bot's NLU
            intent, confidence = _intent(event)
            last_intent = intent
            intents.append(intent)
            if intent in FALLBACK_INTENTS:
                fallbacks += 1
            if confidence is not None and confidence < low_confidence:
                low += 1
        elif kind == "action" and event.get("name") in FALLBACK_ACTIONS and last_intent not in FALLBACK_INTENTS:
            fallbacks += 1
        elif kind == "action" and event.get("name") in HANDOFF_ACTIONS:
            handed_off = True
            reason = (last_decision or {}).get("reason") or REASON_BY_INTENT.get(last_intent.split("/")[0])
            reasons.append(str(reason or "explicit_request"))
        elif kind == "slot" and event.get("name") == "escalation" and isinstance(event.get("value"), dict):
            last_decision = event["value"]
        elif kind == "slot" and event.get("name") == "satisfaction" and event.get("value") is not None:
            try:
                satisfaction = int(event["value"])
            except (TypeError, ValueError):
                pass
        elif kind == "bot" and ((event.get("metadata") or {}).get("agent")):
            agent_turns += 1
    return Summary(conversation_id, min(timestamps, default=0.0), max(timestamps, default=0.0),
                   len(intents), tuple(intents), fallbacks, low, handed_off, tuple(reasons), agent_turns, satisfaction)


@dataclass(frozen=True)
class Filters:
    """Which conversations to show or export; ``None`` means any."""

    handed_off: bool | None = None
    reason: str | None = None
    with_fallbacks: bool = False
    low_confidence: bool = False
    intent: str | None = None
    since: float | None = None
    until: float | None = None
    satisfaction_at_most: int | None = None

    def as_dict(self) -> dict[str, Any]:
        """The filters that are set, for the review file."""
        return {k: v for k, v in self.__dict__.items() if v not in (None, False)}


def matches(summary: Summary, filters: Filters) -> bool:
    """Whether a conversation passes every filter."""
    if summary.customer_turns == 0:
        return False
    if filters.handed_off is not None and summary.handed_off != filters.handed_off:
        return False
    if filters.reason and filters.reason not in summary.reasons:
        return False
    if filters.with_fallbacks and summary.fallbacks == 0:
        return False
    if filters.low_confidence and summary.low_confidence == 0:
        return False
    if filters.intent and not any(i == filters.intent or i.split("/")[0] == filters.intent for i in summary.intents):
        return False
    if filters.since is not None and summary.ended < filters.since:
        return False
    if filters.until is not None and summary.started > filters.until:
        return False
    if filters.satisfaction_at_most is not None and (
            summary.satisfaction is None or summary.satisfaction > filters.satisfaction_at_most):
        return False
    return True
