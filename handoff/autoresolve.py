"""The auto-resolve sweep: finds conversations nobody wrote in, warns or closes them (``handoff.idle``
decides; this module reads Redis and acts).

Every open conversation is in ``keys.ACTIVITY``, scored by its last entry; the sweep reads those
older than the shortest rule, one bridge at a time (a lock with a TTL), and for each reads the
state and who wrote when. The clock is passed in, so tests move time instead of waiting for it.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import cast

from redis.asyncio import Redis

from handoff import keys, protocol, vocabulary
from handoff.conversations import Conversations
from handoff.desk import Desk
from handoff.idle import Activity, IdleAction, IdlePolicy, decide
from handoff.metrics import Metrics
from handoff.notify import Notify
from handoff.state import State

logger = logging.getLogger(__name__)

BATCH = 500
FIELDS = ("state", "agent_id", "last_customer_at", "last_agent_at", "still_there_at")


@dataclass
class AutoResolver:
    """Warns silent customers and closes idle conversations."""

    redis: Redis
    conversations: Conversations
    desk: Desk
    notify: Notify
    metrics: Metrics
    policy: IdlePolicy
    clock: Callable[[], float] = field(default=time.time)

    async def sweep(self, now: float | None = None) -> dict[str, int]:
        """One pass; returns how many were warned and closed. Skipped (zeros) while another bridge sweeps."""
        now = self.clock() if now is None else now
        done = {"warned": 0, "closed": 0}
        shortest = min((v for v in (self.policy.warn_after_s, self.policy.close_after_s, self.policy.bot_idle_s,
                                    self.policy.queued_idle_s) if v > 0), default=0.0)
        if not shortest or not await self.redis.set(keys.IDLE_SWEEP_LOCK, "1", nx=True, ex=60):
            return done
        try:
            offset = 0
            while candidates := await self.redis.zrangebyscore(keys.ACTIVITY, "-inf", now - shortest,
                                                               start=offset, num=BATCH, withscores=True):
                offset += len(candidates)
                for conversation_id, last_at in cast(list[tuple[str, float]], candidates):
                    action, left = await self._one(str(conversation_id), float(last_at), now)
                    offset -= left  # closed or gone: it left the set, the next page starts earlier
                    if action is IdleAction.WARN:
                        done["warned"] += 1
                    elif action is IdleAction.CLOSE:
                        done["closed"] += 1
        finally:
            await self.redis.delete(keys.IDLE_SWEEP_LOCK)
        return done

    async def _one(self, conversation_id: str, last_at: float, now: float) -> tuple[IdleAction, int]:
        """Decide and act on one conversation; also returns 1 if it left ``keys.ACTIVITY``, else 0."""
        raw = await self.redis.hmget(keys.conversation(conversation_id), list(FIELDS))
        values = cast(dict[str, str | None], dict(zip(FIELDS, raw)))
        if values["state"] in (None, State.CLOSED.value):  # gone, or closed meanwhile: nothing to watch
            return IdleAction.NONE, int(await self.redis.zrem(keys.ACTIVITY, conversation_id))
        activity = Activity(state=State(values["state"]), customer_at=_float(values["last_customer_at"]),
                            agent_at=_float(values["last_agent_at"]), any_at=last_at,
                            warned_at=_float(values["still_there_at"]))
        action = decide(activity, now, self.policy)
        if action is IdleAction.WARN:
            await self._still_there(conversation_id, values["agent_id"] or "", now)
        elif action is IdleAction.CLOSE:
            if not await self.desk.auto_resolve(conversation_id):
                return IdleAction.NONE, 0
            return action, 1
        return action, 0

    async def _still_there(self, conversation_id: str, agent_id: str, now: float) -> None:
        """Ask the customer, in their language, whether they are still there; the agent sees it too."""
        await self.redis.hset(keys.conversation(conversation_id), "still_there_at", str(now))
        language = await self.conversations.language(conversation_id)
        minutes = str(max(1, round(self.policy.close_after_s / 60)))
        text = vocabulary.bridge_reply("still_there", language, minutes=minutes)
        entry = await self.conversations.record(conversation_id, "bot", text, payload={"text": text},
                                                source="desk", event="still_there")
        await self.notify.customer(conversation_id, protocol.BOT_UTTERED,
                                   protocol.with_metadata({"text": text}, id=entry["id"]))
        if agent_id:
            await self.notify.agent(agent_id, protocol.ENTRY_ADDED, {"conversation_id": conversation_id,
                                                                     "entry": entry})
        self.metrics.still_there.inc()


def _float(value: object) -> float:
    try:
        return float(value or 0)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return 0.0


async def watch_idle(resolver: AutoResolver, every_s: float) -> None:
    """Background task: sweep every ``every_s``; survive any one failure."""
    while True:
        await asyncio.sleep(every_s)
        try:
            await resolver.sweep()
        except asyncio.CancelledError:
            raise
        except Exception:
            logger.exception("auto-resolve sweep failed")
