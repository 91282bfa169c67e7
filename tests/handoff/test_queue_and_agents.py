"""Queue, claims, agents and the customer protocol, on a real Redis (Rasa is down here)."""

from __future__ import annotations

import asyncio
import json

from handoff import keys, protocol
from harness.clients import Agent, Customer, post_handoff
from tests.handoff.conftest import SECRET


async def queued_customer(bridge, reason: str = "explicit_request") -> Customer:
    customer = Customer(bridge.url)
    await customer.connect()
    status, body = await post_handoff(bridge.url, {"conversation_id": customer.session_id, "reason": reason,
                                                   "evidence": [{"signal": reason, "message": "help"}],
                                                   "intents": [{"intent": "request_human", "confidence": 0.97}],
                                                   "slots": {"order_number": "ORD-100101"}}, SECRET)
    assert (status, body["status"]) == (200, "queued")
    return customer


async def test_session_ids_are_minted_and_kept(dead_rasa_bridge):
    first = Customer(dead_rasa_bridge.url)
    minted = await first.connect()
    assert len(minted) >= 20
    again = Customer(dead_rasa_bridge.url)
    assert await again.connect(minted, resume_token=first.resume_token) == minted  # reload: same conversation
    stranger = Customer(dead_rasa_bridge.url)
    assert await stranger.connect("not-a-known-conversation-id") not in ("not-a-known-conversation-id", minted)
    knows_the_id = Customer(dead_rasa_bridge.url)
    assert await knows_the_id.connect(minted) != minted  # the id alone is not enough (handoff.identity)
    for c in (first, again, stranger, knows_the_id):
        await c.close()


async def test_handoff_queues_tells_the_customer_and_notifies_agents(dead_rasa_bridge, redis):
    alice = await Agent(dead_rasa_bridge.url, "alice", "alice-demo-password").connect()
    customer = await queued_customer(dead_rasa_bridge, "complaint")
    queued = await customer.seen.wait_for(protocol.HANDOFF_QUEUED)
    assert queued["position"] == 1 and queued["agents_available"] == 1
    queue = await alice.seen.wait_for(protocol.QUEUE, lambda q: len(q) == 1)
    assert queue[0]["conversation_id"] == customer.session_id and queue[0]["reason"] == "complaint"
    assert queue[0]["evidence"] == [{"signal": "complaint", "message": "help"}]
    # A second handoff changes nothing.
    status, body = await post_handoff(dead_rasa_bridge.url, {"conversation_id": customer.session_id,
                                                             "reason": "explicit_request"}, SECRET)
    assert (status, body["status"]) == (200, "unchanged")
    assert await redis.zcard(keys.QUEUE) == 1
    assert await redis.hget(keys.conversation(customer.session_id), "reason") == "complaint"
    await customer.close()
    await alice.close()


async def test_handoff_endpoint_refuses_bad_requests(dead_rasa_bridge, redis):
    customer = Customer(dead_rasa_bridge.url)
    await customer.connect()
    body = {"conversation_id": customer.session_id, "reason": "explicit_request"}
    assert (await post_handoff(dead_rasa_bridge.url, body, "wrong-secret"))[0] == 401
    assert (await post_handoff(dead_rasa_bridge.url, {"conversation_id": "../../x"}, SECRET))[0] == 400
    assert (await post_handoff(dead_rasa_bridge.url, ["not", "an", "object"], SECRET))[0] == 400
    assert await redis.zcard(keys.QUEUE) == 0
    await customer.close()


async def test_two_agents_claim_at_once_and_exactly_one_wins(dead_rasa_bridge, redis):
    alice = await Agent(dead_rasa_bridge.url, "alice", "alice-demo-password").connect()
    bob = await Agent(dead_rasa_bridge.url, "bob", "bob-demo-password").connect()
    customer = await queued_customer(dead_rasa_bridge)
    claim = {"conversation_id": customer.session_id}
    await asyncio.gather(alice.emit(protocol.CLAIM, claim), bob.emit(protocol.CLAIM, claim))
    outcomes = []
    await asyncio.sleep(0.5)  # both answers (a win and a refusal) arrive well within this
    for agent in (alice, bob):
        won = bool(agent.seen.of(protocol.CLAIMED))
        lost = [e for e in agent.seen.of(protocol.ERROR) if e["code"] == "already_claimed"]
        outcomes.append((won, bool(lost)))
    assert sorted(outcomes) == [(False, True), (True, False)]
    owner = await redis.hget(keys.conversation(customer.session_id), "agent_id")
    assert owner in ("alice", "bob")
    joined = await customer.seen.wait_for(protocol.AGENT_JOINED)
    assert joined["agent"]["id"] == protocol.public_agent_id(owner)  # customers never see login names
    assert len(customer.seen.of(protocol.AGENT_JOINED)) == 1
    for c in (alice, bob, customer):
        await c.close()


