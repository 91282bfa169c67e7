"""The whole journey in Japanese, in Debian's headless Chromium with CJK fonts, against the real stack: the
widget set to Japanese, the assistant answering in Japanese, a frustrated customer handed to the agent who
speaks Japanese while an English-only agent is free, the console in Japanese, the survey, and a reload that
shows everything in Japanese.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import AsyncIterator

import pytest
from playwright.async_api import expect

from handoff import keys, vocabulary
from tests.handoff.conftest import BRIDGE_PORT, BridgeProcessless, bridge_settings
from tests.handoff.test_pages import BOT_TIMEOUT_MS, Shots, chromium, console_login, messages, say


@pytest.fixture
async def assigning_bridge(rasa_stack, redis, redis_server) -> AsyncIterator[BridgeProcessless]:
    """The bridge in front of the real Rasa stack (on the port its action server hands over to), giving
    queued conversations to agents itself."""
    running = await BridgeProcessless(bridge_settings(redis_server.url, BRIDGE_PORT, rasa_stack.rasa_url,
                                                      rasa_token=rasa_stack.token, auto_assign=True)).start()
    yield running
    await running.stop()


def pending_order(shop_db) -> tuple[str, str]:
    """A generated customer's pending order and their e-mail (the English flows cancel the fixed ones)."""
    with sqlite3.connect(shop_db) as db:
        return db.execute("SELECT o.order_number, c.email FROM orders o JOIN customers c ON c.id = o.customer_id "
                          "WHERE o.status = 'pending' AND c.id NOT IN ('C1001', 'C1002', 'C1003') "
                          "ORDER BY o.order_number DESC LIMIT 1").fetchone()


