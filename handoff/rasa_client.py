"""The bridge's only way to Rasa: its REST channel and its HTTP API, over one shared session."""

from __future__ import annotations

import asyncio
import time
from typing import Any, Dict, List, Mapping, Optional

import aiohttp


class RasaUnavailable(Exception):
    """Rasa did not answer in time, or answered with an error."""


class RasaClient:
    """Sends customer messages to Rasa and edits trackers (pause, resume, human turns)."""

    def __init__(self, session: aiohttp.ClientSession, base_url: str, token: str, timeout_s: float) -> None:
        self.session = session
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.timeout = aiohttp.ClientTimeout(total=timeout_s)

    async def send(self, sender: str, text: str, metadata: Optional[Mapping[str, Any]] = None) -> List[Dict[str, Any]]:
        """Post a customer message to the REST channel; return Rasa's replies in order."""
        body = {"sender": sender, "message": text, "metadata": dict(metadata or {})}
        return await self._request("POST", "/webhooks/rest/webhook", body) or []

    async def parse(self, text: str) -> Dict[str, Any]:
        """Rasa's NLU reading of ``text`` (intent, entities), without any dialogue."""
        return await self._request("POST", "/model/parse", {"text": text}, api=True) or {}

    async def append_events(self, sender: str, events: List[Dict[str, Any]]) -> None:
        """Append events to the conversation's tracker (never triggers a prediction)."""
        await self._request("POST", f"/conversations/{sender}/tracker/events", events, api=True)

    async def pause(self, sender: str) -> None:
        """Stop Rasa from answering: a person owns the conversation."""
        await self.append_events(sender, [{"event": "pause", "timestamp": time.time()}])

    async def resume(self, sender: str) -> None:
        """Let Rasa answer again, from a clean turn: it listens for the customer's next message."""
        now = time.time()
        await self.append_events(sender, [{"event": "resume", "timestamp": now},
                                          {"event": "action", "name": "action_listen", "timestamp": now}])

    async def tracker(self, sender: str) -> Dict[str, Any]:
        """The conversation's tracker."""
        return await self._request("GET", f"/conversations/{sender}/tracker", None, api=True) or {}

    async def _request(self, method: str, path: str, body: Any, api: bool = False) -> Any:
        params = {"token": self.token} if api and self.token else None
        try:
            async with self.session.request(
                method, self.base_url + path, json=body, params=params, timeout=self.timeout
            ) as response:
                if response.status >= 400:
                    detail = (await response.text())[:300]
                    raise RasaUnavailable(f"{method} {path}: HTTP {response.status} {detail}")
                return await response.json(content_type=None)
        except (aiohttp.ClientError, asyncio.TimeoutError) as e:
            raise RasaUnavailable(f"{method} {path}: {e.__class__.__name__} {e}") from e
