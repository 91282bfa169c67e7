"""Real Socket.IO clients for the tests: a customer (Rasa's protocol) and an agent (/agent)."""

from __future__ import annotations

import asyncio
from typing import Any, Callable, Dict, List, Optional, Tuple

import aiohttp
import socketio

from handoff import protocol

Check = Callable[[Any], bool]


class Recorder:
    """Every event a client receives, in order, with a way to wait for one."""

    def __init__(self) -> None:
        self.events: List[Tuple[str, Any]] = []
        self._changed = asyncio.Condition()

    async def record(self, event: str, data: Any = None) -> None:
        async with self._changed:
            self.events.append((event, data))
            self._changed.notify_all()

    def of(self, event: str) -> List[Any]:
        """Payloads of one event, in order."""
        return [data for name, data in self.events if name == event]

    async def wait_for(self, event: str, check: Optional[Check] = None, timeout: float = 30.0) -> Any:
        """The first payload of ``event`` (passing ``check``) received, waiting if needed."""
        async def found() -> Any:
            async with self._changed:
                while True:
                    for name, data in self.events:
                        if name == event and (check is None or check(data)):
                            return data
                    await self._changed.wait()
        return await asyncio.wait_for(found(), timeout)


class Customer:
    """A widget: connects, asks for a session, sends messages."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.sio = socketio.AsyncClient(reconnection=False)
        self.seen = Recorder()
        self.session_id = ""
        self.sio.on("*", self.seen.record)

    async def connect(self, session_id: Optional[str] = None) -> str:
        await self.sio.connect(self.url, socketio_path="socket.io", transports=["websocket"])
        await self.sio.emit(protocol.SESSION_REQUEST, {"session_id": session_id})
        self.session_id = await self.seen.wait_for(protocol.SESSION_CONFIRM)
        return self.session_id

    async def say(self, text: str, **extra: Any) -> None:
        await self.sio.emit(protocol.USER_UTTERED, {"message": text, "session_id": self.session_id, **extra})

    def texts(self) -> List[str]:
        return [d.get("text", "") for d in self.seen.of(protocol.BOT_UTTERED)]

    async def bot_says(self, fragment: str, timeout: float = 60) -> Dict[str, Any]:
        return await self.seen.wait_for(protocol.BOT_UTTERED, lambda d: fragment in d.get("text", ""), timeout)

    async def close(self) -> None:
        await self.sio.disconnect()


async def login(url: str, username: str, password: str) -> Dict[str, Any]:
    """``POST /api/agent/login``; the JSON answer and status."""
    async with aiohttp.ClientSession() as session:
        async with session.post(f"{url}/api/agent/login", json={"username": username, "password": password}) as r:
            return {"status": r.status, **(await r.json())}


class Agent:
    """A console: logs in, connects to /agent, claims and answers."""

    def __init__(self, url: str, username: str, password: str) -> None:
        self.url, self.username, self.password = url, username, password
        self.sio = socketio.AsyncClient(reconnection=False)
        self.seen = Recorder()
        self.sio.on("*", self.seen.record, namespace=protocol.AGENT_NAMESPACE)

    async def connect(self) -> "Agent":
        answer = await login(self.url, self.username, self.password)
        assert answer["status"] == 200, answer
        await self.sio.connect(self.url, socketio_path="socket.io", transports=["websocket"],
                               namespaces=[protocol.AGENT_NAMESPACE], auth={"token": answer["token"]})
        return self

    async def emit(self, event: str, data: Any) -> None:
        await self.sio.emit(event, data, namespace=protocol.AGENT_NAMESPACE)

    async def close(self) -> None:
        await self.sio.disconnect()


async def post_handoff(url: str, body: Any, secret: str) -> Tuple[int, Dict[str, Any]]:
    """What the action server does: ``POST /api/handoff`` with the shared secret."""
    async with aiohttp.ClientSession() as session:
        async with session.post(f"{url}/api/handoff", json=body,
                                headers={"Authorization": f"Bearer {secret}"}) as response:
            return response.status, await response.json()
