"""The customer limits' decisions (pure: the clock is passed in)."""

from __future__ import annotations

import pytest

from handoff.config import Settings, limits_from_env
from handoff.limits import Buckets, CustomerLimits, Limiter, Rate, RateLimited


def test_a_rate_is_written_n_per_s_or_off():
    assert Rate.parse("30/60") == Rate(30, 60.0)
    assert Rate.parse(" 5/1 ") == Rate(5, 1.0)
    assert Rate.parse("off").unlimited and Rate.parse("0").unlimited and Rate.parse("").unlimited
    for bad in ("x/60", "30/0", "-1/5", "30/-2"):
        with pytest.raises(ValueError):
            Rate.parse(bad)


def test_a_burst_goes_through_then_one_per_refill():
    bucket = Buckets(Rate(3, 3.0))  # 3 at once, then one a second
    assert [bucket.take("a", 0.0) for _ in range(3)] == [0.0, 0.0, 0.0]
    assert bucket.take("a", 0.0) == pytest.approx(1.0)  # the next one in a second
    assert bucket.take("a", 0.5) == pytest.approx(0.5)  # a refused try takes nothing
    assert bucket.take("a", 1.0) == 0.0
    assert bucket.take("b", 1.0) == 0.0  # another key has its own bucket
    assert bucket.take("a", 100.0) == 0.0 and bucket.take("a", 100.0) == 0.0 and bucket.take("a", 100.0) == 0.0
    assert bucket.take("a", 100.0) > 0  # refilled to the burst, no more


def test_unlimited_never_waits_and_keys_are_bounded():
    free = Buckets(Rate(0, 1.0))
    assert all(free.take("x", 0.0) == 0.0 for _ in range(10_000))
    small = Buckets(Rate(1, 60.0), max_keys=100)
    for i in range(1000):
        small.take(f"k{i}", 0.0)
    assert len(small._levels) == 100


def test_the_limiter_says_what_was_too_many_and_when_to_retry():
    limiter = Limiter(CustomerLimits(messages_per_socket=Rate(2, 10.0)))
    limiter.check("messages_per_socket", "sid", 0.0, "messages")
    limiter.check("messages_per_socket", "sid", 0.0, "messages")
    with pytest.raises(RateLimited) as refused:
        limiter.check("messages_per_socket", "sid", 0.1, "messages")
    assert refused.value.code == "rate_limited" and refused.value.retry_after_s == 5  # 4.9 s, rounded up
    assert refused.value.http_status == 429 and "messages" in str(refused.value)
    limiter.forget_socket("sid")
    limiter.check("messages_per_socket", "sid", 0.2, "messages")  # a new socket starts full


def test_limits_come_from_the_environment():
    assert limits_from_env({}) == CustomerLimits()
    off = limits_from_env({"BRIDGE_LIMITS": "off"})
    assert all(getattr(off, name).unlimited for name in ("connections_per_address", "messages_per_socket"))
    tuned = limits_from_env({"BRIDGE_LIMITS": "off", "BRIDGE_LIMIT_MESSAGES_PER_SOCKET": "3/1"})
    assert tuned.messages_per_socket == Rate(3, 1.0) and tuned.conversations_per_address.unlimited
    env = {"HANDOFF_SECRET": "x" * 20, "BRIDGE_DEMO": "1", "BRIDGE_LIMIT_CONVERSATIONS_PER_ADDRESS": "nonsense"}
    with pytest.raises(ValueError):
        Settings.from_env(env)
