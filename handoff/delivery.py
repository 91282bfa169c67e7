"""At-most-once handling of client messages that carry a ``message_id``, so clients can retry safely.

A client that sent a message and got no acknowledgement (its bridge died, Redis
restarted, the connection dropped) sends it again with the same id. The first
attempt claims the id in Redis; a retry of a finished message is answered
``duplicate`` and changes nothing; a retry while the first attempt still runs is
answered ``pending`` (try again shortly). If an attempt fails after the message
was already written to the transcript, the retry goes on without writing it twice.

Stages, stored under ``keys.message``: ``processing`` / ``recorded`` (an attempt
runs; short TTL, so a crashed attempt frees the id), ``retry-recorded`` (an
attempt failed after recording), ``done``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Optional

from redis.asyncio import Redis

from handoff import keys, protocol

_MESSAGE_ID = re.compile(r"^[A-Za-z0-9_.:-]{1,64}$")
IN_FLIGHT_S = 90  # longer than one Rasa turn may take


def message_id(value: Any) -> Optional[str]:
    """A client's message id (optional; 1-64 URL-safe characters)."""
    if value in (None, ""):
        return None
    if not isinstance(value, str) or not _MESSAGE_ID.match(value):
        raise protocol.BadPayload("bad_message_id", "message_id must be 1-64 letters, digits or -_.:")
    return value


@dataclass
class Attempt:
    """One attempt at handling a message: ``status`` is ``new``, ``duplicate`` or ``pending``."""

    redis: Optional[Redis]
    key: str
    status: str
    already_recorded: bool = False
    recorded: bool = False
    done_ttl_s: int = 24 * 3600

    async def mark_recorded(self) -> None:
        """The message is in the transcript."""
        self.recorded = True
        if self.redis is not None:
            await self.redis.set(self.key, "recorded", ex=IN_FLIGHT_S)

    async def finish(self) -> None:
        """Handled: retries are duplicates from now on."""
        if self.redis is not None:
            await self.redis.set(self.key, "done", ex=self.done_ttl_s)

    async def fail(self) -> None:
        """The attempt failed: free the id for a retry (best effort: Redis may be the reason)."""
        if self.redis is None:
            return
        try:
            if self.recorded or self.already_recorded:
                await self.redis.set(self.key, "retry-recorded", ex=self.done_ttl_s)
            else:
                await self.redis.delete(self.key)
        except Exception:  # noqa: BLE001 - the short TTL frees the id anyway
            pass


async def begin(redis: Redis, conversation_id: str, sender: str, mid: Optional[str], done_ttl_s: int) -> Attempt:
    """Claim ``mid`` for this attempt (no id: always new, nothing stored)."""
    if mid is None:
        return Attempt(None, "", "new")
    key = keys.message(conversation_id, sender, mid)
    if await redis.set(key, "processing", nx=True, ex=IN_FLIGHT_S):
        return Attempt(redis, key, "new", done_ttl_s=done_ttl_s)
    stage = await redis.get(key)
    if stage == "retry-recorded":
        if await redis.set(key, "recorded", xx=True, ex=IN_FLIGHT_S):
            return Attempt(redis, key, "new", already_recorded=True, done_ttl_s=done_ttl_s)
    if stage == "done":
        return Attempt(redis, key, "duplicate")
    return Attempt(redis, key, "pending")
