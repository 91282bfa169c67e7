"""Retried messages (the same message_id) are handled once; acknowledgements say what happened;
readiness, metrics and spreading over several Rasa servers. Real Redis; Rasa is down here."""

from __future__ import annotations

import aiohttp
import pytest

from handoff import keys, protocol
from handoff.delivery import message_id
from handoff.rasa_client import server_order
from harness.clients import Agent, Customer
from tests.handoff.test_queue_and_agents import queued_customer


def test_each_conversation_has_a_stable_order_of_rasa_servers_and_they_share_the_load():
    servers = ["http://rasa-1:5005", "http://rasa-2:5005", "http://rasa-3:5005"]
    assert server_order("abc", servers) == server_order("abc", list(reversed(servers)))
    firsts = [server_order(f"conversation-{i}", servers)[0] for i in range(3000)]
    assert all(900 <= firsts.count(s) <= 1100 for s in servers)
    # Removing a server moves only the conversations that were on it.
    without = [server_order(f"conversation-{i}", servers[:2])[0] for i in range(3000)]
    assert all(a == b for a, b in zip(firsts, without) if a != servers[2])


@pytest.mark.parametrize("bad", ["", "x" * 65, "a b", "<script>", 12])
def test_message_ids_are_short_and_plain(bad):
    if bad == "":
        assert message_id(bad) is None
    else:
        with pytest.raises(protocol.BadPayload):
            message_id(bad)


async def test_a_retried_customer_message_is_recorded_and_relayed_once(dead_rasa_bridge, redis):
    customer = await queued_customer(dead_rasa_bridge)
    alice = await Agent(dead_rasa_bridge.url, "alice", "alice-demo-password").connect()
    await alice.emit(protocol.CLAIM, {"conversation_id": customer.session_id})
    await alice.seen.wait_for(protocol.CLAIMED)
    payload = {"message": "my parcel is late", "session_id": customer.session_id, "message_id": "m-1"}
    first = await customer.sio.call(protocol.USER_UTTERED, payload, timeout=10)
    again = await customer.sio.call(protocol.USER_UTTERED, payload, timeout=10)
    assert first == {"status": "ok", "message_id": "m-1"} and again == {"status": "duplicate", "message_id": "m-1"}
    relayed = await alice.seen.wait_for(protocol.CUSTOMER_MESSAGE)
    assert relayed["message_id"] == "m-1" and relayed["id"]
    transcript = await dead_rasa_bridge_transcript(redis, customer.session_id)
    assert [e["text"] for e in transcript if e["role"] == "customer"] == ["my parcel is late"]
    assert len(alice.seen.of(protocol.CUSTOMER_MESSAGE)) == 1

    # The agent's retries too; every entry has an id the customer sees live and in the history.
    reply = {"conversation_id": customer.session_id, "text": "On its way", "message_id": "a-1"}
    assert (await alice.sio.call(protocol.AGENT_MESSAGE, reply, namespace=protocol.AGENT_NAMESPACE))["status"] == "ok"
    assert (await alice.sio.call(protocol.AGENT_MESSAGE, reply, namespace=protocol.AGENT_NAMESPACE))["status"] == "duplicate"
    live = await customer.seen.wait_for(protocol.BOT_UTTERED, lambda d: d.get("text") == "On its way")
    assert len([d for d in customer.texts() if d == "On its way"]) == 1
    history = Customer(dead_rasa_bridge.url)
    await history.connect(customer.session_id, resume_token=customer.resume_token)
    entries = (await history.seen.wait_for(protocol.HISTORY))["transcript"]
    assert live["metadata"]["id"] in [e.get("id") for e in entries]
    for client in (customer, history, alice):
        await client.close()


async def dead_rasa_bridge_transcript(redis, conversation_id: str) -> list:
    import json

    return [json.loads(e) for e in await redis.lrange(keys.transcript(conversation_id), 0, -1)]


