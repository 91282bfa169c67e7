"""rasa-webchat 1.0.1 (from npm, unchanged) against the bridge, in Debian's headless Chromium, on a
host page of another origin, with the real Rasa, action server and Redis behind the bridge.

The widget most Rasa sites embed knows only Rasa's socket.io protocol: it must draw the bot's
text, buttons and images, show a handoff (place in line, the agent joining, the agent's words, the way
back to the assistant) as bot messages, and keep its conversation across a reload.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp import web
from playwright.async_api import Page, expect

from handoff import protocol
from harness.clients import Agent
from harness.ports import free_port
from tests.handoff.conftest import BRIDGE_PORT, BridgeProcessless, bridge_settings
from tests.handoff.test_pages import BOT_TIMEOUT_MS, Shots, chromium

ROOT = Path(__file__).resolve().parents[2]
WEBCHAT = ROOT / "var" / "test-vendor" / "rasa-webchat-1.0.1" / "index.js"  # scripts/setup/web.sh fetches it
SHOP_PORT = free_port()
# The host page's origin: not the bridge's (another port). Served for real from loopback, like the
# bridge: Chromium lets a page from elsewhere reach a loopback address only from a secure context.
ORIGIN = f"http://127.0.0.1:{SHOP_PORT}"


def host_page(bridge_url: str) -> str:
    """The embedding snippet of rasa-webchat's README, pointed at the bridge."""
    props = {"socketUrl": bridge_url, "socketPath": "/socket.io/", "initPayload": "/greet",
             "customData": {"language": "en"}, "embedded": True, "title": "Northwind Goods",
             "params": {"storage": "local"}}
    return ("<!doctype html><html><head><meta charset='utf-8'><title>A shop with rasa-webchat</title></head>"
            "<body><div id='chat' style='height: 640px'></div><script src='/webchat.js'></script>"
            f"<script>WebChat.default({json.dumps(props)}, document.getElementById('chat'));</script>"
            "</body></html>")


@pytest.fixture
async def shop(open_bridge: BridgeProcessless) -> AsyncIterator[str]:
    """A shop's page that embeds rasa-webchat, on its own origin; its URL."""
    async def page(request: web.Request) -> web.Response:
        return web.Response(text=host_page(open_bridge.url), content_type="text/html")

    async def script(request: web.Request) -> web.Response:
        return web.Response(body=WEBCHAT.read_bytes(), content_type="text/javascript")

    app = web.Application()
    app.router.add_get("/", page)
    app.router.add_get("/webchat.js", script)
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", SHOP_PORT).start()
    yield f"{ORIGIN}/"
    await runner.cleanup()


@pytest.fixture
async def open_bridge(rasa_stack, redis, redis_server) -> AsyncIterator[BridgeProcessless]:
    """The bridge in front of the real Rasa stack, allowing the host page's origin. rasa-webchat keeps
    nothing but the conversation id, so this shop turns on the id-only resume (BRIDGE_RESUME_BY_ID)."""
    running = await BridgeProcessless(bridge_settings(redis_server.url, BRIDGE_PORT, rasa_stack.rasa_url,
                                                      rasa_token=rasa_stack.token, cors_origins=(ORIGIN,),
                                                      resume_by_id=True)).start()
    yield running
    await running.stop()


async def say(page: Page, text: str) -> None:
    box = page.locator(".rw-new-message")
    await box.fill(text)
    await box.press("Enter")


async def test_rasa_webchat_works_unchanged_against_the_bridge(open_bridge, shop) -> None:
    assert WEBCHAT.exists(), "rasa-webchat is fetched by scripts/setup.sh --test"
    shots = Shots("rasa-webchat")
    async with chromium() as browser:
        context = await browser.new_context(viewport={"width": 900, "height": 800})
        page = await context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        # What the page logs shows with a failure (pytest prints a failing test's output).
        page.on("console", lambda m: print("page:", m.text[:300]))
        page.on("requestfailed", lambda r: print("failed:", r.url, r.failure))
        await page.goto(shop)
        bot = page.locator(".rw-response")

        # The init payload's answer: text and its buttons, drawn as rasa-webchat draws Rasa's.
        await expect(bot.filter(has_text="Northwind Goods assistant")).to_have_count(1, timeout=BOT_TIMEOUT_MS)
        await expect(page.locator(".rw-reply").filter(has_text="Where is my order?")).to_be_visible()
        await say(page, "where is my order ORD-100101")
        await expect(bot.filter(has_text="on its way")).to_have_count(1, timeout=BOT_TIMEOUT_MS)
        await shots.take(page, "bot-answers")

        # An image in a response (the size chart, a path on the bridge): drawn and loaded.
        await say(page, "do you have a size chart? not sure which size to order")
        await expect(bot.filter(has_text="size chart")).to_have_count(1, timeout=BOT_TIMEOUT_MS)
        chart = page.locator(".rw-image-frame, .rw-response img").first
        await expect(chart).to_be_visible(timeout=15_000)
        assert await page.evaluate(
            "() => [...document.querySelectorAll('img')].some(i => i.src.endsWith('/shop/size-chart.svg')"
            " && i.complete && i.naturalWidth > 0)")

        # A handoff, told as bot messages; the agent's words too; and back to the assistant.
        await say(page, "I want to talk to a human")
        await expect(bot.filter(has_text="number 1 in line")).to_have_count(1, timeout=BOT_TIMEOUT_MS)
        said = await bot.all_inner_texts()  # the assistant's words first, then the place in line
        assert "connecting you to a person" in said[-2].lower() and "number 1 in line" in said[-1], said[-3:]
        session = json.loads(await page.evaluate("localStorage.getItem('chat_session')"))
        conversation_id = session["session_id"]
        alice = await Agent(open_bridge.url, "alice", "alice-demo-password").connect()
        try:
            await alice.emit(protocol.CLAIM, {"conversation_id": conversation_id})
            await expect(bot.filter(has_text="Alice from Support joined")).to_have_count(1, timeout=15_000)
            await alice.emit(protocol.AGENT_MESSAGE, {"conversation_id": conversation_id,
                                                      "text": "Hi, this is Alice. Let me look at your order."})
            await expect(bot.filter(has_text="Hi, this is Alice")).to_have_count(1, timeout=15_000)
            await say(page, "my parcel is late")
            got = await alice.seen.wait_for(protocol.CUSTOMER_MESSAGE, lambda d: d["text"] == "my parcel is late")
            assert got["conversation_id"] == conversation_id
            await shots.take(page, "with-agent")
            await alice.emit(protocol.HAND_BACK, {"conversation_id": conversation_id})
            await expect(bot.filter(has_text="back with the assistant")).to_have_count(1, timeout=15_000)
        finally:
            await alice.close()

        # A reload in the middle of a form: the same conversation, and the answer that only makes
        # sense in it is understood (the server kept the conversation, not just the widget).
        await say(page, "i want to change my email address")
        await expect(bot.filter(has_text="e-mail address on your account")).to_have_count(1, timeout=BOT_TIMEOUT_MS)
        await page.reload()
        await expect(bot.filter(has_text="e-mail address on your account")).to_have_count(1, timeout=30_000)
        assert json.loads(await page.evaluate("localStorage.getItem('chat_session')"))["session_id"] == conversation_id
        await say(page, "jane.doe@example.com")  # verified with the order named before the handoff
        await expect(bot.filter(has_text="new e-mail address")).to_have_count(1, timeout=BOT_TIMEOUT_MS)
        await shots.take(page, "after-reload")
        assert errors == []
