"""The bridge on a Redis primary + replica + three sentinels (real processes): it acknowledges a
message only once the replica has it, and it follows a failover."""

from __future__ import annotations

import asyncio
import json
import signal
import time
from pathlib import Path

import aiohttp

from handoff import keys, protocol
from handoff.redis_connect import connect
from harness.clients import Customer
from harness.redis import ReplicatedRedis
from tests.handoff.conftest import BridgeProcessless, bridge_settings, free_port
from tests.handoff.test_queue_and_agents import queued_customer

PASSWORD = "failover-test-password-0123456"


async def say(customer, text: str, message_id: str) -> tuple[str, float]:
    """Send a customer message with an id; the acknowledgement and how long it took."""
    started = time.monotonic()
    ack = await customer.sio.call(protocol.USER_UTTERED, {"message": text, "session_id": customer.session_id,
                                                          "message_id": message_id}, timeout=30)
    return str(ack.get("status") if isinstance(ack, dict) else ack), time.monotonic() - started


async def unreplicated(bridge: BridgeProcessless, kind: str = "unreplicated_ack") -> float:
    async with aiohttp.ClientSession() as http, http.get(f"{bridge.url}/metrics") as r:
        for line in (await r.text()).splitlines():
            if line.startswith(f'nwsupport_errors_total{{kind="{kind}"}}'):
                return float(line.split()[-1])
    return 0.0


async def test_acknowledged_only_once_replicated_and_kept_through_a_failover(tmp_path: Path):
    group = await asyncio.to_thread(ReplicatedRedis(tmp_path / "redis", PASSWORD).start)
    bridge = await BridgeProcessless(bridge_settings(
        group.url, free_port(), f"http://127.0.0.1:{free_port()}", rasa_timeout_s=2.0, redis_password=PASSWORD,
        redis_wait_replicas=1, redis_wait_timeout_ms=300)).start()
    redis = connect(group.url, PASSWORD, 4, decode_responses=True)
    try:
        customer = await queued_customer(bridge)  # with a person: the messages wait for an agent
        assert (await say(customer, "first, replicated", "m-1"))[0] == "ok"
        assert await unreplicated(bridge) == 0

        assert await unreplicated(bridge, "unreplicated_session") == 0  # its conversation reached the replica

        replica = next(m for m in group.members if m is not group.primary())
        replica.send_signal(signal.SIGSTOP)  # a replica that stops answering: the primary cannot confirm
        try:
            status, took = await say(customer, "second, while the replica is frozen", "m-2")
            latecomer = Customer(bridge.url)
            started = time.monotonic()
            await latecomer.connect()  # a new conversation, confirmed after REDIS_WAIT_TIMEOUT_MS
            confirmed_after = time.monotonic() - started
        finally:
            replica.send_signal(signal.SIGCONT)
        assert status == "ok" and took >= 0.3  # acknowledged after REDIS_WAIT_TIMEOUT_MS, and counted
        assert await unreplicated(bridge) == 1
        assert confirmed_after >= 0.3 and await unreplicated(bridge, "unreplicated_session") == 1
        await latecomer.close()

        timings = await asyncio.to_thread(group.kill_primary, 0.5)
        assert timings["failover_s"] < 30
        status, _ = await say(customer, "third, after the failover", "m-3")
        assert status == "ok"
        assert (await say(customer, "third, after the failover", "m-3"))[0] == "duplicate"  # the id survived
        transcript = [json.loads(e) for e in await redis.lrange(keys.transcript(customer.session_id), 0, -1)]
        said = [e["text"] for e in transcript if e["role"] == "customer"]
        assert said == ["first, replicated", "second, while the replica is frozen", "third, after the failover"]
        assert customer.session_id in await redis.zrange(keys.QUEUE, 0, -1)  # the queue entry too
        await customer.close()
    finally:
        await redis.aclose()
        await bridge.stop()
        await asyncio.to_thread(group.stop)
