"""Bridge processes sharing one Redis: across processes, and across a crash."""

from __future__ import annotations

import asyncio
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from handoff import keys, protocol
from harness.bridge import BridgeServer
from harness.clients import Agent, Customer, post_handoff
from harness.ports import free_port
from tests.handoff.conftest import SECRET


def bridge_process(redis_url: str, log: Path) -> BridgeServer:
    """``python -m handoff`` as its own OS process, with Rasa down (nothing listens on its port)."""
    return BridgeServer(log, redis_url, f"http://127.0.0.1:{free_port()}", SECRET,
                        env={"AGENT_GRACE_S": "30", "RASA_TIMEOUT_S": "2"})


@pytest.fixture
def two_bridges(redis, redis_server, tmp_path) -> Iterator[list[BridgeServer]]:
    bridges = [bridge_process(redis_server.url, tmp_path / f"bridge{i}.log").start() for i in range(2)]
    yield bridges
    for bridge in bridges:
        bridge.stop()


async def test_customer_on_one_process_agent_on_another_every_message_once_in_order(two_bridges):
    a, b = two_bridges
    customer = Customer(a.url)
    await customer.connect()
    alice = await Agent(b.url, "alice", "alice-demo-password").connect()
    status, _ = await post_handoff(a.url, {"conversation_id": customer.session_id, "reason": "complaint"}, SECRET)
    assert status == 200
    await alice.seen.wait_for(protocol.QUEUE, lambda q: len(q) == 1)  # queue update crossed processes
    await alice.emit(protocol.CLAIM, {"conversation_id": customer.session_id})
    await customer.seen.wait_for(protocol.AGENT_JOINED)

    for i in range(20):
        await customer.say(f"customer {i}")
        await alice.emit(protocol.AGENT_MESSAGE, {"conversation_id": customer.session_id, "text": f"agent {i}"})
    await alice.seen.wait_for(protocol.CUSTOMER_MESSAGE, lambda d: d["text"] == "customer 19")
    await customer.bot_says("agent 19")
    await asyncio.sleep(0.5)  # room for any duplicate to show up
    assert [d["text"] for d in alice.seen.of(protocol.CUSTOMER_MESSAGE)] == [f"customer {i}" for i in range(20)]
    assert [t for t in customer.texts() if t.startswith("agent ")] == [f"agent {i}" for i in range(20)]
    await customer.close()
    await alice.close()


async def test_a_crashed_bridge_restarts_and_loses_nothing(two_bridges, tmp_path):
    a, _ = two_bridges
    waiting, talking = Customer(a.url), Customer(a.url)
    await waiting.connect()
    await talking.connect()
    alice = await Agent(a.url, "alice", "alice-demo-password").connect()
    for customer in (talking, waiting):
        await post_handoff(a.url, {"conversation_id": customer.session_id, "reason": "explicit_request"}, SECRET)
    await alice.emit(protocol.CLAIM, {"conversation_id": talking.session_id})
    await talking.seen.wait_for(protocol.AGENT_JOINED)

    a.kill()  # SIGKILL: no goodbye
    for client in (waiting, talking, alice):
        await client.sio.disconnect()
    a.start()

    waiting_again, talking_again = Customer(a.url), Customer(a.url)
    assert await waiting_again.connect(waiting.session_id, resume_token=waiting.resume_token) == waiting.session_id
    assert (await waiting_again.seen.wait_for(protocol.HISTORY))["state"] == "queued"
    assert (await waiting_again.seen.wait_for(protocol.HANDOFF_QUEUED))["position"] == 1
    assert await talking_again.connect(talking.session_id, resume_token=talking.resume_token) == talking.session_id
    assert (await talking_again.seen.wait_for(protocol.HISTORY))["state"] == "with_agent"

    alice_again = await Agent(a.url, "alice", "alice-demo-password").connect()
    view = await alice_again.seen.wait_for(protocol.CLAIMED)  # her conversation comes back to her
    assert view["conversation_id"] == talking.session_id
    await talking_again.say("are you still there?")
    assert (await alice_again.seen.wait_for(protocol.CUSTOMER_MESSAGE))["text"] == "are you still there?"
    await alice_again.emit(protocol.CLAIM, {"conversation_id": waiting.session_id})
    await waiting_again.seen.wait_for(protocol.AGENT_JOINED)
    for client in (waiting_again, talking_again, alice_again):
        await client.close()


