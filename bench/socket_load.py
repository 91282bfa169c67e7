"""Socket.IO load of the bridge benchmark: widget-like customers, agent consoles, and the three phases.

All I/O, over real sockets on loopback (``harness.clients``: python-socketio ``AsyncClient``,
websocket transport).
Times are ``time.perf_counter()`` in this process: a reply's time is taken when its event
handler runs, so a busy client loop shows up in the figures too (that is what a widget sees).
"""

from __future__ import annotations

import asyncio
import sys
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import aiohttp

from bench.bridge_report import IdleStep, relay_schedule
from bench.stats import Sample
from handoff import protocol
from harness.clients import Agent, Customer, post_handoff

FIRST_REPLY_TIMEOUT_S = 60.0  # a message with no bot_uttered by then is an error
REST_OF_REPLIES_TIMEOUT_S = 15.0  # the expected remaining replies of a message
LEARN_QUIET_S = 1.0  # warm-up: a message's replies are over after this long without one
EXTRA_REPLIES_WAIT_S = 0.3  # after a round: anything arriving now was not expected
RELAY_TIMEOUT_S = 30.0
# Connections opened at once. The bridge's Redis client has redis-py's default pool of 100
# connections and fails a request when all are busy, so a larger burst of session_requests
# measures that limit instead of the connections (see the report's warnings when it happens).
CONNECT_CONCURRENCY = 50


def log(message: str) -> None:
    """Progress to stderr; stdout carries the results."""
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def shared_http() -> aiohttp.ClientSession:
    """One HTTP session for many socket clients: no connection limit, no shared cookies."""
    return aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0, force_close=False),
                                 cookie_jar=aiohttp.DummyCookieJar())


def short_error(exc: BaseException) -> str:
    """An exception as a short one-line string for the report."""
    text = str(exc) or exc.__class__.__name__
    return f"{exc.__class__.__name__}: {text}"[:160]


async def bounded(coros: Sequence[Any], limit: int) -> list[Any]:
    """Run awaitables with at most ``limit`` at a time; results in order (exceptions returned, not raised)."""
    gate = asyncio.Semaphore(limit)

    async def one(coro: Any) -> Any:
        async with gate:
            return await coro

    return await asyncio.gather(*(one(c) for c in coros), return_exceptions=True)


# --------------------------------------------------------------------------- clients (harness.clients)


def replies(customer: Customer) -> list[float]:
    """Arrival times of the customer's ``bot_uttered`` events so far."""
    return customer.seen.times_of(protocol.BOT_UTTERED)


def text_is(text: str) -> Callable[[Any], bool]:
    """A check of an event's payload: its text is ``text``."""
    return lambda data: isinstance(data, dict) and data.get("text") == text


async def quiet_for(customer: Customer, quiet_s: float, limit_s: float) -> None:
    """Wait until no bot message has arrived for ``quiet_s`` (at most ``limit_s``)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + limit_s
    while loop.time() < deadline:
        seen = len(replies(customer))
        await asyncio.sleep(quiet_s)
        if len(replies(customer)) == seen:
            return


async def close_all(clients: Sequence[Any], limit: int = 200) -> None:
    """Disconnect many clients, ``limit`` at a time."""
    await bounded([c.close() for c in clients], limit)


# --------------------------------------------------------------------------- a. first bot reply latency


@dataclass
class RoundOutcome:
    """One round of ``conversations`` concurrent conversations against one target."""

    samples: list[Sample]
    elapsed_s: float
    extra_replies: int = 0  # bot messages beyond the expected count (arrived late or unexpected)
    short_replies: int = 0  # messages that got fewer bot messages than expected


async def learn_reply_counts(url: str, script: Sequence[str]) -> list[int]:
    """Warm-up conversation: how many ``bot_uttered`` each scripted message gets (waits for quiet)."""
    customer = Customer(url)
    await customer.connect()
    counts: list[int] = []
    try:
        for message in script:
            before = len(replies(customer))
            await customer.say(message)
            if not await customer.seen.count_reaches(protocol.BOT_UTTERED, before + 1, FIRST_REPLY_TIMEOUT_S):
                raise RuntimeError(f"warm-up: no reply to {message!r} from {url} in {FIRST_REPLY_TIMEOUT_S:.0f} s")
            await quiet_for(customer, LEARN_QUIET_S, limit_s=30)
            counts.append(len(replies(customer)) - before)
    finally:
        await customer.close()
    return counts


async def _scripted(customer: Customer, script: Sequence[str], expected: Sequence[int],
                    outcome: RoundOutcome, think_s: float) -> None:
    """One conversation's messages in order; each waits for its expected replies and ``think_s`` before the next."""
    consumed = len(replies(customer))
    for index, (message, count) in enumerate(zip(script, expected)):
        if index and think_s > 0:
            await asyncio.sleep(think_s)
        try:
            sent = await customer.say(message)
        except Exception as e:  # noqa: BLE001 - a failed emit is an error sample
            outcome.samples.append(Sample(0.0, ok=False, error=f"emit: {short_error(e)}"))
            continue
        if not await customer.seen.count_reaches(protocol.BOT_UTTERED, consumed + 1, FIRST_REPLY_TIMEOUT_S):
            outcome.samples.append(Sample((time.perf_counter() - sent) * 1000, ok=False,
                                          error=f"no bot_uttered within {FIRST_REPLY_TIMEOUT_S:.0f} s"))
            consumed = len(replies(customer))
            continue
        latency_ms = (replies(customer)[consumed] - sent) * 1000
        complete = await customer.seen.count_reaches(protocol.BOT_UTTERED, consumed + count,
                                                     REST_OF_REPLIES_TIMEOUT_S)
        if not complete:
            outcome.short_replies += 1
        arrived = len(replies(customer))
        got = min(arrived - consumed, count) if complete else arrived - consumed
        outcome.samples.append(Sample(latency_ms, ok=True, replies=got))
        consumed += count if complete else got


