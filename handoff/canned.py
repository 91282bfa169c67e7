"""Canned responses: short answers the team shares and edits in the console, kept in Redis."""

from __future__ import annotations

import json
import secrets
from collections.abc import Mapping
from typing import Any

from redis.asyncio import Redis

from handoff import keys, messages, protocol

MAX_TITLE_CHARS = 80
MAX_TEXT_CHARS = 2000
MAX_RESPONSES = 200


class CannedResponses:
    """The team's canned responses (``{id, title, text}``), sorted by title."""

    def __init__(self, redis: Redis) -> None:
        self.redis = redis

    async def seed(self) -> None:
        """Write the defaults once per Redis (deleting them all later sticks)."""
        if await self.redis.set(keys.CANNED_SEEDED, "1", nx=True):
            for title, text in messages.DEFAULT_CANNED:
                await self.redis.hset(keys.CANNED, secrets.token_hex(4), json.dumps({"title": title, "text": text}))

    async def all(self) -> list[dict[str, str]]:
        """Every canned response."""
        found = []
        for canned_id, raw in (await self.redis.hgetall(keys.CANNED)).items():
            try:
                item = json.loads(raw)
                found.append({"id": str(canned_id), "title": str(item["title"]), "text": str(item["text"])})
            except (ValueError, KeyError, TypeError):
                continue  # a hand-edited broken entry is skipped, not fatal
        return sorted(found, key=lambda item: item["title"].lower())

    async def save(self, payload: Mapping[str, Any]) -> str:
        """Add (no ``id``) or replace one; returns its id."""
        title = protocol.message_text(payload.get("title"), MAX_TITLE_CHARS)
        text = protocol.message_text(payload.get("text"), MAX_TEXT_CHARS)
        canned_id = payload.get("id")
        if canned_id in (None, ""):
            if await self.redis.hlen(keys.CANNED) >= MAX_RESPONSES:
                raise protocol.BadPayload("too_many", f"at most {MAX_RESPONSES} canned responses")
            canned_id = secrets.token_hex(4)
        elif not isinstance(canned_id, str) or not await self.redis.hexists(keys.CANNED, canned_id):
            raise protocol.BadPayload("unknown_canned", "no canned response with that id")
        await self.redis.hset(keys.CANNED, canned_id, json.dumps({"title": title, "text": text}, ensure_ascii=False))
        return canned_id

    async def delete(self, canned_id: Any) -> None:
        """Remove one."""
        if not isinstance(canned_id, str) or not await self.redis.hdel(keys.CANNED, canned_id):
            raise protocol.BadPayload("unknown_canned", "no canned response with that id")