async def test_customer_and_agent_talk_in_human_mode(dead_rasa_bridge):
    alice = await Agent(dead_rasa_bridge.url, "alice", "alice-demo-password").connect()
    customer = await queued_customer(dead_rasa_bridge)
    await alice.emit(protocol.CLAIM, {"conversation_id": customer.session_id})
    view = await alice.seen.wait_for(protocol.CLAIMED)
    assert view["context"]["slots"] == {"order_number": "ORD-100101"}
    await customer.say("<img src=x onerror=alert(1)> is my order late?")
    got = await alice.seen.wait_for(protocol.CUSTOMER_MESSAGE)
    assert got["text"] == "<img src=x onerror=alert(1)> is my order late?"  # relayed as text, unchanged
    await alice.emit(protocol.TYPING, {"conversation_id": customer.session_id, "typing": True})
    assert (await customer.seen.wait_for(protocol.TYPING))["who"] == "agent"
    await customer.sio.emit(protocol.TYPING, {"typing": True})
    assert (await alice.seen.wait_for(protocol.TYPING))["who"] == "customer"
    await alice.emit(protocol.AGENT_MESSAGE, {"conversation_id": customer.session_id, "text": "Let me check."})
    reply = await customer.bot_says("Let me check.")
    assert reply["metadata"]["agent"] == {"id": protocol.public_agent_id("alice"), "name": "Alice"}
    await alice.emit(protocol.CLOSE, {"conversation_id": customer.session_id, "resolution": "answered"})
    assert (await customer.seen.wait_for(protocol.HANDOFF_CLOSED))["resolution"] == "answered"
    await customer.close()
    await alice.close()


async def test_an_agent_who_vanishes_gives_conversations_back_to_the_front_of_the_queue(dead_rasa_bridge, redis):
    alice = await Agent(dead_rasa_bridge.url, "alice", "alice-demo-password").connect()
    first = await queued_customer(dead_rasa_bridge)
    await alice.emit(protocol.CLAIM, {"conversation_id": first.session_id})
    await alice.seen.wait_for(protocol.CLAIMED)
    second = await queued_customer(dead_rasa_bridge)
    await alice.close()  # grace period is 1 s in tests
    await first.seen.wait_for(protocol.AGENT_LEFT, timeout=10)
    assert await redis.zrange(keys.QUEUE, 0, -1) == [first.session_id, second.session_id]
    assert await redis.hget(keys.conversation(first.session_id), "state") == "queued"
    await first.close()
    await second.close()


async def test_no_agent_offers_to_leave_a_message_which_becomes_a_ticket(dead_rasa_bridge, redis):
    customer = await queued_customer(dead_rasa_bridge)
    offer = await customer.seen.wait_for(protocol.HANDOFF_NO_AGENT)
    assert offer["options"] == ["wait", "leave_message"]
    await customer.sio.emit(protocol.LEAVE_MESSAGE, {"email": "jane.doe@example.com", "text": "Call me back please"})
    ticket = await customer.seen.wait_for(protocol.TICKET_CREATED)
    stored = await redis.hgetall(keys.ticket(ticket["ticket_id"]))
    assert stored["email"] == "jane.doe@example.com" and stored["text"] == "Call me back please"
    assert await redis.zcard(keys.QUEUE) == 0
    bob = await Agent(dead_rasa_bridge.url, "bob", "bob-demo-password").connect()
    tickets = await bob.seen.wait_for(protocol.TICKETS)
    assert [t["id"] for t in tickets] == [ticket["ticket_id"]]
    await customer.close()
    await bob.close()


async def test_rasa_down_says_so_and_a_person_can_still_be_reached(dead_rasa_bridge, redis):
    customer = Customer(dead_rasa_bridge.url)
    await customer.connect()
    await customer.say("where is my order")
    reply = await customer.bot_says("assistant is unavailable")
    assert reply["quick_replies"][0]["payload"] == "/request_human"
    await customer.say("/request_human")
    assert (await customer.seen.wait_for(protocol.HANDOFF_QUEUED))["position"] == 1
    assert await redis.hget(keys.conversation(customer.session_id), "state") == "queued"
    await customer.close()


