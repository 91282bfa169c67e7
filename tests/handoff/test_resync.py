"""No live event lost across a Redis restart: two bridges, a real redis-server with its append-only file.

Socket.IO's Redis pub/sub keeps nothing; a bridge whose subscription dropped misses what
the other bridge publishes until it re-subscribes. The bridge tells its sockets to
``resync`` when its subscription is back, and our clients ask for the entries after the last
one they saw (never the whole history).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from handoff import protocol
from harness.clients import Agent
from harness.ports import free_port
from harness.redis import RedisServer
from tests.handoff.conftest import BridgeProcessless, bridge_settings
from tests.handoff.test_queue_and_agents import queued_customer


@pytest.fixture
async def two_bridges(tmp_path: Path) -> AsyncIterator[tuple[RedisServer, BridgeProcessless, BridgeProcessless]]:
    server = await asyncio.to_thread(RedisServer(tmp_path / "redis", persistent=True).start)
    dead_rasa = f"http://127.0.0.1:{free_port()}"
    bridges = [await BridgeProcessless(bridge_settings(server.url, free_port(), dead_rasa, rasa_timeout_s=2.0)).start()
               for _ in range(2)]
    yield server, bridges[0], bridges[1]
    for bridge in bridges:
        await bridge.stop()
    await asyncio.to_thread(server.stop)


async def test_after_a_redis_restart_clients_resync_and_get_what_they_missed_and_only_that(two_bridges) -> None:
    server, a, b = two_bridges
    customer = await queued_customer(a)  # the customer's socket is on bridge A
    alice = await Agent(b.url, "alice", "alice-demo-password").connect()  # the agent's on bridge B
    await alice.emit(protocol.CLAIM, {"conversation_id": customer.session_id})
    claimed = await alice.seen.wait_for(protocol.CLAIMED)
    await customer.seen.wait_for(protocol.AGENT_JOINED)
    await alice.emit(protocol.AGENT_MESSAGE, {"conversation_id": customer.session_id, "text": "Before the restart."})
    before = await customer.bot_says("Before the restart.")

    await asyncio.to_thread(server.stop)  # SIGTERM: the append-only file keeps everything
    await asyncio.to_thread(server.start)
    sent = await alice.sio.call(protocol.AGENT_MESSAGE, {"conversation_id": customer.session_id,
                                                         "text": "Right after the restart.", "message_id": "a-1"},
                                namespace=protocol.AGENT_NAMESPACE, timeout=30)
    assert sent["status"] == "ok"

    # Both bridges re-subscribe and tell their own sockets, once each.
    await customer.seen.wait_for(protocol.RESYNC, timeout=30)
    await alice.seen.wait_for(protocol.RESYNC, timeout=30)

    # The widget asks for what came after the last entry it saw: exactly the missed line, whether or
    # not it also arrived live (bridge A may have re-subscribed before bridge B published it).
    await customer.sio.emit(protocol.SESSION_REQUEST, {"session_id": customer.session_id,
                                                       "capabilities": [protocol.HANDOFF_EVENTS],
                                                       "after": before["metadata"]["id"]})
    history = await customer.seen.wait_for(protocol.HISTORY, lambda h: h.get("after") == before["metadata"]["id"])
    assert [e["text"] for e in history["transcript"]] == ["Right after the restart."]
    assert history["state"] == "with_agent"

    # The console does the same per conversation; one it no longer holds is ended.
    last = claimed["transcript"][-1]["id"]
    await alice.emit(protocol.RESYNC, {"after": {customer.session_id: last, "gone-conversation": "x"}})
    entries = await alice.seen.wait_for(protocol.ENTRIES)
    assert entries["conversation_id"] == customer.session_id and entries["after"] == last
    assert [e["text"] for e in entries["entries"] if e["role"] == "agent"] == ["Before the restart.",
                                                                               "Right after the restart."]
    ended = await alice.seen.wait_for(protocol.CONVERSATION_ENDED)
    assert ended["conversation_id"] == "gone-conversation"

    # An entry id the transcript does not have: the whole history (no "after"), never an error.
    await customer.sio.emit(protocol.SESSION_REQUEST, {"session_id": customer.session_id,
                                                       "capabilities": [protocol.HANDOFF_EVENTS], "after": "nope"})
    full = await customer.seen.wait_for(protocol.HISTORY, lambda h: "after" not in h and len(h["transcript"]) > 2)
    assert {"Before the restart.", "Right after the restart."} <= {e["text"] for e in full["transcript"]}
    await alice.emit(protocol.RESYNC, {"after": ["not", "a", "map"]})
    refused = await alice.seen.wait_for(protocol.ERROR, lambda e: e.get("event") == protocol.RESYNC)
    assert refused["code"] == "malformed"
    for client in (customer, alice):
        await client.close()
