"""Where Redis is (``handoff.redis_url``): plain URLs, Sentinel URLs, and the mistakes refused at start."""

from __future__ import annotations

import pytest

from handoff.config import ConfigError, Settings
from handoff.redis_url import SentinelAddress, parse_sentinel_url, sentinel_url
from tests.handoff.conftest import SECRET


def test_a_plain_url_is_no_sentinel_address():
    assert parse_sentinel_url("redis://10.0.0.31:6379/0") is None


def test_a_sentinel_url_names_every_sentinel_the_database_and_the_service():
    url = "redis+sentinel://10.0.0.31:26379,10.0.0.32:26379,[fd00::33]:26379/1/nwsupport"
    assert parse_sentinel_url(url) == SentinelAddress(
        (("10.0.0.31", 26379), ("10.0.0.32", 26379), ("fd00::33", 26379)), service="nwsupport", db=1)
    assert parse_sentinel_url(sentinel_url([("10.0.0.31", 26379)], "nwsupport", 1)) == SentinelAddress(
        (("10.0.0.31", 26379),), "nwsupport", 1)


@pytest.mark.parametrize("url, why", [
    ("redis+sentinel://10.0.0.31:26379/0", "service name"),
    ("redis+sentinel:///0/nwsupport", "service name"),
    ("redis+sentinel://10.0.0.31/0/nwsupport", "host:port"),
    ("redis+sentinel://10.0.0.31:99999/0/nwsupport", "host:port"),
    ("redis+sentinel://10.0.0.31:26379/zero/nwsupport", "service name"),
    ("redis+sentinel://:secret@10.0.0.31:26379/0/nwsupport", "REDIS_PASSWORD"),
])
def test_a_malformed_sentinel_url_is_refused_with_the_reason(url, why):
    with pytest.raises(ValueError, match=why):
        parse_sentinel_url(url)


def test_the_bridge_does_not_start_on_a_malformed_redis_url_or_wait_setting(tmp_path):
    base = {"HANDOFF_SECRET": SECRET, "BRIDGE_DEMO": "1"}
    with pytest.raises(ConfigError, match="REDIS_URL"):
        Settings.from_env({**base, "REDIS_URL": "redis+sentinel://10.0.0.31/0/nwsupport"})
    with pytest.raises(ConfigError, match="REDIS_WAIT_REPLICAS"):
        Settings.from_env({**base, "REDIS_WAIT_REPLICAS": "-1"})
    settings = Settings.from_env({**base, "REDIS_URL": "redis+sentinel://10.0.0.31:26379/0/nwsupport",
                                  "REDIS_WAIT_REPLICAS": "1"})
    assert (settings.redis_wait_replicas, settings.redis_wait_timeout_ms) == (1, 200)
