"""The whole journey through the real stack: Socket.IO customer → bridge → Rasa (trained model)
→ action server → bridge's handoff endpoint → agent on /agent → back to the bot."""

from __future__ import annotations

import asyncio

import pytest

from handoff import keys, protocol
from harness.clients import Agent, Customer
from harness.rasa import RasaStack
from tests.handoff.conftest import BridgeProcessless, bridge_settings, free_port


def tracker_turns(stack: RasaStack, conversation_id: str) -> list:
    events = stack.tracker(conversation_id)["events"]
    return [(e["event"], e.get("text")) for e in events if e["event"] in ("user", "bot") and e.get("text")]


async def test_bot_then_person_then_bot_again(bridge, rasa_stack, redis):
    customer = Customer(bridge.url)
    conversation_id = await customer.connect()

    await customer.say("where is my order ORD-100101", customData={"language": "en"})
    await customer.bot_says("on its way")

    alice = await Agent(bridge.url, "alice", "alice-demo-password").connect()
    await customer.say("I want to talk to a human")
    await customer.bot_says("connecting you to a person")
    queued = await customer.seen.wait_for(protocol.HANDOFF_QUEUED)
    assert queued["position"] == 1 and queued["estimated_wait_s"] > 0
    queue = await alice.seen.wait_for(protocol.QUEUE, lambda q: any(i["conversation_id"] == conversation_id for i in q))
    entry = next(i for i in queue if i["conversation_id"] == conversation_id)
    assert entry["reason"] == "explicit_request"
    assert entry["evidence"][0]["message"] == "I want to talk to a human"

    # While queued, Rasa does not answer: the message waits for the agent.
    await customer.say("are you there?")
    await asyncio.sleep(1.0)
    assert not any("are you there" in t for t in customer.texts())
    assert len([t for t in customer.texts() if t]) == 3  # the status, the question for the e-mail, "connecting you"

    await alice.emit(protocol.CLAIM, {"conversation_id": conversation_id})
    view = await alice.seen.wait_for(protocol.CLAIMED)
    roles = [(t["role"], t["text"]) for t in view["transcript"]]
    assert ("customer", "where is my order ORD-100101") in roles and ("customer", "are you there?") in roles
    assert view["context"]["intents"][-1]["intent"] == "request_human"
    assert view["context"]["slots"]["order_number"] == "ORD-100101"
    joined = await customer.seen.wait_for(protocol.AGENT_JOINED)
    assert joined["agent"]["name"] == "Alice"

    await customer.say("my parcel seems stuck")
    assert (await alice.seen.wait_for(protocol.CUSTOMER_MESSAGE))["text"] == "my parcel seems stuck"
    await alice.emit(protocol.AGENT_MESSAGE, {"conversation_id": conversation_id, "text": "I've asked DHL to check."})
    from_agent = await customer.bot_says("asked DHL")
    assert from_agent["metadata"]["agent"]["name"] == "Alice"

    await alice.emit(protocol.HAND_BACK, {"conversation_id": conversation_id})
    await customer.seen.wait_for(protocol.HANDOFF_RETURNED)
    assert await redis.hget(keys.conversation(conversation_id), "state") == "bot"

    await customer.say("how much is shipping?")
    await customer.bot_says("$4.95")

    # Rasa's tracker holds every turn, the human part included, in order.
    turns = tracker_turns(rasa_stack, conversation_id)
    texts = [text for _, text in turns]
    order = ["where is my order ORD-100101", "I want to talk to a human", "are you there?",
             "my parcel seems stuck", "I've asked DHL to check.", "how much is shipping?"]
    positions = [texts.index(t) for t in order]
    assert positions == sorted(positions)
    assert ("bot", "I've asked DHL to check.") in turns
    await customer.close()
    await alice.close()


async def test_a_reloaded_widget_gets_the_same_conversation_and_history(bridge):
    customer = Customer(bridge.url)
    conversation_id = await customer.connect()
    await customer.say("hello")
    await customer.bot_says("Northwind Goods assistant")
    await customer.close()

    reloaded = Customer(bridge.url)
    assert await reloaded.connect(conversation_id, resume_token=customer.resume_token) == conversation_id
    history = await reloaded.seen.wait_for(protocol.HISTORY)
    assert [t["role"] for t in history["transcript"]][:2] == ["customer", "bot"]
    assert history["transcript"][0]["text"] == "hello"
    await reloaded.close()


