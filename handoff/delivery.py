"""At-most-once handling of client messages that carry a ``message_id``, so clients can retry safely.

A client that sent a message and got no acknowledgement (its bridge died, Redis
restarted, the connection dropped) sends it again with the same id. The first
attempt claims the id in Redis; a retry of a finished message is answered
``duplicate`` and changes nothing; a retry while the first attempt still runs is
answered ``pending`` (try again shortly).

How far a message got is its ``Stage``, stored under ``keys.message``:
``processing`` (an attempt runs, nothing written yet; short TTL, so a crashed attempt
frees the id), ``recorded`` (in the transcript: written in the same transaction as the
transcript entry, so a retry always knows), ``retry-recorded`` (an attempt failed after
writing the transcript: a retry must not write it again), ``sent`` (passed on to Rasa
or the agent, replies not yet written), ``done``. A message passed on is never passed
on again. If the bridge that passed a message to Rasa died before writing the replies
(``sent`` for longer than a Rasa turn can take), a retry is answered ``recover``: the
replies are read back from Rasa's tracker, where the turn is marked with the message
id, and written then; if Rasa never saw the message, it is sent now. Each customer
message gets its answer once, whichever process dies when.
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass
from enum import Enum
from typing import Any

from redis.asyncio import Redis

from handoff import keys
from handoff.conversations import Conversations, new_entry
from handoff.errors import BadPayload

_MESSAGE_ID = re.compile(r"^[A-Za-z0-9_.:-]{1,64}$")
IN_FLIGHT_S = 90  # longer than one Rasa turn may take


class Stage(str, Enum):
    """How far a message got; stored as ``<stage>`` or ``<stage>:<unix time>``."""

    PROCESSING = "processing"
    RECORDED = "recorded"
    RETRY_RECORDED = "retry-recorded"
    SENT = "sent"
    DONE = "done"

    def at(self, now: float | None = None) -> str:
        """The stored value of this stage, stamped with ``now``."""
        return f"{self.value}:{time.time() if now is None else now:.3f}"


class Outcome(str, Enum):
    """What a claim of a message id says the attempt should do."""

    NEW = "new"  # handle it (``Attempt.already_recorded`` says whether the transcript has it)
    DUPLICATE = "duplicate"  # handled before: change nothing
    PENDING = "pending"  # another attempt runs: the client retries shortly
    RECOVER = "recover"  # passed on by an attempt that died: finish it from Rasa's tracker


# One round trip, atomic: claim a free id, take over a failed or stale attempt, or say how far it got.
_CLAIM = f"""
local stage = redis.call('GET', KEYS[1])
local now = tonumber(ARGV[2])
local stale = tonumber(ARGV[3])
local function since(prefix)
  if stage and string.sub(stage, 1, #prefix + 1) == prefix .. ':' then
    return now - tonumber(string.sub(stage, #prefix + 2))
  end
  return nil
end
if not stage or (since('{Stage.PROCESSING.value}') or 0) > stale then
  redis.call('SET', KEYS[1], '{Stage.PROCESSING.value}:' .. ARGV[2], 'EX', ARGV[1])
  return '{Outcome.NEW.value}'
end
if stage == '{Stage.RETRY_RECORDED.value}' or (since('{Stage.RECORDED.value}') or 0) > stale then
  redis.call('SET', KEYS[1], '{Stage.RECORDED.value}:' .. ARGV[2], 'EX', ARGV[4])
  return '{Outcome.NEW.value}-recorded'
end
if stage == '{Stage.DONE.value}' then
  return '{Outcome.DUPLICATE.value}'
end
if (since('{Stage.SENT.value}') or 0) > stale then
  redis.call('SET', KEYS[1], '{Stage.SENT.value}:' .. ARGV[2], 'EX', ARGV[4])
  return '{Outcome.RECOVER.value}'
end
return '{Outcome.PENDING.value}'
"""


def message_id(value: Any) -> str | None:
    """A client's message id (optional; 1-64 URL-safe characters)."""
    if value in (None, ""):
        return None
    if not isinstance(value, str) or not _MESSAGE_ID.match(value):
        raise BadPayload("bad_message_id", "message_id must be 1-64 letters, digits or -_.:")
    return value


@dataclass
class Attempt:
    """One attempt at handling a message; ``status`` is what its claim said (``Outcome``)."""

    redis: Redis | None
    key: str
    status: Outcome
    already_recorded: bool = False  # the transcript has the message from an earlier attempt
    recorded: bool = False
    passed_on: bool = False
    done_ttl_s: int = 24 * 3600
    # Replicas that must have everything written so far before the client hears "ok" (Redis's WAIT),
    # and how long to wait for them; ``replicated`` says whether they had it in time.
    wait_replicas: int = 0
    wait_ms: int = 200
    replicated: bool = True

    async def record(self, conversations: Conversations, conversation_id: str, role: str, text: str,
                     **extra: Any) -> dict[str, Any]:
        """Write the message's transcript entry and the ``recorded`` stage in one transaction; return the entry."""
        if self.redis is None:
            return await conversations.record(conversation_id, role, text, **extra)
        entry = new_entry(role, text, **extra)
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.rpush(keys.transcript(conversation_id), json.dumps(entry, ensure_ascii=False))
            pipe.set(self.key, Stage.RECORDED.at(), ex=self.done_ttl_s)
            await pipe.execute()
        self.recorded = True
        return entry

    async def mark_passed_on(self) -> None:
        """The message is about to go to Rasa or to the other side: from now on a retry must not resend it
        (a retry after the process died recovers the replies instead)."""
        self.passed_on = True
        if self.redis is not None:
            await self.redis.set(self.key, Stage.SENT.at(), ex=self.done_ttl_s)

    async def finish(self) -> None:
        """Handled: retries are duplicates from now on.

        With ``wait_replicas``, the ``done`` mark and a ``WAIT`` go on one connection (WAIT counts the
        replicas that have that connection's last write, and replication keeps the primary's order, so
        the transcript entries and replies written before are covered): a primary that dies after the
        client heard "ok" leaves a replica that has the message. A primary that dies before leaves the
        client without "ok", and it sends the message again.
        """
        if self.redis is None:
            return
        if not self.wait_replicas:
            await self.redis.set(self.key, Stage.DONE.value, ex=self.done_ttl_s)
            return
        async with self.redis.pipeline(transaction=False) as pipe:
            pipe.set(self.key, Stage.DONE.value, ex=self.done_ttl_s)
            pipe.wait(self.wait_replicas, self.wait_ms)
            _, acknowledged = await pipe.execute()
        self.replicated = int(acknowledged) >= self.wait_replicas

    async def fail(self) -> None:
        """The attempt failed: free the id for a retry unless the message was passed on already."""
        if self.redis is None or self.passed_on:
            return
        try:
            if self.recorded or self.already_recorded:
                await self.redis.set(self.key, Stage.RETRY_RECORDED.value, ex=self.done_ttl_s)
            else:
                await self.redis.delete(self.key)
        except Exception:  # noqa: BLE001 - Redis may be the reason; the short TTL frees the id anyway
            pass


async def replicated(redis: Redis, replicas: int, wait_ms: int) -> bool:
    """Wait until ``replicas`` replicas have every write the primary has made so far (at most ``wait_ms``);
    whether they do. A marker write and WAIT on one connection: WAIT counts that connection's last write,
    and replication keeps the primary's order, so the writes before it on other connections are covered."""
    if not replicas:
        return True
    async with redis.pipeline(transaction=False) as pipe:
        pipe.incr(keys.REPLICATION_MARK)
        pipe.wait(replicas, wait_ms)
        _, acknowledged = await pipe.execute()
    return int(acknowledged) >= replicas


async def begin(redis: Redis, conversation_id: str, sender: str, mid: str | None, done_ttl_s: int,
                stale_after_s: float = 60.0, wait_replicas: int = 0, wait_ms: int = 200) -> Attempt:
    """Claim ``mid`` for this attempt (no id: always new, nothing stored).

    ``status`` is ``new``, ``duplicate``, ``pending``, or ``recover`` when an attempt
    passed the message on more than ``stale_after_s`` ago and never finished.
    ``wait_replicas``/``wait_ms``: see ``Attempt.finish``.
    """
    if mid is None:
        return Attempt(None, "", Outcome.NEW)
    key = keys.message(conversation_id, sender, mid)
    outcome = await redis.eval(_CLAIM, 1, key, IN_FLIGHT_S, f"{time.time():.3f}", stale_after_s, done_ttl_s)
    if outcome == Outcome.RECOVER.value:
        status, recorded, passed_on = Outcome.RECOVER, True, True
    elif outcome == f"{Outcome.NEW.value}-recorded":
        status, recorded, passed_on = Outcome.NEW, True, False
    else:
        status, recorded, passed_on = Outcome(outcome), False, False
    return Attempt(redis, key, status, already_recorded=recorded, passed_on=passed_on, done_ttl_s=done_ttl_s,
                   wait_replicas=wait_replicas, wait_ms=wait_ms)
