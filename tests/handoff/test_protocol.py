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
    env = {"HANDOFF_SECRET": "s" * 16, "BRIDGE_HOST": "0.0.0.0", "BRIDGE_PORT": "8123", "BRIDGE_DEMO": "1"}
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


# --- what any payload may be (checked at the edge: handoff.reporting) --------------------------------

@pytest.mark.parametrize("payload", [
    "\ud800", {"message": "hi \udfff"}, {"\ud83d": "key"}, ["ok", ["\udc00"]], {"customData": {"x": "\ud800"}},
])
def test_a_lone_surrogate_anywhere_is_malformed(payload):
    with pytest.raises(protocol.BadPayload) as refused:
        protocol.sane(payload)
    assert refused.value.code == "malformed" and "surrogate" in str(refused.value)


def test_deep_or_huge_payloads_are_malformed_and_ordinary_ones_pass():
    deep: object = "x"
    for _ in range(protocol.MAX_DEPTH + 1):
        deep = {"a": deep}
    with pytest.raises(protocol.BadPayload, match="nested"):
        protocol.sane(deep)
    with pytest.raises(protocol.BadPayload, match="values"):
        protocol.sane({"items": list(range(protocol.MAX_VALUES + 1))})
    protocol.sane({"message": "配送状況を教えてください 😀", "session_id": "abcdefgh", "customData": {"language": "ja"},
                   "message_id": "m-1", "capabilities": ["handoff_events"]})
    protocol.sane(None)


def test_message_text_is_nfc_and_refuses_surrogates():
    decomposed = "か\u3099"  # か + combining dakuten: が as some keyboards send it
    assert protocol.message_text(decomposed, 100) == "が"
    assert protocol.message_text("ＯＲＤ－１００１０１", 100) == "ＯＲＤ－１００１０１"  # full-width kept as typed
    with pytest.raises(protocol.BadPayload, match="surrogate"):
        protocol.message_text("hello \ud800", 100)


def test_custom_data_keeps_only_known_short_strings():
    kept = protocol.custom_data({"language": "ja", "page": "/shop/", "token": "secret", "deep": {"a": {"b": 1}},
                                 "referrer": "x" * 501})
    assert kept == {"language": "ja", "page": "/shop/"}
    assert protocol.custom_data({"language": 5}) == {}
    assert protocol.custom_data(None) == {}
    with pytest.raises(protocol.BadPayload):
        protocol.custom_data("not an object")


def test_writes_to_the_api_are_json_and_same_site():
    from handoff.http_api import cross_site_refusal

    def refusal(method="POST", content_type="application/json", origin=None, site=None, allowed=()):
        found = cross_site_refusal(method, content_type, origin, site, "shop.example:8000", allowed)
        return found and found[1]

    assert refusal() is None  # the action server, curl: no Origin
    assert refusal(origin="http://shop.example:8000", site="same-origin") is None
    assert refusal(content_type="text/plain") == "unsupported_media_type"  # a cross-site "simple" request
    assert refusal(content_type="application/x-www-form-urlencoded") == "unsupported_media_type"
    assert refusal(origin="https://evil.example") == "cross_site"
    assert refusal(origin="null") == "cross_site"  # a sandboxed frame
    assert refusal(site="cross-site") == "cross_site"
    assert refusal(origin="https://partner.example", allowed=("https://partner.example",)) is None
    assert refusal(method="GET", content_type="text/plain", origin="https://evil.example") is None


def test_the_example_accounts_are_taken_only_in_demo_mode(tmp_path):
    env = {"HANDOFF_SECRET": "s" * 16}
    with pytest.raises(ConfigError, match="published"):
        Settings.from_env(env)
    assert Settings.from_env({**env, "BRIDGE_DEMO": "1"}).agents_file.name == "agents.example.json"
    own = tmp_path / "agents.json"
    own.write_text("[]")
    assert Settings.from_env({**env, "AGENTS_FILE": str(own)}).agents_file == own
