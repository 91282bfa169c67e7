"""Widgets that speak only Rasa's socket.io protocol: exactly Rasa's message shapes, and the handoff
told as plain bot messages (a real Redis, real Socket.IO clients; Rasa is down here)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest

from handoff import protocol
from harness.clients import Agent, Customer, post_handoff
from harness.rasa import RasaStack, seed_shop, write_socketio_credentials
from tests.handoff.conftest import SECRET

# The message shapes a Rasa 3.6 socketio channel sends (rasa-webchat draws only these, after
# dropping `metadata`): text, text with quick replies or buttons, attachments, custom payloads.
RASA_SHAPES = [{"text"}, {"text", "quick_replies"}, {"text", "buttons"}, {"attachment"}]


def rasa_keys(payload: dict[str, Any]) -> set[str]:
    """The keys a Rasa widget classifies a message by (it strips `metadata` first)."""
    return set(payload) - {"metadata"}


def test_capabilities_and_messages_without_a_message_field() -> None:
    assert protocol.capabilities(["handoff_events", "telepathy", 3]) == {"handoff_events"}
    assert protocol.capabilities("handoff_events") == frozenset()  # a list, or nothing
    assert protocol.optional_message(None, 10) == ""
    assert protocol.optional_message("  hi ", 10) == "hi"


def test_ours_rides_in_metadata_and_rasa_keys_stay_rasa() -> None:
    shaped = protocol.with_metadata({"text": "Hi", "quick_replies": [], "metadata": {"linkTarget": "_self"}},
                                    id="e1", reply_to="m1")
    assert rasa_keys(shaped) == {"text", "quick_replies"}
    assert shaped["metadata"] == {"linkTarget": "_self", "id": "e1", "reply_to": "m1"}
    agent = protocol.agent_uttered("On it", protocol.AgentIdentity("a-1", "Alice"), "e2")
    assert rasa_keys(agent) == {"text"} and agent["metadata"]["id"] == "e2"


def test_plain_messages_of_the_handoff_events_in_both_languages() -> None:
    queued = {"position": 3, "estimated_wait_s": 170, "agents_available": 2}
    assert protocol.plain_message(protocol.HANDOFF_QUEUED, queued) == {
        "text": "Connecting you to a person: you are number 3 in line, about 3 min."}
    busy = protocol.plain_message(protocol.HANDOFF_QUEUED, {**queued, "agents_available": 0}, "ja")
    assert busy is not None and "3番目" in busy["text"]
    joined = protocol.plain_message(protocol.AGENT_JOINED, {"agent": {"id": "a-1", "name": "Alice"}}, "ja")
    assert joined == {"text": "サポートのAliceが参加しました"}
    assert protocol.plain_message(protocol.HANDOFF_RETURNED, {}) == {"text": "You're back with the assistant"}
    for silent in (protocol.TYPING, protocol.SURVEY_SAVED, protocol.HANDOFF_NO_AGENT, protocol.HISTORY):
        assert protocol.plain_message(silent, {"who": "agent", "typing": True}) is None


async def test_a_plain_rasa_widget_is_told_the_handoff_in_bot_messages(dead_rasa_bridge) -> None:
    alice = await Agent(dead_rasa_bridge.url, "alice", "alice-demo-password").connect()
    plain = Customer(dead_rasa_bridge.url, capabilities=())
    await plain.connect()
    status, _ = await post_handoff(dead_rasa_bridge.url, {"conversation_id": plain.session_id,
                                                          "reason": "explicit_request"}, SECRET)
    assert status == 200
    await plain.bot_says("you are number 1 in line")
    await alice.emit(protocol.CLAIM, {"conversation_id": plain.session_id})
    await plain.bot_says("Alice from Support joined")
    await alice.emit(protocol.AGENT_MESSAGE, {"conversation_id": plain.session_id, "text": "Hi, Alice here."})
    await plain.bot_says("Hi, Alice here.")
    await alice.emit(protocol.HAND_BACK, {"conversation_id": plain.session_id})
    await plain.bot_says("You're back with the assistant")
    # Only what a Rasa widget knows: bot_uttered in Rasa's shapes, nothing of the handoff protocol.
    events = {event for event, _ in plain.seen.events}
    assert events <= {protocol.SESSION_CONFIRM, protocol.BOT_UTTERED}, events
    assert all(rasa_keys(p) in RASA_SHAPES for p in plain.seen.of(protocol.BOT_UTTERED))
    for client in (plain, alice):
        await client.close()


async def test_our_widget_and_a_plain_widget_on_one_conversation_each_get_their_own(dead_rasa_bridge) -> None:
    ours = Customer(dead_rasa_bridge.url)
    await ours.connect()
    plain = Customer(dead_rasa_bridge.url, capabilities=())
    assert await plain.connect(ours.session_id, resume_token=ours.resume_token) == ours.session_id
    await post_handoff(dead_rasa_bridge.url, {"conversation_id": ours.session_id, "reason": "frustration"}, SECRET)
    assert (await ours.seen.wait_for(protocol.HANDOFF_QUEUED))["position"] == 1
    await plain.bot_says("you are number 1 in line")
    assert not [t for t in ours.texts() if "in line" in t]  # our widget shows the place itself
    assert ours.seen.of(protocol.HISTORY) and not plain.seen.of(protocol.HISTORY)
    for client in (ours, plain):
        await client.close()


async def test_a_message_without_a_message_field_is_taken_as_rasa_takes_it(dead_rasa_bridge) -> None:
    plain = Customer(dead_rasa_bridge.url, capabilities=())
    await plain.connect()
    ack = await plain.sio.call(protocol.USER_UTTERED, {"session_id": plain.session_id, "customData": {}})
    assert ack["status"] == "ok"  # Rasa is down here: the customer is told so, in a Rasa shape
    reply = await plain.bot_says("assistant is unavailable")
    assert rasa_keys(reply) == {"text", "quick_replies"}
    empty = await plain.sio.call(protocol.USER_UTTERED, {"session_id": plain.session_id, "message": "  "})
    assert empty["status"] == "error" and empty["code"] == "empty"  # a message that is there must say something
    await plain.close()


# --- side by side with Rasa's own socketio channel, same model (the real Rasa side) ---------------

SCRIPT = ["/greet", "/order_status", "ORD-100101", "where is my order ORD-100303", "/faq/sizing", "thanks"]


@pytest.fixture(scope="module")
def socketio_rasa(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RasaStack]:
    """A second Rasa stack on the same model, with Rasa's own socketio channel on, and its own stores."""
    workdir = tmp_path_factory.mktemp("rasa-socketio")
    seed_shop(workdir / "shop.sqlite3", workdir / "seed.log")
    stack = RasaStack(workdir=workdir, shop_db=workdir / "shop.sqlite3",
                      credentials=write_socketio_credentials(workdir)).start()
    yield stack
    stack.stop()


