"""Socket.IO clients of the bridge: a customer (Rasa's socket.io protocol, as the widget speaks it) and an
agent (the console's, on ``/agent``), and the two HTTP calls around them (agent login, the handoff).

One implementation for the tests (which wait for events), the bridge benchmark (which times
them) and the load-and-fault benchmark (whose reconnecting clients open one per socket).
python-socketio ``AsyncClient``, no automatic reconnection: the bridge environment only.
Times are ``time.perf_counter()``, taken when an event's handler runs.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Callable, Sequence
from typing import Any, TypeVar

import aiohttp
import socketio

from handoff import protocol

CONNECT_TIMEOUT_S = 30.0
Check = Callable[[Any], bool]
Handler = Callable[[Any], None]
T = TypeVar("T")


class Recorder:
    """Every event a client receives, in order, with when it arrived, and ways to wait for one."""

    def __init__(self) -> None:
        self.events: list[tuple[str, Any]] = []
        self.times: list[float] = []  # time.perf_counter() of each event's arrival
        self._changed = asyncio.Condition()

    async def record(self, event: str, data: Any = None) -> None:
        """Keep one event (usable as python-socketio's catch-all handler)."""
        arrived = time.perf_counter()
        async with self._changed:
            self.events.append((event, data))
            self.times.append(arrived)
            self._changed.notify_all()

    def of(self, event: str) -> list[Any]:
        """Payloads of one event, in order."""
        return [data for name, data in self.events if name == event]

    def times_of(self, event: str) -> list[float]:
        """Arrival times of one event, in order."""
        return [at for (name, _), at in zip(self.events, self.times) if name == event]

    def _first(self, event: str, check: Check | None) -> int | None:
        for index, (name, data) in enumerate(self.events):
            if name == event and (check is None or check(data)):
                return index
        return None

    async def _until(self, found: Callable[[], T | None], timeout: float) -> T:
        async def wait() -> T:
            async with self._changed:
                while True:
                    result = found()
                    if result is not None:
                        return result
                    await self._changed.wait()
        return await asyncio.wait_for(wait(), timeout)

    async def wait_for(self, event: str, check: Check | None = None, timeout: float = 30.0) -> Any:
        """The first payload of ``event`` (passing ``check``) received, waiting if needed."""
        return self.events[await self._until(lambda: self._first(event, check), timeout)][1]

    async def arrival(self, event: str, check: Check | None = None, timeout: float = 30.0) -> float:
        """When the first ``event`` (passing ``check``) arrived, waiting if needed."""
        return self.times[await self._until(lambda: self._first(event, check), timeout)]

    async def count_reaches(self, event: str, count: int, timeout: float) -> bool:
        """Wait until ``count`` events ``event`` have arrived in all (``False`` on timeout)."""
        try:
            await self._until(lambda: True if len(self.of(event)) >= count else None, timeout)
            return True
        except asyncio.TimeoutError:
            return False


class SocketClient:
    """One socket on one namespace: records what arrives (``seen``) and hands events to handlers (``on``)."""

    namespace = "/"

    def __init__(self, url: str, http: aiohttp.ClientSession | None = None,
                 transports: Sequence[str] = ("websocket",), record: bool = True) -> None:
        self.url, self.http, self.transports, self.record = url, http, list(transports), record
        self.seen = Recorder()
        self.handlers: dict[str, Handler] = {}
        self.sio = socketio.AsyncClient(reconnection=False, handle_sigint=False, http_session=http)
        self.sio.on("*", self._dispatch, namespace=self.namespace)

    def on(self, event: str, handler: Handler) -> None:
        """Call ``handler(payload)`` on every ``event`` (after it is recorded)."""
        self.handlers[event] = handler

    async def _dispatch(self, event: str, data: Any = None) -> None:
        if self.record:
            await self.seen.record(event, data)
        self._received(event, data)
        handler = self.handlers.get(event)
        if handler is not None:
            handler(data)

    def _received(self, event: str, data: Any) -> None:
        """Subclasses: react to an event before the handlers do."""

    async def _connect(self, timeout: float, **options: Any) -> None:
        await self.sio.connect(self.url, socketio_path="socket.io", transports=self.transports,
                               wait_timeout=timeout, **options)

    async def emit(self, event: str, data: Any) -> float:
        """Emit without an acknowledgement; returns the send time."""
        started = time.perf_counter()
        await self.sio.emit(event, data, namespace=self.namespace)
        return started

    async def close(self, timeout: float = 10.0) -> None:
        """Disconnect (best effort, at most ``timeout`` seconds)."""
        try:
            await asyncio.wait_for(self.sio.disconnect(), timeout)
        except Exception:  # noqa: BLE001 - closing is best effort
            pass


class Customer(SocketClient):
    """A widget: connects, asks for a session (``session_request`` → ``session_confirm``), sends messages.

    ``error_ends_handshake``: an ``error`` event before ``session_confirm`` fails ``connect`` at
    once; else the handshake waits for its timeout. ``capabilities``: what it announces in
    ``session_request`` (our widget's by default; ``()`` is a plain Rasa widget, which gets the
    handoff as bot messages).
    """

    def __init__(self, url: str, http: aiohttp.ClientSession | None = None,
                 transports: Sequence[str] = ("websocket",), record: bool = True,
                 error_ends_handshake: bool = True,
                 capabilities: Sequence[str] = (protocol.HANDOFF_EVENTS,)) -> None:
        super().__init__(url, http, transports, record)
        self.capabilities = list(capabilities)
        self.session_id = ""
        self.resume_token = ""  # of the conversation this client started (``session_secret``)
        self.error_ends_handshake = error_ends_handshake
        self._confirmed: asyncio.Future[str] | None = None

    def _received(self, event: str, data: Any) -> None:
        if event == protocol.SESSION_SECRET and isinstance(data, dict):
            self.resume_token = str(data.get("resume_token") or "")
        confirmed = self._confirmed
        if confirmed is None or confirmed.done():
            return
        if event == protocol.SESSION_CONFIRM:
            confirmed.set_result(str(data))
        elif event == protocol.ERROR and self.error_ends_handshake:
            detail = data if not isinstance(data, dict) else f"{data.get('code')}: {data.get('message')}"
            confirmed.set_exception(RuntimeError(f"the bridge answered session_request with error {detail}"))

    async def connect(self, session_id: str | None = None, timeout: float = CONNECT_TIMEOUT_S,
                      resume_token: str | None = None) -> str:
        """Connect and ``session_request`` (``session_id``: resume that conversation, with ``resume_token``
        or the one this client got when it started it); the confirmed id."""
        confirmed: asyncio.Future[str] = asyncio.get_running_loop().create_future()
        self._confirmed = confirmed

        async def steps() -> str:
            await self._connect(timeout)
            request: dict[str, Any] = {"session_id": session_id}
            token = resume_token if resume_token is not None else (
                self.resume_token if session_id and session_id == self.session_id else "")
            if token:
                request["resume_token"] = token
            if self.capabilities:
                request["capabilities"] = self.capabilities
            await self.sio.emit(protocol.SESSION_REQUEST, request)
            return await confirmed

        self.session_id = await asyncio.wait_for(steps(), timeout)
        return self.session_id

    async def say(self, text: str, **extra: Any) -> float:
        """``user_uttered`` in this conversation; returns the send time."""
        return await self.emit(protocol.USER_UTTERED, {"message": text, "session_id": self.session_id, **extra})

    def texts(self) -> list[str]:
        """Texts of every ``bot_uttered`` so far."""
        return [d.get("text", "") for d in self.seen.of(protocol.BOT_UTTERED)]

    async def bot_says(self, fragment: str, timeout: float = 60) -> dict[str, Any]:
        """The first ``bot_uttered`` whose text holds ``fragment``, waiting if needed."""
        reply: dict[str, Any] = await self.seen.wait_for(
            protocol.BOT_UTTERED, lambda d: fragment in d.get("text", ""), timeout)
        return reply


class Agent(SocketClient):
    """A console: logs in (once: ``token`` is kept), connects to ``/agent`` with the token, claims and answers."""

    namespace = protocol.AGENT_NAMESPACE

    def __init__(self, url: str, username: str, password: str, http: aiohttp.ClientSession | None = None,
                 record: bool = True, token: str = "") -> None:
        super().__init__(url, http, ("websocket",), record)
        self.username, self.password, self.token = username, password, token

    async def login(self) -> str:
        """``POST /api/agent/login``; the token (``RuntimeError`` when refused)."""
        answer = await login(self.url, self.username, self.password, self.http)
        if answer["status"] != 200:
            raise RuntimeError(f"login of {self.username}: HTTP {answer['status']} {answer}")
        self.token = answer["token"]
        return self.token

    async def connect(self, timeout: float = CONNECT_TIMEOUT_S) -> Agent:
        """Log in unless a token is kept, then connect to ``/agent``."""
        async def steps() -> None:
            if not self.token:
                await self.login()
            await self._connect(timeout, namespaces=[self.namespace], auth={"token": self.token})

        await asyncio.wait_for(steps(), timeout)
        return self


@contextlib.asynccontextmanager
async def _session(http: aiohttp.ClientSession | None) -> AsyncIterator[aiohttp.ClientSession]:
    if http is not None:
        yield http
    else:
        async with aiohttp.ClientSession() as session:
            yield session


async def login(url: str, username: str, password: str,
                http: aiohttp.ClientSession | None = None) -> dict[str, Any]:
    """``POST /api/agent/login``: the JSON answer, with the HTTP status as ``status``."""
    async with _session(http) as session:
        async with session.post(f"{url}/api/agent/login", json={"username": username, "password": password}) as r:
            return {"status": r.status, **(await r.json(content_type=None))}


async def post_handoff(url: str, body: Any, secret: str,
                       http: aiohttp.ClientSession | None = None) -> tuple[int, Any]:
    """What the action server does: ``POST /api/handoff`` with the shared secret; status and JSON answer."""
    async with _session(http) as session:
        async with session.post(f"{url}/api/handoff", json=body,
                                headers={"Authorization": f"Bearer {secret}"}) as response:
            return response.status, await response.json(content_type=None)
