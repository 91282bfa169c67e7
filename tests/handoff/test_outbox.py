"""Mail to customers through the outbox, on a real Redis and bridge: the acknowledgement of a left
message (with its reference, in the customer's language, out of hours with the opening time), the
agent's answer to it, and the transcript a customer asks for (no internal notes)."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest

from handoff import protocol
from handoff.http_api import BRIDGE
from harness.clients import Agent
from harness.ports import free_port
from tests.handoff.conftest import BridgeProcessless, bridge_settings
from tests.handoff.test_desk_hours import closed_now_desk
from tests.handoff.test_queue_and_agents import queued_customer


@pytest.fixture
async def closed_desk(redis, redis_server, tmp_path) -> AsyncIterator[BridgeProcessless]:
    bridge = await BridgeProcessless(bridge_settings(redis_server.url, free_port(), f"http://127.0.0.1:{free_port()}",
                                                     rasa_timeout_s=2.0,
                                                     desk_file=closed_now_desk(tmp_path / "desk.toml"))).start()
    yield bridge
    await bridge.stop()


def outbox(bridge):
    return bridge.runner.app[BRIDGE].outbox


async def test_a_left_message_is_acknowledged_and_the_agents_answer_goes_by_mail(dead_rasa_bridge, redis):
    customer = await queued_customer(dead_rasa_bridge)
    await customer.say("荷物がまだ届きません")  # the conversation is in Japanese from here
    await customer.emit(protocol.LEAVE_MESSAGE, {"email": "kenji.sato@example.jp", "text": "折り返しご連絡ください"})
    ticket = (await customer.seen.wait_for(protocol.TICKET_CREATED))["ticket_id"]
    [ack] = await outbox(dead_rasa_bridge).to("kenji.sato@example.jp")
    assert ack["kind"] == "ticket_ack" and ack["language"] == "ja"
    assert ticket in ack["subject"] and ticket in ack["body"] and "折り返しご連絡ください" in ack["body"]
    assert "順次" in ack["body"]  # the desk is open: as soon as we can

    alice = await Agent(dead_rasa_bridge.url, "alice", "alice-demo-password").connect()
    await alice.emit(protocol.TICKET_REPLY, {"ticket_id": ticket, "text": "明日の午前中にお届け予定です。"})
    handled = await alice.seen.wait_for(protocol.TICKETS, lambda ts: any(t["status"] == "handled" for t in ts))
    assert [t["handled_by"] for t in handled if t["id"] == ticket] == ["Alice"]
    reply = (await outbox(dead_rasa_bridge).to("kenji.sato@example.jp"))[0]
    assert reply["kind"] == "ticket_reply" and reply["language"] == "ja"
    assert "明日の午前中にお届け予定です。" in reply["body"] and "Alice" in reply["body"] and ticket in reply["subject"]
    await alice.emit(protocol.TICKET_REPLY, {"ticket_id": "T-NOPE", "text": "hello"})
    assert (await alice.seen.wait_for(protocol.ERROR))["code"] == "unknown_ticket"
    for client in (customer, alice):
        await client.close()


async def test_out_of_hours_the_acknowledgement_says_when_we_reply(closed_desk):
    customer = await queued_customer(closed_desk)
    await customer.emit(protocol.LEAVE_MESSAGE, {"email": "jane.doe@example.com", "text": "please call me"})
    await customer.seen.wait_for(protocol.TICKET_CREATED)
    [ack] = await outbox(closed_desk).to("jane.doe@example.com")
    assert "when we're back" in ack["body"] and "(UTC)" in ack["body"]
    await customer.close()


async def test_the_customer_gets_the_transcript_in_their_language_without_notes(dead_rasa_bridge):
    alice = await Agent(dead_rasa_bridge.url, "alice", "alice-demo-password").connect()
    customer = await queued_customer(dead_rasa_bridge)
    await alice.emit(protocol.CLAIM, {"conversation_id": customer.session_id})
    await alice.seen.wait_for(protocol.CLAIMED)
    await customer.say("注文した靴のサイズを交換したいです")
    await alice.seen.wait_for(protocol.CUSTOMER_MESSAGE)
    await alice.emit(protocol.AGENT_MESSAGE, {"conversation_id": customer.session_id, "text": "承知いたしました。"})
    await alice.emit(protocol.NOTE, {"conversation_id": customer.session_id, "text": "internal: VIP customer"})
    await alice.emit(protocol.CLOSE, {"conversation_id": customer.session_id, "resolution": "answered"})
    await customer.seen.wait_for(protocol.HANDOFF_CLOSED)
    await customer.emit(protocol.TRANSCRIPT_REQUEST, {"email": "jane.doe@example.com"})
    assert (await customer.seen.wait_for(protocol.TRANSCRIPT_SENT))["email"] == "jane.doe@example.com"
    [mail] = await outbox(dead_rasa_bridge).to("jane.doe@example.com")
    assert mail["kind"] == "transcript" and mail["language"] == "ja" and "会話記録" in mail["subject"]
    body = mail["body"]
    assert "お客様: 注文した靴のサイズを交換したいです" in body and "Alice: 承知いたしました。" in body
    assert "会話は終了しました" in body  # the status lines, in Japanese
    assert "VIP" not in body and "internal" not in body  # notes are the team's
    await customer.emit(protocol.TRANSCRIPT_REQUEST, {"email": "not an address"})
    assert (await customer.seen.wait_for(protocol.ERROR))["event"] == protocol.TRANSCRIPT_REQUEST
    assert len(await outbox(dead_rasa_bridge).to("not an address")) == 0
    for client in (customer, alice):
        await client.close()


async def test_an_agent_answers_a_ticket_by_mail_from_the_console(dead_rasa_bridge):
    """Chromium: the console's "Reply by e-mail" on a left message reaches the outbox and handles it."""
    from playwright.async_api import expect

    from tests.handoff.test_pages import chromium, console_login

    customer = await queued_customer(dead_rasa_bridge)
    await customer.emit(protocol.LEAVE_MESSAGE, {"email": "maria.garcia@example.com", "text": "Where is my refund?"})
    ticket = (await customer.seen.wait_for(protocol.TICKET_CREATED))["ticket_id"]
    async with chromium() as browser:
        page = await console_login(await browser.new_context(viewport={"width": 1440, "height": 900}),
                                   dead_rasa_bridge.url, "alice", "alice-demo-password")
        item = page.locator(f"[data-testid='ticket'][data-ticket-id='{ticket}']")
        await expect(item).to_be_visible(timeout=15_000)
        await item.get_by_test_id("ticket-reply").click()
        await item.get_by_test_id("ticket-reply-text").fill("Your refund left us today; allow 3-5 days.")
        await item.get_by_test_id("ticket-reply-send").click()
        await expect(page.locator(f"[data-testid='ticket'][data-ticket-id='{ticket}']")).to_have_attribute(
            "data-status", "handled", timeout=10_000)
        assert page.errors == []  # type: ignore[attr-defined]
    reply = (await outbox(dead_rasa_bridge).to("maria.garcia@example.com"))[0]
    assert reply["kind"] == "ticket_reply" and "Your refund left us today" in reply["body"] and "Alice" in reply["body"]
    await customer.close()


