"""Load and faults through the production-like layout: nginx → 2 bridges → 2 Rasa servers, PostgreSQL,
a Redis primary + replica + 3 sentinels.

    .venv-bridge/bin/python -m bench.load_fault                 # 1,000 customers, 50 agents, 10 minutes
    .venv-bridge/bin/python -m bench.load_fault --customers 100 --agents 10 --minutes 2 --out /tmp/f.json

Starts ``deploy.cluster.Cluster`` (real processes, loopback only), then runs customers and
agents (``bench.load_clients``) through nginx while faults happen, spaced out with calm
periods between: one bridge SIGKILLed and started again ~20 s later, the Redis primary
SIGKILLed (the sentinels promote the replica; the killed one comes back as a replica),
PostgreSQL restarted, one Rasa server SIGKILLed and started again. Every message carries a ``message_id`` and is retried until
acknowledged; at the end every message is checked against the transcripts in Redis and
against what the other side received (``bench.load_report``). Writes the figures as JSON,
plots, and the ``<!-- load-fault:start -->`` section of docs/operations.md.

Bounded: the load stops after ``--minutes``, the drain after ``drain_s``, and ``--timeout``
bounds the whole run (SIGALRM backstop). The short version runs in the test suite
(tests/handoff/test_faults.py). Exit status 1 when a message was lost or the run failed.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import random
import signal
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

import aiohttp
import psutil

from bench import load_report
from bench.load_clients import Ledger, LoadAgent, LoadCustomer, now
from bench.machine import read_machine
from bench.report import display_path, replace_section
from bench.socket_load import bounded, log, shared_http
from bot.launcher import ROOT
from deploy.cluster import Cluster
from handoff import keys
from handoff.redis_connect import connect
from harness.bridge import agent_id, write_agents_file
from harness.resources import raise_nofile_limit

DEFAULT_JSON = ROOT / "docs" / "operations-figures.json"
DEFAULT_MARKDOWN = ROOT / "docs" / "operations.md"
MESSAGES_PER_EPISODE = 2.0  # a bot episode: 1-3 messages (BOT_SCRIPTS); a human one more, but rarer
EPISODE_S = 10.0  # time an episode takes, think times included (roughly)
MEMORY_EVERY_S = 5.0
BURST_QUESTIONS = ("where is my order ORD-100101", "what is your return policy", "how much is shipping")


@dataclass(frozen=True)
class Plan:
    """How much load, for how long, and which faults when (seconds after the load starts)."""

    customers: int = 1000
    agents: int = 50
    capacity: int = 3
    duration_s: float = 600.0
    rate: float = 5.0  # customer messages per second, all customers together (roughly)
    human_share: float = 0.12  # episodes in which the customer asks for a person
    drop_share: float = 0.06  # episodes that start with the customer dropping and coming back
    polling_share: float = 0.10  # customers that start with long-polling (sticky cookie needed), not WebSocket
    faults: tuple[tuple[str, float], ...] = (("bridge", 90.0), ("redis", 210.0), ("postgres", 330.0), ("rasa", 450.0))
    bridge_down_s: float = 20.0
    kill_burst: int = 10  # customers who send at once just before the kill, so it hits turns in flight
    redis_down_s: float = 2.0  # the killed primary is started again this long after the promotion
    postgres_down_s: float = 2.0
    window_s: float = 60.0
    settle_s: float = 10.0
    ramp_s: float = 60.0  # customers connect over this long
    drain_s: float = 120.0  # after the load: in-flight messages finish (bounded)
    seed: int = 7

    @property
    def mean_idle_s(self) -> float:
        """Mean pause between a customer's episodes, so that all customers together send about ``rate``."""
        return max(3.0, self.customers * MESSAGES_PER_EPISODE / self.rate - EPISODE_S)


FULL = Plan()
# The test suite's version (tests/handoff/test_faults.py): one fault of each kind in a minute. The
# Rasa kill goes first: loading a model takes ~40-60 s on 2 cores, and it must be back in time.
SHORT = Plan(customers=40, agents=4, capacity=3, duration_s=60.0, rate=3.0,
             faults=(("rasa", 2.0), ("bridge", 16.0), ("postgres", 28.0), ("redis", 40.0)), bridge_down_s=8.0,
             kill_burst=8, redis_down_s=1.0, postgres_down_s=1.0, window_s=10.0, settle_s=5.0, ramp_s=5.0,
             drain_s=45.0)


