"""Where Redis is: a plain ``redis://`` URL, or the primary that Redis Sentinel watches.

    redis://10.0.0.31:6379/0
    redis+sentinel://10.0.0.31:26379,10.0.0.32:26379,10.0.0.33:26379/0/nwsupport

The second form is python-socketio's own (its ``AsyncRedisManager`` reads the same URL):
the sentinels' addresses, the database, the name the sentinels monitor the primary under.
Passwords are not part of either: ``REDIS_PASSWORD`` (bridges) or ``LOCK_STORE_PASSWORD``
(Rasa) is Redis's, and the sentinels take the same one, so the URL can be logged.

Standard library only: the bridge (``handoff.redis_connect``) and Rasa's lock store
(``bot.lock_store``) both parse it here.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

SENTINEL_SCHEME = "redis+sentinel"


@dataclass(frozen=True)
class SentinelAddress:
    """The sentinels to ask, the database, and the name of the primary they watch."""

    sentinels: tuple[tuple[str, int], ...]
    service: str
    db: int = 0


def parse_sentinel_url(url: str) -> SentinelAddress | None:
    """The sentinel address in ``url``, or ``None`` for a plain ``redis://`` URL.

    Raises:
        ValueError: a ``redis+sentinel://`` URL without sentinels or service name, with a bad port or
            database, or with a password in it.
    """
    parts = urlsplit(url)
    if parts.scheme != SENTINEL_SCHEME:
        return None
    if "@" in parts.netloc:
        raise ValueError("a Redis URL carries no password: set REDIS_PASSWORD (LOCK_STORE_PASSWORD for Rasa)")
    sentinels = []
    for item in filter(None, parts.netloc.split(",")):
        host, _, port = item.rpartition(":")
        if not host or not port.isdigit() or not 0 < int(port) < 65536:
            raise ValueError(f"sentinel address {item!r} is not host:port")
        sentinels.append((host.strip("[]"), int(port)))
    path = [p for p in parts.path.split("/") if p]
    if not sentinels or len(path) != 2 or not path[0].isdigit():
        raise ValueError("a sentinel URL is redis+sentinel://host:port[,host:port...]/<db>/<service name>")
    return SentinelAddress(tuple(sentinels), service=path[1], db=int(path[0]))


def sentinel_url(sentinels: list[tuple[str, int]], service: str, db: int = 0) -> str:
    """The ``redis+sentinel://`` URL of ``sentinels`` watching ``service``, database ``db``."""
    return f"{SENTINEL_SCHEME}://{','.join(f'{h}:{p}' for h, p in sentinels)}/{db}/{service}"
