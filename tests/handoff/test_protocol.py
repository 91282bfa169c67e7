"""Payload validation and message shaping."""

from __future__ import annotations

import pytest

from handoff import protocol, queue, vocabulary
from handoff.config import ConfigError, Settings


def test_text_with_buttons_is_shaped_like_rasas_socketio_channel():
    message = {"text": "Hello\n\nPick one", "buttons": [{"title": "Track", "payload": "/order_status"}]}
    assert protocol.bot_uttered_payloads(message) == [
        {"text": "Hello"},
        {"text": "Pick one", "quick_replies": [{"content_type": "text", "title": "Track", "payload": "/order_status"}]},
    ]


def test_image_and_custom():
    assert protocol.bot_uttered_payloads({"image": "https://x/y.png"}) == [
        {"attachment": {"type": "image", "payload": {"src": "https://x/y.png"}}}]
    assert protocol.bot_uttered_payloads({"custom": {"data": {"k": 1}}}) == [{"data": {"k": 1}}]


def test_an_image_path_becomes_an_address_under_the_bridges_public_url():
    base = "https://chat.example.com"
    assert protocol.bot_uttered_payloads({"text": "Our chart:", "image": "/shop/size-chart.svg"}, base) == [
        {"text": "Our chart:"}, {"attachment": {"type": "image", "payload": {"src": base + "/shop/size-chart.svg"}}}]
    # Addresses stay as they are; so does a path when no base is known.
    for src in ("https://cdn.example.com/a.png", "//cdn.example.com/a.png", "a.png"):
        assert protocol.absolute_src(src, base) == src
    assert protocol.absolute_src("/a.png", "") == "/a.png"


def test_the_public_url_setting():
    env = {"HANDOFF_SECRET": "s" * 16, "BRIDGE_HOST": "0.0.0.0", "BRIDGE_PORT": "8123"}
    assert Settings.from_env(env).public_base == ""  # every interface, no address given: paths stay paths
    assert Settings.from_env({**env, "BRIDGE_HOST": "127.0.0.1"}).public_base == "http://127.0.0.1:8123"
    assert Settings.from_env({**env, "BRIDGE_PUBLIC_URL": "https://chat.example.com/"}).public_base == (
        "https://chat.example.com")
    with pytest.raises(ConfigError, match="BRIDGE_PUBLIC_URL"):
        Settings.from_env({**env, "BRIDGE_PUBLIC_URL": "chat.example.com"})


def test_agent_message_carries_the_agent_in_metadata():
    payload = protocol.agent_uttered("Hi, I'm Alice", protocol.AgentIdentity("alice", "Alice"))
    assert payload == {"text": "Hi, I'm Alice", "metadata": {"agent": {"id": "alice", "name": "Alice"},
                                                               "sender": "agent"}}


@pytest.mark.parametrize("value, code", [(None, "malformed"), (5, "malformed"), ("", "empty"), ("  \x00 ", "empty"),
                                         ("x" * 4001, "too_long")])
def test_bad_message_text(value, code):
    with pytest.raises(protocol.BadPayload) as e:
        protocol.message_text(value, 4000)
    assert e.value.code == code


def test_message_text_keeps_html_as_text_and_drops_control_characters():
    assert protocol.message_text("<script>alert(1)</script>\x07", 4000) == "<script>alert(1)</script>"


@pytest.mark.parametrize("value", ["short", "has space in it", "../../etc", "x" * 65, None, 7])
def test_bad_conversation_ids(value):
    with pytest.raises(protocol.BadPayload):
        protocol.conversation_id(value)


def test_priority_and_wait():
    assert vocabulary.priority_for("frustration") > vocabulary.priority_for("sensitive") > vocabulary.priority_for("explicit_request")
    assert queue.estimated_wait_s(3, 0, 180) == 540
    assert queue.estimated_wait_s(4, 2, 180) == 360
