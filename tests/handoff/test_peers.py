"""Whose address a request is: X-Forwarded-For believed only from trusted proxies (pure)."""

from __future__ import annotations

import pytest

from handoff.peers import client_address, networks, of_environ

NGINX = networks(["127.0.0.1", "10.0.0.0/8"])


def test_without_trusted_proxies_the_header_is_ignored():
    assert client_address("198.51.100.7", "1.2.3.4", ()) == "198.51.100.7"


def test_a_trusted_proxy_s_hop_is_believed_from_the_right():
    assert client_address("127.0.0.1", "203.0.113.9", NGINX) == "203.0.113.9"
    # The client wrote its own X-Forwarded-For; nginx appended the real peer: the forged part is ignored.
    assert client_address("127.0.0.1", "6.6.6.6, 203.0.113.9", NGINX) == "203.0.113.9"
    assert client_address("127.0.0.1", "203.0.113.9, 10.1.2.3", NGINX) == "203.0.113.9"  # two proxies
    assert client_address("127.0.0.1", "", NGINX) == "127.0.0.1"
    assert client_address("127.0.0.1", "garbage", NGINX) == "garbage"  # not a proxy: the client, as written
    assert len(client_address("127.0.0.1", "x" * 500, NGINX)) == 64


def test_an_untrusted_peer_cannot_claim_an_address():
    assert client_address("198.51.100.7", "127.0.0.1", NGINX) == "198.51.100.7"


def test_bad_trusted_proxy_settings_are_refused():
    with pytest.raises(ValueError):
        networks(["not-an-address"])


def test_socketio_environ():
    class Request:
        remote = "127.0.0.1"

    assert of_environ({"aiohttp.request": Request(), "HTTP_X_FORWARDED_FOR": "203.0.113.9"}, NGINX) == "203.0.113.9"
    assert of_environ({"aiohttp.request": Request(), "HTTP_X_FORWARDED_FOR": "203.0.113.9"}, ()) == "127.0.0.1"
    assert of_environ({"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "6.6.6.6"}, NGINX) == ""  # engine.io's
    # REMOTE_ADDR is always 127.0.0.1 under aiohttp: never taken for a trusted proxy
