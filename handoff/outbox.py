"""Mail the desk sends customers, kept in an outbox (a Redis stream): ticket acknowledgements, the
agent's reply to a ticket, conversation transcripts. Each entry is written in the customer's language
(``handoff.vocabulary.mail``) and carries who, what and when; a mail relay (or the shop's mail system)
reads the stream and sends. The stream is trimmed to the retention period of closed conversations
(``handoff.retention``): it holds what customers wrote.
"""

from __future__ import annotations

import time
from typing import Any

from redis.asyncio import Redis

from handoff import keys, vocabulary

MAX_ENTRIES = 200_000


class Outbox:
    """Writes and reads the outbox."""

    def __init__(self, redis: Redis) -> None:
        self.redis = redis

    async def add(self, to: str, kind: str, language: str, conversation_id: str = "", **params: str) -> str:
        """Queue the mail ``kind`` (``vocabulary.MAIL``) to ``to`` in ``language``; returns its entry id."""
        subject, body = vocabulary.mail(kind, language, **params)
        fields = {"to": to, "kind": kind, "language": language, "subject": subject, "body": body,
                  "conversation_id": conversation_id, "created_at": f"{time.time():.3f}"}
        return str(await self.redis.xadd(keys.OUTBOX, fields, maxlen=MAX_ENTRIES,  # type: ignore[arg-type]
                                         approximate=True))

    async def to(self, recipient: str, count: int = 100) -> list[dict[str, Any]]:
        """The newest mails to ``recipient``, newest first (for tests and the desk's own checks)."""
        found = await self.redis.xrevrange(keys.OUTBOX, count=max(count * 10, 1000)) or []
        return [{str(k): v for k, v in fields.items()} for _, fields in found if fields and fields.get("to") == recipient][:count]

    async def trim(self, before: float) -> None:
        """Forget mails written before ``before`` (a Unix time): the retention sweep calls it."""
        await self.redis.xtrim(keys.OUTBOX, minid=f"{int(before * 1000)}-0", approximate=False)


def transcript_text(entries: list[dict[str, Any]], language: str) -> str:
    """A conversation as the customer saw it, one line per message, in ``language`` (pure): their
    messages, the assistant's and the agents' (by name), and the status lines; no internal notes."""
    labels = vocabulary.TRANSCRIPT_LABELS.get(language) or vocabulary.TRANSCRIPT_LABELS["en"]
    lines = []
    for entry in entries:
        role, text = entry.get("role"), str(entry.get("text") or "")
        stamp = time.strftime("%Y-%m-%d %H:%M", time.localtime(float(entry.get("ts") or 0)))
        if role == "customer":
            lines.append(f"[{stamp}] {labels['you']}: {text}")
        elif role == "bot":
            lines.append(f"[{stamp}] {labels['assistant']}: {text}")
        elif role == "agent":
            name = str((entry.get("agent") or {}).get("name") or labels["agent"])
            lines.append(f"[{stamp}] {name}: {text}")
        elif role == "system" and entry.get("status"):
            params = {k: str(v) for k, v in (entry.get("params") or {}).items()}
            lines.append(f"[{stamp}] — {vocabulary.status_line(str(entry['status']), language, **params)}")
    return "\n".join(lines)