async def test_sigterm_drains_clients_reconnect_elsewhere_and_logs_are_json(two_bridges, tmp_path):
    first, second = two_bridges
    customer = Customer(first.url)
    conversation_id = await customer.connect()
    dropped = asyncio.Event()
    customer.sio.on("disconnect", lambda *_: dropped.set())
    started = time.monotonic()
    first.send_signal(signal.SIGTERM)
    await asyncio.wait_for(dropped.wait(), timeout=10)  # the bridge closed our socket while draining
    assert await asyncio.to_thread(first.popen.wait, 20) == 0 and time.monotonic() - started < 15

    moved = Customer(second.url)  # what the load balancer does: the next connection goes to another bridge
    assert await moved.connect(conversation_id, resume_token=customer.resume_token) == conversation_id
    await moved.close()

    third = bridge_process(second.env["REDIS_URL"], tmp_path / "json.log")
    third.env.update(LOG_FORMAT="json", BRIDGE_ID="bridge-json")
    third.start()
    visitor = Customer(third.url)
    visitor_id = await visitor.connect()
    await visitor.say("hello")  # Rasa is down here: a warning that names the conversation
    await visitor.seen.wait_for(protocol.BOT_UTTERED)
    await visitor.close()
    third.stop()
    import json

    lines = [json.loads(line) for line in third.log.read_text().splitlines() if line.startswith("{")]
    about = [line for line in lines if line["conversation_id"] == visitor_id]
    assert about and all(line["bridge"] == "bridge-json" for line in lines)
    assert {"ts", "level", "logger", "message"} <= set(about[0])


async def test_an_agent_whose_bridge_is_killed_is_offline_in_seconds_and_the_grace_rules_follow(redis, redis_server,
                                                                                               tmp_path):
    quick = {"AGENT_GRACE_S": "2", "RASA_TIMEOUT_S": "2", "PRESENCE_HEARTBEAT_S": "0.5"}
    a, b = (BridgeServer(tmp_path / f"bridge{i}.log", redis_server.url, f"http://127.0.0.1:{free_port()}", SECRET,
                         env=quick).start() for i in range(2))
    try:
        customer = Customer(b.url)
        await customer.connect()
        alice = await Agent(a.url, "alice", "alice-demo-password").connect()
        bob = await Agent(b.url, "bob", "bob-demo-password").connect()
        await bob.emit(protocol.SET_STATUS, {"status": "away"})  # so the conversation waits for Alice
        await post_handoff(b.url, {"conversation_id": customer.session_id, "reason": "explicit_request"}, SECRET)
        await alice.emit(protocol.CLAIM, {"conversation_id": customer.session_id})
        await customer.seen.wait_for(protocol.AGENT_JOINED)

        def alice_is(status: str):
            return lambda team: any(m["id"] == "alice" and m["status"] == status for m in team)

        await bob.seen.wait_for(protocol.AGENTS, alice_is("available"))
        a.kill()  # SIGKILL: no disconnect, no goodbye; only her sockets' expiry tells
        killed = time.monotonic()
        await bob.seen.wait_for(protocol.AGENTS, alice_is("offline"), timeout=10)
        assert time.monotonic() - killed < 5  # 3 missed renewals of 0.5 s, and the next sweep
        assert not await redis.sismember(keys.AVAILABLE_AGENTS, "alice")
        # After the grace period her conversation goes back to the front of the queue.
        await customer.seen.wait_for(protocol.AGENT_LEFT, timeout=10)
        await bob.seen.wait_for(protocol.QUEUE, lambda q: [c["conversation_id"] for c in q] == [customer.session_id])
        assert await redis.hget(keys.conversation(customer.session_id), "state") == "queued"
        assert 2 <= time.monotonic() - killed < 10
        for client in (customer, alice, bob):
            await client.close()
    finally:
        for bridge in (a, b):
            bridge.stop()
