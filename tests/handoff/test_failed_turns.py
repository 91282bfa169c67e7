"""A turn in which Rasa fails is never silent: the real Rasa server with the trained model, whose
action server is down, answers such a turn with 200 and no messages; the customer must hear so."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import aiohttp
import pytest

from bot.launcher import latest_model
from handoff import protocol, vocabulary
from harness.clients import Customer
from harness.ports import free_port
from harness.processes import Process
from harness.rasa import rasa_server, stack_env
from tests.handoff.conftest import BridgeProcessless, bridge_settings


@pytest.fixture(scope="module")
def rasa_without_actions(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """A Rasa server whose action server never answers (nothing listens on its port): (url, token)."""
    workdir: Path = tmp_path_factory.mktemp("rasa-no-actions")
    port, token = free_port(), "no-actions-token-0123456789"
    env = stack_env(free_port(), workdir / "trackers.sqlite3", workdir / "shop.sqlite3", "unused-action-token")
    server: Process = rasa_server(port, latest_model(), env, workdir / "rasa.log", token=token)
    server.start()
    yield f"http://127.0.0.1:{port}", token
    server.stop()


@pytest.fixture
async def bridge_to_it(rasa_without_actions, redis, redis_server) -> AsyncIterator[BridgeProcessless]:
    url, token = rasa_without_actions
    bridge = await BridgeProcessless(bridge_settings(redis_server.url, free_port(), url, rasa_token=token)).start()
    yield bridge
    await bridge.stop()


async def test_a_turn_rasa_answers_with_nothing_is_told_and_a_person_offered(bridge_to_it, redis) -> None:
    customer = Customer(bridge_to_it.url)
    await customer.connect()
    await customer.say("hi")  # the assistant itself works: a response needs no action server
    await customer.bot_says("Northwind Goods assistant")
    ack = await customer.sio.call(protocol.USER_UTTERED, {"message": "where is my order ORD-100101",
                                                          "session_id": customer.session_id, "message_id": "m-7"})
    assert ack["status"] == "ok"
    reply = await customer.bot_says("couldn't answer that just now")
    assert reply["text"] == vocabulary.bridge_reply("no_reply", "en")
    assert reply["quick_replies"] == [vocabulary.talk_to_a_person("en")]
    assert reply["metadata"]["reply_to"] == "m-7" and reply["metadata"]["id"]
    again = Customer(bridge_to_it.url)
    await again.connect(customer.session_id, resume_token=customer.resume_token)
    history = (await again.seen.wait_for(protocol.HISTORY))["transcript"]
    assert any(e["role"] == "bot" and e["text"] == vocabulary.bridge_reply("no_reply", "en") for e in history)  # kept, for trainers too
    async with aiohttp.ClientSession() as http, http.get(f"{bridge_to_it.url}/metrics") as response:
        assert 'nwsupport_errors_total{kind="rasa_no_reply"} 1.0' in await response.text()
    for client in (customer, again):
        await client.close()
