"""Service-level timers at work: what the console is shown, breaches noticed once, targets met or
missed counted per day (``handoff.sla`` decides; this module reads Redis and tells people).

- ``timers_of``: the live timers of a conversation, for the queue and the agent's view.
- ``sweep``: one bridge at a time, the conversations waiting or with an agent whose timer just
  passed its deadline: counted once per timer (``nwsupport_sla_breaches``, the day's
  ``sla_breach:<kind>``), and the console told (``sla_breached``: a notice and a sound).
- ``stopped``: when a timer stops (the first answer, an answer to the customer, the close), the day
  counts it met or missed, overall, by reason and by agent (``sla:<kind>:met``, ...).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from redis.asyncio import Redis

from handoff import keys, protocol
from handoff.metrics import Metrics
from handoff.notify import Notify
from handoff.schedule import Schedule
from handoff.sla import SlaPolicy, Timer, timer, timers
from handoff.stats import Stats

logger = logging.getLogger(__name__)

FIELDS = ("state", "reason", "agent_id", "queued_at", "first_response_at", "last_customer_at", "last_agent_at",
          "language")
SWEEP_LOCK_S = 30


@dataclass
class SlaWatch:
    """The desk's timers, over Redis."""

    redis: Redis
    notify: Notify
    stats: Stats
    metrics: Metrics
    policy: SlaPolicy
    schedule: Schedule
    accounts: Iterable[str]
    clock: Callable[[], float] = field(default=time.time)

    async def _fields(self, conversation_id: str) -> dict[str, str | None]:
        raw = await self.redis.hmget(keys.conversation(conversation_id), list(FIELDS))
        return {name: (None if value is None else str(value)) for name, value in zip(FIELDS, raw)}

    async def timers_of(self, conversation_id: str, now: float | None = None) -> list[dict[str, Any]]:
        """The conversation's running timers as the console draws them."""
        now = self.clock() if now is None else now
        return [t.as_dict(now) for t in timers(await self._fields(conversation_id), self.policy, self.schedule)]

    async def stopped(self, conversation_id: str, kind: str, at: float | None = None,
                      started: float | None = None) -> None:
        """A timer of ``kind`` (started at ``started``; default: the handoff) stopped at ``at``: count it
        met or missed for the day."""
        at = self.clock() if at is None else at
        values = await self._fields(conversation_id)
        begun = started if started is not None else float(values["queued_at"] or 0)
        if not begun:
            return
        stopped = timer(kind, begun, values["reason"], self.policy, self.schedule, stopped_at=at)
        outcome = stopped.state(at)
        reason, agent = values["reason"] or "unknown", values["agent_id"] or ""
        counts = {f"sla:{kind}:{outcome}": 1, f"sla:{kind}:reason={reason}:{outcome}": 1}
        if agent:
            counts[f"sla:{kind}:agent={agent}:{outcome}"] = 1
        await self.stats.count(counts, values["language"] or None)

    async def sweep(self, now: float | None = None) -> int:
        """Notice the timers that passed their deadline since the last sweep; returns how many."""
        now = self.clock() if now is None else now
        if not await self.redis.set(keys.SLA_SWEEP_LOCK, "1", nx=True, ex=SWEEP_LOCK_S):
            return 0
        try:
            breached = 0
            for conversation_id in await self._watched():
                values = await self._fields(conversation_id)
                for running in timers(values, self.policy, self.schedule):
                    if running.state(now) == "breached" and await self._first_notice(conversation_id, running):
                        await self._breach(conversation_id, values, running, now)
                        breached += 1
            return breached
        finally:
            await self.redis.delete(keys.SLA_SWEEP_LOCK)

    async def _watched(self) -> list[str]:
        """The conversations a person owns or will own: the queue and every agent's."""
        async with self.redis.pipeline(transaction=False) as pipe:
            pipe.zrange(keys.QUEUE, 0, -1)
            for agent_id in self.accounts:
                pipe.smembers(keys.agent_conversations(agent_id))
            found = await pipe.execute()
        ids: list[str] = list(found[0])
        for members in found[1:]:
            ids.extend(sorted(members))
        return ids

    async def _first_notice(self, conversation_id: str, running: Timer) -> bool:
        """Whether this breach is new: each timer (a next response: each one) is noticed once."""
        marker = f"sla_breached:{running.kind}"
        previous = await self.redis.hget(keys.conversation(conversation_id), marker)
        if previous is not None and float(previous) == running.started_at:
            return False
        await self.redis.hset(keys.conversation(conversation_id), marker, str(running.started_at))
        return True

    async def _breach(self, conversation_id: str, values: dict[str, str | None], running: Timer, now: float) -> None:
        reason, agent = values["reason"] or "unknown", values["agent_id"] or ""
        self.metrics.sla_breach(running.kind, reason)
        await self.stats.count({f"sla_breach:{running.kind}": 1}, values["language"] or None)
        notice = {"conversation_id": conversation_id, "kind": running.kind, "reason": reason,
                  "due_at": running.due_at, "agent_id": agent}
        if agent:
            await self.notify.agent(agent, protocol.SLA_BREACHED, notice)
        else:
            await self.notify.agents(protocol.SLA_BREACHED, notice)
        logger.info("sla %s breached for %s (%s)", running.kind, conversation_id, reason)


async def watch_sla(watch: SlaWatch, every_s: float) -> None:
    """Background task: sweep every ``every_s``; survive any one failure."""
    while True:
        await asyncio.sleep(every_s)
        try:
            await watch.sweep()
        except asyncio.CancelledError:
            raise
        except Exception:
            logger.exception("sla sweep failed")
