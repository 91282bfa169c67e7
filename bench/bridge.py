"""Benchmark of the handoff bridge, against Rasa's own socketio channel, on one trained model.

    .venv-bridge/bin/python -m bench.bridge            # full size (several minutes)
    .venv-bridge/bin/python -m bench.bridge --quick    # small numbers, to check that it works
    .venv-bridge/bin/python -m bench.bridge --phases latency --levels 1,10 --out /tmp/bench.md

One run starts one Rasa server (REST *and* socketio channels) with its action server and a
freshly seeded shop store, a throw-away Redis and the bridge (``python -m handoff``), all on
127.0.0.1, and measures:

a. ``latency``: customer message → first ``bot_uttered``, through the bridge and straight
   from Rasa's socketio channel, at several concurrency levels (default 1, 10, 50); the
   two targets take turns going first, round by round;
b. ``relay``: with many live human chats (default 500, handed off and claimed by 50
   agents), customer → agent (``customer_message``) and agent → customer (``bot_uttered``);
c. ``idle``: 1,000 and then 5,000 idle customer connections on a fresh bridge process:
   how many connect, how long it takes, and the bridge's RSS.

The figures go to stdout and into the ``<!-- bridge:start -->`` section of the Markdown file
(default docs/benchmarks.md; other sections are kept). Everything started is stopped in
``finally`` blocks; ``--timeout`` bounds the whole run. Exit status 1 when anything failed.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import secrets
import signal
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import Any

from bench.bridge_report import (
    BRIDGE,
    RASA_SOCKETIO,
    BridgeReport,
    IdleResult,
    LatencyResult,
    LevelFigures,
    RelayResult,
    agent_plan,
    body,
    cap_levels,
    has_errors,
    render_section,
    replace_marked,
    round_order,
    rounds_for,
)
from bench.machine import read_machine, settled
from bench.report import command_line, display_path
from bench.socket_load import (
    CONNECT_CONCURRENCY,
    idle_phase,
    latency_round,
    learn_reply_counts,
    log,
    relay_phase,
    shared_http,
    short_error,
)
from bench.stats import Sample, summarize
from bot.launcher import ROOT, latest_model
from harness.bridge import BridgeServer, agent_id, write_agents_file
from harness.ports import free_port
from harness.processes import stop_all, tail
from harness.rasa import RasaStack, seed_shop, write_socketio_credentials
from harness.redis import RedisServer
from harness.resources import cpu_seconds, nofile_limits, raise_nofile_limit

DEFAULT_OUT = ROOT / "docs" / "benchmarks.md"
PHASES = ("latency", "relay", "idle")
SCRIPT: tuple[str, ...] = ("hi", "how much is shipping", "do you ship to canada", "where is my order ORD-100101",
                           "thanks")
FULL = dict(levels=(1, 10, 50), min_messages=200, think_ms=250.0, relay_chats=500, relay_turns=2, relay_rate=10.0,
            idle=(1000, 5000), timeout=3600.0)
QUICK = dict(levels=(1, 5, 10), min_messages=20, think_ms=250.0, relay_chats=50, relay_turns=2, relay_rate=10.0,
             idle=(200, 500), timeout=1200.0)


class OverallTimeout(Exception):
    """The run went past ``--timeout`` (raised from SIGALRM while starting processes)."""


NO_LIMITS = {"BRIDGE_LIMITS": "off"}  # handoff.limits; the load comes from one address

# --------------------------------------------------------------------------- the phases (async)


async def measure_latency(bridge_url: str, rasa_url: str, levels: Sequence[int], min_messages: int,
                          think_ms: float, pids: dict[str, int]) -> LatencyResult:
    """Phase a: warm-up (learn reply counts), then each level's rounds, alternating which target goes first.

    ``pids`` names the Rasa server's and the bridge's processes (``rasa``, ``bridge``): their CPU
    time is read around every round and charged to the round's target.
    """
    targets = {BRIDGE: bridge_url, RASA_SOCKETIO: rasa_url}
    counts: dict[str, list[int]] = {}
    for target in (BRIDGE, RASA_SOCKETIO):
        counts[target] = await learn_reply_counts(targets[target], SCRIPT)
        log(f"latency: warm-up on {target}: bot messages per scripted message {counts[target]}")
    rows: list[LevelFigures] = []
    async with shared_http() as http:
        for level in levels:
            rounds = rounds_for(level, len(SCRIPT), min_messages)
            samples: dict[str, list[Sample]] = {BRIDGE: [], RASA_SOCKETIO: []}
            elapsed = {BRIDGE: 0.0, RASA_SOCKETIO: 0.0}
            extra = {BRIDGE: 0, RASA_SOCKETIO: 0}
            short = {BRIDGE: 0, RASA_SOCKETIO: 0}
            cpu = {(t, name): 0.0 for t in (BRIDGE, RASA_SOCKETIO) for name in pids}
            for index in range(rounds):
                for target in round_order(index):
                    before = {name: cpu_seconds(pid) for name, pid in pids.items()}
                    outcome = await latency_round(targets[target], level, SCRIPT, counts[target], http,
                                                  think_ms / 1000)
                    for name, pid in pids.items():
                        cpu[target, name] += cpu_seconds(pid) - before[name]
                    samples[target] += outcome.samples
                    elapsed[target] += outcome.elapsed_s
                    extra[target] += outcome.extra_replies
                    short[target] += outcome.short_replies
            for target in (BRIDGE, RASA_SOCKETIO):
                stats = summarize(samples[target], elapsed[target])
                per_message = {name: cpu[target, name] * 1000 / stats.answered if stats.answered else None
                               for name in pids}
                rows.append(LevelFigures(level=level, target=target, rounds=rounds, stats=stats,
                                         extra_replies=extra[target], short_replies=short[target],
                                         rasa_cpu_ms=per_message.get("rasa"), bridge_cpu_ms=per_message.get("bridge")))
                log(f"latency: {level:>3} conversations, {target:<13} p50 {stats.p50_ms or 0:7.1f} ms  "
                    f"p95 {stats.p95_ms or 0:7.1f} ms  {stats.throughput:6.1f} msg/s  errors {stats.errors}")
    return LatencyResult(script=SCRIPT, reply_counts={t: tuple(c) for t, c in counts.items()}, rows=tuple(rows),
                         think_ms=think_ms)


async def measure_relay(bridge: BridgeServer, agents: Sequence[tuple[str, str]], capacity: int, chats: int,
                        turns: int, rate: float) -> RelayResult:
    """Phase b, on the running bridge."""
    outcome = await relay_phase(bridge.url, bridge.secret, agents, chats, turns, rate, bridge.rss)
    result = RelayResult(
        chats_asked=chats, chats_live=outcome.chats_live, agents=outcome.agents, capacity=capacity, turns=turns,
        rate_per_s=rate, setup_s=outcome.setup_s, setup_errors=tuple(outcome.setup_errors),
        to_agent=summarize(outcome.to_agent, outcome.relay_s), to_customer=summarize(outcome.to_customer,
                                                                                      outcome.relay_s),
        bridge_rss=outcome.bridge_rss)
    log(f"relay: customer → agent p50 {result.to_agent.p50_ms or 0:.1f} ms, agent → customer p50 "
        f"{result.to_customer.p50_ms or 0:.1f} ms")
    return result


async def measure_idle(bridge: BridgeServer, levels: Sequence[int], asked: Sequence[int], fd_limit: int,
                       note: str) -> IdleResult:
    """Phase c, on a fresh bridge."""
    baseline, steps = await idle_phase(bridge.url, levels, bridge.rss)
    return IdleResult(baseline_rss=baseline, steps=tuple(steps), asked=tuple(asked), fd_limit=fd_limit, note=note,
                      concurrency=CONNECT_CONCURRENCY)


# --------------------------------------------------------------------------- the run


class Run:
    """One benchmark run: its processes, its deadline and what failed."""

    def __init__(self, args: argparse.Namespace, workdir: Path) -> None:
        self.args, self.workdir = args, workdir
        self.deadline = time.monotonic() + args.timeout
        self.failures: list[str] = []
        self.services: list[Any] = []

    def phase(self, name: str, factory: Callable[[], Awaitable[Any]]) -> Any:
        """Run one async phase within the time left; a failure is recorded, not raised."""
        remaining = self.deadline - time.monotonic()
        if remaining < 5:
            self.failures.append(f"the {name} phase was skipped: the overall timeout (--timeout) was reached")
            return None
        log(f"phase {name} (at most {remaining:.0f} s left)")
        try:
            return asyncio.run(asyncio.wait_for(factory(), remaining))
        except OverallTimeout:
            raise
        except Exception as e:  # noqa: BLE001 - reported, and the next phase still runs
            if time.monotonic() >= self.deadline - 1:
                self.failures.append(f"the {name} phase did not finish within --timeout {self.args.timeout:.0f} s")
            else:
                self.failures.append(f"the {name} phase failed: {short_error(e)}")
            log(f"phase {name} failed: {short_error(e)}")
            self.dump_logs()
            return None

    def dump_logs(self) -> None:
        for path in sorted(self.workdir.glob("*.log")):
            log(f"--- end of {path.name} ---\n{tail(path, 1500)}")

    def start(self, service: Any, *args: Any) -> Any:
        self.services.append(service)
        return service.start(*args)

    def execute(self, argv: Sequence[str]) -> BridgeReport:
        """Start what the phases need, run them, stop everything; the report of whatever was measured."""
        args = self.args
        fd_soft, fd_hard = nofile_limits()
        model = settled(latest_model())
        log(f"model {display_path(model)}; work folder {self.workdir}; RLIMIT_NOFILE {fd_soft} (hard {fd_hard})")
        measured: dict[str, Any] = {"rasa_version": "not started (no latency or relay phase)"}
        try:
            redis = self.start(RedisServer(self.workdir))
            agents_count, capacity = agent_plan(args.relay_chats)
            password, secret = secrets.token_urlsafe(12), secrets.token_urlsafe(24)
            agents_file = write_agents_file(self.workdir, agents_count, capacity, password)
            if set(args.phases) & {"latency", "relay"}:
                try:
                    self.with_rasa(model, redis, secret, agents_file, password, agents_count, capacity, measured)
                except OverallTimeout:
                    raise
                except Exception as e:  # noqa: BLE001 - the idle phase does not need Rasa
                    self.failures.append(f"starting Rasa or the bridge failed: {short_error(e)}")
                    log(f"failed: {e}")
                    self.dump_logs()
            if "idle" in args.phases:
                levels, note = cap_levels(args.idle, fd_soft, fd_hard)
                fresh = self.start(BridgeServer(self.workdir / "bridge-idle.log", redis.url,
                                                f"http://127.0.0.1:{free_port()}", secret, name="bridge-idle",
                                                agents_file=agents_file, env=NO_LIMITS))
                measured["idle"] = self.phase("idle", lambda: measure_idle(fresh, levels, args.idle, fd_soft, note))
        except OverallTimeout:
            self.failures.append(f"the run was stopped by --timeout {args.timeout:.0f} s")
        except Exception as e:  # noqa: BLE001 - reported in the section and the exit status
            self.failures.append(f"the run failed: {short_error(e)}")
            log(f"failed: {e}")
            self.dump_logs()
        finally:
            stop_all(self.services[::-1])
        return BridgeReport(
            date=dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
            command=command_line("bench.bridge", argv), machine=read_machine(), rasa_version=measured["rasa_version"],
            model=display_path(model), latency=measured.get("latency"), relay=measured.get("relay"),
            idle=measured.get("idle"), failures=tuple(self.failures))

    def with_rasa(self, model: Path, redis: RedisServer, secret: str, agents_file: Path, password: str,
                  agents_count: int, capacity: int, measured: dict[str, Any]) -> None:
        """Phases a and b: one Rasa stack (REST + socketio) and one bridge, stopped afterwards."""
        args = self.args
        shop = self.workdir / "shop.sqlite3"
        seed_shop(shop, self.workdir / "seed.log")
        stack = RasaStack(workdir=self.workdir, shop_db=shop, model=model,
                          credentials=write_socketio_credentials(self.workdir),
                          extra_env={"HANDOFF_URL": ""})  # the script never hands off
        log("starting the action server and the Rasa server (REST + socketio; loading the model takes a while)")
        self.start(stack)
        measured["rasa_version"] = stack.version()
        # Every simulated customer comes from 127.0.0.1: the per-address limits would stop the load itself.
        bridge = self.start(BridgeServer(self.workdir / "bridge.log", redis.url, stack.rasa_url, secret,
                                         rasa_token=stack.token, agents_file=agents_file, env=NO_LIMITS))
        try:
            if "latency" in args.phases:
                measured["latency"] = self.phase("latency", lambda: measure_latency(
                    bridge.url, stack.rasa_url, args.levels, args.min_messages, args.think_ms,
                    {"rasa": stack.server.pid, "bridge": bridge.pid}))
            if "relay" in args.phases:
                agents = [(agent_id(i), password) for i in range(agents_count)]
                measured["relay"] = self.phase("relay", lambda: measure_relay(
                    bridge, agents, capacity, args.relay_chats, args.relay_turns, args.relay_rate))
            if not stack.alive() or not bridge.alive():
                self.failures.append("a server (Rasa, the action server or the bridge) died during the run")
        finally:
            stop_all([bridge, stack])  # the idle phase gets the machine to itself


# --------------------------------------------------------------------------- command line


def int_list(text: str) -> tuple[int, ...]:
    """argparse type: comma-separated positive integers."""
    try:
        values = tuple(int(part) for part in text.split(",") if part.strip())
    except ValueError as e:
        raise argparse.ArgumentTypeError(f"{text!r} is not a comma-separated list of integers") from e
    if not values or any(v < 1 for v in values):
        raise argparse.ArgumentTypeError(f"{text!r}: give positive integers, e.g. 1,10,50")
    return values


def phase_list(text: str) -> tuple[str, ...]:
    """argparse type: some of latency,relay,idle."""
    values = tuple(part.strip() for part in text.split(",") if part.strip())
    unknown = [v for v in values if v not in PHASES]
    if unknown or not values:
        raise argparse.ArgumentTypeError(f"phases are {','.join(PHASES)}; got {text!r}")
    return values


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    """The command line's options; ``--quick`` changes the defaults, explicit options still win."""
    parser = argparse.ArgumentParser(prog="python -m bench.bridge", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true",
                        help="small numbers: levels 1,5,10, 50 human chats, 200 and 500 idle connections")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="Markdown file to write the section into")
    parser.add_argument("--phases", type=phase_list, default=PHASES, help="latency,relay,idle (all)")
    parser.add_argument("--levels", type=int_list, help="concurrent conversations of the latency phase (1,10,50)")
    parser.add_argument("--min-messages", type=int, help="timed messages per target and level, at least (200)")
    parser.add_argument("--think-ms", type=float,
                        help="pause after a message's replies before the next message, not timed (250)")
    parser.add_argument("--relay-chats", type=int, help="live human chats (500)")
    parser.add_argument("--relay-turns", type=int, help="messages each way per human chat (2)")
    parser.add_argument("--relay-rate", type=float, help="customer messages per second, all chats together (10)")
    parser.add_argument("--idle", type=int_list, help="idle connection levels, cumulative (1000,5000)")
    parser.add_argument("--timeout", type=float, help="bound on the whole run, seconds (3600; --quick 1200)")
    args = parser.parse_args(argv)
    for name, value in (QUICK if args.quick else FULL).items():
        if getattr(args, name) is None:
            setattr(args, name, value)
    for name in ("min_messages", "relay_chats", "relay_turns"):
        if getattr(args, name) < 1:
            parser.error(f"--{name.replace('_', '-')} must be at least 1")
    if args.relay_rate <= 0 or args.timeout <= 0 or args.think_ms < 0:
        parser.error("--relay-rate and --timeout must be positive, --think-ms at least 0")
    return args


def _raise(exc: BaseException) -> Callable[..., None]:
    def handler(signum: int, frame: Any) -> None:
        raise exc

    return handler


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point; returns the exit status (1 if anything failed)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    args = parse_args(argv)
    raise_nofile_limit()
    signal.signal(signal.SIGTERM, _raise(SystemExit(143)))
    signal.signal(signal.SIGALRM, _raise(OverallTimeout()))
    signal.alarm(int(args.timeout) + 60)  # backstop; the phases stop themselves at --timeout
    try:
        with tempfile.TemporaryDirectory(prefix="bench-bridge-") as tmp:
            report = Run(args, Path(tmp)).execute(argv)
    finally:
        signal.alarm(0)
    if report.latency or report.relay or report.idle:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        existing = args.out.read_text() if args.out.exists() else None
        args.out.write_text(replace_marked(existing, render_section(report)))
        print("\n" + "\n".join(body(report)))
        print(f"\nwritten to {display_path(args.out)}")
    else:
        print("\nnothing was measured:\n" + "\n".join(report.failures), file=sys.stderr)
    return 1 if has_errors(report) else 0


if __name__ == "__main__":
    sys.exit(main())
