"""Rasa's Redis lock store, made to survive a Redis restart without stalling conversations.

Rasa 3.6 serialises each conversation's turns with a ticket lock kept in Redis
(``rasa.core.lock_store.RedisLockStore``). When Redis goes away while a turn holds a
ticket, the turn's release (``cleanup``) fails; Redis comes back from its append-only
file with the ticket still in it, and every later turn of that conversation waits for
the ticket to expire: 60 s by default (``TICKET_LOCK_LIFETIME``), so the bridge times
out and the customer hears that the assistant is unavailable, 20 s after Redis is back.

``ReleasingRedisLockStore`` keeps Rasa's lock and its semantics and adds two things:

- a release that fails because Redis is unreachable is retried in the background
  until Redis answers (or the ticket would have expired anyway), so a restart of a
  second or two leaves no ticket behind;
- every saved lock expires in Redis a little after its last ticket would, so a lock
  nobody releases (its Rasa server was killed mid-turn) leaves no key behind either.

Configured in ``deploy/endpoints.cluster.yml`` as ``type: bot.lock_store.ReleasingRedisLockStore``.
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
from typing import Any
from urllib.parse import urlsplit

from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, RedisLockStore
from rasa.utils.endpoints import EndpointConfig
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from redis.sentinel import Sentinel

from handoff.redis_url import parse_sentinel_url

logger = logging.getLogger(__name__)

RETRY_EVERY_S = 0.25
KEY_MARGIN_S = 5  # a lock's key outlives its last ticket's expiry by this much
UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)


class ReleasingRedisLockStore(RedisLockStore):
    """``RedisLockStore`` whose releases are retried through a Redis outage and whose keys expire.

    ``url``: a host name (Rasa's own meaning, with ``port`` and ``db``), a ``redis://host:port/db`` URL,
    or the primary that Redis Sentinel watches, ``redis+sentinel://h1:26379,h2:26379/<db>/<service>``
    (``handoff.redis_url``): then every new connection asks the sentinels where the primary is, so
    a failover moves the lock store with it. ``password`` is Redis's and the sentinels'.
    """

    def __init__(self, endpoint_config: EndpointConfig, lock_lifetime_s: float = LOCK_LIFETIME) -> None:
        kwargs: dict[str, Any] = dict(endpoint_config.kwargs)
        url = endpoint_config.url or "localhost"
        sentinel = parse_sentinel_url(url)
        if sentinel is not None:
            kwargs["db"] = sentinel.db
            url = "localhost"  # Rasa's client, replaced below before it ever connects
        elif url.startswith("redis://"):
            parts = urlsplit(url)
            url = parts.hostname or "localhost"
            kwargs.update(port=parts.port or 6379, db=int(parts.path.strip("/") or kwargs.get("db", 1)))
        super().__init__(host=url, **kwargs)
        if sentinel is not None:
            password = kwargs.get("password") or None
            watchers = Sentinel(list(sentinel.sentinels), sentinel_kwargs={"password": password, "socket_timeout": 2})
            self.red = watchers.master_for(sentinel.service, db=sentinel.db, password=password, socket_timeout=10)
        self.lock_lifetime_s = lock_lifetime_s
        self._releases: set[asyncio.Task[None]] = set()

    def save_lock(self, lock: TicketLock) -> None:
        """Save ``lock``; its key expires a little after its last ticket would."""
        last = max((ticket.expires for ticket in lock.tickets), default=time.time() + self.lock_lifetime_s)
        ttl = max(1, math.ceil(last - time.time()) + KEY_MARGIN_S)
        self.red.set(self.key_prefix + lock.conversation_id, lock.dumps(), ex=ttl)

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        """Release the ticket; if Redis cannot be reached, keep trying in the background."""
        try:
            super().cleanup(conversation_id, ticket_number)
        except UNREACHABLE as error:
            logger.warning("could not release the lock of %s (ticket %s): %s; retrying until Redis is back",
                           conversation_id, ticket_number, error)
            try:
                loop = asyncio.get_running_loop()
            except RuntimeError:  # no loop: nothing to retry on; the key's expiry cleans up
                return
            task = loop.create_task(self._release_later(conversation_id, ticket_number))
            self._releases.add(task)
            task.add_done_callback(self._releases.discard)

    async def _release_later(self, conversation_id: str, ticket_number: int) -> None:
        deadline = time.monotonic() + self.lock_lifetime_s
        while time.monotonic() < deadline:
            await asyncio.sleep(RETRY_EVERY_S)
            try:
                super().cleanup(conversation_id, ticket_number)
            except UNREACHABLE:
                continue
            logger.info("released the lock of %s (ticket %s) after Redis came back", conversation_id, ticket_number)
            return
        logger.warning("gave up releasing the lock of %s (ticket %s): it has expired by now",
                       conversation_id, ticket_number)
