"""The supervisor's powers on a real Redis and a real bridge: watch any live conversation read-only,
take it over or give it to someone else (from the queue or from its agent), export the day as CSV.
Supervisors only, each step in the audit trail."""

from __future__ import annotations

import csv
import io

import aiohttp

from handoff import keys, protocol
from harness.clients import Agent, Customer
from tests.handoff.test_console_api import cookie_session
from tests.handoff.test_queue_and_agents import queued_customer

ROUTES = [("GET", "/api/live"), ("GET", "/api/conversation/abcdefghijklmnopqrstuv"),
          ("POST", "/api/supervisor/reassign"), ("GET", "/api/export/figures.csv"),
          ("GET", "/api/export/conversations.csv")]


async def with_alice(bridge, alice: Agent) -> Customer:
    customer = await queued_customer(bridge)
    await alice.emit(protocol.CLAIM, {"conversation_id": customer.session_id})
    await alice.seen.wait_for(protocol.CLAIMED, lambda v: v["conversation_id"] == customer.session_id)
    await customer.say("my parcel is late, it was for my mother")
    await alice.seen.wait_for(protocol.CUSTOMER_MESSAGE)
    return customer


async def test_only_supervisors_have_these_powers(dead_rasa_bridge):
    url = dead_rasa_bridge.url
    async with aiohttp.ClientSession() as anonymous:
        for method, path in ROUTES:
            async with anonymous.request(method, url + path, json={}) as response:
                assert response.status == 401, path
    alice = await cookie_session(url, "alice", "alice-demo-password")
    try:
        for method, path in ROUTES:
            async with alice.request(method, url + path, json={}) as response:
                assert response.status == 403, path
    finally:
        await alice.close()


async def test_watch_read_only_then_give_to_bob_then_take_over(dead_rasa_bridge, redis):
    url = dead_rasa_bridge.url
    alice = await Agent(url, "alice", "alice-demo-password").connect()
    bob = await Agent(url, "bob", "bob-demo-password").connect()
    sam_console = await Agent(url, "supervisor", "supervisor-demo-password").connect()
    customer = await with_alice(dead_rasa_bridge, alice)
    waiting = await queued_customer(dead_rasa_bridge)
    sam = await cookie_session(url, "supervisor", "supervisor-demo-password")
    try:
        async with sam.get(f"{url}/api/live") as response:
            live = {c["conversation_id"]: c for c in (await response.json())["conversations"]}
        assert live[customer.session_id]["state"] == "with_agent" and live[customer.session_id]["agent_id"] == "alice"
        assert live[waiting.session_id]["state"] == "queued"
        assert {t["kind"] for t in live[customer.session_id]["sla"]} >= {"resolution"}

        # Watching: the whole view, read-only; the customer and Alice see nothing of it.
        async with sam.get(f"{url}/api/conversation/{customer.session_id}") as response:
            view = await response.json()
        assert view["read_only"] is True and view["agent_id"] == "alice"
        assert any(e.get("text") == "my parcel is late, it was for my mother" for e in view["transcript"])
        assert customer.seen.of(protocol.AGENT_LEFT) == [] and len(customer.seen.of(protocol.AGENT_JOINED)) == 1

        # Given to Bob: Alice is told, Bob gets it, the customer sees the change of person.
        async with sam.post(f"{url}/api/supervisor/reassign",
                            json={"conversation_id": customer.session_id, "to_agent": "bob"}) as response:
            assert response.status == 200, await response.text()
        ended = await alice.seen.wait_for(protocol.CONVERSATION_ENDED)
        assert ended["conversation_id"] == customer.session_id and "reassigned to Bob" in ended["how"]
        await bob.seen.wait_for(protocol.CLAIMED, lambda v: v["conversation_id"] == customer.session_id)
        await customer.seen.wait_for(protocol.AGENT_LEFT)
        assert await redis.hget(keys.conversation(customer.session_id), "agent_id") == "bob"

        # Taken over by the supervisor.
        async with sam.post(f"{url}/api/supervisor/reassign",
                            json={"conversation_id": customer.session_id, "to_agent": "supervisor"}) as response:
            assert response.status == 200
        assert "taken over by" in (await bob.seen.wait_for(protocol.CONVERSATION_ENDED))["how"]
        await sam_console.seen.wait_for(protocol.CLAIMED, lambda v: v["conversation_id"] == customer.session_id)
        assert await redis.hget(keys.conversation(customer.session_id), "agent_id") == "supervisor"

        # A waiting one given straight to Alice (now free); nonsense refused with a reason.
        async with sam.post(f"{url}/api/supervisor/reassign",
                            json={"conversation_id": waiting.session_id, "to_agent": "alice"}) as response:
            assert response.status == 200
        await alice.seen.wait_for(protocol.CLAIMED, lambda v: v["conversation_id"] == waiting.session_id)
        async with sam.post(f"{url}/api/supervisor/reassign",
                            json={"conversation_id": waiting.session_id, "to_agent": "nobody"}) as response:
            assert response.status == 400 and (await response.json())["error"]["code"] == "bad_agent"
        async with sam.post(f"{url}/api/supervisor/reassign",
                            json={"conversation_id": waiting.session_id, "to_agent": "alice"}) as response:
            assert response.status >= 400 and (await response.json())["error"]["code"] == "bad_agent"  # has it already

        async with sam.get(f"{url}/api/audit?conversation={customer.session_id}") as response:
            actions = [e["action"] for e in (await response.json())["entries"]]
        assert {"watch", "reassign", "take_over"} <= set(actions)
    finally:
        await sam.close()
        for client in (customer, waiting, alice, bob, sam_console):
            await client.close()


