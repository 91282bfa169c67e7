"""Retention on a real Redis: what is past its period is deleted, nothing else (the clock is passed in)."""

from __future__ import annotations

import time

from handoff import keys, protocol
from handoff.outbox import Outbox
from handoff.retention import Periods, Retention
from harness.clients import Agent, Customer
from tests.handoff.test_queue_and_agents import queued_customer

DAY = 86400.0


async def closed_conversation(bridge, agent: Agent, said: str) -> Customer:
    customer = await queued_customer(bridge)
    await agent.emit(protocol.CLAIM, {"conversation_id": customer.session_id})
    await agent.seen.wait_for(protocol.CLAIMED, lambda v: v["conversation_id"] == customer.session_id)
    await customer.say(said)
    await agent.seen.wait_for(protocol.CUSTOMER_MESSAGE)
    await agent.emit(protocol.CLOSE, {"conversation_id": customer.session_id, "resolution": "answered"})
    await customer.seen.wait_for(protocol.HANDOFF_CLOSED)
    return customer


async def test_closed_conversations_and_handled_tickets_go_after_their_period(dead_rasa_bridge, redis):
    alice = await Agent(dead_rasa_bridge.url, "alice", "alice-demo-password").connect()
    old = await closed_conversation(dead_rasa_bridge, alice, "my e-mail is jane.doe@example.com")
    reopened = await closed_conversation(dead_rasa_bridge, alice, "thanks for the help")
    await reopened.say("one more question")  # back with the assistant: its period is over
    live = Customer(dead_rasa_bridge.url)
    await live.connect()
    await live.say("hello")
    waiting = await queued_customer(dead_rasa_bridge)
    await waiting.emit(protocol.LEAVE_MESSAGE, {"email": "kenji.sato@example.jp", "text": "call me"})
    ticket = (await waiting.seen.wait_for(protocol.TICKET_CREATED))["ticket_id"]
    await alice.emit(protocol.TICKET_HANDLED, {"ticket_id": ticket})
    await alice.seen.wait_for(protocol.TICKETS, lambda ts: any(t["status"] == "handled" for t in ts))
    for c in (old, reopened, live, waiting):
        await c.close()

    retention = Retention(redis, Outbox(redis), Periods(conversations_s=30 * DAY, tickets_s=365 * DAY))
    acknowledgement = await Outbox(redis).to("kenji.sato@example.jp")  # the left message's, with its text
    assert [m["kind"] for m in acknowledgement] == ["ticket_ack"] and "call me" in acknowledgement[0]["body"]
    assert await retention.sweep(time.time() + 29 * DAY) == {"conversations": 0, "tickets": 0}  # not yet
    assert await retention.sweep(time.time() + 31 * DAY) == {"conversations": 2, "tickets": 0}
    assert await Outbox(redis).to("kenji.sato@example.jp") == []  # the mail went with the period
    for gone in (old.session_id, waiting.session_id):  # closed by an agent; closed by leaving a message
        assert not await redis.exists(keys.conversation(gone), keys.transcript(gone))
    assert "jane.doe" not in str(await redis.keys("*")) + str([await redis.lrange(k, 0, -1)
                                                                for k in await redis.keys("*transcript*")])
    for kept in (reopened.session_id, live.session_id):
        assert await redis.exists(keys.conversation(kept)) and await redis.llen(keys.transcript(kept))
    assert await redis.exists(keys.ticket(ticket))  # a ticket is kept a year
    assert await retention.sweep(time.time() + 366 * DAY) == {"conversations": 0, "tickets": 1}
    assert not await redis.exists(keys.ticket(ticket)) and ticket not in await redis.lrange(keys.TICKETS, 0, -1)
    assert await redis.zcard(keys.CLOSED_CONVERSATIONS) == 0  # the reopened one left the index
    await alice.close()