async def test_rasa_down_a_person_is_reached_by_asking_in_words_not_by_a_word_inside_another(dead_rasa_bridge, redis):
    customer = Customer(dead_rasa_bridge.url)
    await customer.connect()
    await customer.say("I want to update my personal details")  # "personal" is not "person"
    await customer.bot_says("assistant is unavailable")
    assert await redis.hget(keys.conversation(customer.session_id), "state") == "bot"
    await customer.say("オペレーターと話したいです", message_id="m-operator")
    told = await customer.bot_says("担当者におつなぎいたします")  # never a silent handoff; in their language
    assert (await customer.seen.wait_for(protocol.HANDOFF_QUEUED))["position"] == 1
    assert await redis.hget(keys.conversation(customer.session_id), "state") == "queued"
    reloaded = Customer(dead_rasa_bridge.url)  # the answer is that message's, and a reload shows it
    await reloaded.connect(customer.session_id, resume_token=customer.resume_token)
    history = (await reloaded.seen.wait_for(protocol.HISTORY))["transcript"]
    answer = next(e for e in history if e.get("id") == told["metadata"]["id"])
    assert answer["reply_to"] == "m-operator" and answer["event"] == "assistant_unavailable"
    for client in (customer, reloaded):
        await client.close()


async def test_a_long_wait_ends_in_the_offer_to_leave_a_message(redis, redis_server):
    from tests.handoff.conftest import BridgeProcessless, bridge_settings, free_port

    bridge = await BridgeProcessless(bridge_settings(redis_server.url, free_port(), f"http://127.0.0.1:{free_port()}",
                                                     max_wait_s=1.0)).start()
    try:
        alice = await Agent(bridge.url, "alice", "alice-demo-password").connect()  # someone is there...
        customer = await queued_customer(bridge)
        assert customer.seen.of(protocol.HANDOFF_NO_AGENT) == []
        offer = await customer.seen.wait_for(protocol.HANDOFF_NO_AGENT, timeout=10)  # ...but nobody answers
        assert offer == {"options": ["wait", "leave_message"], "why": "max_wait"}
        await asyncio.sleep(1.5)
        assert len(customer.seen.of(protocol.HANDOFF_NO_AGENT)) == 1  # offered once
        await customer.close()
        await alice.close()
    finally:
        await bridge.stop()


async def test_priority_orders_the_queue_frustrated_customers_before_plain_requests(dead_rasa_bridge, redis):
    plain = await queued_customer(dead_rasa_bridge, "explicit_request")
    angry = await queued_customer(dead_rasa_bridge, "frustration")  # the escalation reason of an angry customer
    assert await redis.zrange(keys.QUEUE, 0, -1) == [angry.session_id, plain.session_id]
    assert (await angry.seen.wait_for(protocol.HANDOFF_QUEUED))["position"] == 1
    await plain.seen.wait_for(protocol.HANDOFF_QUEUED, lambda d: d["position"] == 2)  # told it moved back
    for c in (plain, angry):
        await c.close()


async def test_transfer_moves_the_conversation_to_another_agent(dead_rasa_bridge, redis):
    alice = await Agent(dead_rasa_bridge.url, "alice", "alice-demo-password").connect()
    bob = await Agent(dead_rasa_bridge.url, "bob", "bob-demo-password").connect()
    customer = await queued_customer(dead_rasa_bridge)
    await alice.emit(protocol.CLAIM, {"conversation_id": customer.session_id})
    await alice.seen.wait_for(protocol.CLAIMED)
    await alice.emit(protocol.TRANSFER, {"conversation_id": customer.session_id, "to_agent": "bob"})
    view = await bob.seen.wait_for(protocol.CLAIMED)
    assert view["conversation_id"] == customer.session_id
    assert (await alice.seen.wait_for(protocol.CONVERSATION_ENDED))["how"] == "transferred to Bob"
    assert (await customer.seen.wait_for(protocol.AGENT_JOINED, lambda d: d["agent"]["name"] == "Bob"))
    await customer.say("hello bob")
    assert (await bob.seen.wait_for(protocol.CUSTOMER_MESSAGE))["text"] == "hello bob"
    assert alice.seen.of(protocol.CUSTOMER_MESSAGE) == []
    for c in (alice, bob, customer):
        await c.close()


async def test_an_agent_at_capacity_cannot_claim_more(dead_rasa_bridge, redis):
    bob = await Agent(dead_rasa_bridge.url, "bob", "bob-demo-password").connect()  # capacity 2
    customers = [await queued_customer(dead_rasa_bridge) for _ in range(3)]
    for customer in customers:
        await bob.emit(protocol.CLAIM, {"conversation_id": customer.session_id})
    error = await bob.seen.wait_for(protocol.ERROR)
    assert error["code"] == "at_capacity"
    assert len(bob.seen.of(protocol.CLAIMED)) == 2
    assert await redis.zrange(keys.QUEUE, 0, -1) == [customers[2].session_id]
    for c in (bob, *customers):
        await c.close()