async def test_the_day_exports_as_csv_without_what_anyone_wrote(dead_rasa_bridge):
    url = dead_rasa_bridge.url
    alice = await Agent(url, "alice", "alice-demo-password").connect()
    customer = await with_alice(dead_rasa_bridge, alice)
    await alice.emit(protocol.CLOSE, {"conversation_id": customer.session_id, "resolution": "answered"})
    await customer.seen.wait_for(protocol.HANDOFF_CLOSED)
    sam = await cookie_session(url, "supervisor", "supervisor-demo-password")
    try:
        async with sam.get(f"{url}/api/export/conversations.csv") as response:
            assert response.status == 200 and response.content_type == "text/csv"
            assert "attachment" in response.headers["Content-Disposition"]
            body = (await response.read()).decode("utf-8-sig")  # with a BOM, for spreadsheets
        rows = list(csv.DictReader(io.StringIO(body)))
        [row] = [r for r in rows if r["conversation_id"] == customer.session_id]
        assert row["state"] == "closed" and row["resolution"] == "answered" and row["agent_id"] == "alice"
        assert row["closed_at"][:4].isdigit() and "T" in row["closed_at"]
        assert "parcel" not in body  # no customer text
        async with sam.get(f"{url}/api/export/figures.csv") as response:
            figures = list(csv.DictReader(io.StringIO((await response.read()).decode("utf-8-sig"))))
        assert len(figures) == 25 and figures[-1]["hour"] == "all" and int(figures[-1]["handoffs"]) >= 1
        async with sam.get(f"{url}/api/export/figures.csv?day=yesterday") as response:
            assert response.status == 400
    finally:
        await sam.close()
        for client in (customer, alice):
            await client.close()


async def test_watching_is_audited_once_not_at_every_refresh(dead_rasa_bridge):
    url = dead_rasa_bridge.url
    alice = await Agent(url, "alice", "alice-demo-password").connect()
    customer = await with_alice(dead_rasa_bridge, alice)
    sam = await cookie_session(url, "supervisor", "supervisor-demo-password")
    try:
        for _ in range(5):  # the page refreshes the read-only view every 3 s
            async with sam.get(f"{url}/api/conversation/{customer.session_id}") as response:
                assert response.status == 200
        async with sam.get(f"{url}/api/audit?conversation={customer.session_id}") as response:
            watches = [e for e in (await response.json())["entries"] if e["action"] == "watch"]
        assert len(watches) == 1 and watches[0]["actor"] == "supervisor"
    finally:
        await sam.close()
        for client in (customer, alice):
            await client.close()


async def test_the_supervisor_page_watches_takes_over_and_offers_the_csv(dead_rasa_bridge, redis):
    """Chromium: the live list, the read-only transcript, taking over, the downloads."""
    import re

    from playwright.async_api import expect

    from tests.handoff.test_pages import Shots, chromium, console_login

    url = dead_rasa_bridge.url
    alice = await Agent(url, "alice", "alice-demo-password").connect()
    customer = await with_alice(dead_rasa_bridge, alice)
    shots = Shots("supervisor-live")
    async with chromium() as browser:
        page = await console_login(await browser.new_context(viewport={"width": 1440, "height": 1000}), url,
                                   "supervisor", "supervisor-demo-password", "/console/supervisor")
        row = page.locator(f"[data-testid='live-row'][data-conversation-id='{customer.session_id}']")
        await expect(row).to_be_visible(timeout=15_000)
        await row.get_by_test_id("watch").click()
        panel = page.get_by_test_id("watch-panel")
        await expect(panel.get_by_test_id("watch-transcript")).to_contain_text("my parcel is late", timeout=10_000)
        await expect(panel.get_by_test_id("watch-read-only")).to_be_visible()
        await shots.take(page, "supervisor-watching")
        assert customer.seen.of(protocol.AGENT_LEFT) == []  # nobody noticed
        await row.get_by_test_id("take-over").click()
        await expect(page.get_by_test_id("reply-in-console")).to_be_visible(timeout=10_000)
        await alice.seen.wait_for(protocol.CONVERSATION_ENDED)
        assert await redis.hget(keys.conversation(customer.session_id), "agent_id") == "supervisor"
        assert re.search(r"/api/export/figures\.csv\?day=\d{4}-\d\d-\d\d$",
                         await page.get_by_test_id("export-figures").get_attribute("href") or "")
        async with page.expect_download() as download_info:
            await page.get_by_test_id("export-conversations").click()
        download = await download_info.value
        assert download.suggested_filename.startswith("conversations-") and download.suggested_filename.endswith(".csv")
        assert page.errors == []  # type: ignore[attr-defined]
    for client in (customer, alice):
        await client.close()
