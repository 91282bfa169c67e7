"""The team: each agent's presence (connected sockets), availability, and the conversations they hold.

Presence is per socket, with an expiry: each bridge renews its agents' sockets every
``Settings.presence_heartbeat_s``; a socket not renewed for ``MISSED_RENEWALS`` of them (its
bridge died) no longer counts, so an agent whose bridge was killed is offline within seconds, not "available"
forever. Reads of the whole team are batched into one Redis round trip.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from typing import Any

from redis.asyncio import Redis

from handoff import keys, protocol
from handoff.accounts import Account
from handoff.assignment import AgentLoad
from handoff.notify import Notify

DEFAULT_STATUS = "available"
MISSED_RENEWALS = 3  # a socket not renewed for this many heartbeats (``Settings.presence_heartbeat_s``) is gone


class Agents:
    """Presence, availability and load of the agents in ``accounts``."""

    def __init__(self, redis: Redis, accounts: Mapping[str, Account], notify: Notify,
                 heartbeat_s: float = 5.0) -> None:
        self.redis, self.accounts, self.notify = redis, accounts, notify
        self.ttl_s = MISSED_RENEWALS * heartbeat_s

    # --- presence ---------------------------------------------------------------

    async def connected(self, agent_id: str, socket_id: str) -> None:
        """One more console socket of this agent (``socket_id``: unique across bridges)."""
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.zadd(keys.agent_sockets(agent_id), {socket_id: time.time() + self.ttl_s})
            pipe.hdel(keys.agent(agent_id), "absent_since")
            await pipe.execute()

    async def disconnected(self, agent_id: str, socket_id: str) -> int:
        """One socket fewer; the number of live ones left. With none left the agent is no longer available."""
        await self.redis.zrem(keys.agent_sockets(agent_id), socket_id)
        left = await self.live_sockets(agent_id)
        if left <= 0:
            await self.redis.srem(keys.AVAILABLE_AGENTS, agent_id)
        return left

    async def renew(self, sockets: Mapping[str, Iterable[str]]) -> None:
        """Renew the sockets this bridge holds (agent id → socket ids), and drop every expired one."""
        now = time.time()
        async with self.redis.pipeline(transaction=False) as pipe:
            for agent_id, socket_ids in sockets.items():
                pipe.zadd(keys.agent_sockets(agent_id), {socket_id: now + self.ttl_s for socket_id in socket_ids})
            for agent_id in self.accounts:
                pipe.zremrangebyscore(keys.agent_sockets(agent_id), "-inf", now)
            await pipe.execute()

    async def live_sockets(self, agent_id: str) -> int:
        """How many of the agent's sockets are live (renewed within ``ttl_s``)."""
        return int(await self.redis.zcount(keys.agent_sockets(agent_id), time.time(), "+inf"))

    async def online(self, agent_id: str) -> bool:
        """Whether any socket of the agent is live."""
        return await self.live_sockets(agent_id) > 0

    async def absent(self) -> list[str]:
        """Agents with no live socket who still count as available or hold conversations (one round trip)."""
        now = time.time()
        ids = list(self.accounts)
        async with self.redis.pipeline(transaction=False) as pipe:
            for agent_id in ids:
                pipe.zcount(keys.agent_sockets(agent_id), now, "+inf")
                pipe.sismember(keys.AVAILABLE_AGENTS, agent_id)
                pipe.scard(keys.agent_conversations(agent_id))
            raw = await pipe.execute()
        return [agent_id for i, agent_id in enumerate(ids)
                if int(raw[3 * i]) == 0 and (raw[3 * i + 1] or int(raw[3 * i + 2]) > 0)]

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
        return [AgentLoad(agent_id, int(raw[2 * i]), self.accounts[agent_id].capacity, float(raw[2 * i + 1] or 0),
                          frozenset(self.accounts[agent_id].languages))
                for i, agent_id in enumerate(available)]

    # --- the team view ------------------------------------------------------------------

    async def team(self) -> list[dict[str, Any]]:
        """Every agent with availability (``offline`` without a socket), load and capacity (one round trip)."""
        accounts = list(self.accounts.values())
        async with self.redis.pipeline(transaction=False) as pipe:
            for account in accounts:
                pipe.hget(keys.agent(account.id), "status")
                pipe.zcount(keys.agent_sockets(account.id), time.time(), "+inf")
                pipe.scard(keys.agent_conversations(account.id))
            raw = await pipe.execute()
        team = []
        for i, account in enumerate(accounts):
            status, connections, load = raw[3 * i:3 * i + 3]
            online = int(connections or 0) > 0
            team.append({"id": account.id, "name": account.name, "role": account.role,
                         "status": (status or DEFAULT_STATUS) if online else "offline",
                         "load": int(load), "capacity": account.capacity, "languages": list(account.languages)})
        return team

    async def broadcast(self) -> None:
        """Send the team's availability and load to every agent."""
        await self.notify.agents(protocol.AGENTS, await self.team())