async def test_auto_assign_gives_work_to_the_least_busy_available_agent(redis, redis_server):
    from tests.handoff.conftest import BridgeProcessless, bridge_settings, free_port

    bridge = await BridgeProcessless(bridge_settings(redis_server.url, free_port(), f"http://127.0.0.1:{free_port()}",
                                                     auto_assign=True)).start()
    try:
        alice = await Agent(bridge.url, "alice", "alice-demo-password").connect()
        bob = await Agent(bridge.url, "bob", "bob-demo-password").connect()
        first = await queued_customer(bridge)
        second = await queued_customer(bridge)
        await first.seen.wait_for(protocol.AGENT_JOINED)
        await second.seen.wait_for(protocol.AGENT_JOINED)
        owners = {await redis.hget(keys.conversation(c.session_id), "agent_id") for c in (first, second)}
        assert owners == {"alice", "bob"}  # one each: the least busy gets the next
        assert await redis.zcard(keys.QUEUE) == 0
        for c in (alice, bob, first, second):
            await c.close()
    finally:
        await bridge.stop()


async def test_with_rasa_down_the_relay_goes_on_and_the_tracker_turns_wait_in_order(dead_rasa_bridge, redis):
    alice = await Agent(dead_rasa_bridge.url, "alice", "alice-demo-password").connect()
    customer = await queued_customer(dead_rasa_bridge)
    await alice.emit(protocol.CLAIM, {"conversation_id": customer.session_id})
    await alice.seen.wait_for(protocol.CLAIMED)
    await customer.say("is anyone there?")
    assert (await alice.seen.wait_for(protocol.CUSTOMER_MESSAGE))["text"] == "is anyone there?"  # Rasa is down
    await alice.emit(protocol.AGENT_MESSAGE, {"conversation_id": customer.session_id, "text": "Yes, Alice here."})
    await customer.bot_says("Yes, Alice here.")
    for _ in range(40):  # the agent's line is queued for the tracker just after it is relayed
        if await redis.llen(keys.tracker_outbox(customer.session_id)) == 2:
            break
        await asyncio.sleep(0.05)
    queued = [json.loads(raw) for raw in await redis.lrange(keys.tracker_outbox(customer.session_id), 0, -1)]
    assert [(item["kind"], item["text"]) for item in queued] == [("customer", "is anyone there?"),
                                                                ("agent", "Yes, Alice here.")]
    assert await redis.sismember(keys.TRACKER_PENDING, customer.session_id)  # the writer keeps trying
    for client in (customer, alice):
        await client.close()


async def test_the_bridge_answers_in_the_customers_language(dead_rasa_bridge, redis):
    """Its own answers and a plain widget's status lines follow the conversation's language: the one the
    customer writes, else the one the widget declares (customData.language)."""
    plain = Customer(dead_rasa_bridge.url, capabilities=())  # a Rasa widget: the handoff as bot messages
    await plain.connect()
    await plain.say("注文した荷物はどこですか")
    reply = await plain.bot_says("アシスタントをご利用いただけません")
    assert reply["quick_replies"][0] == {"content_type": "text", "title": "担当者と話す", "payload": "/request_human"}
    assert await redis.hget(keys.conversation(plain.session_id), "language") == "ja"
    await plain.say("担当者と話したいです")
    await plain.bot_says("担当者におつなぎいたします")
    await plain.bot_says("現在1番目")  # its place in line, in Japanese
    declared = Customer(dead_rasa_bridge.url)
    await declared.connect()
    await declared.say("ORD-100101", customData={"language": "ja-JP"})  # an id says nothing: the widget's language
    await declared.bot_says("アシスタントをご利用いただけません")
    await declared.say("actually, where is it?", customData={"language": "ja-JP"})  # the customer switched
    await declared.bot_says("assistant is unavailable")
    assert await redis.hget(keys.conversation(declared.session_id), "language") == "en"
    for client in (plain, declared):
        await client.close()


