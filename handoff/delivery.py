"""At-most-once handling of client messages that carry a ``message_id``, so clients can retry safely.

A client that sent a message and got no acknowledgement (its bridge died, Redis
restarted, the connection dropped) sends it again with the same id. The first
attempt claims the id in Redis; a retry of a finished message is answered
``duplicate`` and changes nothing; a retry while the first attempt still runs is
answered ``pending`` (try again shortly).

Stages, stored under ``keys.message``: ``processing`` and ``recorded`` (an
attempt runs; short TTL, so a crashed attempt frees the id), ``retry-recorded``
(an attempt failed after writing the transcript: a retry must not write it
again), ``sent:<time>`` (passed on to Rasa, replies not yet written), ``done``.
A message passed on is never passed on again. If the bridge that passed a
message to Rasa died before writing the replies (``sent`` for longer than a
Rasa turn can take), a retry is answered ``recover``: the replies are read back
from Rasa's tracker, where the turn is marked with the message id, and written
then; if Rasa never saw the message, it is sent now. Each customer message gets
its answer once, whichever process dies when.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from typing import Any, Optional

from redis.asyncio import Redis

from handoff import keys, protocol

_MESSAGE_ID = re.compile(r"^[A-Za-z0-9_.:-]{1,64}$")
IN_FLIGHT_S = 90  # longer than one Rasa turn may take

# One round trip, atomic: claim a free id, take over a failed attempt, or say how far it got.
_CLAIM = """
local stage = redis.call('GET', KEYS[1])
local now = tonumber(ARGV[2])
local stale = tonumber(ARGV[3])
if not stage then
  redis.call('SET', KEYS[1], 'processing:' .. ARGV[2], 'EX', ARGV[1])
  return 'new'
end
-- an attempt that died while processing (nothing passed on yet) is taken over once it is stale
if string.sub(stage, 1, 11) == 'processing:' and now - tonumber(string.sub(stage, 12)) > stale then
  redis.call('SET', KEYS[1], 'processing:' .. ARGV[2], 'EX', ARGV[1])
  return 'new'
end
if stage == 'retry-recorded' or (string.sub(stage, 1, 9) == 'recorded:' and now - tonumber(string.sub(stage, 10)) > stale) then
  redis.call('SET', KEYS[1], 'recorded:' .. ARGV[2], 'EX', ARGV[1])
  return 'new-recorded'
end
if stage == 'done' then
  return 'duplicate'
end
if string.sub(stage, 1, 5) == 'sent:' and tonumber(ARGV[2]) - tonumber(string.sub(stage, 6)) > tonumber(ARGV[3]) then
  redis.call('SET', KEYS[1], 'sent:' .. ARGV[2], 'EX', ARGV[4])
  return 'recover'
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
            await self.redis.set(self.key, f"recorded:{time.time():.3f}", ex=IN_FLIGHT_S)

    async def mark_passed_on(self) -> None:
        """The message is about to go to Rasa or to the other side: from now on a retry must not resend it
        (a retry after the process died recovers the replies instead)."""
        self.passed_on = True
        if self.redis is not None:
            await self.redis.set(self.key, f"sent:{time.time():.3f}", ex=self.done_ttl_s)

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


async def begin(redis: Redis, conversation_id: str, sender: str, mid: Optional[str], done_ttl_s: int,
                stale_after_s: float = 60.0) -> Attempt:
    """Claim ``mid`` for this attempt (no id: always new, nothing stored).

    ``status`` is ``new``, ``duplicate``, ``pending``, or ``recover`` when an attempt
    passed the message on more than ``stale_after_s`` ago and never finished.
    """
    if mid is None:
        return Attempt(None, "", "new")
    key = keys.message(conversation_id, sender, mid)
    outcome = await redis.eval(_CLAIM, 1, key, IN_FLIGHT_S, f"{time.time():.3f}", stale_after_s, done_ttl_s)
    if outcome == "recover":
        return Attempt(redis, key, "recover", already_recorded=True, passed_on=True, done_ttl_s=done_ttl_s)
    if outcome == "new-recorded":
        return Attempt(redis, key, "new", already_recorded=True, done_ttl_s=done_ttl_s)
    return Attempt(redis, key, outcome, done_ttl_s=done_ttl_s)
