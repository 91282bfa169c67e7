"""Conversations and their transcripts, kept in Redis.

Every state change goes through ``state.transition`` inside a WATCH/MULTI
transaction, so two processes cannot move one conversation two ways at once.
"""

from __future__ import annotations

import json
import secrets
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from redis.asyncio import Redis
from redis.exceptions import WatchError

from bot.language.choice import DEFAULT_LANGUAGE, answer_language
from handoff import keys
from handoff.errors import NotAllowed, UnknownConversation
from handoff.state import Move, State, transition

RETRY_LOOKBACK = 50  # transcript entries searched for a retried message id
EMPTY_TTL_S = 3600  # a conversation nobody wrote in is forgotten after this
ACTIVITY_ROLES = ("customer", "agent")  # whose last message time the conversation keeps (last_<role>_at)
# Lines that end or follow the end of a conversation, or are the desk's own nudge: they do not count as
# activity (handoff.idle).
QUIET_EVENTS = frozenset({"closed", "ticket", "auto_resolved", "rated", "erased", "still_there"})


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
    context: dict[str, Any] = field(default_factory=dict)
    language: str = ""  # en, ja: the customer's (bot.language.choice), "" until they wrote

    @classmethod
    def from_hash(cls, conversation_id: str, raw: dict[str, str]) -> Conversation:
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
            language=raw.get("language", ""),
        )

    @property
    def spoken_language(self) -> str:
        """The language to serve the customer in (English until they wrote)."""
        return self.language or DEFAULT_LANGUAGE


