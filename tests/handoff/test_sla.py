"""Service-level targets: the timers (pure), and breaches and shares on a real Redis and bridge with
the clock passed in (no waiting for minutes)."""

from __future__ import annotations

import datetime as dt
import time

import aiohttp
import pytest

from handoff import keys, protocol
from handoff.http_api import BRIDGE
from handoff.schedule import Schedule
from handoff.sla import SlaPolicy, policy_from, timers
from handoff.stats import day_and_hour, summarise
from harness.clients import Agent
from tests.handoff.test_queue_and_agents import queued_customer

MINUTE = 60.0
POLICY = SlaPolicy()  # sensitive: urgent (2/3/30 minutes), frustration: high, the rest normal (10/10/240)


def test_a_legal_threat_is_due_sooner_than_a_question_and_timers_turn_amber_then_red():
    always = Schedule.always_open()
    urgent = timers({"state": "queued", "reason": "sensitive", "queued_at": "1000"}, POLICY, always)
    normal = timers({"state": "queued", "reason": "explicit_request", "queued_at": "1000"}, POLICY, always)
    assert [t.kind for t in urgent] == ["first_response", "resolution"]
    assert urgent[0].due_at == 1000 + 2 * MINUTE and normal[0].due_at == 1000 + 10 * MINUTE
    first = urgent[0]
    assert [first.state(1000 + s) for s in (30, 95, 125)] == ["ok", "amber", "breached"]  # amber at 75 %


def test_timers_pause_while_the_desk_is_closed():
    week = {day: ["09:00-18:00"] for day in ("mon", "tue", "wed", "thu", "fri")}
    desk = Schedule.build("Asia/Tokyo", week)
    friday_evening = dt.datetime(2026, 12, 4, 17, 55, tzinfo=desk.tz).timestamp()
    [first, _] = timers({"state": "queued", "reason": "explicit_request", "queued_at": str(friday_evening)},
                        POLICY, desk)
    assert first.due_at == dt.datetime(2026, 12, 7, 9, 5, tzinfo=desk.tz).timestamp()  # Monday 09:05


def test_the_next_response_runs_only_while_the_customer_waits_for_the_agent():
    always = Schedule.always_open()
    base = {"state": "with_agent", "reason": "frustration", "queued_at": "1000", "first_response_at": "1100"}
    answered = timers({**base, "last_customer_at": "1150", "last_agent_at": "1200"}, POLICY, always)
    assert [t.kind for t in answered] == ["first_response", "resolution"]
    waiting = timers({**base, "last_customer_at": "1300", "last_agent_at": "1200"}, POLICY, always)
    assert [t.kind for t in waiting] == ["first_response", "next_response", "resolution"]
    assert waiting[1].started_at == 1300 and waiting[1].due_at == 1300 + 5 * MINUTE
    assert waiting[0].state(2000) == "met"  # stopped by the first answer, in time
    assert timers({**base, "state": "bot"}, POLICY, always) == []


@pytest.mark.parametrize("raw, complaint", [
    ({"priorities": {"urgent": {"first_response": 0}}}, "above 0"),
    ({"reasons": {"sensitive": "critical"}}, "no targets"),
    ({"amber_share": 1.5}, "between 0 and 1"),
])
def test_impossible_targets_are_refused(raw, complaint):
    with pytest.raises(ValueError, match=complaint):
        policy_from(raw)


async def test_a_breach_is_noticed_once_counted_and_told_to_the_console(dead_rasa_bridge, redis):
    app = dead_rasa_bridge.runner.app[BRIDGE]
    bob = await Agent(dead_rasa_bridge.url, "bob", "bob-demo-password").connect()
    customer = await queued_customer(dead_rasa_bridge, reason="sensitive")
    queue = await bob.seen.wait_for(protocol.QUEUE, lambda q: any(e["conversation_id"] == customer.session_id for e in q))
    [entry] = [e for e in queue if e["conversation_id"] == customer.session_id]
    first = next(t for t in entry["sla"] if t["kind"] == "first_response")
    assert first["target_s"] == 2 * MINUTE and first["state"] == "ok" and first["due_at"] > time.time()
    now = time.time()
    assert await app.sla.sweep(now + 1 * MINUTE) == 0
    assert await app.sla.sweep(now + 3 * MINUTE) == 1  # the first response is late
    notice = await bob.seen.wait_for(protocol.SLA_BREACHED)
    assert notice == {**notice, "conversation_id": customer.session_id, "kind": "first_response", "reason": "sensitive"}
    assert await app.sla.sweep(now + 4 * MINUTE) == 0  # once
    day, _ = day_and_hour(time.time())
    figures = summarise(await app.stats.day(day), day)["today"]["sla"]
    assert figures["first_response"]["breaches"] == 1
    async with aiohttp.ClientSession() as http, http.get(f"{dead_rasa_bridge.url}/metrics") as response:
        assert 'nwsupport_sla_breaches_total{kind="first_response",reason="sensitive"} 1.0' in await response.text()
    for client in (customer, bob):
        await client.close()


async def test_answers_count_as_met_or_missed_by_reason_and_agent_and_the_view_has_the_timers(dead_rasa_bridge, redis):
    app = dead_rasa_bridge.runner.app[BRIDGE]
    alice = await Agent(dead_rasa_bridge.url, "alice", "alice-demo-password").connect()
    customer = await queued_customer(dead_rasa_bridge, reason="frustration")
    await alice.emit(protocol.CLAIM, {"conversation_id": customer.session_id})
    claimed = await alice.seen.wait_for(protocol.CLAIMED)
    assert {t["kind"] for t in claimed["sla"]} == {"first_response", "resolution"}
    await alice.emit(protocol.AGENT_MESSAGE, {"conversation_id": customer.session_id, "text": "Hello, I'm here"})
    await customer.seen.wait_for(protocol.BOT_UTTERED, lambda m: "I'm here" in m.get("text", ""))
    await customer.say("my parcel never came")
    await alice.seen.wait_for(protocol.CUSTOMER_MESSAGE)
    waiting = await app.sla.timers_of(customer.session_id)
    assert [t["kind"] for t in waiting] == ["first_response", "next_response", "resolution"]
    assert waiting[0]["state"] == "met"
    assert await app.sla.sweep(time.time() + 6 * MINUTE) == 1  # frustration: 5 minutes for the next answer
    assert (await alice.seen.wait_for(protocol.SLA_BREACHED))["kind"] == "next_response"
    await alice.emit(protocol.AGENT_MESSAGE, {"conversation_id": customer.session_id, "text": "Checking now"})
    await customer.seen.wait_for(protocol.BOT_UTTERED, lambda m: "Checking now" in m.get("text", ""))
    await alice.emit(protocol.CLOSE, {"conversation_id": customer.session_id, "resolution": "resolved"})
    await customer.seen.wait_for(protocol.HANDOFF_CLOSED)
    day, _ = day_and_hour(time.time())
    sla = summarise(await app.stats.day(day), day)["today"]["sla"]
    assert sla["first_response"]["met"] == 1 and sla["first_response"]["by_agent"]["alice"]["share"] == 1.0
    assert sla["first_response"]["by_reason"]["frustration"]["met"] == 1
    assert sla["next_response"]["met"] == 1  # answered seconds later in real time, within 5 minutes
    assert sla["resolution"]["met"] == 1
    assert sla["next_response"]["breaches"] == 1
    assert await redis.hget(keys.conversation(customer.session_id), "state") == "closed"
    for client in (customer, alice):
        await client.close()
