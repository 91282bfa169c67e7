"""Canned responses: the team's, which supervisors edit, and each agent's own, kept in Redis.

Every agent sees the team's responses and their own; a response is ``{id, title, text,
personal, editable}``. A new response is the agent's own unless a supervisor adds it (then it
is the team's, unless marked ``personal``); only a supervisor edits or deletes a team response,
only its owner a personal one. Before, any agent could rewrite what the whole team sends.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Mapping
from typing import Any

from redis.asyncio import Redis

from handoff import keys, messages, protocol
from handoff.accounts import Account
from handoff.errors import NotAllowed

MAX_TITLE_CHARS = 80
MAX_TEXT_CHARS = 2000
MAX_RESPONSES = 200  # team responses, and each agent's own
TEAM = ""  # the owner of the team's responses


def may_edit(agent: Account, owner: str) -> bool:
    """Whether ``agent`` may change a response owned by ``owner`` (pure)."""
    return agent.id == owner if owner != TEAM else agent.is_supervisor


class CannedResponses:
    """The canned responses of the team and of each agent."""

    def __init__(self, redis: Redis) -> None:
        self.redis = redis

    async def seed(self) -> None:
        """Write the team's defaults once per Redis (deleting them all later sticks)."""
        if await self.redis.set(keys.CANNED_SEEDED, "1", nx=True):
            for title, text in messages.DEFAULT_CANNED:
                await self.redis.hset(keys.CANNED, secrets.token_hex(4),
                                      json.dumps({"title": title, "text": text, "owner": TEAM}))

    async def _stored(self) -> dict[str, dict[str, str]]:
        found: dict[str, dict[str, str]] = {}
        for canned_id, raw in (await self.redis.hgetall(keys.CANNED)).items():
            try:
                item = json.loads(raw)
                found[str(canned_id)] = {"title": str(item["title"]), "text": str(item["text"]),
                                         "owner": str(item.get("owner", TEAM))}
            except (ValueError, KeyError, TypeError):
                continue  # a hand-edited broken entry is skipped, not fatal
        return found

    async def all(self, agent: Account) -> list[dict[str, Any]]:
        """What ``agent`` sees: the team's responses and their own, by title."""
        items = [{"id": canned_id, "title": item["title"], "text": item["text"],
                  "personal": item["owner"] != TEAM, "editable": may_edit(agent, item["owner"])}
                 for canned_id, item in (await self._stored()).items() if item["owner"] in (TEAM, agent.id)]
        return sorted(items, key=lambda item: (item["personal"], str(item["title"]).lower()))

    async def save(self, agent: Account, payload: Mapping[str, Any]) -> tuple[str, str]:
        """Add (no ``id``) or replace one; returns its id and its owner."""
        title = protocol.message_text(payload.get("title"), MAX_TITLE_CHARS)
        text = protocol.message_text(payload.get("text"), MAX_TEXT_CHARS)
        canned_id = payload.get("id")
        stored = await self._stored()
        if canned_id in (None, ""):
            owner = agent.id if not agent.is_supervisor or payload.get("personal") else TEAM
            if sum(1 for item in stored.values() if item["owner"] == owner) >= MAX_RESPONSES:
                raise protocol.BadPayload("too_many", f"at most {MAX_RESPONSES} canned responses")
            canned_id = secrets.token_hex(4)
        elif not isinstance(canned_id, str) or canned_id not in stored:
            raise protocol.BadPayload("unknown_canned", "no canned response with that id")
        else:
            owner = stored[canned_id]["owner"]
            self._check(agent, owner)
        await self.redis.hset(keys.CANNED, canned_id,
                              json.dumps({"title": title, "text": text, "owner": owner}, ensure_ascii=False))
        return canned_id, owner

    async def delete(self, agent: Account, canned_id: Any) -> str:
        """Remove one; returns its owner."""
        stored = await self._stored()
        if not isinstance(canned_id, str) or canned_id not in stored:
            raise protocol.BadPayload("unknown_canned", "no canned response with that id")
        owner = stored[canned_id]["owner"]
        self._check(agent, owner)
        await self.redis.hdel(keys.CANNED, canned_id)
        return owner

    @staticmethod
    def _check(agent: Account, owner: str) -> None:
        if not may_edit(agent, owner):
            raise NotAllowed("not_yours", "only a supervisor changes the team's canned responses"
                             if owner == TEAM else "this canned response is another agent's own")
