"""Payload validation and message shaping."""

from __future__ import annotations

import pytest

from handoff import protocol, queue, vocabulary


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
