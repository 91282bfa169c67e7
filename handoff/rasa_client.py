"""The bridge's only way to Rasa: its REST channel (in stream mode) and its HTTP API, over one shared session.

Several Rasa servers can share the work (``RASA_URLS``). Each conversation has
a stable order of servers (rendezvous hashing), so its turns go to the same
server while it is up; when that server refuses the connection, the next one
takes the turn. That is safe because the servers share the tracker store and a
Redis lock store: any of them can continue any conversation. A server that
refused is skipped for a few seconds. A timeout is not retried elsewhere: the
first server may still be processing the message.

Turns wait for one of ``max_inflight`` slots per server before they are sent. A Rasa
server runs every turn it has accepted on one event loop, interleaved at each await
(the NLU, the policies, each call to the action server), so fifty turns at once make
every turn wait for all the others at every step; taken a few at a time, in order, each
turn finishes sooner and the slowest ones much sooner (``bench/bridge.py`` measures it).
The wait counts against the turn's timeout.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import time
from collections.abc import AsyncGenerator, Awaitable, Mapping, Sequence
from typing import Any

import aiohttp

logger = logging.getLogger(__name__)

DOWN_FOR_S = 5.0
# Rasa's REST channel in stream mode: one JSON line per bot message, as the dialogue utters it.
STREAM_PATH = "/webhooks/rest/webhook?stream=true"
ERASE_PATH = "/webhooks/rest/erase"


class RasaUnavailable(Exception):
    """Rasa did not answer in time, or answered with an error."""


async def best_effort(call: Awaitable[Any]) -> None:
    """Await a tracker edit that may fail: the live transcript in Redis keeps every turn regardless."""
    try:
        await call
    except RasaUnavailable as e:
        logger.warning("could not update Rasa's tracker: %s", e)


class _Refused(Exception):
    """The server did not take the request at all (connection refused, 503 while starting): try another.

    A connection that breaks mid-request is not retried elsewhere: the server may have processed it."""


def server_order(conversation_id: str, servers: Sequence[str]) -> list[str]:
    """The servers in the order a conversation tries them: highest rendezvous hash first (pure, stable)."""
    def weight(server: str) -> bytes:
        return hashlib.blake2b(f"{server}|{conversation_id}".encode(), digest_size=8).digest()

    return sorted(servers, key=weight, reverse=True)


class RasaClient:
    """Sends customer messages to Rasa and edits trackers (pause, resume, human turns)."""

    def __init__(self, session: aiohttp.ClientSession, base_urls: Sequence[str] | str, token: str,
                 timeout_s: float, max_inflight: int = 0) -> None:
        urls = [base_urls] if isinstance(base_urls, str) else list(base_urls)
        if not urls:
            raise ValueError("at least one Rasa server is needed")
        self.session = session
        self.servers = [u.rstrip("/") for u in urls]
        self.token = token
        self.timeout_s = timeout_s
        self.timeout = aiohttp.ClientTimeout(total=timeout_s)
        # Turns in flight per server (0: no limit); a turn waits for a slot, in order of arrival.
        self._slots = {s: asyncio.Semaphore(max_inflight) for s in self.servers} if max_inflight > 0 else {}
        # The channel (bot.channels) wants the same token as Rasa's HTTP API, as a header.
        self._channel_auth = {"Authorization": f"Bearer {token}"} if token else {}
        self._down_until: dict[str, float] = {}
        self._next = 0

    @property
    def base_url(self) -> str:
        """The first server (for messages and logs)."""
        return self.servers[0]

    async def turn(self, sender: str, text: str,
                   metadata: Mapping[str, Any] | None = None) -> AsyncGenerator[dict[str, Any], None]:
        """Post a customer message to the REST channel in stream mode; yield each reply as Rasa utters it.

        The iteration ends with the turn (``bot/channels.py`` makes sure the response ends). A
        server that refuses before answering is skipped as in ``_request``; a failure once the
        turn has started raises ``RasaUnavailable`` (replies already yielded stay yielded).
        """
        body = {"sender": sender, "message": text, "metadata": dict(metadata or {})}
        last: Exception | None = None
        for server in self._candidates(sender):
            try:
                async for reply in self._stream(server, body):
                    yield reply
                return
            except _Refused as e:
                self._down_until[server] = time.monotonic() + DOWN_FOR_S
                logger.warning("rasa server %s refused a turn (%s); trying the next", server, e)
                last = e
        raise RasaUnavailable(f"turn: no Rasa server took it ({last})")

    async def _stream(self, server: str, body: Mapping[str, Any]) -> AsyncGenerator[dict[str, Any], None]:
        slot = self._slots.get(server)
        if slot is None:
            async for reply in self._post_turn(server, body, self.timeout):
                yield reply
            return
        waited_from = time.monotonic()
        try:
            await asyncio.wait_for(slot.acquire(), self.timeout_s)
        except TimeoutError as e:
            raise RasaUnavailable(f"turn: every slot of {server} stayed busy for {self.timeout_s:.0f} s") from e
        try:
            left = max(1.0, self.timeout_s - (time.monotonic() - waited_from))
            async for reply in self._post_turn(server, body, aiohttp.ClientTimeout(total=left)):
                yield reply
        finally:
            slot.release()

    async def _post_turn(self, server: str, body: Mapping[str, Any],
                         timeout: aiohttp.ClientTimeout) -> AsyncGenerator[dict[str, Any], None]:
        started = False
        try:
            async with self.session.post(server + STREAM_PATH, json=body, timeout=timeout,
                                         headers=self._channel_auth) as response:
                if response.status == 503:
                    raise _Refused(f"HTTP {response.status}")
                if response.status >= 400:
                    raise RasaUnavailable(f"turn: HTTP {response.status} {(await response.text())[:300]}")
                started = True
                async for line in response.content:
                    if line.strip():
                        reply = json.loads(line)
                        if isinstance(reply, dict):
                            yield reply
        except aiohttp.ClientConnectorError as e:
            if started:
                raise RasaUnavailable(f"turn: {e.__class__.__name__} {e}") from e
            raise _Refused(e.__class__.__name__) from e
        except (TimeoutError, aiohttp.ClientError, ValueError) as e:
            raise RasaUnavailable(f"turn: {e.__class__.__name__} {e}") from e

    async def parse(self, text: str) -> dict[str, Any]:
        """Rasa's NLU reading of ``text`` (intent, entities), without any dialogue."""
        return await self._request("POST", "/model/parse", {"text": text}, api=True) or {}

    async def append_events(self, sender: str, events: list[dict[str, Any]]) -> None:
        """Append events to the conversation's tracker (never triggers a prediction)."""
        await self._request("POST", f"/conversations/{sender}/tracker/events", events, api=True, key=sender)

    async def pause(self, sender: str) -> None:
        """Stop Rasa from answering: a person owns the conversation."""
        await self.append_events(sender, [{"event": "pause", "timestamp": time.time()}])

    async def resume(self, sender: str) -> None:
        """Let Rasa answer again, from a clean turn: it listens for the customer's next message."""
        now = time.time()
        await self.append_events(sender, [{"event": "resume", "timestamp": now},
                                          {"event": "action", "name": "action_listen", "timestamp": now}])

    async def tracker(self, sender: str, every_session: bool = False) -> dict[str, Any]:
        """The conversation's tracker (``every_session``: the events of all its sessions, not the last)."""
        path = f"/conversations/{sender}/tracker" + ("?include_events=ALL" if every_session else "")
        return await self._request("GET", path, None, api=True, key=sender) or {}

    async def replace_events(self, sender: str, events: list[dict[str, Any]]) -> None:
        """Replace every event of the conversation's tracker (an erasure), through the channel's
        ``/erase`` (``bot/channels.py``): Rasa's own PUT keeps the old events in an SQL store."""
        await self._request("POST", ERASE_PATH, {"sender": sender, "events": events}, key=sender, channel=True)

    async def reachable(self, timeout_s: float = 2.0) -> dict[str, bool]:
        """Which servers answer their root URL now (for readiness)."""
        async def check(server: str) -> bool:
            try:
                async with self.session.get(server + "/", timeout=aiohttp.ClientTimeout(total=timeout_s)) as r:
                    return r.status < 500
            except (TimeoutError, aiohttp.ClientError):
                return False

        answers = await asyncio.gather(*(check(s) for s in self.servers))
        return dict(zip(self.servers, answers))

    def _candidates(self, key: str | None) -> list[str]:
        if key is None:  # no conversation: take turns
            self._next = (self._next + 1) % len(self.servers)
            ordered = self.servers[self._next:] + self.servers[:self._next]
        else:
            ordered = server_order(key, self.servers)
        now = time.monotonic()
        up = [s for s in ordered if self._down_until.get(s, 0.0) <= now]
        return up + [s for s in ordered if s not in up]  # all marked down: try them anyway

    async def _request(self, method: str, path: str, body: Any, api: bool = False, key: str | None = None,
                       channel: bool = False) -> Any:
        last: Exception | None = None
        for server in self._candidates(key):
            try:
                return await self._one(server, method, path, body, api, channel)
            except _Refused as e:
                self._down_until[server] = time.monotonic() + DOWN_FOR_S
                logger.warning("rasa server %s refused %s %s (%s); trying the next", server, method, path, e)
                last = e
        raise RasaUnavailable(f"{method} {path}: no Rasa server took it ({last})")

    async def _one(self, server: str, method: str, path: str, body: Any, api: bool, channel: bool = False) -> Any:
        params = {"token": self.token} if api and self.token else None
        try:
            async with self.session.request(method, server + path, json=body, params=params, timeout=self.timeout,
                                            headers=self._channel_auth if channel else None) as response:
                if response.status == 503:  # not serving yet (loading a model): nothing was processed
                    raise _Refused(f"HTTP {response.status}")
                if response.status >= 400:
                    detail = (await response.text())[:300]
                    raise RasaUnavailable(f"{method} {path}: HTTP {response.status} {detail}")
                return await response.json(content_type=None)
        except aiohttp.ClientConnectorError as e:  # never connected: the server saw nothing
            raise _Refused(e.__class__.__name__) from e
        except (TimeoutError, aiohttp.ClientError) as e:
            raise RasaUnavailable(f"{method} {path}: {e.__class__.__name__} {e}") from e
