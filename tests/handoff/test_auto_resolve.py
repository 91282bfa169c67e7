"""Auto-resolve on a real Redis and a real bridge, the clock passed in (no waiting for minutes):
a silent customer is asked whether they are still there, then the conversation closes; a bot-only
conversation nobody writes in closes too; a customer who writes again keeps it open."""

from __future__ import annotations

import time

from handoff import keys, protocol, vocabulary
from handoff.http_api import BRIDGE
from handoff.idle import AUTO_RESOLVED
from harness.clients import Agent, Customer
from tests.handoff.test_queue_and_agents import queued_customer

MINUTE = 60.0


def resolver(bridge):
    return bridge.runner.app[BRIDGE].idle


async def claimed(bridge, agent: Agent) -> Customer:
    customer = await queued_customer(bridge)
    await agent.emit(protocol.CLAIM, {"conversation_id": customer.session_id})
    await agent.seen.wait_for(protocol.CLAIMED, lambda v: v["conversation_id"] == customer.session_id)
    await customer.say("my parcel is late")
    await agent.seen.wait_for(protocol.CUSTOMER_MESSAGE)
    await agent.emit(protocol.AGENT_MESSAGE, {"conversation_id": customer.session_id, "text": "Could you check the label?"})
    await customer.seen.wait_for(protocol.BOT_UTTERED, lambda m: "check the label" in m.get("text", ""))
    return customer


async def test_a_silent_customer_is_asked_then_the_chat_closes_as_auto_resolved(dead_rasa_bridge, redis):
    alice = await Agent(dead_rasa_bridge.url, "alice", "alice-demo-password").connect()
    customer = await claimed(dead_rasa_bridge, alice)
    idle, now = resolver(dead_rasa_bridge), time.time()
    assert await idle.sweep(now + 9 * MINUTE) == {"warned": 0, "closed": 0}  # the default: 10 minutes
    assert await idle.sweep(now + 11 * MINUTE) == {"warned": 1, "closed": 0}
    asked = await customer.seen.wait_for(protocol.BOT_UTTERED, lambda m: "still there" in m.get("text", ""))
    assert "5 minutes" in asked["text"]
    seen = await alice.seen.wait_for(protocol.ENTRY_ADDED, lambda v: v["entry"].get("event") == "still_there")
    assert seen["conversation_id"] == customer.session_id
    assert await idle.sweep(now + 12 * MINUTE) == {"warned": 0, "closed": 0}  # asked once, not every sweep
    assert await idle.sweep(now + 17 * MINUTE) == {"warned": 0, "closed": 1}
    closed = await customer.seen.wait_for(protocol.HANDOFF_CLOSED)
    assert closed["resolution"] == AUTO_RESOLVED
    ended = await alice.seen.wait_for(protocol.CONVERSATION_ENDED)
    assert ended["conversation_id"] == customer.session_id
    stored = await redis.hgetall(keys.conversation(customer.session_id))
    assert stored["state"] == "closed" and stored["resolution"] == AUTO_RESOLVED
    assert await redis.zscore(keys.CLOSED_CONVERSATIONS, customer.session_id) is not None  # retention runs
    assert await redis.zscore(keys.ACTIVITY, customer.session_id) is None
    assert customer.session_id not in await redis.smembers(keys.agent_conversations("alice"))
    lines = [e for e in await dead_rasa_bridge.runner.app[BRIDGE].conversations.transcript(customer.session_id)
             if e.get("event") == "auto_resolved"]
    assert lines and lines[0]["line_params"] == {"resolution": AUTO_RESOLVED}
    assert vocabulary.RESOLUTION_LABELS[AUTO_RESOLVED]["ja"]  # the console labels it in both languages
    for client in (customer, alice):
        await client.close()


async def test_a_customer_who_answers_the_warning_keeps_the_chat(dead_rasa_bridge, redis):
    alice = await Agent(dead_rasa_bridge.url, "alice", "alice-demo-password").connect()
    customer = await claimed(dead_rasa_bridge, alice)
    idle, now = resolver(dead_rasa_bridge), time.time()
    assert (await idle.sweep(now + 11 * MINUTE))["warned"] == 1
    await customer.say("yes, still here")
    await alice.seen.wait_for(protocol.CUSTOMER_MESSAGE, lambda v: "still here" in v["text"])
    assert await idle.sweep(now + 17 * MINUTE) == {"warned": 0, "closed": 0}  # the agent's turn now
    assert await redis.hget(keys.conversation(customer.session_id), "state") == "with_agent"
    for client in (customer, alice):
        await client.close()