class Conversations:
    """Reads and changes conversations in Redis."""

    def __init__(self, redis: Redis) -> None:
        self.redis = redis

    async def get(self, conversation_id: str) -> Conversation | None:
        """The conversation, or ``None`` if the bridge never saw it."""
        raw = await self.redis.hgetall(keys.conversation(conversation_id))
        return Conversation.from_hash(conversation_id, {str(k): str(v) for k, v in raw.items()}) if raw else None

    async def require(self, conversation_id: str) -> Conversation:
        """The conversation, or ``UnknownConversation``."""
        conversation = await self.get(conversation_id)
        if conversation is None:
            raise UnknownConversation(conversation_id)
        return conversation

    async def owned_by(self, agent_id: str, conversation_id: str) -> Conversation:
        """The conversation, if ``agent_id`` holds it now; else ``NotAllowed("not_yours")``."""
        conversation = await self.require(conversation_id)
        if conversation.state is not State.WITH_AGENT or conversation.agent_id != agent_id:
            raise NotAllowed("not_yours", "you do not own this conversation")
        return conversation

    async def create(self, conversation_id: str, empty_ttl_s: int = EMPTY_TTL_S) -> Conversation:
        """Start a conversation with the assistant (no-op if it exists). Until its first transcript
        entry it expires after ``empty_ttl_s`` (a widget opened and never written in, or a flood of
        ``session_request``s, leaves nothing behind)."""
        key = keys.conversation(conversation_id)
        now = time.time()
        if await self.redis.hsetnx(key, "state", State.BOT.value):  # new (EXPIRE NX needs Redis 7)
            async with self.redis.pipeline(transaction=True) as pipe:
                pipe.hsetnx(key, "created_at", str(now))
                pipe.expire(key, empty_ttl_s)
                await pipe.execute()
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
                    values: dict[Any, Any] = {"state": new_state.value, "updated_at": str(time.time())}
                    values.update({k: _encode(v) for k, v in fields.items()})
                    pipe.multi()  # type: ignore[no-untyped-call]
                    pipe.hset(key, mapping=values)
                    if new_state is State.QUEUED:
                        # a new wait gets its own offer and its own first response
                        pipe.hdel(key, "wait_offer_at", "first_response_at")
                    if new_state is State.CLOSED:  # its retention period starts (handoff.retention)
                        pipe.zadd(keys.CLOSED_CONVERSATIONS, {conversation_id: float(values["updated_at"])})
                        pipe.zrem(keys.ACTIVITY, conversation_id)  # nothing left to auto-resolve
                    await pipe.execute()
                    break
                except WatchError:
                    continue
        return await self.require(conversation_id)

    async def keep_language(self, conversation: Conversation, text: str, declared: object) -> str:
        """Keep the conversation's language as of this customer message (the same rule as the
        action server's ``language`` slot); written only when it changes. Returns it."""
        language = answer_language(text, declared, conversation.language or None)
        if language != conversation.language:
            await self.redis.hset(keys.conversation(conversation.id), "language", language)
        return language

    async def language(self, conversation_id: str) -> str:
        """The conversation's language (English until the customer wrote)."""
        return str(await self.redis.hget(keys.conversation(conversation_id), "language") or DEFAULT_LANGUAGE)

    async def get_many(self, conversation_ids: Sequence[str]) -> list[Conversation | None]:
        """The conversations of ``conversation_ids`` in one round trip (``None`` for unknown ids)."""
        async with self.redis.pipeline(transaction=False) as pipe:
            for conversation_id in conversation_ids:
                pipe.hgetall(keys.conversation(conversation_id))
            raw = await pipe.execute()
        return [Conversation.from_hash(cid, fields) if fields else None for cid, fields in zip(conversation_ids, raw)]

    async def record(self, conversation_id: str, role: str, text: str, **extra: Any) -> dict[str, Any]:
        """Add one entry to the live transcript (with a fresh ``id`` and the time); return it."""
        entry = new_entry(role, text, **extra)
        key = keys.conversation(conversation_id)
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.rpush(keys.transcript(conversation_id), json.dumps(entry, ensure_ascii=False))
            pipe.persist(key)  # written in: no longer an empty conversation
            # When each side last wrote, for auto-resolve (handoff.idle); a closed conversation's
            # own closing line does not make it look active again.
            if role in ACTIVITY_ROLES:
                pipe.hset(key, f"last_{role}_at", str(entry["ts"]))
            if extra.get("event") not in QUIET_EVENTS:
                pipe.zadd(keys.ACTIVITY, {conversation_id: entry["ts"]})
            await pipe.execute()
        return entry

    async def find_message(self, conversation_id: str, message_id: str | None) -> dict[str, Any] | None:
        """The recent transcript entry of a client's ``message_id`` (written by an earlier attempt), or ``None``."""
        if not message_id:
            return None
        return next((e for e in await self.recent(conversation_id, RETRY_LOOKBACK)
                     if e.get("message_id") == message_id), None)

    async def transcript(self, conversation_id: str) -> list[dict[str, Any]]:
        """The whole live transcript, oldest first."""
        return [json.loads(item) for item in await self.redis.lrange(keys.transcript(conversation_id), 0, -1)]

    async def after(self, conversation_id: str, entry_id: str | None) -> list[dict[str, Any]] | None:
        """The entries after ``entry_id``, oldest first; ``None`` if the transcript has no such entry.

        Reads the last ``RETRY_LOOKBACK`` entries first (a client resyncing is rarely further
        behind), the whole transcript only when the entry is older.
        """
        if not entry_id:
            return None
        entries = await self.recent(conversation_id, RETRY_LOOKBACK)
        if len(entries) == RETRY_LOOKBACK and all(e.get("id") != entry_id for e in entries):
            entries = await self.transcript(conversation_id)
        ids = [e.get("id") for e in entries]
        return entries[ids.index(entry_id) + 1:] if entry_id in ids else None

    async def recent(self, conversation_id: str, count: int) -> list[dict[str, Any]]:
        """The last ``count`` transcript entries, oldest first."""
        return [json.loads(item) for item in await self.redis.lrange(keys.transcript(conversation_id), -count, -1)]


def new_entry(role: str, text: str, **extra: Any) -> dict[str, Any]:
    """A transcript entry: ``id``, ``role`` (customer, bot, agent, system, note), ``text``, ``ts`` and extras."""
    return {"id": secrets.token_hex(6), "role": role, "text": text, "ts": time.time(), **extra}


def _encode(value: Any) -> str:
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


__all__ = ["Conversation", "Conversations", "UnknownConversation", "new_entry"]