@dataclass
class RunData:
    """What one run recorded, before the accounting."""

    t0: float
    ledger: Ledger
    faults: list[dict[str, Any]]
    memory: list[dict[str, float]]
    transcripts: dict[str, list[dict[str, Any]]]
    failures: list[str]
    wrapped_up: dict[str, int]


# --------------------------------------------------------------------------- the background jobs


def rss_tree(pid: int) -> int:
    """RSS of a process and its children (nginx's workers), bytes; 0 if it is gone."""
    try:
        process = psutil.Process(pid)
        return process.memory_info().rss + sum(c.memory_info().rss for c in process.children(recursive=True))
    except psutil.Error:
        return 0


async def sample_memory(cluster: Cluster, t0: float, samples: list[dict[str, float]]) -> None:
    """Every 5 s: the RSS of every process of the cluster, and of this load generator."""
    me = psutil.Process()
    while True:
        row: dict[str, float] = {"t": round(now() - t0, 1)}
        for process in cluster.processes():
            pid = process.pid
            row[process.name] = rss_tree(pid) if pid else 0
        row["load generator"] = me.memory_info().rss
        samples.append(row)
        await asyncio.sleep(MEMORY_EVERY_S)


async def run_faults(cluster: Cluster, plan: Plan, t0: float, record: list[dict[str, Any]],
                     customers: Sequence[LoadCustomer]) -> None:
    """Every fault at its own time (a slow one, a Rasa model loading, does not delay the next); each
    recorded with when its process was back."""
    await asyncio.gather(*(one_fault(cluster, plan, kind, t0 + at, t0, record, customers)
                           for kind, at in plan.faults))
    record.sort(key=lambda fault: fault["at"])


async def burst(customers: Sequence[LoadCustomer], count: int, rng: random.Random) -> int:
    """``count`` customers between episodes ask the bot something at the same moment; how many did."""
    idle = [c for c in customers if c.ready.is_set() and not c.turn.locked() and not c.queued.is_set()
            and not c.with_agent.is_set()]
    chosen = rng.sample(idle, min(count, len(idle)))
    for customer in chosen:
        customer.spawn(customer.say(rng.choice(BURST_QUESTIONS), "bot"))
    await asyncio.sleep(0.15)  # the messages reach the bridges and Rasa starts on them
    return len(chosen)


async def one_fault(cluster: Cluster, plan: Plan, kind: str, when: float, t0: float,
                    record: list[dict[str, Any]], customers: Sequence[LoadCustomer]) -> None:
    await asyncio.sleep(max(0.0, when - now()))
    fault: dict[str, Any] = {"kind": kind, "at": round(now() - t0, 2)}
    log(f"fault at {fault['at']:.0f} s: {kind}")
    if kind == "bridge":
        fault["burst"] = await burst(customers, plan.kill_burst, random.Random(plan.seed))
        fault["what"] = (f"SIGKILL {cluster.bridges[0].name} {fault['burst']} messages into a burst, started again "
                         f"{plan.bridge_down_s:.0f} s later")
        cluster.kill_bridge(0)
        await asyncio.sleep(plan.bridge_down_s)
        await asyncio.to_thread(cluster.start_bridge, 0)
    elif kind == "redis":
        primary = cluster.redis.primary().name
        timings = await asyncio.to_thread(cluster.kill_redis_primary, plan.redis_down_s)
        fault.update(timings)
        fault["what"] = (f"SIGKILL the Redis primary ({primary}); the sentinels promoted the replica after "
                         f"{timings['failover_s']:.1f} s; {primary} started again, a replica "
                         f"{timings['replica_back_s']:.0f} s after the kill")
    elif kind == "postgres":
        fault["what"] = f"PostgreSQL restarted (fast shutdown, {plan.postgres_down_s:.0f} s down)"
        await asyncio.to_thread(cluster.restart_postgres, plan.postgres_down_s)
    elif kind == "rasa":
        fault["what"] = f"SIGKILL {cluster.rasa[0].name} (turns in flight die with it), started and its model loaded"
        await asyncio.to_thread(cluster.kill_rasa, 0)
    else:
        raise ValueError(f"unknown fault {kind!r}")
    fault["recovered_at"] = round(now() - t0, 2)
    log(f"fault {kind}: back at {fault['recovered_at']:.0f} s")
    record.append(fault)