async def latency_round(url: str, conversations: int, script: Sequence[str], expected: Sequence[int],
                        http: aiohttp.ClientSession, think_s: float = 0.0) -> RoundOutcome:
    """Connect ``conversations`` customers, then run the script in all of them at once (timed)."""
    customers = [Customer(url, http) for _ in range(conversations)]
    outcome = RoundOutcome(samples=[], elapsed_s=0.0)
    try:
        opened = await bounded([c.connect() for c in customers], CONNECT_CONCURRENCY)
        ready = []
        for customer, result in zip(customers, opened):
            if isinstance(result, BaseException):
                outcome.samples += [Sample(0.0, ok=False, error=f"connect: {short_error(result)}")] * len(script)
            else:
                ready.append(customer)
        started = time.perf_counter()
        await asyncio.gather(*(_scripted(c, script, expected, outcome, think_s) for c in ready))
        outcome.elapsed_s = time.perf_counter() - started
        await asyncio.sleep(EXTRA_REPLIES_WAIT_S)
        outcome.extra_replies = sum(max(0, len(replies(c)) - sum(expected)) for c in ready)
    finally:
        await close_all(customers)
    return outcome


# --------------------------------------------------------------------------- b. customer ↔ agent relay


@dataclass
class RelayOutcome:
    """Live human chats: setting them up, then messages both ways."""

    chats_asked: int
    chats_live: int = 0
    agents: int = 0
    setup_s: float = 0.0
    setup_errors: list[str] = field(default_factory=list)
    to_agent: list[Sample] = field(default_factory=list)
    to_customer: list[Sample] = field(default_factory=list)
    relay_s: float = 0.0
    bridge_rss: int = 0


async def _hand_to(agent: Agent, customer: Customer, api: aiohttp.ClientSession, url: str, secret: str) -> None:
    """Hand the customer off and have ``agent`` claim it; done when the customer sees ``agent_joined``."""
    async def steps() -> None:
        status, body = await post_handoff(url, {"conversation_id": customer.session_id, "reason": "explicit_request",
                                                "summary": "benchmark"}, secret, api)
        if status != 200 or body.get("status") != "queued":
            raise RuntimeError(f"handoff: HTTP {status} {body}")
        await agent.emit(protocol.CLAIM, {"conversation_id": customer.session_id})
        await customer.seen.wait_for(protocol.AGENT_JOINED, timeout=RELAY_TIMEOUT_S)

    try:
        await asyncio.wait_for(steps(), RELAY_TIMEOUT_S)
    except asyncio.TimeoutError as e:
        errors = agent.seen.of(protocol.ERROR)[-1:]
        raise RuntimeError(f"no agent_joined within {RELAY_TIMEOUT_S:.0f} s (agent errors: {errors})") from e


async def _timed(emit: Callable[[], Awaitable[float]], arrival: Callable[[], Awaitable[float]], what: str) -> Sample:
    """Emit, then wait for the other side to receive it; a failed emit or a timeout is an error sample."""
    try:
        sent = await emit()
        return Sample((await arrival() - sent) * 1000, ok=True)
    except asyncio.TimeoutError:
        return Sample(RELAY_TIMEOUT_S * 1000, ok=False, error=f"{what} not received within {RELAY_TIMEOUT_S:.0f} s")
    except Exception as e:  # noqa: BLE001 - e.g. a dropped socket
        return Sample(0.0, ok=False, error=f"emit: {short_error(e)}")


async def _exchange(customer: Customer, agent: Agent, chat: int, turn: int, outcome: RelayOutcome) -> None:
    """Customer → agent, then the agent answers → customer; one sample each way."""
    text = f"bench relay {chat} {turn}: is my parcel on its way?"
    outcome.to_agent.append(await _timed(
        lambda: customer.say(text),
        lambda: agent.seen.arrival(protocol.CUSTOMER_MESSAGE, text_is(text), RELAY_TIMEOUT_S),
        protocol.CUSTOMER_MESSAGE))
    answer = f"agent reply {chat} {turn}: yes, it left the warehouse"
    outcome.to_customer.append(await _timed(
        lambda: agent.emit(protocol.AGENT_MESSAGE, {"conversation_id": customer.session_id, "text": answer}),
        lambda: customer.seen.arrival(protocol.BOT_UTTERED, text_is(answer), RELAY_TIMEOUT_S),
        protocol.BOT_UTTERED))