async def test_a_japanese_customer_is_served_by_the_agent_who_speaks_japanese(redis, redis_server):
    """Auto-assignment prefers the language's speakers, even busier ones; the wait estimate counts only
    them; the queue shows each conversation's language; the figures split by it."""
    from tests.handoff.conftest import BridgeProcessless, bridge_settings, free_port

    bridge = await BridgeProcessless(bridge_settings(redis_server.url, free_port(), f"http://127.0.0.1:{free_port()}",
                                                     auto_assign=True)).start()
    try:
        yuki = await Agent(bridge.url, "yuki", "yuki-demo-password").connect()  # Japanese and English
        busy = await queued_customer(bridge)  # English: goes to Yuki, the only one there
        await busy.seen.wait_for(protocol.AGENT_JOINED)
        alice = await Agent(bridge.url, "alice", "alice-demo-password").connect()  # English only, idle
        japanese = Customer(bridge.url)
        await japanese.connect()
        await japanese.say("担当者と話したいです")  # Rasa is down: the bridge hands over itself
        joined = await japanese.seen.wait_for(protocol.AGENT_JOINED)
        assert await redis.hget(keys.conversation(japanese.session_id), "agent_id") == "yuki"
        assert joined["agent"]["name"] == "Yuki"
        queued = japanese.seen.of(protocol.HANDOFF_QUEUED)[0]
        assert queued["agents_available"] == 1  # only Yuki would serve a Japanese customer
        english = await queued_customer(bridge)  # the least busy English speaker: Alice
        await english.seen.wait_for(protocol.AGENT_JOINED)
        assert await redis.hget(keys.conversation(english.session_id), "agent_id") == "alice"

        # Nobody available speaks Japanese: a Japanese customer waits in line counting everyone there,
        # and the queue shows their language.
        await yuki.emit(protocol.SET_STATUS, {"status": "away"})
        await alice.emit(protocol.SET_STATUS, {"status": "away"})
        await alice.seen.wait_for(protocol.STATUS, lambda s: s["status"] == "away")
        waiting = Customer(bridge.url)
        await waiting.connect()
        await waiting.say("オペレーターをお願いします")
        line = await alice.seen.wait_for(protocol.QUEUE, lambda q: [e["conversation_id"] for e in q] == [
            waiting.session_id])
        assert line[0]["language"] == "ja"
        await alice.emit(protocol.SET_STATUS, {"status": "available"})  # overflow: Alice takes it
        await waiting.seen.wait_for(protocol.AGENT_JOINED)
        assert await redis.hget(keys.conversation(waiting.session_id), "agent_id") == "alice"
        day = await redis.hgetall(next(iter(await redis.keys(keys.stats_day("*")))))
        assert (day["ja|conversations"], day["ja|handoffs"], day["ja|claimed"]) == ("2", "2", "2")
        assert day["handoffs"] == "4" and day.get("en|conversations") is None  # the English ones never wrote
        for client in (yuki, alice, busy, japanese, english, waiting):
            await client.close()
    finally:
        await bridge.stop()


async def test_a_japanese_customer_waits_for_the_full_japanese_agent_and_gets_her_as_she_frees_up(redis, redis_server):
    """Routing waits for the language's agent rather than giving the customer to one who cannot read them,
    and assigns again the moment a slot frees (not only when a new handoff comes in)."""
    from tests.handoff.conftest import BridgeProcessless, bridge_settings, free_port

    bridge = await BridgeProcessless(bridge_settings(redis_server.url, free_port(), f"http://127.0.0.1:{free_port()}",
                                                     auto_assign=True)).start()
    try:
        yuki = await Agent(bridge.url, "yuki", "yuki-demo-password").connect()  # capacity 3
        alice = await Agent(bridge.url, "alice", "alice-demo-password").connect()  # English only, idle
        customers = []
        for _ in range(4):
            customer = Customer(bridge.url)
            await customer.connect()
            await customer.say("担当者と話したいです")
            customers.append(customer)
        for customer in customers[:3]:
            await customer.seen.wait_for(protocol.AGENT_JOINED)
        last = customers[3]
        queued = await last.seen.wait_for(protocol.HANDOFF_QUEUED)
        assert queued["agents_available"] == 1 and queued["estimated_wait_s"] > 0  # Yuki's line, not Alice's
        assert await redis.zrange(keys.QUEUE, 0, -1) == [last.session_id]
        await asyncio.sleep(0.5)
        assert last.seen.of(protocol.AGENT_JOINED) == [] and alice.seen.of(protocol.CLAIMED) == []
        await yuki.emit(protocol.CLOSE, {"conversation_id": customers[0].session_id, "resolution": "answered"})
        await last.seen.wait_for(protocol.AGENT_JOINED)  # the freed slot, at once
        assert await redis.hget(keys.conversation(last.session_id), "agent_id") == "yuki"
        for client in (yuki, alice, *customers):
            await client.close()
    finally:
        await bridge.stop()