async def test_an_unanswered_survey_is_reminded_once_to_the_address_the_customer_gave(dead_rasa_bridge):
    app = dead_rasa_bridge.runner.app[BRIDGE]
    alice = await Agent(dead_rasa_bridge.url, "alice", "alice-demo-password").connect()
    gave, silent, rated = [await queued_customer(dead_rasa_bridge) for _ in range(3)]
    for customer in (gave, silent, rated):
        await alice.emit(protocol.CLAIM, {"conversation_id": customer.session_id})
        await alice.seen.wait_for(protocol.CLAIMED, is_conversation(customer.session_id))
        await alice.emit(protocol.CLOSE, {"conversation_id": customer.session_id, "resolution": "answered"})
        await customer.seen.wait_for(protocol.HANDOFF_CLOSED)
    await gave.emit(protocol.TRANSCRIPT_REQUEST, {"email": "jane.doe@example.com"})
    await gave.seen.wait_for(protocol.TRANSCRIPT_SENT)
    await rated.emit(protocol.TRANSCRIPT_REQUEST, {"email": "maria.garcia@example.com"})
    await rated.seen.wait_for(protocol.TRANSCRIPT_SENT)
    await rated.emit(protocol.SURVEY, {"rating": 4, "comment": ""})
    await rated.seen.wait_for(protocol.SURVEY_SAVED)
    assert await app.survey.remind(3600, now=time.time() + 1800) == 0  # not yet
    assert await app.survey.remind(3600, now=time.time() + 3700) == 1  # only the one who gave an address, unrated
    kinds = [m["kind"] for m in await outbox(dead_rasa_bridge).to("jane.doe@example.com")]
    assert kinds == ["survey_reminder", "transcript"]
    assert [m["kind"] for m in await outbox(dead_rasa_bridge).to("maria.garcia@example.com")] == ["transcript"]
    assert await app.survey.remind(3600, now=time.time() + 7200) == 0  # once
    for client in (gave, silent, rated, alice):
        await client.close()


def is_conversation(conversation_id: str) -> Callable[[Any], bool]:
    """A check for ``Recorder.wait_for``: the payload is about ``conversation_id``."""
    return lambda payload: bool(payload.get("conversation_id") == conversation_id)
