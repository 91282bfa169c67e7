"""Retention: what customers wrote is kept for a set period after it is done with, then deleted.

A conversation's period starts when it is closed (by an agent, or by leaving a message), a
ticket's when it is handled. Both are indexed when that happens (``keys.CLOSED_CONVERSATIONS``,
``keys.HANDLED_TICKETS``, scored by the time), and a sweep, run by one bridge at a time every few
minutes, deletes what is older than its period: the conversation's record with its handoff
context, its transcript and its tracker outbox; the ticket with its e-mail address. A
conversation the customer reopened is not deleted (it leaves the index; its next close starts a
new period). Rasa's tracker store has its own period (``python -m bot.trainer retention``, not
here: the bridge never touches that database).
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass

from redis.asyncio import Redis

from handoff import keys
from handoff.outbox import Outbox
from handoff.state import State

logger = logging.getLogger(__name__)

BATCH = 500


@dataclass(frozen=True)
class Periods:
    """How long each kind of data is kept after it is done with (seconds)."""

    conversations_s: float = 90 * 86400
    tickets_s: float = 365 * 86400


@dataclass
class Retention:
    """The sweep over the retention indexes."""

    redis: Redis
    outbox: Outbox
    periods: Periods

    async def sweep(self, now: float | None = None) -> dict[str, int]:
        """Delete what is past its period; returns how many of each were deleted."""
        now = time.time() if now is None else now
        await self.outbox.trim(now - self.periods.conversations_s)  # mail holds what customers wrote too
        return {"conversations": await self._conversations(now - self.periods.conversations_s),
                "tickets": await self._tickets(now - self.periods.tickets_s)}

    async def _conversations(self, before: float) -> int:
        deleted = 0
        while due := [str(c) for c in await self.redis.zrangebyscore(
                keys.CLOSED_CONVERSATIONS, "-inf", before, start=0, num=BATCH)]:
            async with self.redis.pipeline(transaction=False) as pipe:
                for conversation_id in due:
                    pipe.hmget(keys.conversation(conversation_id), ["state", "updated_at"])
                found = await pipe.execute()
            async with self.redis.pipeline(transaction=True) as pipe:
                for conversation_id, (state, updated_at) in zip(due, found):
                    if state == State.CLOSED.value and float(updated_at or 0) <= before:
                        pipe.delete(keys.conversation(conversation_id), keys.transcript(conversation_id),
                                    keys.tracker_outbox(conversation_id))
                        deleted += 1
                pipe.zrem(keys.CLOSED_CONVERSATIONS, *due)  # deleted, reopened, or already gone
                await pipe.execute()
        return deleted

    async def _tickets(self, before: float) -> int:
        deleted = 0
        while due := [str(t) for t in await self.redis.zrangebyscore(
                keys.HANDLED_TICKETS, "-inf", before, start=0, num=BATCH)]:
            async with self.redis.pipeline(transaction=True) as pipe:
                for ticket_id in due:
                    pipe.delete(keys.ticket(ticket_id))
                    pipe.lrem(keys.TICKETS, 0, ticket_id)
                pipe.zrem(keys.HANDLED_TICKETS, *due)
                await pipe.execute()
            deleted += len(due)
        return deleted


async def watch_retention(retention: Retention, every_s: float) -> None:
    """Background task: sweep every ``every_s`` seconds, one bridge at a time; survive any one failure."""
    while True:
        await asyncio.sleep(every_s)
        try:
            if await retention.redis.set(keys.RETENTION_SWEEP_LOCK, "1", nx=True, ex=max(1, int(every_s))):
                deleted = await retention.sweep()
                if any(deleted.values()):
                    logger.info("retention: deleted %(conversations)d conversations, %(tickets)d tickets", deleted)
        except asyncio.CancelledError:
            raise
        except Exception:
            logger.exception("retention sweep failed")
