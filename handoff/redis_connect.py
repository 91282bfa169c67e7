"""The bridge's Redis client, for a plain server or for the primary Sentinel points at.

``connect()`` is the one place the bridge opens Redis (``app._resources``); the Socket.IO
manager gets the same URL and ``socketio_options()``. Through Sentinel, a client asks the
sentinels for the primary before each new connection; when the primary dies and a replica
is promoted, the next connection goes to the new one, and a command that fails on the way
is retried by redis-py (``Retry``) or reported to the caller like any outage.
"""

from __future__ import annotations

from typing import Any

from redis.asyncio import BlockingConnectionPool, Redis
from redis.asyncio.sentinel import Sentinel, SentinelConnectionPool

from handoff.redis_url import parse_sentinel_url

SENTINEL_TIMEOUT_S = 2.0  # a sentinel that does not answer within this is skipped for the next


class BlockingSentinelConnectionPool(SentinelConnectionPool, BlockingConnectionPool):
    """Sentinel's pool (connections go to the current primary) that waits for a free connection, as
    ``BlockingConnectionPool`` does, instead of failing with "Too many connections" in a burst."""


def connect(url: str, password: str, max_connections: int, **options: Any) -> Redis:
    """A client on ``url`` (``redis://`` or ``redis+sentinel://``, see ``handoff.redis_url``) with a
    blocking pool of ``max_connections``; ``options`` go to every connection."""
    address = parse_sentinel_url(url)
    if address is None:
        pool = BlockingConnectionPool.from_url(url, password=password or None, max_connections=max_connections,
                                               timeout=10, **options)
        return Redis(connection_pool=pool)
    sentinel = Sentinel(list(address.sentinels), sentinel_kwargs=_sentinel_kwargs(password))  # type: ignore[no-untyped-call]
    client: Redis = sentinel.master_for(
        address.service, connection_pool_class=BlockingSentinelConnectionPool, password=password or None,
        db=address.db, max_connections=max_connections, timeout=10, **options)
    return client


def socketio_options(url: str, password: str) -> dict[str, Any] | None:
    """``redis_options`` for python-socketio's manager on ``url``: the password, and for Sentinel the
    sentinels' password too (python-socketio would ask them without one)."""
    options: dict[str, Any] = {"password": password} if password else {}
    if password and parse_sentinel_url(url) is not None:
        options["sentinel_kwargs"] = _sentinel_kwargs(password)
    return options or None


def _sentinel_kwargs(password: str) -> dict[str, Any]:
    return {"password": password or None, "socket_timeout": SENTINEL_TIMEOUT_S,
            "socket_connect_timeout": SENTINEL_TIMEOUT_S}
