"""The queue of conversations waiting for a person: order, place in line, wait estimate, the agents' view.

Served by score, lower first: the time a conversation was queued, brought forward by
its reason's priority (``vocabulary.priority_for``), and before everyone when its
agent vanished. Whole-queue reads are batched into one Redis round trip. A customer's
wait estimate counts only the available agents who would serve them: those who speak
their language (``handoff.assignment.serving``). While the desk is closed (``handoff.schedule``)
nobody is promised a person: no estimate, the time the desk opens, and the offer to leave a message.
"""

from __future__ import annotations

import time
from collections.abc import Collection, Mapping
from typing import Any

from redis.asyncio import Redis

from handoff import keys, protocol
from handoff.agents import Agents
from handoff.assignment import places
from handoff.config import Settings
from handoff.conversations import Conversation, Conversations
from handoff.notify import Notify
from handoff.schedule import Schedule, desk_status
from handoff.sla import SlaPolicy, timers

PRIORITY_STEP_S = 600.0  # one priority level counts as ten minutes of waiting
FRONT_OF_QUEUE_S = 10 ** 9  # requeued after an agent vanished: before everyone


def place_score(queued_at: float, priority: int, front: bool = False) -> float:
    """Lower scores are served first: earlier, and higher priority."""
    return queued_at - priority * PRIORITY_STEP_S - (FRONT_OF_QUEUE_S if front else 0)


def estimated_wait_s(position: int, available_agents: int, average_handle_s: float) -> int:
    """A rough wait: the people ahead, shared among available agents."""
    return int(round(position * average_handle_s / max(1, available_agents)))


def strongest_signal(context: Mapping[str, Any]) -> float | None:
    """The strongest signal's score behind a handoff (evidence rows carry it), or ``None``."""
    scores = [row.get("score") for row in context.get("evidence") or [] if isinstance(row, Mapping)]
    numbers = [float(s) for s in scores if isinstance(s, (int, float)) and not isinstance(s, bool)]
    return round(max(numbers), 2) if numbers else None


def queue_entry(conversation: Conversation, position: int, now: float) -> dict[str, Any]:
    """One waiting conversation as agents see it in the queue."""
    return {"conversation_id": conversation.id, "position": position, "reason": conversation.reason,
            "priority": conversation.priority, "waiting_s": round(now - conversation.queued_at, 1),
            "evidence": conversation.context.get("evidence", []),
            "summary": conversation.context.get("summary", ""),
            "score": strongest_signal(conversation.context), "language": conversation.language}