async def customer_life(customer: LoadCustomer, plan: Plan, first_at: float, end: float, hard_end: float) -> None:
    """Episodes until ``end``: mostly the bot, sometimes a person, sometimes a drop and return."""
    rng = customer.rng
    await asyncio.sleep(max(0.0, first_at - now()))
    while now() < end and not customer.stop.is_set():
        roll = rng.random()
        if roll < plan.human_share:
            await customer.human_episode(hard_end)
        elif roll < plan.human_share + plan.drop_share:
            await customer.drop_and_return()
            await customer.bot_episode()
        else:
            await customer.bot_episode()
        pause = min(rng.expovariate(1 / plan.mean_idle_s), max(0.0, end - now()))
        try:
            await asyncio.wait_for(customer.stop.wait(), pause)
        except asyncio.TimeoutError:
            pass


# --------------------------------------------------------------------------- one run


async def drive(cluster: Cluster, plan: Plan, password: str) -> RunData:
    """Connect agents and customers through nginx, run the load and the faults, drain, reload, read Redis."""
    raise_nofile_limit()
    rng = random.Random(plan.seed)
    ledger = Ledger()
    failures: list[str] = []
    faults: list[dict[str, Any]] = []
    samples: list[dict[str, float]] = []
    url = cluster.url
    polling_sessions: list[aiohttp.ClientSession] = []
    async with shared_http() as http:
        agents = [LoadAgent(i, agent_id(i), password, plan.capacity, url, ledger, random.Random(rng.random()), http)
                  for i in range(plan.agents)]
        customers: list[LoadCustomer] = []
        for i in range(plan.customers):
            polling = rng.random() < plan.polling_share
            session = http
            if polling:  # each its own cookie jar: the nginx route cookie is what keeps it on one bridge
                session = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))
                polling_sessions.append(session)
            customers.append(LoadCustomer(i, url, ledger, random.Random(rng.random()), session, polling))
        try:
            log(f"connecting {len(agents)} agents and {len(customers)} customers through nginx ({url})")
            opened = await bounded([a.connect() for a in agents], 10)
            bad = [r for r in opened if isinstance(r, BaseException)]
            if bad:
                raise RuntimeError(f"{len(bad)} agents could not connect: {bad[0]!r}")
            for agent in agents:
                agent.start()
            t0 = now()
            memory_job = asyncio.ensure_future(sample_memory(cluster, t0, samples))
            fault_job = asyncio.ensure_future(run_faults(cluster, plan, t0, faults, customers))
            end, hard_end = t0 + plan.duration_s, t0 + plan.duration_s + plan.drain_s
            gate = asyncio.Semaphore(50)
            cycle = plan.mean_idle_s + EPISODE_S

            async def arrive(customer: LoadCustomer) -> None:
                await asyncio.sleep(rng.uniform(0, plan.ramp_s))
                async with gate:
                    try:
                        await customer.connect()
                    except Exception as e:  # noqa: BLE001 - it keeps trying in the background
                        ledger.counts["customer_first_connect_failed"] += 1
                        log(f"customer {customer.index} could not connect at first: {e!r}")
                        customer.reconnect("first connect failed")
                await customer_life(customer, plan, now() + customer.rng.uniform(0, min(cycle, plan.duration_s / 2)),
                                     end, hard_end)

            lives = [asyncio.ensure_future(arrive(c)) for c in customers]
            await asyncio.sleep(max(0.0, end - now()))
            log(f"load over after {now() - t0:.0f} s; {sum(c.ready.is_set() for c in customers)} customers connected; "
                "draining")
            for customer in customers:
                customer.stop.set()
            await asyncio.wait(lives, timeout=max(1.0, hard_end - now()))
            while now() < hard_end and (any(c.inflight for c in customers) or any(a.busy() for a in agents)):
                await asyncio.sleep(0.5)
            unfinished = sum(1 for life in lives if not life.done())
            if unfinished:
                failures.append(f"{unfinished} customers were still busy when the drain ended")
            for life in lives:
                life.cancel()
            if not fault_job.done():
                log("waiting for the last fault's process to come back")
                try:
                    await asyncio.wait_for(asyncio.shield(fault_job), 300)
                except asyncio.TimeoutError:
                    failures.append("the last fault's process did not come back in 300 s")
            if fault_job.done() and fault_job.exception():
                failures.append(f"a fault failed: {fault_job.exception()!r}")
            for agent in agents:
                agent.stop.set()
            ledger.phase = "final"
            log("closing reload: every customer and agent reconnects once and merges what it gets")
            await bounded([c.reload() for c in customers], 50)
            await bounded([a.connect() for a in agents], 10)
            await asyncio.sleep(2.0)
            memory_job.cancel()
        finally:
            await bounded([c.close() for c in customers], 200)
            await bounded([a.close() for a in agents], 50)
            for session in polling_sessions:
                await session.close()
    redis = connect(cluster.redis_url, cluster.redis_password, 4, decode_responses=True)  # the primary, wherever it is now
    try:
        transcripts = {}
        for conversation in {s.conversation for s in ledger.messages.values()}:
            raw = await redis.lrange(keys.transcript(conversation), 0, -1)
            transcripts[conversation] = [json.loads(item) for item in raw]
    finally:
        await redis.aclose()
    wrapped: dict[str, int] = {}
    for agent in agents:
        for how, count in agent.wrapped_up.items():
            wrapped[how] = wrapped.get(how, 0) + count
    return RunData(t0, ledger, faults, samples, transcripts, failures, wrapped)


