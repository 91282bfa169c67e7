"""The audit trail: who did what to which customer's conversation or data, and when (append-only).

Every agent and supervisor action on a conversation (claim, which shows the customer's
account data; transfer; note; hand back; close; a ticket handled; an erasure), on the team's canned
responses, and their logins and logouts, is one entry of a Redis stream
(``keys.AUDIT``): ``{at, actor, action, conversation, detail}``. The bridge only ever adds
to it (``XADD``, trimmed to ``MAX_ENTRIES``, oldest first); supervisors read it by
conversation or by agent (``GET /api/audit``). A failed write is logged and does not undo
the action: the action already happened, and refusing it afterwards would lose more.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Mapping
from typing import Any

from redis.asyncio import Redis
from redis.exceptions import RedisError

from handoff import keys

logger = logging.getLogger(__name__)

MAX_ENTRIES = 1_000_000  # about a year of a busy desk; the oldest go first
ACTIONS = ("login", "logout", "claim", "transfer", "note", "hand_back", "close", "ticket_handled",
           "canned_save", "canned_delete", "audit_read", "stats_read", "erase",
           "watch", "reassign", "take_over", "export", "ticket_reply")  # the supervisor's (handoff.supervisor_api)


def entry(actor: str, action: str, conversation_id: str = "", detail: Mapping[str, Any] | None = None,
          at: float | None = None) -> dict[str, str]:
    """One audit entry as stored (pure)."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    return {"at": f"{time.time() if at is None else at:.3f}", "actor": actor, "action": action,
            "conversation": conversation_id, "detail": json.dumps(dict(detail or {}), ensure_ascii=False)}


def matches(item: Mapping[str, str], conversation_id: str | None, actor: str | None) -> bool:
    """Whether a stored entry is one asked for (pure)."""
    return (not conversation_id or item.get("conversation") == conversation_id) and (
        not actor or item.get("actor") == actor)


class Audit:
    """Writes and reads the audit stream."""

    def __init__(self, redis: Redis) -> None:
        self.redis = redis

    async def record(self, actor: str, action: str, conversation_id: str = "",
                     detail: Mapping[str, Any] | None = None) -> None:
        """Append one entry (best effort: logged when Redis refuses)."""
        try:
            await self.redis.xadd(keys.AUDIT, entry(actor, action, conversation_id, detail),  # type: ignore[arg-type]
                                  maxlen=MAX_ENTRIES, approximate=True)
        except RedisError as e:
            logger.error("audit entry not written (%s %s %s): %s", actor, action, conversation_id, e)

    async def query(self, conversation_id: str | None = None, actor: str | None = None, limit: int = 200,
                    scan: int = 20_000) -> list[dict[str, Any]]:
        """The newest ``limit`` entries about ``conversation_id`` and/or by ``actor``, newest first
        (looking at most at the last ``scan`` entries)."""
        found: list[dict[str, Any]] = []
        for entry_id, fields in await self.redis.xrevrange(keys.AUDIT, count=scan) or []:
            item = {str(k): str(v) for k, v in (fields or {}).items()}
            if matches(item, conversation_id, actor):
                found.append({"id": str(entry_id), "at": float(item.get("at") or 0), "actor": item.get("actor", ""),
                              "action": item.get("action", ""), "conversation_id": item.get("conversation", ""),
                              "detail": json.loads(item.get("detail") or "{}")})
                if len(found) >= limit:
                    break
        return found