async def test_a_frustrated_customer_arrives_in_the_queue_with_reason_and_evidence(bridge):
    """No "agent" asked for: the escalation check in the action server judges the turns, and the
    agent sees why in one line, with the messages behind it."""
    customer = Customer(bridge.url)
    conversation_id = await customer.connect()
    alice = await Agent(bridge.url, "alice", "alice-demo-password").connect()

    await customer.say("where is my order ORD-100102")
    await customer.bot_says("being prepared")
    await customer.say("THIS IS USELESS!!! you don't understand anything, I need it TODAY")
    await customer.bot_says("so frustrating")
    await customer.bot_says("connecting you to a person")
    await customer.seen.wait_for(protocol.HANDOFF_QUEUED)

    queue = await alice.seen.wait_for(protocol.QUEUE, lambda q: any(i["conversation_id"] == conversation_id for i in q))
    entry = next(i for i in queue if i["conversation_id"] == conversation_id)
    assert entry["reason"] == "frustration"
    assert entry["summary"].startswith("frustration 0.") and "shouting" in entry["summary"]
    assert any(e["signal"] == "frustration" and "THIS IS USELESS" in e.get("message", "") for e in entry["evidence"])
    assert entry["priority"] > 0  # frustration goes ahead of plain requests
    await customer.close()
    await alice.close()


async def test_a_rasa_server_that_is_down_is_skipped(rasa_stack, redis, redis_server):
    """With two Rasa servers configured and one down, conversations whose first choice is the dead one
    are answered by the other (they share the tracker store)."""
    from handoff.rasa_client import server_order

    dead = f"http://127.0.0.1:{free_port()}"
    servers = (dead, rasa_stack.rasa_url)
    running = await BridgeProcessless(bridge_settings(redis_server.url, free_port(), rasa_stack.rasa_url,
                                                      rasa_token=rasa_stack.token, rasa_urls=servers)).start()
    try:
        for _ in range(12):
            customer = Customer(running.url)
            conversation_id = await customer.connect()
            if server_order(conversation_id, list(servers))[0] == dead:
                break
            await customer.close()
        else:
            pytest.fail("no conversation had the dead server first")
        ack = await customer.sio.call(protocol.USER_UTTERED, {"message": "where is my order ORD-100101",
                                                             "session_id": conversation_id, "message_id": "q1"},
                                      timeout=60)
        assert ack["status"] == "ok"
        await customer.bot_says("on its way")
        assert ("user", "where is my order ORD-100101") in tracker_turns(rasa_stack, conversation_id)
        await customer.close()
    finally:
        await running.stop()


async def test_a_turn_whose_bridge_died_is_answered_from_rasas_tracker_once(bridge, rasa_stack, redis):
    """A bridge passed the message to Rasa and died before writing the replies: the customer's retry
    gets the replies Rasa gave then, and Rasa does not see the message a second time."""
    import json
    import time

    from bot.launcher import http_json

    customer = Customer(bridge.url)
    conversation_id = await customer.connect()
    text, mid = "where is my order ORD-100101", "dead-bridge-1"
    # What the dead bridge did: wrote the message, claimed it as sent, passed it to Rasa.
    await redis.rpush(keys.transcript(conversation_id), json.dumps(
        {"id": "e1", "role": "customer", "text": text, "ts": time.time(), "message_id": mid}))
    await redis.set(keys.message(conversation_id, "customer", mid), f"sent:{time.time() - 600:.3f}")
    http_json("POST", f"{rasa_stack.rasa_url}/webhooks/rest/webhook",
              {"sender": conversation_id, "message": text, "metadata": {"message_id": mid}}, token=rasa_stack.token)

    ack = await customer.sio.call(protocol.USER_UTTERED, {"message": text, "session_id": conversation_id,
                                                         "message_id": mid}, timeout=60)
    assert ack["status"] == "ok"
    await customer.bot_says("on its way")
    assert sum(1 for turn in tracker_turns(rasa_stack, conversation_id) if turn == ("user", text)) == 1
    entries = [json.loads(e) for e in await redis.lrange(keys.transcript(conversation_id), 0, -1)]
    assert [e["role"] for e in entries].count("customer") == 1
    assert any(e["role"] == "bot" and "on its way" in e["text"] and e.get("reply_to") == mid for e in entries)
    again = await customer.sio.call(protocol.USER_UTTERED, {"message": text, "session_id": conversation_id,
                                                           "message_id": mid}, timeout=60)
    assert again["status"] == "duplicate"
    await customer.close()