async def test_waiting_for_the_agent_is_not_the_customer_being_silent(dead_rasa_bridge, redis):
    alice = await Agent(dead_rasa_bridge.url, "alice", "alice-demo-password").connect()
    customer = await queued_customer(dead_rasa_bridge)
    await alice.emit(protocol.CLAIM, {"conversation_id": customer.session_id})
    await alice.seen.wait_for(protocol.CLAIMED)
    await customer.say("hello? anyone?")
    await alice.seen.wait_for(protocol.CUSTOMER_MESSAGE)
    assert await resolver(dead_rasa_bridge).sweep(time.time() + 60 * MINUTE) == {"warned": 0, "closed": 0}
    queued = await queued_customer(dead_rasa_bridge)  # waiting: not for hours, nor over a closed weekend
    assert await resolver(dead_rasa_bridge).sweep(time.time() + 48 * 60 * MINUTE) == {"warned": 0, "closed": 0}
    assert await redis.hget(keys.conversation(queued.session_id), "state") == "queued"
    # ... but abandoned for three days it closes and leaves the queue: nothing stays open forever.
    assert (await resolver(dead_rasa_bridge).sweep(time.time() + 73 * 60 * MINUTE))["closed"] >= 1
    assert await redis.hget(keys.conversation(queued.session_id), "state") == "closed"
    assert await redis.zscore(keys.QUEUE, queued.session_id) is None
    for client in (customer, queued, alice):
        await client.close()


async def test_a_bot_only_conversation_nobody_writes_in_closes_and_reopens_fresh(dead_rasa_bridge, redis):
    customer = Customer(dead_rasa_bridge.url)
    await customer.connect()
    await customer.say("hello")  # Rasa is down here: the bridge answers, the conversation is written in
    await customer.seen.wait_for(protocol.BOT_UTTERED)
    idle, now = resolver(dead_rasa_bridge), time.time()
    assert await idle.sweep(now + 59 * MINUTE) == {"warned": 0, "closed": 0}
    assert await idle.sweep(now + 61 * MINUTE) == {"warned": 0, "closed": 1}
    stored = await redis.hgetall(keys.conversation(customer.session_id))
    assert stored["state"] == "closed" and stored["resolution"] == AUTO_RESOLVED
    assert await redis.zscore(keys.CLOSED_CONVERSATIONS, customer.session_id) is not None
    assert customer.seen.of(protocol.HANDOFF_CLOSED) == []  # nobody to tell, and no survey for the bot
    view = await dead_rasa_bridge.runner.app[BRIDGE].views.customer(customer.session_id)
    assert view["state"] == "closed" and view["survey_pending"] is False  # not after a reload either
    await customer.say("I'm back")  # reopens, with the assistant
    assert await customer.seen.count_reaches(protocol.BOT_UTTERED, 2, timeout=30)
    assert await redis.hget(keys.conversation(customer.session_id), "state") == "bot"
    sweep = await dead_rasa_bridge.runner.app[BRIDGE].retention.sweep(now + 365 * 86400)
    assert sweep["conversations"] == 0 and await redis.exists(keys.conversation(customer.session_id))  # reopened: kept
    assert await redis.zscore(keys.ACTIVITY, customer.session_id) is not None
    await customer.close()


async def test_a_reopened_auto_resolved_conversation_starts_fresh_on_the_escalation_side(bridge, redis):
    """Real Rasa: the turns before the close are not evidence for the next decision (no instant
    re-handoff from old signals), while the history stays for the agent."""
    customer = Customer(bridge.url)
    await customer.connect()
    for turn, text in enumerate(("hi", "how much is shipping"), start=1):
        await customer.say(text, customData={"language": "en"})
        assert await customer.seen.count_reaches(protocol.BOT_UTTERED, turn, timeout=60)
    app = bridge.runner.app[BRIDGE]
    before = [e for e in (await app.rasa.tracker(customer.session_id))["events"]
              if e["event"] == "slot" and e["name"] == "escalation" and e["value"]]
    assert [d["value"]["turn"] for d in before] == [1, 2]
    assert (await app.idle.sweep(time.time() + 61 * MINUTE))["closed"] == 1
    count = len(customer.seen.of(protocol.BOT_UTTERED))
    await customer.say("what is your return policy", customData={"language": "en"})
    assert await customer.seen.count_reaches(protocol.BOT_UTTERED, count + 1, timeout=60)
    after = [e for e in (await app.rasa.tracker(customer.session_id))["events"]
             if e["event"] == "slot" and e["name"] == "escalation" and e["value"]]
    assert after[-1]["value"]["turn"] == 1 and after[-1]["value"]["action"] == "none"
    transcript = [e["text"] for e in await app.conversations.transcript(customer.session_id) if e["role"] == "customer"]
    assert transcript == ["hi", "how much is shipping", "what is your return policy"]
    await customer.close()
