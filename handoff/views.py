"""What each kind of reader sees: the agent's view of a conversation, the customer's history,
and the supervisor's figures. Reads only."""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

from redis.asyncio import Redis

from bot.language.choice import DEFAULT_LANGUAGE
from handoff import keys, protocol, vocabulary
from handoff.accounts import Account
from handoff.agents import Agents
from handoff.conversations import Conversations
from handoff.queue import Queue
from handoff.schedule import desk_status
from handoff.sla_watch import SlaWatch
from handoff.state import State
from handoff.stats import Stats, day_and_hour, for_language, summarise


class Views:
    """Builds the payloads of ``claimed``, ``history`` and ``/api/stats``."""

    def __init__(self, redis: Redis, conversations: Conversations, queue: Queue, agents: Agents,
                 accounts: Mapping[str, Account], stats: Stats, sla: SlaWatch) -> None:
        self.redis, self.conversations, self.queue, self.agents = redis, conversations, queue, agents
        self.accounts, self.stats, self.sla = accounts, stats, sla

    async def conversation(self, conversation_id: str) -> dict[str, Any]:
        """Everything an agent sees of a conversation: transcript and handoff context."""
        conversation = await self.conversations.require(conversation_id)
        return {"conversation_id": conversation_id, "state": conversation.state.value,
                "reason": conversation.reason, "agent_id": conversation.agent_id, "context": conversation.context,
                "language": conversation.spoken_language, "sla": await self.sla.timers_of(conversation_id),
                "transcript": await self.conversations.transcript(conversation_id)}

    async def customer(self, conversation_id: str, after: str | None = None) -> dict[str, Any]:
        """What the customer's widget gets after ``session_confirm``: the ``history`` event.

        With ``after`` (the last entry the widget saw) and that entry still in the transcript, only
        the entries after it, and ``after`` says so; else the whole transcript.
        """
        conversation = await self.conversations.require(conversation_id)
        newer = await self.conversations.after(conversation_id, after)
        entries = newer if newer is not None else await self.conversations.transcript(conversation_id)
        agent = self.accounts.get(conversation.agent_id) if conversation.state is State.WITH_AGENT else None
        raw = await self.redis.hmget(keys.conversation(conversation_id), ["closed_at", "rated_at"])
        closed_at, rated_at = (float(v) if v else 0.0 for v in raw)
        return {"state": conversation.state.value, **({"after": after} if newer is not None else {}),
                "transcript": protocol.customer_transcript(entries),
                "agent": protocol.public_agent(agent.id, agent.name) if agent else None,
                "surveyed": bool(rated_at) and rated_at >= closed_at,
                "survey_pending": conversation.state is State.CLOSED and bool(closed_at) and rated_at < closed_at,
                "desk": desk_status(self.queue.schedule, time.time()),
                "vocabulary": vocabulary.for_customers()}

    async def figures(self, language: str | None = None) -> dict[str, Any]:
        """The supervisor page's figures: now (queue, agents) and today (counters, per hour); the queue
        and the day's counters only of the customers in ``language`` when given (the team is the team)."""
        now = time.time()
        waiting = [q for q in await self.queue.snapshot()
                   if not language or (q["language"] or DEFAULT_LANGUAGE) == language]  # not written yet: English
        team = await self.agents.team()
        day, _ = day_and_hour(now)
        figures = summarise(for_language(await self.stats.day(day), language), day)
        available = [a for a in team if a["status"] == "available" and (not language or language in a["languages"])]
        return {"language": language,
                "now": {"queue_length": len(waiting),
                        "longest_wait_s": max((q["waiting_s"] for q in waiting), default=0.0),
                        "agents_available": len(available),
                        "agents": [{"id": a["id"], "name": a["name"], "status": a["status"], "role": a["role"],
                                    "conversations": a["load"], "capacity": a["capacity"],
                                    "languages": a["languages"]} for a in team]},
                **figures, "vocabulary": vocabulary.for_agents()}
