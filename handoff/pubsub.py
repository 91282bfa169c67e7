"""Socket.IO's Redis manager, told when its subscription comes back.

python-socketio's ``AsyncRedisManager`` carries every emit between bridges over one Redis
pub/sub channel. Pub/sub keeps nothing: what is published while a bridge is not subscribed
(Redis restarting, the connection dropped) never reaches that bridge's sockets, and the
manager re-subscribes without a word. ``ResubscribingRedisManager`` notices the second and
later subscriptions of its channel and calls ``on_resubscribed``; the bridge then tells each
of its sockets to ``resync`` (``protocol.RESYNC``), and every client of ours asks for the
entries after the last one it saw. The manager's own behaviour is otherwise unchanged.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable, Coroutine
from typing import Any

import socketio

from handoff.redis_connect import socketio_options

logger = logging.getLogger(__name__)

Callback = Callable[[], Coroutine[Any, Any, None]]


class ResubscribingRedisManager(socketio.AsyncRedisManager):  # type: ignore[misc]
    """``AsyncRedisManager`` that calls ``on_resubscribed`` whenever its subscription is re-established.

    ``url``: ``redis://`` or ``redis+sentinel://`` (``handoff.redis_url``); ``password``: Redis's (and
    the sentinels'), when ``url`` has none.
    """

    def __init__(self, url: str, channel: str, password: str = "") -> None:
        super().__init__(url, channel=channel, redis_options=socketio_options(url, password))
        self.on_resubscribed: Callback | None = None
        self.subscriptions = 0
        self._callbacks: set[asyncio.Task[None]] = set()

    def _redis_connect(self) -> None:
        super()._redis_connect()
        # Keep the subscribe confirmations: they are how a re-subscription shows.
        self.pubsub = self.redis.pubsub(ignore_subscribe_messages=False)

    async def _listen(self) -> AsyncIterator[Any]:
        channel = self.channel.encode("utf-8")
        async for message in self._redis_listen_with_retries():
            kind = message.get("type")
            if kind == "subscribe" and message.get("channel") == channel:
                self.subscriptions += 1
                if self.subscriptions > 1:
                    self._resubscribed()
            elif message.get("channel") == channel and kind == "message" and "data" in message:
                yield message["data"]

    def _resubscribed(self) -> None:
        logger.warning("socket.io subscription re-established (subscription %d): asking clients to resync",
                       self.subscriptions)
        if self.on_resubscribed is None:
            return
        task: asyncio.Task[None] = asyncio.get_running_loop().create_task(self.on_resubscribed())
        self._callbacks.add(task)
        task.add_done_callback(self._callbacks.discard)
