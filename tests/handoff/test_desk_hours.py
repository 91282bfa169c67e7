"""Business hours through the real stack: out of hours a request for a person hears when the desk
opens and is offered a message instead of a wait (real Rasa, action server, Redis, Socket.IO)."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from handoff import keys, protocol
from handoff.desk_policy import DeskFileError, load
from handoff.schedule import Schedule, desk_status
from harness.clients import Customer
from tests.handoff.conftest import BRIDGE_PORT, BridgeProcessless, bridge_settings


def closed_now_desk(path: Path) -> Path:
    """A desk file whose only opening, every day, starts two hours from now (UTC): closed now."""
    start = (dt.datetime.now(dt.timezone.utc).hour + 2) % 24
    period = f"{start:02d}:00-{start + 1:02d}:00" if start < 23 else "23:00-24:00"
    week = "\n".join(f'{day} = ["{period}"]' for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun"))
    path.write_text(f'[hours]\ntime_zone = "UTC"\n\n[hours.week]\n{week}\n', encoding="utf-8")
    return path


@pytest.fixture
async def closed_desk_bridge(rasa_stack, redis, redis_server, tmp_path) -> AsyncIterator[BridgeProcessless]:
    running = await BridgeProcessless(bridge_settings(redis_server.url, BRIDGE_PORT, rasa_stack.rasa_url,
                                                      rasa_token=rasa_stack.token,
                                                      desk_file=closed_now_desk(tmp_path / "desk.toml"))).start()
    yield running
    await running.stop()


async def test_out_of_hours_a_person_is_not_promised_and_a_message_is_offered(closed_desk_bridge, redis):
    customer = Customer(closed_desk_bridge.url)
    conversation_id = await customer.connect()
    history = await customer.seen.wait_for(protocol.HISTORY)
    assert history["desk"]["open"] is False and "(UTC)" in history["desk"]["opens"]["en"]  # shown before asking
    await customer.say("I want to talk to a human", customData={"language": "en"})
    said = await customer.bot_says("away right now and will be back")
    assert history["desk"]["opens"]["en"] in said["text"]
    offer = await customer.seen.wait_for(protocol.HANDOFF_NO_AGENT)
    assert offer["why"] == "after_hours" and offer["options"] == ["leave_message"]
    place = await customer.seen.wait_for(protocol.HANDOFF_QUEUED)
    assert place["estimated_wait_s"] is None and place["after_hours"] is True  # no promised wait
    await customer.emit(protocol.LEAVE_MESSAGE, {"email": "jane.doe@example.com", "text": "please call me back"})
    ticket = (await customer.seen.wait_for(protocol.TICKET_CREATED))["ticket_id"]
    assert await redis.hget(keys.ticket(ticket), "email") == "jane.doe@example.com"
    assert await redis.hget(keys.conversation(conversation_id), "state") == "closed"
    await customer.close()


async def test_a_japanese_customer_hears_the_hours_in_japanese(closed_desk_bridge):
    customer = Customer(closed_desk_bridge.url)
    await customer.connect()
    await customer.say("担当者と話したいです", customData={"language": "ja"})
    said = await customer.bot_says("対応時間外")
    assert "（協定世界時）" in said["text"] and "より対応を再開" in said["text"]
    offer = await customer.seen.wait_for(protocol.HANDOFF_NO_AGENT)
    assert "協定世界時" in offer["opens"]["ja"]
    await customer.close()


def test_the_shipped_desk_file_reads_and_keeps_japanese_holidays():
    policy = load(Path(__file__).resolve().parents[2] / "desk.toml")
    tokyo = policy.schedule

    def at(*parts: int) -> float:
        return dt.datetime(*parts, tzinfo=tokyo.tz).timestamp()  # type: ignore[misc, arg-type]
    assert tokyo.is_open(at(2026, 12, 3, 10, 0))  # a Thursday morning
    assert not tokyo.is_open(at(2026, 12, 3, 12, 30))  # lunch
    assert not tokyo.is_open(at(2026, 11, 23, 10, 0))  # 勤労感謝の日, a Monday
    assert not tokyo.is_open(at(2026, 12, 6, 10, 0))  # a Sunday
    assert tokyo.next_open(at(2026, 12, 28, 19, 0)) == at(2027, 1, 4, 9, 0)  # the year-end break
    assert desk_status(tokyo, at(2026, 12, 3, 19, 0))["opens"]["ja"] == "12月4日（金）9:00（日本時間）"
    assert policy.idle.warn_after_s == 600 and policy.idle.bot_idle_s == 3600


def test_open_time_pauses_while_the_desk_is_closed():
    week = {day: ["09:00-12:00", "13:00-18:00"] for day in ("mon", "tue", "wed", "thu", "fri")}
    desk = Schedule.build("Asia/Tokyo", week, ["2026-12-04"])

    def at(*parts: int) -> float:
        return dt.datetime(*parts, tzinfo=desk.tz).timestamp()  # type: ignore[misc, arg-type]
    assert desk.open_seconds(at(2026, 12, 3, 11, 0), at(2026, 12, 3, 14, 0)) == 2 * 3600  # lunch not counted
    # 4 open hours from Thursday 16:00: 2 on Thursday, Friday a holiday, the weekend closed: Monday 11:00.
    assert desk.after_open_seconds(at(2026, 12, 3, 16, 0), 4 * 3600) == at(2026, 12, 7, 11, 0)
    assert Schedule.always_open().after_open_seconds(100.0, 50.0) == 150.0


@pytest.mark.parametrize("text, complaint", [
    ("[hours]\ntime_zone = 'Mars/Olympus'\n", "unknown time zone"),
    ("[hours]\n[hours.week]\nmonday = ['09:00-18:00']\n", "unknown weekday"),
    ("[hours]\n[hours.week]\nmon = ['18:00-09:00']\n", "start before it ends"),
    ("[hours]\n[hours.week]\nmon = ['9-18']\n", "09:00-18:00"),
    ("[hours]\nclosed_dates = ['2026-13-01']\n", "YYYY-MM-DD"),
    ("[auto_resolve]\nbot_idle_minutes = -5\n", "minutes"),
    ("hours = [", "not valid TOML"),
])
def test_a_desk_file_that_says_something_impossible_stops_the_bridge_with_the_reason(tmp_path, text, complaint):
    path = tmp_path / "desk.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DeskFileError, match=complaint):
        load(path)


async def test_the_widget_says_when_the_desk_opens_and_offers_only_a_message(closed_desk_bridge, redis):
    """Chromium, the real widget: the header says when a person can answer before anyone asks; asking
    gets the after-hours card (no "keep waiting"), and the message left becomes a ticket."""
    import re

    from playwright.async_api import expect

    from tests.handoff.test_pages import Shots, chromium, messages, open_widget, say

    shots = Shots("after-hours")
    async with chromium() as browser:
        context = await browser.new_context(viewport={"width": 1280, "height": 860})
        page = await open_widget(context, closed_desk_bridge.url)
        header = page.locator(".sw-subtitle")
        await expect(header).to_contain_text(re.compile(r"our team is back .*\(UTC\)"), timeout=15_000)
        await say(page, "I want to talk to a human")
        await expect(messages(page, "bot").filter(has_text="away right now")).to_have_count(1, timeout=60_000)
        card = page.get_by_test_id("no-agent")
        await expect(card).to_contain_text("Our team is away right now")
        await expect(card).to_contain_text("(UTC)")
        await expect(page.get_by_test_id("keep-waiting")).to_have_count(0)
        await expect(page.get_by_test_id("queue-status")).to_contain_text("back")
        await expect(page.get_by_test_id("queue-status")).not_to_contain_text("minute")  # no promised wait
        await shots.take(page, "widget-after-hours")
        await page.get_by_test_id("leave-message").click()
        await page.locator("#sw-lm-email").fill("jane.doe@example.com")
        await page.locator("#sw-lm-text").fill("Please call me back about my order")
        await page.get_by_role("button", name="Send message").click()
        await expect(page.get_by_test_id("messages")).to_contain_text("we'll reply by e-mail", timeout=15_000)
        assert page.errors == []  # type: ignore[attr-defined]
        await context.close()
    tickets = await redis.lrange(keys.TICKETS, 0, -1)
    assert len(tickets) == 1 and await redis.hget(keys.ticket(tickets[0]), "email") == "jane.doe@example.com"


async def test_the_widget_in_japanese_says_when_the_desk_opens(closed_desk_bridge):
    """Chromium, the widget in Japanese out of hours: the header, the bot's answer and the card."""
    import re

    from playwright.async_api import expect

    from tests.handoff.test_pages import BOT_TIMEOUT_MS, Shots, chromium, messages, say

    shots = Shots("after-hours-japanese")
    async with chromium() as browser:
        context = await browser.new_context(viewport={"width": 1280, "height": 860}, locale="ja-JP")
        page = await context.new_page()
        await page.goto(f"{closed_desk_bridge.url}/shop/?lang=ja")
        await page.get_by_test_id("launcher").click()
        await expect(page.get_by_test_id("input")).to_be_enabled(timeout=15_000)
        await expect(page.locator(".sw-subtitle")).to_contain_text(re.compile(r"担当者は.*（協定世界時）より対応いたします"),
                                                                   timeout=15_000)
        await say(page, "担当者と話したいです")
        await expect(messages(page, "bot").filter(has_text="対応時間外")).to_have_count(1, timeout=BOT_TIMEOUT_MS)
        card = page.get_by_test_id("no-agent")
        await expect(card).to_contain_text("ただいま担当者の対応時間外です")
        await expect(card).to_contain_text("より対応を再開いたします")
        await expect(page.get_by_test_id("keep-waiting")).to_have_count(0)
        await shots.take(page, "widget-after-hours-japanese")
        await context.close()