async def test_the_whole_journey_in_japanese(assigning_bridge, rasa_stack, redis) -> None:
    url = assigning_bridge.url
    order, email = pending_order(rasa_stack.shop_db)
    shots = Shots("japanese")
    async with chromium() as browser:
        # Two agents are free: Alice reads English only, Yuki Japanese and English.
        alice_context = await browser.new_context(viewport={"width": 1440, "height": 900}, locale="en-US")
        alice = await console_login(alice_context, url, "alice", "alice-demo-password")
        yuki_context = await browser.new_context(viewport={"width": 1440, "height": 900}, locale="ja-JP")
        yuki = await console_login(yuki_context, url, "yuki", "yuki-demo-password")
        await expect(yuki.get_by_test_id("agent-languages")).to_contain_text("JA", timeout=15_000)  # connected
        await yuki.get_by_test_id("ui-language").select_option("ja")  # the console in Japanese, her choice
        await expect(yuki.locator("html")).to_have_attribute("lang", "ja")

        customer_context = await browser.new_context(viewport={"width": 1280, "height": 860}, locale="ja-JP")
        customer = await customer_context.new_page()
        errors: list[str] = []
        customer.on("pageerror", lambda e: errors.append(str(e)))
        await customer.goto(f"{url}/shop/?lang=ja")
        await customer.get_by_test_id("launcher").click()
        await expect(customer.get_by_test_id("input")).to_be_enabled(timeout=15_000)
        bot = messages(customer, "bot")

        # Order status with a full-width order number, answered in Japanese with Japanese dates.
        await say(customer, "ＯＲＤ－１００１０１の配送状況を教えてください")
        await expect(bot.filter(has_text="お届けに向かっております")).to_have_count(1, timeout=BOT_TIMEOUT_MS)
        await expect(bot.filter(has_text="ご登録のメールアドレス")).to_have_count(1, timeout=BOT_TIMEOUT_MS)
        await say(customer, "jane.doe@example.com")  # the details are for the order's owner
        await expect(bot.filter(has_text="発送いたしました")).to_have_count(1, timeout=BOT_TIMEOUT_MS)
        await expect(bot.filter(has_text="発送いたしました")).to_contain_text(re.compile(r"\d+月\d+日"))
        await shots.take(customer, "widget-order-status")

        # A cancellation; 「いいえ」 at the confirmation keeps the order.
        await say(customer, f"注文{order[4:]}をキャンセルしたいです")
        await expect(bot.filter(has_text="ご登録のメールアドレス")).to_have_count(2, timeout=BOT_TIMEOUT_MS)  # the status form asked too
        await say(customer, email)
        await expect(bot.filter(has_text="キャンセルいたしますか")).to_have_count(1, timeout=BOT_TIMEOUT_MS)
        await say(customer, "いいえ、やっぱりやめておきます")
        await expect(bot.filter(has_text="そのままにいたしました")).to_have_count(1, timeout=BOT_TIMEOUT_MS)
        with sqlite3.connect(rasa_stack.shop_db) as db:
            assert db.execute("SELECT status FROM orders WHERE order_number=?", (order,)).fetchone() == ("pending",)

        # Frustrated: handed to Yuki, who speaks Japanese, though Alice is free too.
        await say(customer, "もういい加減にしてください！！何回同じことを言わせるんですか、ふざけないで")
        joined = vocabulary.status_line("joined", "ja", agent="Yuki")
        await expect(customer.get_by_test_id("panel")).to_contain_text(joined, timeout=BOT_TIMEOUT_MS)
        conversation_id = await customer.evaluate("localStorage.getItem('supportWidget.sessionId')")
        stored = await redis.hgetall(keys.conversation(conversation_id))
        assert stored["agent_id"] == "yuki" and stored["language"] == "ja" and stored["reason"] == "frustration"
        await expect(alice.get_by_test_id("tab")).to_have_count(0)  # never offered to the English-only agent

        # Yuki's console, in Japanese: the conversation, its language, the reason in Japanese.
        await expect(yuki.get_by_test_id("tab")).to_have_count(1, timeout=15_000)
        transcript = yuki.get_by_test_id("transcript")
        await expect(transcript).to_contain_text("ＯＲＤ－１００１０１の配送状況を教えてください")
        await expect(yuki.get_by_test_id("context")).to_contain_text("不満・怒り")
        # The transcript's internal lines in her language too, by key (stored in English for the logs).
        await expect(transcript).to_contain_text(vocabulary.agent_line("handoff", "ja", reason="不満・怒り"))
        await expect(transcript).to_contain_text(vocabulary.agent_line("joined", "ja", agent="Yuki"))
        await expect(alice.locator("html")).to_have_attribute("lang", "en")  # Alice's console stays English
        await yuki.get_by_test_id("reply").fill("お待たせいたしました。担当のYukiでございます。ご不便をおかけして申し訳ございません。")
        await yuki.get_by_test_id("reply").press("Enter")
        await expect(messages(customer, "agent").filter(has_text="担当のYukiでございます")).to_have_count(1)
        await say(customer, "荷物がまだ届かないんです")
        await expect(transcript.locator("[data-role='customer']").filter(has_text="荷物がまだ届かないんです")).to_have_count(1)
        await shots.take(yuki, "console-japanese")
        await shots.take(customer, "widget-with-agent")

        # Back to the assistant, which answers in Japanese again.
        await yuki.get_by_test_id("hand-back").click()
        await expect(customer.get_by_test_id("panel")).to_contain_text(vocabulary.status_line("returned", "ja"))
        answered = await bot.count()
        await say(customer, "返品はできますか")
        await expect(bot.nth(answered)).to_contain_text(re.compile("返品"), timeout=BOT_TIMEOUT_MS)

        # A person again, who closes; the survey in Japanese; the rating stored.
        await say(customer, "オペレーターと話したいです")
        await expect(customer.get_by_test_id("panel").get_by_text(joined)).to_have_count(2, timeout=BOT_TIMEOUT_MS)
        await expect(yuki.get_by_test_id("tab")).to_have_count(1, timeout=15_000)
        await yuki.get_by_test_id("resolution").select_option("answered")
        await yuki.get_by_test_id("close").click()
        survey = customer.get_by_test_id("survey")
        await expect(survey).to_be_visible(timeout=15_000)
        await shots.take(customer, "widget-survey")
        await survey.get_by_test_id("survey-rating").nth(3).click()
        await survey.get_by_test_id("survey-comment").fill("丁寧に対応していただきました")
        await survey.get_by_test_id("survey-send").click()
        await expect(customer.get_by_test_id("panel")).to_contain_text(vocabulary.status_line("rated", "ja"))
        assert (await redis.hgetall(keys.conversation(conversation_id)))["satisfaction"] == "4"

        # A reload shows the whole conversation in Japanese: the status lines too, none in English.
        await customer.reload()
        if not await customer.get_by_test_id("panel").is_visible():
            await customer.get_by_test_id("launcher").click()
        log = customer.get_by_test_id("messages")
        for text in ("発送いたしました", "そのままにいたしました", joined, "担当のYukiでございます",
                     vocabulary.status_line("returned", "ja")):
            await expect(log).to_contain_text(text, timeout=15_000)
        for english in ("from Support joined", "back with the assistant", "Connecting you"):
            await expect(log).not_to_contain_text(english)
        await shots.take(customer, "widget-after-reload")

        # The supervisor's figures, of the Japanese customers only, on a page in Japanese.
        supervisor_context = await browser.new_context(viewport={"width": 1440, "height": 900}, locale="ja-JP")
        supervisor = await console_login(supervisor_context, url, "supervisor", "supervisor-demo-password",
                                         "/console/supervisor")
        await expect(supervisor.get_by_test_id("stat-queue-length")).to_be_visible(timeout=15_000)
        await supervisor.get_by_test_id("ui-language").select_option("ja")
        await expect(supervisor.locator("html")).to_have_attribute("lang", "ja")
        await supervisor.get_by_test_id("figures-language").select_option("ja")
        await expect(supervisor.get_by_test_id("stat-satisfaction")).to_contain_text("4", timeout=15_000)
        await shots.take(supervisor, "supervisor-japanese")
        assert errors == []
