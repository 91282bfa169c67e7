"""At-most-once handling of client messages that carry a ``message_id``, so clients can retry safely.

A client that sent a message and got no acknowledgement (its bridge died, Redis
restarted, the connection dropped) sends it again with the same id. The first
attempt claims the id in Redis; a retry of a finished message is answered
``duplicate`` and changes nothing; a retry while the first attempt still runs is
answered ``pending`` (try again shortly).

Stages, stored under ``keys.message``: ``processing`` and ``recorded`` (an
attempt runs; short TTL, so a crashed attempt frees the id), ``retry-recorded``
(an attempt failed after writing the transcript: a retry must not write it
again), ``done``. Once a message was passed on (to Rasa or to the customer) it
is never passed on again, even if the attempt then fails: the client finds any
answer in the conversation's history. At most once, then: a crash between
writing the transcript and passing the message on can leave a message
unanswered (it is in the transcript, and the agent or the next turn sees it),
never answered twice.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Optional

from redis.asyncio import Redis

from handoff import keys, protocol

_MESSAGE_ID = re.compile(r"^[A-Za-z0-9_.:-]{1,64}$")
IN_FLIGHT_S = 90  # longer than one Rasa turn may take

# One round trip, atomic: claim a free id, take over a failed attempt, or say how far it got.
_CLAIM = """
local stage = redis.call('GET', KEYS[1])
if not stage then
  redis.call('SET', KEYS[1], 'processing', 'EX', ARGV[1])
  return 'new'
end
if stage == 'retry-recorded' then
  redis.call('SET', KEYS[1], 'recorded', 'EX', ARGV[1])
  return 'new-recorded'
end
if stage == 'done' then
  return 'duplicate'
end
return 'pending'
"""


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
    passed_on: bool = False
    done_ttl_s: int = 24 * 3600

    async def mark_recorded(self) -> None:
        """The message is in the transcript."""
        self.recorded = True
        if self.redis is not None:
            await self.redis.set(self.key, "recorded", ex=IN_FLIGHT_S)

    async def mark_passed_on(self) -> None:
        """The message is about to go to Rasa or to the other side: from now on a retry must not resend it."""
        self.passed_on = True
        if self.redis is not None:
            await self.redis.set(self.key, "done", ex=self.done_ttl_s)

    async def finish(self) -> None:
        """Handled: retries are duplicates from now on."""
        if self.redis is not None:
            await self.redis.set(self.key, "done", ex=self.done_ttl_s)

    async def fail(self) -> None:
        """The attempt failed: free the id for a retry unless the message was passed on already."""
        if self.redis is None or self.passed_on:
            return
        try:
            if self.recorded or self.already_recorded:
                await self.redis.set(self.key, "retry-recorded", ex=self.done_ttl_s)
            else:
                await self.redis.delete(self.key)
        except Exception:  # noqa: BLE001 - Redis may be the reason; the short TTL frees the id anyway
            pass


async def begin(redis: Redis, conversation_id: str, sender: str, mid: Optional[str], done_ttl_s: int) -> Attempt:
    """Claim ``mid`` for this attempt (no id: always new, nothing stored)."""
    if mid is None:
        return Attempt(None, "", "new")
    key = keys.message(conversation_id, sender, mid)
    outcome = await redis.eval(_CLAIM, 1, key, IN_FLIGHT_S)
    if outcome == "new-recorded":
        return Attempt(redis, key, "new", already_recorded=True, done_ttl_s=done_ttl_s)
    return Attempt(redis, key, outcome, done_ttl_s=done_ttl_s)
