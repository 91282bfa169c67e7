"""Who is asking: the client's address, believing ``X-Forwarded-For`` only from trusted proxies (pure).

A proxy appends the address it got the request from to ``X-Forwarded-For``. Read from the
right, each hop added by a trusted proxy (``BRIDGE_TRUSTED_PROXIES``: addresses or networks)
is believed, and the first address that is not a trusted proxy is the client. With no
trusted proxies the header is ignored: anyone can write it, and a per-address limit or
lock-out that believed it could be dodged or turned against someone else.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Mapping
from typing import Any

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def networks(items: Iterable[str]) -> tuple[Network, ...]:
    """Parse ``127.0.0.1``, ``10.0.0.0/8``, ``::1``... (a bad entry raises ``ValueError``)."""
    return tuple(ipaddress.ip_network(item.strip(), strict=False) for item in items if item.strip())


def _trusted(address: str, trusted: tuple[Network, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in trusted)


def client_address(peer: str, forwarded_for: str, trusted: tuple[Network, ...]) -> str:
    """The client's address: ``peer`` (the TCP peer), or, when ``peer`` is a trusted proxy, the
    rightmost ``X-Forwarded-For`` hop that is not one."""
    address = peer or ""
    if not trusted or not _trusted(address, trusted):
        return address[:64]
    for hop in reversed([h.strip() for h in forwarded_for.split(",") if h.strip()]):
        address = hop
        if not _trusted(hop, trusted):
            break
    return address[:64]


def of_environ(environ: Mapping[str, Any], trusted: tuple[Network, ...]) -> str:
    """The client's address of a Socket.IO connection (the WSGI-style ``environ`` python-socketio passes)."""
    request = environ.get("aiohttp.request")
    # Not REMOTE_ADDR: python-engineio writes 127.0.0.1 there under aiohttp, which a trusted loopback
    # proxy setting would then take for the proxy (and believe a forged X-Forwarded-For).
    peer = getattr(request, "remote", None) or ""
    return client_address(peer, str(environ.get("HTTP_X_FORWARDED_FOR") or ""), trusted)