class Queue:
    """The waiting line in Redis, and telling the waiting customers and the agents about it."""

    def __init__(self, redis: Redis, conversations: Conversations, agents: Agents, notify: Notify,
                 settings: Settings, schedule: Schedule | None = None, sla: SlaPolicy | None = None) -> None:
        self.redis, self.conversations, self.agents = redis, conversations, agents
        self.notify, self.settings = notify, settings
        self.schedule = schedule or Schedule.always_open()
        self.sla = sla or SlaPolicy()

    async def enqueue(self, conversation: Conversation, front: bool = False) -> None:
        """Put a queued conversation in line."""
        await self.redis.zadd(keys.QUEUE, {conversation.id: place_score(conversation.queued_at,
                                                                        conversation.priority, front)})

    async def take(self, conversation_id: str) -> bool:
        """Remove from the line; ``True`` only for the one caller that removed it (an atomic claim)."""
        return bool(await self.redis.zrem(keys.QUEUE, conversation_id))

    async def ids(self) -> list[str]:
        """Ids in serving order."""
        return [str(cid) for cid in await self.redis.zrange(keys.QUEUE, 0, -1)]

    async def length(self) -> int:
        """How many conversations wait."""
        return int(await self.redis.zcard(keys.QUEUE))

    async def position(self, conversation_id: str) -> int | None:
        """1-based place in line, or ``None`` if not queued."""
        rank = await self.redis.zrank(keys.QUEUE, conversation_id)
        return rank + 1 if isinstance(rank, int) else None

    async def snapshot(self) -> list[dict[str, Any]]:
        """The queue as agents see it, in serving order."""
        now = time.time()
        waiting = await self.conversations.get_many(await self.ids())
        return [{**queue_entry(conversation, position, now), "sla": self._timers(conversation, now)}
                for position, conversation in enumerate(waiting, 1) if conversation is not None]

    def _timers(self, conversation: Conversation, now: float) -> list[dict[str, Any]]:
        """The waiting conversation's service-level timers (``handoff.sla``), for the console's countdown."""
        fields = {"state": "queued", "reason": conversation.reason, "queued_at": str(conversation.queued_at)}
        return [t.as_dict(now) for t in timers(fields, self.sla, self.schedule)]

    async def broadcast(self) -> None:
        """Send the queue to every agent."""
        await self.notify.agents(protocol.QUEUE, await self.snapshot())

    async def tell_position(self, conversation_id: str) -> None:
        """Tell a waiting customer their place in line, or that nobody is there (plain Rasa widgets too)."""
        place = (await self._places()).get(conversation_id)
        if place is not None:
            await self._tell(conversation_id, place, announce=True)

    async def announce(self, conversation_id: str) -> None:
        """Tell plain Rasa widgets of a waiting conversation its place (clients with handoff events have it)."""
        place = (await self._places()).get(conversation_id)
        if place is not None:
            await self.notify.plain_place(conversation_id, place)

    async def refresh_positions(self, announce: Collection[str] = ()) -> None:
        """Tell every waiting customer their current place in line (plain Rasa widgets: only those
        of the conversations in ``announce``, just queued)."""
        for conversation_id, place in (await self._places()).items():
            await self._tell(conversation_id, place, announce=conversation_id in announce)

    async def _places(self) -> dict[str, dict[str, Any]]:
        """The ``handoff_queued`` payload of every waiting conversation, by id, in serving order.

        ``position`` is the place in the whole line; the estimate counts only the conversations ahead
        that the same agents would serve, shared among the available agents who would serve this one
        (its language's speakers, else everyone: ``handoff.assignment``).
        """
        waiting = [c for c in await self.conversations.get_many(await self.ids()) if c is not None]
        counted = places(await self.agents.available_loads(), [c.spoken_language for c in waiting])
        desk = desk_status(self.schedule, time.time())
        if not desk["open"]:  # no estimate: nobody is promised a person before the desk opens
            return {c.id: {"position": position, "agents_available": available, "estimated_wait_s": None,
                           "after_hours": True, "opens_at": desk.get("opens_at"), "opens": desk.get("opens")}
                    for position, (c, (_, available)) in enumerate(zip(waiting, counted), 1)}
        return {c.id: {"position": position, "agents_available": available,
                       "estimated_wait_s": estimated_wait_s(ahead, available, self.settings.average_handle_s)}
                for position, (c, (ahead, available)) in enumerate(zip(waiting, counted), 1)}

    async def _tell(self, conversation_id: str, place: dict[str, Any], announce: bool) -> None:
        await self.notify.place_in_line(conversation_id, place, announce)
        if place.get("after_hours"):
            await self.notify.customer(conversation_id, protocol.HANDOFF_NO_AGENT, {
                "options": ["leave_message"], "why": "after_hours", "opens_at": place["opens_at"],
                "opens": place["opens"]})
        elif place["agents_available"] == 0:
            await self.notify.customer(conversation_id, protocol.HANDOFF_NO_AGENT,
                                       {"options": ["wait", "leave_message"]})

    async def offer_after_max_wait(self) -> int:
        """Offer to leave a message to everyone who waited longer than ``max_wait_s`` (once each)."""
        offered = 0
        now = time.time()
        for conversation in await self.conversations.get_many(await self.ids()):
            if conversation is None or now - conversation.queued_at < self.settings.max_wait_s:
                continue
            if await self.redis.hsetnx(keys.conversation(conversation.id), "wait_offer_at", str(now)):
                await self.notify.customer(conversation.id, protocol.HANDOFF_NO_AGENT,
                                           {"options": ["wait", "leave_message"], "why": "max_wait"})
                offered += 1
        return offered