def build_report(plan: Plan, data: RunData, cluster: Cluster, command: str, json_path: str) -> tuple[dict[str, Any],
                                                                                                    list[Any]]:
    """The figures (plain data) and the per-message outcomes."""
    sent = list(data.ledger.messages.values())
    outcomes = load_report.account(sent, data.transcripts)
    machine = read_machine()
    report: dict[str, Any] = {
        "date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "command": command,
        "machine": {"cpu": machine.cpu, "cores": machine.cores, "ram_gb": round(machine.ram_bytes / 2 ** 30),
                    "os": machine.os, "python": machine.python},
        "config": {**{k: v for k, v in asdict(plan).items() if k != "faults"}, "faults": list(plan.faults),
                   "bridges": len(cluster.bridges), "rasa": len(cluster.rasa),
                   "stores": ("PostgreSQL (tracker and shop stores)" if cluster.postgres else "SQLite (tracker and shop stores)"),
                   "redis": f"Redis primary + replica + {len(cluster.redis.sentinels)} sentinels",
                   "mean_idle_s": round(plan.mean_idle_s, 1)},
        "duration_s": plan.duration_s,
        "window_s": plan.window_s,
        "settle_s": plan.settle_s,
        "faults": data.faults,
        "messages": load_report.totals(outcomes, sent, data.t0),
        "latency": load_report.latency_by_kind(outcomes),
        "windows": load_report.windows(outcomes, data.faults, data.t0, plan.window_s, plan.settle_s),
        "reconnects": load_report.reconnects(data.ledger.reconnects, data.faults, data.t0),
        "memory": load_report.memory(data.memory),
        "memory_samples": data.memory,
        "conversations": len(data.transcripts),
        "wrap_ups": data.wrapped_up,
        "counters": dict(data.ledger.counts),
        "failures": data.failures,
        "json_path": json_path,
    }
    if len(data.faults) < len(plan.faults):
        report["failures"].append(f"only {len(data.faults)} of {len(plan.faults)} faults happened")
    return report, outcomes


def execute(plan: Plan, workdir: Path, command: str = "", json_path: str = "",
            plots: Path | None = None) -> dict[str, Any]:
    """Start the cluster in ``workdir``, run the load and faults, stop everything; the report."""
    password = "bench-agent-password"
    agents_file = write_agents_file(workdir, plan.agents, plan.capacity, password)
    # 1,000 customers from 127.0.0.1: the per-address limits (handoff.limits) would refuse the load itself.
    cluster = Cluster(workdir / "cluster", 2, 2, agents_file=agents_file, bridge_env={"BRIDGE_LIMITS": "off"})
    started = time.monotonic()
    log(f"starting the cluster in {cluster.workdir} (2 Rasa servers load their models in parallel)")
    cluster.start()
    cluster_start_s = round(time.monotonic() - started, 1)
    try:
        log(f"cluster up in {cluster_start_s:.0f} s; nginx at {cluster.url}")
        data = asyncio.run(drive(cluster, plan, password))
        for process in cluster.processes():
            if not process.alive():
                data.failures.append(f"{process.name} was not running at the end")
    finally:
        cluster.stop()
    report, outcomes = build_report(plan, data, cluster, command, json_path)
    # Everything the run saw, for looking into a surprise afterwards (the logs are in cluster/logs).
    (workdir / "records.json").write_text(json.dumps({
        "t0": data.t0, "sent": [asdict(s) for s in data.ledger.messages.values()],
        "outcomes": [load_report.as_json(o) for o in outcomes], "transcripts": data.transcripts,
        "reconnects": [asdict(r) for r in data.ledger.reconnects]}, ensure_ascii=False))
    report["cluster_start_s"] = cluster_start_s
    if plots is not None:
        report["plots"] = {k: str(v) for k, v in load_report.plot(report, outcomes, data.memory, data.t0,
                                                                      plots).items()}
    return report


