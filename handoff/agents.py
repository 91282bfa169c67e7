"""The team: each agent's presence (connected sockets), availability, and the conversations they hold.

Reads of the whole team are batched into one Redis round trip.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

from redis.asyncio import Redis

from handoff import keys, protocol
from handoff.accounts import Account
from handoff.assignment import AgentLoad
from handoff.notify import Notify

DEFAULT_STATUS = "available"


class Agents:
    """Presence, availability and load of the agents in ``accounts``."""

    def __init__(self, redis: Redis, accounts: Mapping[str, Account], notify: Notify) -> None:
        self.redis, self.accounts, self.notify = redis, accounts, notify

    # --- presence ---------------------------------------------------------------

    async def connected(self, agent_id: str) -> None:
        """One more console socket of this agent."""
        await self.redis.incr(keys.agent_connections(agent_id))

    async def disconnected(self, agent_id: str) -> int:
        """One socket fewer; the number left. With none left the agent is no longer available."""
        left = int(await self.redis.decr(keys.agent_connections(agent_id)))
        if left <= 0:
            await self.redis.srem(keys.AVAILABLE_AGENTS, agent_id)
        return left

    async def online(self, agent_id: str) -> bool:
        """Whether any socket of the agent is connected."""
        return int(await self.redis.get(keys.agent_connections(agent_id)) or 0) > 0

    # --- availability -------------------------------------------------------------

    async def status(self, agent_id: str) -> str:
        """``available`` or ``away``, as the agent last set it."""
        return str(await self.redis.hget(keys.agent(agent_id), "status") or DEFAULT_STATUS)

    async def set_status(self, agent: Account, status: str) -> None:
        """Store the agent's availability (``protocol.AGENT_STATUSES``)."""
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.hset(keys.agent(agent.id), mapping={"status": status, "name": agent.name})
            if status == "available":
                pipe.sadd(keys.AVAILABLE_AGENTS, agent.id)
            else:
                pipe.srem(keys.AVAILABLE_AGENTS, agent.id)
            await pipe.execute()

    async def available_count(self) -> int:
        """How many agents are available now."""
        return int(await self.redis.scard(keys.AVAILABLE_AGENTS))

    # --- load -----------------------------------------------------------------------

    async def load(self, agent_id: str) -> int:
        """How many conversations the agent holds."""
        return int(await self.redis.scard(keys.agent_conversations(agent_id)))

    async def held(self, agent_id: str) -> list[str]:
        """The ids of the conversations the agent holds."""
        return [str(cid) for cid in await self.redis.smembers(keys.agent_conversations(agent_id))]

    async def take(self, agent_id: str, conversation_id: str) -> None:
        """The agent now holds the conversation (and was assigned one just now)."""
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.sadd(keys.agent_conversations(agent_id), conversation_id)
            pipe.hset(keys.agent(agent_id), "last_assigned", str(time.time()))
            await pipe.execute()

    async def release(self, agent_id: str, conversation_id: str) -> None:
        """The agent no longer holds the conversation."""
        await self.redis.srem(keys.agent_conversations(agent_id), conversation_id)

    async def available_loads(self) -> list[AgentLoad]:
        """Load, capacity and last assignment of every available agent (two round trips in all)."""
        available = [str(agent_id) for agent_id in await self.redis.smembers(keys.AVAILABLE_AGENTS)
                     if str(agent_id) in self.accounts]
        async with self.redis.pipeline(transaction=False) as pipe:
            for agent_id in available:
                pipe.scard(keys.agent_conversations(agent_id))
                pipe.hget(keys.agent(agent_id), "last_assigned")
            raw = await pipe.execute()
        return [AgentLoad(agent_id, int(raw[2 * i]), self.accounts[agent_id].capacity, float(raw[2 * i + 1] or 0))
                for i, agent_id in enumerate(available)]

    # --- the team view ------------------------------------------------------------------

    async def team(self) -> list[dict[str, Any]]:
        """Every agent with availability (``offline`` without a socket), load and capacity (one round trip)."""
        accounts = list(self.accounts.values())
        async with self.redis.pipeline(transaction=False) as pipe:
            for account in accounts:
                pipe.hget(keys.agent(account.id), "status")
                pipe.get(keys.agent_connections(account.id))
                pipe.scard(keys.agent_conversations(account.id))
            raw = await pipe.execute()
        team = []
        for i, account in enumerate(accounts):
            status, connections, load = raw[3 * i:3 * i + 3]
            online = int(connections or 0) > 0
            team.append({"id": account.id, "name": account.name, "role": account.role,
                         "status": (status or DEFAULT_STATUS) if online else "offline",
                         "load": int(load), "capacity": account.capacity})
        return team

    async def broadcast(self) -> None:
        """Send the team's availability and load to every agent."""
        await self.notify.agents(protocol.AGENTS, await self.team())
