"""Limits on what one customer can ask of a bridge: token buckets per address and per socket (pure).

A limit is written ``N/S``: at most ``N`` at once, refilled at ``N`` per ``S`` seconds
(``30/60`` lets a burst of 30 through, then one every 2 s); ``off`` (or ``0``) is no limit.
The buckets live in the bridge process: behind a load balancer with ``k`` bridges an
address may get up to ``k`` times a per-address limit, which still bounds a flood; a
socket lives on one bridge, so its limits are exact. Nothing here does I/O: the clock is
passed in, so the decisions are tested without waiting.
"""

from __future__ import annotations

import math
from collections import OrderedDict
from dataclasses import dataclass

from handoff.errors import BridgeError


class RateLimited(BridgeError):
    """Too many of one thing too fast; ``retry_after_s`` says when the next one will be taken."""

    http_status = 429

    def __init__(self, what: str, retry_after_s: float) -> None:
        self.retry_after_s = max(1, math.ceil(retry_after_s))
        super().__init__("rate_limited", f"too many {what}; please try again in {self.retry_after_s} s")


@dataclass(frozen=True)
class Rate:
    """``burst`` at once, refilled at ``burst / per_s`` per second; ``burst == 0`` is no limit."""

    burst: int
    per_s: float

    @classmethod
    def parse(cls, text: str) -> Rate:
        """``"30/60"`` → 30 per 60 s; ``"off"``, ``"0"`` or ``""`` → no limit."""
        text = text.strip().lower()
        if text in ("", "off", "0"):
            return cls(0, 1.0)
        count, _, seconds = text.partition("/")
        try:
            rate = cls(int(count), float(seconds or "1"))
        except ValueError as e:
            raise ValueError(f"a limit is N/S (e.g. 30/60) or off, not {text!r}") from e
        if rate.burst < 0 or rate.per_s <= 0:
            raise ValueError(f"a limit is N/S with N >= 0 and S > 0, not {text!r}")
        return rate

    @property
    def unlimited(self) -> bool:
        """No limit at all."""
        return self.burst == 0


class Buckets:
    """Token buckets of one ``Rate``, one per key (an address, a socket id); the least recently used
    are forgotten beyond ``max_keys`` (a forgotten key starts full again, so memory stays bounded)."""

    def __init__(self, rate: Rate, max_keys: int = 100_000) -> None:
        self.rate = rate
        self.max_keys = max_keys
        self._levels: OrderedDict[str, tuple[float, float]] = OrderedDict()  # key -> (tokens, at)

    def take(self, key: str, now: float) -> float:
        """Take one token for ``key`` at time ``now``: 0.0 when taken, else the seconds until one is there."""
        if self.rate.unlimited:
            return 0.0
        refill = self.rate.burst / self.rate.per_s
        tokens, at = self._levels.pop(key, (float(self.rate.burst), now))
        tokens = min(float(self.rate.burst), tokens + (now - at) * refill)
        if tokens >= 1.0:
            self._levels[key] = (tokens - 1.0, now)
            wait = 0.0
        else:
            self._levels[key] = (tokens, now)
            wait = (1.0 - tokens) / refill
        while len(self._levels) > self.max_keys:
            self._levels.popitem(last=False)
        return wait

    def forget(self, key: str) -> None:
        """Drop a key (a socket that disconnected)."""
        self._levels.pop(key, None)


@dataclass(frozen=True)
class CustomerLimits:
    """The customer limits a bridge enforces (``BRIDGE_LIMIT_*``)."""

    connections_per_address: Rate = Rate(120, 60)
    conversations_per_address: Rate = Rate(30, 60)
    conversations_per_socket: Rate = Rate(5, 60)
    messages_per_socket: Rate = Rate(20, 20)

    @classmethod
    def off(cls) -> CustomerLimits:
        """No limits (load benchmarks from one address)."""
        none = Rate(0, 1.0)
        return cls(none, none, none, none)


class Limiter:
    """The buckets of every ``CustomerLimits`` rule; ``check`` raises ``RateLimited`` when one is empty."""

    def __init__(self, limits: CustomerLimits) -> None:
        self.limits = limits
        self._buckets = {name: Buckets(getattr(limits, name)) for name in (
            "connections_per_address", "conversations_per_address", "conversations_per_socket",
            "messages_per_socket")}

    def check(self, rule: str, key: str, now: float, what: str) -> None:
        """Take one for ``key`` under ``rule``, or raise ``RateLimited`` naming ``what`` was too many."""
        wait = self._buckets[rule].take(key, now)
        if wait > 0:
            raise RateLimited(what, wait)

    def forget_socket(self, sid: str) -> None:
        """A socket is gone: its buckets go too."""
        for name in ("conversations_per_socket", "messages_per_socket"):
            self._buckets[name].forget(sid)
