"""The widget and the console in a real headless Chromium (Debian's, driven by Playwright) against
the real stack: the bridge, Rasa with the trained model, the action server and Redis.

Screenshots of every step go to ``reports/screenshots/`` (the README shows the best of them).
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from playwright.async_api import Browser, BrowserContext, Page, async_playwright, expect

from handoff import keys
from handoff.outbox import Outbox

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "reports" / "screenshots"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
BOT_TIMEOUT_MS = 60_000  # the first turns of a fresh Rasa server are slow
HOSTILE = ["<script>window.__xss = 'script'</script>", "<img src=x onerror=\"window.__xss = 'img'\">"]


@contextlib.asynccontextmanager
async def chromium() -> AsyncIterator[Browser]:
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            await browser.close()


class Shots:
    """Numbered screenshots of one test."""

    def __init__(self, name: str) -> None:
        self.folder = SHOTS / name
        self.folder.mkdir(parents=True, exist_ok=True)
        self.count = 0

    async def take(self, page: Page, what: str) -> None:
        self.count += 1
        await page.screenshot(path=str(self.folder / f"{self.count:02d}-{what}.png"), animations="disabled")


async def open_widget(context: BrowserContext, url: str) -> Page:
    page = await context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.errors = errors  # type: ignore[attr-defined]
    await page.goto(f"{url}/shop/")
    await page.get_by_test_id("launcher").click()
    await expect(page.get_by_test_id("panel")).to_be_visible()
    await expect(page.get_by_test_id("input")).to_be_enabled(timeout=15_000)
    return page


async def say(page: Page, text: str) -> None:
    box = page.get_by_test_id("input")
    await box.fill(text)
    await box.press("Enter")


def messages(page: Page, role: str):
    return page.locator(f"[data-testid='message'][data-role='{role}']")


async def console_login(context: BrowserContext, url: str, username: str, password: str, page_path: str = "/console/") -> Page:
    page = await context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.errors = errors  # type: ignore[attr-defined]
    await page.goto(f"{url}{page_path}")
    await expect(page).to_have_url(re.compile(r"/console/login$"))  # no page without a login
    await page.locator("#username").fill(username)
    await page.locator("#password").fill(password)
    await page.get_by_test_id("login-submit").click()
    await expect(page).to_have_url(re.compile(r"/console/$"))
    if page_path != "/console/":
        await page.goto(f"{url}{page_path}")
    return page


async def test_customer_and_agent_through_the_whole_journey(bridge, rasa_stack, redis):
    shots = Shots("journey")
    async with chromium() as browser:
        customer_context = await browser.new_context(viewport={"width": 1280, "height": 860})
        customer = await open_widget(customer_context, bridge.url)
        await shots.take(customer, "widget-open")

        # The bot answers an order question.
        await say(customer, "where is my order ORD-100101")
        await expect(messages(customer, "customer").last).to_have_text(re.compile("where is my order ORD-100101"))
        await expect(messages(customer, "bot").filter(has_text="on its way")).to_have_count(1, timeout=BOT_TIMEOUT_MS)
        await shots.take(customer, "widget-bot-answers")

        # The customer asks for a person and sees the place in line.
        await say(customer, "I want to talk to a human")
        status = customer.get_by_test_id("queue-status")
        await expect(status).to_contain_text(re.compile(r"number 1 in line"), timeout=BOT_TIMEOUT_MS)
        await expect(status).to_contain_text(re.compile(r"about \d+ minute"))
        await shots.take(customer, "widget-queued")
        conversation_id = await customer.evaluate("localStorage.getItem('supportWidget.sessionId')")
        assert conversation_id and await redis.zscore(keys.QUEUE, conversation_id) is not None

        # An agent in a second browser logs in and sees it with its reason.
        agent_context = await browser.new_context(viewport={"width": 1440, "height": 900})
        agent = await console_login(agent_context, bridge.url, "alice", "alice-demo-password")
        item = agent.get_by_test_id("queue-item").filter(has_text=re.compile("explicit request", re.I))
        await expect(item).to_have_count(1, timeout=15_000)
        await expect(item.get_by_test_id("reason-badge")).to_contain_text(re.compile("explicit request", re.I))
        await shots.take(agent, "console-queue")
        await item.get_by_test_id("claim").click()
        transcript = agent.get_by_test_id("transcript")
        await expect(transcript).to_contain_text("where is my order ORD-100101")
        await expect(agent.get_by_test_id("context")).to_contain_text(re.compile("request_human"))
        await expect(agent.get_by_test_id("context")).to_contain_text("ORD-100101")
        await expect(customer.get_by_test_id("panel")).to_contain_text("Alice from Support joined")
        await expect(status).to_be_hidden()

        # They talk, each seeing the other type.
        reply = agent.get_by_test_id("reply")
        await reply.press_sequentially("Hi, this is Alice", delay=20)
        await expect(customer.get_by_test_id("typing")).to_contain_text("Alice", timeout=10_000)
        await reply.press("Enter")
        await expect(messages(customer, "agent").filter(has_text="Hi, this is Alice")).to_have_count(1)
        await expect(messages(customer, "agent").last).to_contain_text("Alice")  # the agent's name on it
        await expect(customer.get_by_test_id("typing")).to_be_hidden()
        await shots.take(customer, "widget-with-agent")
        await customer.get_by_test_id("input").press_sequentially("my parcel is late", delay=20)
        await expect(agent.get_by_test_id("customer-typing")).to_be_visible(timeout=10_000)
        await customer.get_by_test_id("input").press("Enter")
        await expect(transcript.locator("[data-role='customer']").filter(has_text="my parcel is late")).to_have_count(1)
        await agent.get_by_test_id("note").fill("Carrier delay, offered a voucher")
        await agent.get_by_test_id("add-note").click()
        await expect(transcript.locator("[data-role='note']")).to_contain_text("Carrier delay")
        await shots.take(agent, "console-conversation")

        # Back to the bot, which answers again.
        await agent.get_by_test_id("hand-back").click()
        await expect(customer.get_by_test_id("panel")).to_contain_text("You're back with the assistant")
        await say(customer, "what is your return policy")
        await expect(messages(customer, "bot").filter(has_text="within 30 days")).to_have_count(1, timeout=BOT_TIMEOUT_MS)

        # A reload shows the whole conversation, and no internal note.
        await customer.reload()
        if not await customer.get_by_test_id("panel").is_visible():
            await customer.get_by_test_id("launcher").click()
        log = customer.get_by_test_id("messages")
        for text in ("where is my order ORD-100101", "on its way", "Hi, this is Alice", "my parcel is late",
                     "You're back with the assistant", "within 30 days"):
            await expect(log).to_contain_text(text)
        await expect(log).not_to_contain_text("Carrier delay")
        await shots.take(customer, "widget-after-reload")

        # A person again, who closes the conversation; the customer rates it.
        await say(customer, "let me talk to a person please")
        await expect(status).to_contain_text("in line", timeout=BOT_TIMEOUT_MS)
        item = agent.get_by_test_id("queue-item")
        await expect(item).to_have_count(1, timeout=15_000)
        await item.get_by_test_id("claim").click()
        await expect(customer.get_by_test_id("panel")).to_contain_text("Alice from Support joined")
        await agent.get_by_test_id("resolution").select_option("answered")
        await agent.get_by_test_id("close").click()
        survey = customer.get_by_test_id("survey")
        await expect(survey).to_be_visible(timeout=10_000)
        await shots.take(customer, "widget-survey")
        await survey.get_by_test_id("survey-rating").nth(4).click()
        await survey.get_by_test_id("survey-comment").fill("Alice was quick")
        await survey.get_by_test_id("survey-send").click()
        await expect(customer.get_by_test_id("panel")).to_contain_text(re.compile("thank", re.I))
        stored = await redis.hgetall(keys.conversation(conversation_id))
        assert stored["satisfaction"] == "5" and stored["satisfaction_comment"] == "Alice was quick"
        assert stored["resolution"] == "answered"
        slots = [e for e in rasa_stack.tracker(conversation_id)["events"] if e["event"] == "slot"]
        assert {"name": "satisfaction", "value": 5} in [{"name": e["name"], "value": e["value"]} for e in slots]

        # The conversation by e-mail: to the outbox, as the customer saw it, without the internal note.
        transcript = customer.get_by_test_id("transcript")
        await transcript.get_by_test_id("transcript-email").fill("jane.doe@example.com")
        await transcript.get_by_test_id("transcript-send").click()
        await expect(transcript).to_contain_text("sent the conversation to jane.doe@example.com", timeout=10_000)
        [mail] = await Outbox(redis).to("jane.doe@example.com")
        assert mail["kind"] == "transcript" and "You: where is my order ORD-100101" in mail["body"]
        assert "Alice: Hi, this is Alice" in mail["body"]
        assert "Carrier delay" not in mail["body"]

        # The supervisor sees the day's figures.
        supervisor_context = await browser.new_context(viewport={"width": 1440, "height": 900})
        supervisor = await console_login(supervisor_context, bridge.url, "supervisor", "supervisor-demo-password",
                                         "/console/supervisor")
        await expect(supervisor.get_by_test_id("stat-satisfaction")).to_contain_text("5")
        await expect(supervisor.get_by_test_id("stat-containment")).to_contain_text("%")
        await shots.take(supervisor, "supervisor")
        for page in (customer, agent, supervisor):
            assert page.errors == [], page.errors  # type: ignore[attr-defined]


async def test_hostile_text_shows_as_text_on_both_pages(bridge, rasa_stack, redis):
    shots = Shots("hostile-text")
    async with chromium() as browser:
        customer = await open_widget(await browser.new_context(), bridge.url)
        await say(customer, "I want to talk to a human")
        await expect(customer.get_by_test_id("queue-status")).to_contain_text("in line", timeout=BOT_TIMEOUT_MS)
        for text in HOSTILE:
            await say(customer, text)
        agent = await console_login(await browser.new_context(viewport={"width": 1440, "height": 900}), bridge.url,
                                    "bob", "bob-demo-password")
        item = agent.get_by_test_id("queue-item")
        await expect(item).to_have_count(1, timeout=15_000)
        await item.get_by_test_id("claim").click()
        transcript = agent.get_by_test_id("transcript")
        for text in HOSTILE:
            await expect(transcript.locator("[data-role='customer']").filter(has_text=text)).to_have_count(1)
        await agent.get_by_test_id("reply").fill(HOSTILE[0])
        await agent.get_by_test_id("reply").press("Enter")
        await expect(messages(customer, "agent").filter(has_text=HOSTILE[0])).to_have_count(1)
        for page in (customer, agent):
            for text in HOSTILE:
                await expect(page.get_by_text(text, exact=False).first).to_be_visible()
            assert await page.evaluate("window.__xss") is None  # nothing ran
            # No element was made from the text: the only images are the page's own.
            assert await page.locator("img[src='x']").count() == 0
        await shots.take(customer, "widget")
        await shots.take(agent, "console")


async def test_phone_width_japanese_and_keyboard_only(bridge, rasa_stack):
    shots = Shots("phone")
    async with chromium() as browser:
        context = await browser.new_context(viewport={"width": 360, "height": 740}, locale="ja-JP",
                                            is_mobile=True, has_touch=True)
        page = await context.new_page()
        await page.goto(f"{bridge.url}/shop/")
        # Keyboard only: Tab reaches the launcher, Enter opens, typing and Enter sends, Escape closes.
        launcher = page.get_by_test_id("launcher")
        for _ in range(40):
            await page.keyboard.press("Tab")
            if await launcher.evaluate("el => el.matches(':focus') || el === document.activeElement"
                                       " || (el.getRootNode().activeElement === el)"):
                break
        else:
            pytest.fail("Tab never reaches the widget's launcher")
        await page.keyboard.press("Enter")
        panel = page.get_by_test_id("panel")
        await expect(panel).to_be_visible()
        box = await panel.bounding_box()
        assert box and box["width"] >= 350  # full width on a phone
        await expect(page.get_by_test_id("input")).to_be_focused(timeout=15_000)
        await expect(messages(page, "bot").first).to_be_visible(timeout=BOT_TIMEOUT_MS)  # the greeting
        answered = await messages(page, "bot").count()
        await page.keyboard.type("注文はどこですか")
        await page.keyboard.press("Enter")
        await expect(messages(page, "customer").last).to_have_text(re.compile("注文はどこですか"))
        await expect(messages(page, "bot").nth(answered)).to_be_visible(timeout=BOT_TIMEOUT_MS)  # an answer
        assert await page.get_by_test_id("messages").get_attribute("aria-live") == "polite"
        await shots.take(page, "widget-japanese")
        await page.keyboard.press("Escape")
        await expect(panel).to_be_hidden()