async def relay_phase(url: str, secret: str, agents: Sequence[tuple[str, str]], chats: int, turns: int,
                      rate_per_s: float, rss: Callable[[], int]) -> RelayOutcome:
    """``chats`` customers with a person each, then paced messages both ways."""
    outcome = RelayOutcome(chats_asked=chats, agents=len(agents))
    customers: list[Customer] = []
    consoles: list[Agent] = []
    async with shared_http() as http, aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=20)) as api:
        try:
            started = time.perf_counter()
            customers = [Customer(url, http) for _ in range(chats)]
            opened = await bounded([c.connect() for c in customers], CONNECT_CONCURRENCY)
            consoles = [Agent(url, name, password, http) for name, password in agents]
            logged_in = await bounded([a.connect() for a in consoles], 4)
            live_agents = [a for a, r in zip(consoles, logged_in) if not isinstance(r, BaseException)]
            outcome.setup_errors += [f"agent: {short_error(r)}" for r in logged_in if isinstance(r, BaseException)]
            outcome.setup_errors += [f"customer: {short_error(r)}" for r in opened if isinstance(r, BaseException)]
            if not live_agents:
                raise RuntimeError(f"no agent could connect: {outcome.setup_errors[:3]}")
            ready = [c for c, r in zip(customers, opened) if not isinstance(r, BaseException)]
            pairs = [(c, live_agents[i % len(live_agents)]) for i, c in enumerate(ready)]
            handed = await bounded([_hand_to(a, c, api, url, secret) for c, a in pairs], 10)
            outcome.setup_errors += [f"handoff: {short_error(r)}" for r in handed if isinstance(r, BaseException)]
            live = [pair for pair, r in zip(pairs, handed) if not isinstance(r, BaseException)]
            outcome.chats_live = len(live)
            outcome.setup_s = time.perf_counter() - started
            log(f"relay: {len(live)} live human chats with {len(live_agents)} agents set up in {outcome.setup_s:.1f} s;"
                f" {len(live) * turns} messages each way at {rate_per_s:g} customer messages/s")

            schedule = relay_schedule(len(live), turns, rate_per_s)
            loop = asyncio.get_running_loop()
            zero = loop.time() + 0.5

            async def chat(index: int) -> None:
                customer, agent = live[index]
                for turn, at in enumerate(schedule[index]):
                    await asyncio.sleep(max(0.0, zero + at - loop.time()))
                    await _exchange(customer, agent, index, turn, outcome)

            relay_started = time.perf_counter()
            await asyncio.gather(*(chat(i) for i in range(len(live))))
            outcome.relay_s = time.perf_counter() - relay_started
            outcome.bridge_rss = rss()
        finally:
            await close_all([*customers, *consoles])
    return outcome


# --------------------------------------------------------------------------- c. idle connections


async def idle_phase(url: str, levels: Sequence[int], rss: Callable[[], int], limit: int = CONNECT_CONCURRENCY,
                     settle_s: float = 2.0) -> tuple[int, list[IdleStep]]:
    """Open idle customers (connect + session_request) up to each level in turn; RSS at each.

    Returns:
        The bridge's RSS before any connection, and one step per level reached. A level
        whose connections mostly fail ends the phase.
    """
    baseline = rss()
    steps: list[IdleStep] = []
    connected: list[Customer] = []
    async with shared_http() as http:
        try:
            for level in levels:
                needed = level - len(connected)
                batch = [Customer(url, http) for _ in range(max(0, needed))]
                started = time.perf_counter()
                results = await bounded([c.connect() for c in batch], limit)
                seconds = time.perf_counter() - started
                ok = [c for c, r in zip(batch, results) if not isinstance(r, BaseException)]
                failures = [short_error(r) for r in results if isinstance(r, BaseException)]
                connected += ok
                await asyncio.sleep(settle_s)
                alive = sum(1 for c in connected if c.sio.connected)
                step = IdleStep(asked=level, connected=alive, failed=len(failures), seconds=seconds, rss=rss(),
                                errors=tuple(sorted(set(failures))[:3]))
                steps.append(step)
                await close_all([c for c, r in zip(batch, results) if isinstance(r, BaseException)])
                log(f"idle: {alive} of {level} connected ({len(ok)} new in {seconds:.1f} s), "
                    f"bridge RSS {step.rss / 1e6:.1f} MB")
                if failures and len(failures) > needed // 2:
                    break
        finally:
            await close_all(connected, 500)
    return baseline, steps
