"""Loopback ports: choosing a free one, and asking what answers on one.

Standard library only: both Python environments import it.
"""

from __future__ import annotations

import random
import socket
import urllib.error
import urllib.request
from pathlib import Path

HOST = "127.0.0.1"
# Ports this process has handed out: never twice, though a server may not have bound its port yet (the
# bridge's port is chosen when the tests are imported and bound much later; a cluster started in between
# once drew the same number).
_HANDED_OUT: set[int] = set()


def ephemeral_range(path: Path = Path("/proc/sys/net/ipv4/ip_local_port_range")) -> tuple[int, int]:
    """The ports the kernel hands out as source ports of outgoing connections (Linux's default if unknown)."""
    try:
        low, high = (int(part) for part in path.read_text().split())
        return low, high
    except (OSError, ValueError):
        return 32768, 60999


def free_port(lowest: int = 20000) -> int:
    """A TCP port on loopback that nothing listens on right now and this process has not handed out
    before, outside the ephemeral range.

    A port the kernel picked with ``bind(0)`` comes from the ephemeral range, which every
    outgoing connection also draws its source port from: a server that binds it only
    after loading (Rasa binds after its model is loaded, half a minute later) can find it
    taken by a client's connection meanwhile ("address already in use"). A port below
    that range is never handed out by the kernel, only by us.
    """
    low, high = ephemeral_range()
    candidates = range(lowest, low) if low - lowest >= 1000 else range(high + 1, 65536)
    for _ in range(200):
        port = random.choice(candidates)
        if port in _HANDED_OUT:
            continue
        with socket.socket() as sock:
            try:
                sock.bind((HOST, port))
            except OSError:
                continue
        _HANDED_OUT.add(port)
        return port
    raise RuntimeError(f"no free loopback port in {candidates.start}-{candidates.stop - 1}")


def port_open(port: int, host: str = HOST) -> bool:
    """Whether something accepts TCP connections on ``host:port``."""
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


def http_status(url: str, timeout: float = 2.0) -> int | None:
    """The HTTP status ``url`` answers with, or ``None`` when nothing answers."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return int(response.status)
    except urllib.error.HTTPError as e:
        return e.code
    except (urllib.error.URLError, OSError):
        return None
