"""Conversations, their transcripts and the agent queue, kept in Redis.

Every state change goes through ``state.transition`` inside a WATCH/MULTI
transaction, so two processes cannot move one conversation two ways at once.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional

from redis.asyncio import Redis
from redis.exceptions import WatchError

from handoff import keys
from handoff.state import IllegalMove, Move, State, transition

PRIORITY_STEP_S = 600.0  # one priority level counts as ten minutes of waiting
FRONT_OF_QUEUE_S = 10 ** 9  # requeued after an agent vanished: before everyone


class UnknownConversation(LookupError):
    """No conversation has that id."""


@dataclass(frozen=True)
class Conversation:
    """A conversation as stored."""

    id: str
    state: State
    reason: str = ""
    agent_id: str = ""
    created_at: float = 0.0
    queued_at: float = 0.0
    priority: int = 0
    context: Dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_hash(cls, conversation_id: str, raw: Dict[str, str]) -> "Conversation":
        """Build from the Redis hash (all strings)."""
        return cls(
            id=conversation_id,
            state=State(raw.get("state", State.BOT.value)),
            reason=raw.get("reason", ""),
            agent_id=raw.get("agent_id", ""),
            created_at=float(raw.get("created_at", 0) or 0),
            queued_at=float(raw.get("queued_at", 0) or 0),
            priority=int(raw.get("priority", 0) or 0),
            context=json.loads(raw.get("context") or "{}"),
        )


def queue_score(queued_at: float, priority: int, front: bool = False) -> float:
    """Lower scores are served first: earlier, and higher priority."""
    return queued_at - priority * PRIORITY_STEP_S - (FRONT_OF_QUEUE_S if front else 0)


class Conversations:
    """Reads and changes conversations in Redis."""

    def __init__(self, redis: Redis) -> None:
        self.redis = redis

    async def get(self, conversation_id: str) -> Optional[Conversation]:
        """The conversation, or ``None`` if the bridge never saw it."""
        raw = await self.redis.hgetall(keys.conversation(conversation_id))
        return Conversation.from_hash(conversation_id, raw) if raw else None

    async def require(self, conversation_id: str) -> Conversation:
        """The conversation, or ``UnknownConversation``."""
        conversation = await self.get(conversation_id)
        if conversation is None:
            raise UnknownConversation(conversation_id)
        return conversation

    async def create(self, conversation_id: str) -> Conversation:
        """Start a conversation with the assistant (no-op if it exists)."""
        key = keys.conversation(conversation_id)
        now = time.time()
        await self.redis.hsetnx(key, "state", State.BOT.value)
        await self.redis.hsetnx(key, "created_at", str(now))
        return await self.require(conversation_id)

    async def move(self, conversation_id: str, move: Move, **fields: Any) -> Conversation:
        """Apply ``move`` atomically and store ``fields`` with it.

        Raises:
            UnknownConversation: no such conversation.
            IllegalMove: the move is not allowed from the current state.
        """
        key = keys.conversation(conversation_id)
        while True:
            async with self.redis.pipeline(transaction=True) as pipe:
                try:
                    await pipe.watch(key)
                    current = await pipe.hget(key, "state")
                    if current is None:
                        raise UnknownConversation(conversation_id)
                    new_state = transition(State(current), move)
                    values = {"state": new_state.value, "updated_at": str(time.time())}
                    values.update({k: _encode(v) for k, v in fields.items()})
                    pipe.multi()
                    pipe.hset(key, mapping=values)
                    if new_state is State.QUEUED:
                        # a new wait gets its own offer and its own first response
                        pipe.hdel(key, "wait_offer_at", "first_response_at")
                    await pipe.execute()
                    break
                except WatchError:
                    continue
        return await self.require(conversation_id)

    async def append(self, conversation_id: str, entry: Dict[str, Any]) -> None:
        """Add one turn to the live transcript."""
        await self.redis.rpush(keys.transcript(conversation_id), json.dumps(entry, ensure_ascii=False))

    async def transcript(self, conversation_id: str) -> List[Dict[str, Any]]:
        """The whole live transcript, oldest first."""
        return [json.loads(item) for item in await self.redis.lrange(keys.transcript(conversation_id), 0, -1)]

    async def recent(self, conversation_id: str, count: int) -> List[Dict[str, Any]]:
        """The last ``count`` transcript entries, oldest first."""
        return [json.loads(item) for item in await self.redis.lrange(keys.transcript(conversation_id), -count, -1)]

    # --- the queue -------------------------------------------------------

    async def enqueue(self, conversation: Conversation, front: bool = False) -> None:
        """Put a queued conversation in line."""
        score = queue_score(conversation.queued_at, conversation.priority, front)
        await self.redis.zadd(keys.QUEUE, {conversation.id: score})

    async def take_from_queue(self, conversation_id: str) -> bool:
        """Remove from the queue; ``True`` only for the one caller that removed it (atomic claim)."""
        return bool(await self.redis.zrem(keys.QUEUE, conversation_id))

    async def queued_ids(self) -> List[str]:
        """Ids in serving order."""
        return list(await self.redis.zrange(keys.QUEUE, 0, -1))

    async def position(self, conversation_id: str) -> Optional[int]:
        """1-based place in line, or ``None`` if not queued."""
        rank = await self.redis.zrank(keys.QUEUE, conversation_id)
        return None if rank is None else rank + 1


def _encode(value: Any) -> str:
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


__all__ = ["Conversation", "Conversations", "IllegalMove", "UnknownConversation", "queue_score"]
