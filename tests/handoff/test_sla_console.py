"""The console's service-level timers in Chromium, the page's clock moved by the test: a waiting
legal threat's first-reply countdown turns amber, then red, the breach is noticed with a notice, and
the supervisor's page counts it (real bridge, real Redis)."""

from __future__ import annotations

import re
import time

from playwright.async_api import expect

from handoff.http_api import BRIDGE
from tests.handoff.test_pages import Shots, chromium, console_login
from tests.handoff.test_queue_and_agents import queued_customer


async def test_a_first_reply_countdown_turns_amber_then_red_and_the_breach_is_counted(dead_rasa_bridge, redis):
    app = dead_rasa_bridge.runner.app[BRIDGE]
    shots = Shots("sla")
    async with chromium() as browser:
        context = await browser.new_context(viewport={"width": 1440, "height": 900})
        await context.clock.install(time=time.time())  # the page's clock, moved by the test below
        alice = await console_login(context, dead_rasa_bridge.url, "alice", "alice-demo-password")
        customer = await queued_customer(dead_rasa_bridge, reason="sensitive")  # urgent: 2 minutes to a first reply
        item = alice.get_by_test_id("queue-item").filter(has_text=re.compile("sensitive", re.I))
        timer = item.locator("[data-testid='sla-timer'][data-kind='first_response']")
        await expect(timer).to_have_attribute("data-state", "ok", timeout=15_000)
        await expect(timer).to_contain_text(re.compile(r"[01]:\d\d left"))
        await context.clock.fast_forward("01:40")  # past 75 % of the target
        await expect(timer).to_have_attribute("data-state", "amber")
        await shots.take(alice, "console-timer-amber")
        await context.clock.fast_forward("00:30")  # past the deadline
        await expect(timer).to_have_attribute("data-state", "breached")
        await expect(timer).to_contain_text("overdue")
        assert await app.sla.sweep(time.time() + 130) == 1  # the bridge notices it once, and tells the console
        await expect(alice.get_by_test_id("sla-notice")).to_be_visible(timeout=10_000)
        await shots.take(alice, "console-timer-breached")
        supervisor = await console_login(await browser.new_context(viewport={"width": 1440, "height": 900}),
                                         dead_rasa_bridge.url, "supervisor", "supervisor-demo-password",
                                         "/console/supervisor")
        figures = supervisor.get_by_test_id("sla-figures")
        await expect(figures).to_be_visible(timeout=15_000)
        row = figures.locator("[data-testid='sla-row'][data-kind='first_response'][data-level='kind']")
        await expect(row).to_contain_text("1")  # one breach today
        await shots.take(supervisor, "supervisor-sla")
        assert alice.errors == [] and supervisor.errors == []  # type: ignore[attr-defined]
        await customer.close()