# --------------------------------------------------------------------------- command line


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.load_fault", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--customers", type=int, default=FULL.customers, help="concurrent customers (1000)")
    parser.add_argument("--agents", type=int, default=FULL.agents, help="agents (50)")
    parser.add_argument("--capacity", type=int, default=FULL.capacity, help="conversations per agent (3)")
    parser.add_argument("--minutes", type=float, default=FULL.duration_s / 60, help="length of the load (10)")
    parser.add_argument("--rate", type=float, default=FULL.rate, help="customer messages per second overall (5)")
    parser.add_argument("--seed", type=int, default=FULL.seed)
    parser.add_argument("--out", type=Path, default=DEFAULT_JSON, help="figures as JSON (docs/operations-figures.json)")
    parser.add_argument("--plots", type=Path, default=DEFAULT_JSON.parent, help="folder for the PNG plots (docs/)")
    parser.add_argument("--markdown", type=Path, default=DEFAULT_MARKDOWN,
                        help="Markdown file whose load-fault section is replaced (docs/operations.md)")
    parser.add_argument("--keep", type=Path, default=None,
                        help="work in this folder and keep it (logs of every process, records.json of every "
                             "message and transcript); default: a temporary folder, removed")
    parser.add_argument("--timeout", type=float, default=0, help="bound on the whole run, seconds (default: "
                        "load + 25 minutes)")
    args = parser.parse_args(argv)
    if args.customers < 1 or args.agents < 1 or args.minutes <= 0 or args.rate <= 0:
        parser.error("--customers, --agents, --minutes and --rate must be positive")
    return args


def plan_for(args: argparse.Namespace) -> Plan:
    """FULL, scaled to ``--minutes``: the faults stay at the same fractions of the run."""
    duration = args.minutes * 60
    scale = duration / FULL.duration_s
    faults = tuple((kind, round(at * scale, 1)) for kind, at in FULL.faults)
    return replace(FULL, customers=args.customers, agents=args.agents, capacity=args.capacity, duration_s=duration,
                   rate=args.rate, seed=args.seed, faults=faults, window_s=min(FULL.window_s, 60 * scale),
                   ramp_s=min(FULL.ramp_s, duration / 4))


def _alarm(signum: int, frame: Any) -> None:
    raise TimeoutError("the run went past --timeout")


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    args = parse_args(argv)
    plan = plan_for(args)
    timeout = args.timeout or plan.duration_s + 25 * 60
    signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(int(timeout))
    command = "python -m bench.load_fault " + " ".join(argv)
    started = time.monotonic()
    try:
        if args.keep:
            args.keep.mkdir(parents=True, exist_ok=True)
            report = execute(plan, args.keep.resolve(), command, display_path(args.out), args.plots)
        else:
            with tempfile.TemporaryDirectory(prefix="bench-load-fault-") as tmp:
                report = execute(plan, Path(tmp), command, display_path(args.out), args.plots)
    finally:
        signal.alarm(0)
    report["wall_clock_s"] = round(time.monotonic() - started, 1)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=1, ensure_ascii=False) + "\n")
    plots = {title: display_path(Path(path)).removeprefix("docs/") for title, path in report.get("plots", {}).items()}
    existing = args.markdown.read_text() if args.markdown.exists() else None
    args.markdown.write_text(replace_section(existing, load_report.render_markdown(report, plots),
                                             load_report.START_MARKER, load_report.END_MARKER))
    print(load_report.render_text(report))
    print(f"\nwritten {display_path(args.out)} and {display_path(args.markdown)} in {report['wall_clock_s']:.0f} s")
    return 1 if report["messages"]["lost"] or report["failures"] else 0


if __name__ == "__main__":
    sys.exit(main())