async def test_refused_input_is_acknowledged_as_an_error(dead_rasa_bridge):
    customer = Customer(dead_rasa_bridge.url)
    await customer.connect()
    ack = await customer.sio.call(protocol.USER_UTTERED, {"message": "", "session_id": customer.session_id},
                                  timeout=10)
    assert ack["status"] == "error" and ack["code"] == "empty"
    ack = await customer.sio.call(protocol.USER_UTTERED, {"message": "hi", "message_id": "<bad>"}, timeout=10)
    assert ack["code"] == "bad_message_id"
    await customer.close()


async def test_readiness_and_metrics(dead_rasa_bridge, redis):
    customer = await queued_customer(dead_rasa_bridge, "frustration")
    async with aiohttp.ClientSession() as http:
        async with http.get(f"{dead_rasa_bridge.url}/health") as r:
            assert r.status == 200
        async with http.get(f"{dead_rasa_bridge.url}/ready") as r:
            body = await r.json()
            assert r.status == 503 and body["redis"] is True and body["rasa_servers_up"] == 0  # Rasa is down
        await customer.sio.call(protocol.USER_UTTERED, {"message": "", "session_id": customer.session_id}, timeout=10)
        async with http.get(f"{dead_rasa_bridge.url}/metrics") as r:
            text = await r.text()
    assert r.headers["Content-Type"].startswith("text/plain")
    assert "nwsupport_queue_length 1.0" in text
    assert 'nwsupport_handoffs_total{reason="frustration"} 1.0' in text
    assert 'nwsupport_connected{side="customer"} 1.0' in text
    assert 'nwsupport_errors_total{kind="empty"} 1.0' in text
    await customer.close()


async def test_claims_of_one_message_id_pending_failed_and_concurrent(redis):
    import asyncio
    import time

    from handoff import delivery
    from handoff.conversations import Conversations

    first = await delivery.begin(redis, "conv-00001", "customer", "m-9", 3600)
    assert first.status == "new"
    assert (await delivery.begin(redis, "conv-00001", "customer", "m-9", 3600)).status == "pending"
    await first.record(Conversations(redis), "conv-00001", "customer", "where is my order")
    await first.fail()  # failed after writing the transcript
    retry = await delivery.begin(redis, "conv-00001", "customer", "m-9", 3600)
    assert retry.status == "new" and retry.already_recorded
    await retry.mark_passed_on()
    await retry.fail()  # failed after passing it on: never passed on again...
    assert (await delivery.begin(redis, "conv-00001", "customer", "m-9", 3600)).status == "pending"
    # ...but once it has been "sent" for longer than a turn can take, exactly one retry recovers the replies
    await redis.set(keys.message("conv-00001", "customer", "m-9"), f"sent:{time.time() - 120:.3f}")
    recovering = await asyncio.gather(*(delivery.begin(redis, "conv-00001", "customer", "m-9", 3600,
                                                       stale_after_s=60) for _ in range(6)))
    assert sorted(a.status for a in recovering) == ["pending"] * 5 + ["recover"]
    await next(a for a in recovering if a.status == "recover").finish()
    assert (await delivery.begin(redis, "conv-00001", "customer", "m-9", 3600)).status == "duplicate"

    await redis.set(keys.message("conv-00001", "customer", "m-10"), "retry-recorded")
    racing = await asyncio.gather(*(delivery.begin(redis, "conv-00001", "customer", "m-10", 3600) for _ in range(8)))
    assert sorted(a.status for a in racing) == ["new"] + ["pending"] * 7  # exactly one takes it over


async def test_stats_keep_counts_and_durations_apart(redis):
    from handoff.stats import Stats

    stats = Stats(redis)
    await stats.add({"claimed": 1, "wait_s": 12.5})
    await stats.add({"claimed": 1, "wait_s": 0.0})  # a whole-number duration must not break the float field
    await stats.add({"claimed": 1, "wait_s": 3.0})
    raw = await stats.day(next(iter([k.split(":")[-1] for k in await redis.keys("*stats*")])))
    assert raw["claimed"] == "3" and float(raw["wait_s"]) == 15.5