async def conversation(url: str, script: list[str]) -> list[list[dict[str, Any]]]:
    """What a plain Rasa widget receives for each line of ``script``, metadata stripped (as it strips it)."""
    client = Customer(url, capabilities=())
    await client.connect()
    turns = []
    try:
        for line in script:
            before = len(client.seen.of(protocol.BOT_UTTERED))
            await client.say(line)
            def more(_: object, seen: int = before) -> bool:
                return len(client.seen.of(protocol.BOT_UTTERED)) > seen

            await client.seen.wait_for(protocol.BOT_UTTERED, more, timeout=60)
            await asyncio.sleep(1.5)  # the rest of the turn's messages
            turns.append([{k: v for k, v in p.items() if k != "metadata"}
                          for p in client.seen.of(protocol.BOT_UTTERED)[before:]])
    finally:
        await client.close()
    return turns


async def test_the_bridge_sends_what_rasas_own_socketio_channel_sends(bridge, socketio_rasa) -> None:
    through_bridge = await conversation(bridge.url, SCRIPT)
    from_rasa = await conversation(socketio_rasa.rasa_url, SCRIPT)
    # One difference, on purpose: the size chart's path is sent as an address on the bridge, since a
    # widget on the shop's own site would look for the path there.
    chart = [p for p in through_bridge[4] if "attachment" in p]
    assert [p["attachment"]["payload"]["src"] for p in chart] == [bridge.url + "/shop/size-chart.svg"]
    chart[0]["attachment"]["payload"]["src"] = "/shop/size-chart.svg"
    assert through_bridge == from_rasa
    assert any("quick_replies" in p for p in through_bridge[0])  # the greeting's buttons, in both
    assert any("on its way" in p.get("text", "") for p in through_bridge[2])
