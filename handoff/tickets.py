"""Tickets: the messages customers leave when nobody can take their conversation, kept in Redis."""

from __future__ import annotations

import secrets
import time
from typing import Any

from redis.asyncio import Redis

from handoff import keys
from handoff.errors import NotAllowed

LISTED = 200  # the newest tickets the console shows


class Tickets:
    """Creates, lists and closes tickets."""

    def __init__(self, redis: Redis) -> None:
        self.redis = redis

    async def create(self, conversation_id: str, email: str, text: str, reason: str) -> str:
        """Store a new open ticket; return its id (``T-`` and 8 hex digits)."""
        ticket_id = "T-" + secrets.token_hex(4).upper()
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.hset(keys.ticket(ticket_id), mapping={
                "id": ticket_id, "conversation_id": conversation_id, "email": email, "text": text,
                "reason": reason, "created_at": str(time.time()), "status": "open"})
            pipe.lpush(keys.TICKETS, ticket_id)
            await pipe.execute()
        return ticket_id

    async def discard(self, ticket_id: str) -> None:
        """Remove a ticket that should not have been (its conversation was taken as it was written)."""
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.delete(keys.ticket(ticket_id))
            pipe.lrem(keys.TICKETS, 0, ticket_id)
            await pipe.execute()

    async def all(self) -> list[dict[str, Any]]:
        """The newest tickets first (one round trip for the hashes)."""
        ids = await self.redis.lrange(keys.TICKETS, 0, LISTED - 1)
        async with self.redis.pipeline(transaction=False) as pipe:
            for ticket_id in ids:
                pipe.hgetall(keys.ticket(str(ticket_id)))
            found = await pipe.execute()
        return [ticket for ticket in found if ticket]

    async def get(self, ticket_id: Any) -> dict[str, str]:
        """One ticket.

        Raises:
            NotAllowed: no such ticket.
        """
        ticket = await self.redis.hgetall(keys.ticket(ticket_id)) if isinstance(ticket_id, str) else {}
        if not ticket:
            raise NotAllowed("unknown_ticket", "no ticket with that id")
        return {str(k): str(v) for k, v in ticket.items()}

    async def mark_handled(self, ticket_id: Any, by: str) -> None:
        """Mark a ticket handled by the agent named ``by``."""
        if not isinstance(ticket_id, str) or not await self.redis.exists(keys.ticket(ticket_id)):
            raise NotAllowed("unknown_ticket", "no ticket with that id")
        now = time.time()
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.hset(keys.ticket(ticket_id), mapping={"status": "handled", "handled_by": by, "handled_at": str(now)})
            pipe.zadd(keys.HANDLED_TICKETS, {ticket_id: now})  # its retention period starts (handoff.retention)
            await pipe.execute()
