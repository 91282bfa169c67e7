"""Pure parts of the bridge benchmark: planning the load, the figures, and the Markdown section.

No I/O here: ``bench.bridge`` measures and writes; this module decides how many rounds,
agents and connections, turns results into tables and the "why they differ" text, and
swaps the ``<!-- bridge:start -->`` … ``<!-- bridge:end -->`` section of a Markdown text.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass

from bench.machine import Machine
from bench.report import GB, megabytes, millis, replace_section
from bench.stats import LatencyStats

START_MARKER = "<!-- bridge:start -->"
END_MARKER = "<!-- bridge:end -->"
BRIDGE = "bridge"
RASA_SOCKETIO = "rasa-socketio"
TARGET_NAMES = {BRIDGE: "Bridge (`python -m handoff`)", RASA_SOCKETIO: "Rasa socketio channel (direct)"}
FD_RESERVE = 256  # descriptors kept free for logs, Redis, HTTP and the interpreter itself


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class LevelFigures:
    """One target at one concurrency level, all its rounds together."""

    level: int
    target: str  # BRIDGE or RASA_SOCKETIO
    rounds: int
    stats: LatencyStats
    extra_replies: int = 0
    short_replies: int = 0
    rasa_cpu_ms: float | None = None  # the Rasa server's CPU time per answered message (connecting included)
    bridge_cpu_ms: float | None = None  # the bridge's, likewise (≈ 0 when the target is Rasa's channel)


@dataclass(frozen=True)
class LatencyResult:
    """Phase a: first bot reply, bridge vs Rasa's socketio channel."""

    script: tuple[str, ...]
    reply_counts: dict[str, tuple[int, ...]]  # target → bot messages per scripted message (warm-up)
    rows: tuple[LevelFigures, ...]
    think_ms: float = 0.0  # pause between a message's last reply and the next message


@dataclass(frozen=True)
class RelayResult:
    """Phase b: messages between customers and agents in live human chats."""

    chats_asked: int
    chats_live: int
    agents: int
    capacity: int
    turns: int
    rate_per_s: float
    setup_s: float
    setup_errors: tuple[str, ...]
    to_agent: LatencyStats
    to_customer: LatencyStats
    bridge_rss: int


@dataclass(frozen=True)
class IdleStep:
    """Phase c, one level: idle customer connections on one bridge process."""

    asked: int
    connected: int
    failed: int
    seconds: float
    rss: int
    errors: tuple[str, ...] = ()


@dataclass(frozen=True)
class IdleResult:
    """Phase c: the levels reached, the baseline RSS and any limit that capped a level."""

    baseline_rss: int
    steps: tuple[IdleStep, ...]
    asked: tuple[int, ...]  # the levels the run was asked for
    fd_limit: int
    note: str = ""
    concurrency: int = 50  # connections opened at once


@dataclass(frozen=True)
class BridgeReport:
    """Everything one run measured."""

    date: str
    command: str
    machine: Machine
    rasa_version: str
    model: str
    latency: LatencyResult | None
    relay: RelayResult | None
    idle: IdleResult | None
    failures: tuple[str, ...] = ()  # phases that could not finish, with why


# --------------------------------------------------------------------------- planning


def rounds_for(level: int, script_length: int, min_messages: int) -> int:
    """Rounds per target at ``level`` concurrent conversations: enough for ``min_messages``, even, at least 2.

    An even count lets the two targets take turns going first equally often.
    """
    per_round = max(1, level * script_length)
    rounds = max(2, math.ceil(min_messages / per_round))
    return rounds + rounds % 2


def round_order(round_index: int) -> tuple[str, str]:
    """Which target goes first in a round: the bridge in even rounds, Rasa's channel in odd ones."""
    return (BRIDGE, RASA_SOCKETIO) if round_index % 2 == 0 else (RASA_SOCKETIO, BRIDGE)


def agent_plan(chats: int, max_agents: int = 50, min_capacity: int = 10) -> tuple[int, int]:
    """(agents, capacity each) so that every chat has an agent; at most ``max_agents``, capacity ≥ ``min_capacity``.
    """
    agents = max(1, min(max_agents, math.ceil(chats / min_capacity)))
    return agents, max(min_capacity, math.ceil(chats / agents))


def relay_schedule(chats: int, turns: int, rate_per_s: float, seed: int = 7) -> list[list[float]]:
    """When (seconds from the start) each chat sends each of its ``turns`` messages.

    Customer messages arrive at ``rate_per_s`` overall: turn ``k`` of every chat comes
    before turn ``k + 1`` of any, in a fixed shuffled order of chats.
    """
    order = list(range(chats))
    random.Random(seed).shuffle(order)
    slot = {chat: position for position, chat in enumerate(order)}
    return [[(turn * chats + slot[chat]) / rate_per_s for turn in range(turns)] for chat in range(chats)]


def cap_levels(levels: Sequence[int], fd_soft: int, fd_hard: int, reserve: int = FD_RESERVE) -> tuple[list[int], str]:
    """Levels of idle connections this process can open with ``fd_soft`` descriptors (one per socket).

    Returns:
        The levels (capped and deduplicated, in order) and a note saying why when any was capped.
    """
    room = max(0, fd_soft - reserve)
    capped: list[int] = []
    for level in levels:
        value = min(level, room)
        if value > 0 and (not capped or value > capped[-1]):
            capped.append(value)
    if all(level <= room for level in levels):
        return capped, ""
    return capped, (f"capped at {room:,} connections: RLIMIT_NOFILE is {fd_soft:,} (hard limit {fd_hard:,}) and "
                    f"each connection needs a descriptor in this process and in the bridge; raise the hard "
                    f"limit (`ulimit -Hn`, or `nofile` in /etc/security/limits.conf) to go further")


def overhead(bridge_ms: float | None, rasa_ms: float | None) -> tuple[float, float] | None:
    """The bridge's extra latency over Rasa's channel: (ms, % of Rasa's), or None without both."""
    if bridge_ms is None or rasa_ms is None or rasa_ms <= 0:
        return None
    return bridge_ms - rasa_ms, (bridge_ms - rasa_ms) / rasa_ms * 100


# --------------------------------------------------------------------------- formatting


def signed_ms(value: float) -> str:
    return f"{'+' if value >= 0 else '−'}{abs(value):,.1f} ms"


def signed_pct(value: float) -> str:
    digits = 1 if abs(value) < 10 else 0
    return f"{'+' if value >= 0 else '−'}{abs(value):,.{digits}f} %"


def overhead_text(pair: tuple[float, float] | None) -> str:
    return "n/a" if pair is None else f"{signed_ms(pair[0])} ({signed_pct(pair[1])})"


def kilobytes(size: float) -> str:
    return f"{size / 1000:,.1f} kB"


def errors_cell(stats: LatencyStats) -> str:
    text = f"{stats.errors} of {stats.sent}"
    return f"**{text}**" if stats.errors else text


def pair_at(result: LatencyResult, level: int) -> tuple[LevelFigures | None, LevelFigures | None]:
    """(bridge, rasa) figures at ``level``."""
    found = {row.target: row for row in result.rows if row.level == level}
    return found.get(BRIDGE), found.get(RASA_SOCKETIO)


def levels_of(result: LatencyResult) -> list[int]:
    return sorted({row.level for row in result.rows})


# --------------------------------------------------------------------------- tables


def latency_table(result: LatencyResult) -> str:
    lines = ["| Concurrent conversations | Target | Messages | p50 | p95 | p99 | Messages/s | Errors | "
             "CPU per message: Rasa server | CPU per message: bridge |",
             "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for level in levels_of(result):
        for row in pair_at(result, level):
            if row is None:
                continue
            s = row.stats
            lines.append(f"| {level} | {TARGET_NAMES[row.target]} | {s.sent} ({row.rounds} rounds) | "
                         f"{millis(s.p50_ms)} | {millis(s.p95_ms)} | {millis(s.p99_ms)} | {s.throughput:,.1f} | "
                         f"{errors_cell(s)} | {millis(row.rasa_cpu_ms)} | {millis(row.bridge_cpu_ms)} |")
    return "\n".join(lines)


def overhead_table(result: LatencyResult) -> str:
    lines = ["| Concurrent conversations | Bridge overhead at p50 | at p95 |", "|---:|---:|---:|"]
    for level in levels_of(result):
        bridge, rasa = pair_at(result, level)
        if bridge is None or rasa is None:
            continue
        lines.append(f"| {level} | {overhead_text(overhead(bridge.stats.p50_ms, rasa.stats.p50_ms))} | "
                     f"{overhead_text(overhead(bridge.stats.p95_ms, rasa.stats.p95_ms))} |")
    return "\n".join(lines)


def relay_table(relay: RelayResult) -> str:
    rows = [("Customer → agent (`user_uttered` → `customer_message`)", relay.to_agent),
            ("Agent → customer (`agent_message` → `bot_uttered`)", relay.to_customer)]
    lines = ["| Direction | Messages | p50 | p95 | p99 | max | Errors |", "|---|---:|---:|---:|---:|---:|---:|"]
    for name, s in rows:
        lines.append(f"| {name} | {s.sent} | {millis(s.p50_ms)} | {millis(s.p95_ms)} | {millis(s.p99_ms)} | "
                     f"{millis(s.max_ms)} | {errors_cell(s)} |")
    return "\n".join(lines)


def idle_table(idle: IdleResult) -> str:
    lines = ["| Idle connections asked | Connected | Failed | Time to connect | Connections/s | Bridge RSS | "
             "RSS per connection (over baseline) |", "|---:|---:|---:|---:|---:|---:|---:|",
             f"| 0 (baseline) | 0 | 0 | – | – | {megabytes(idle.baseline_rss)} | – |"]
    previous = 0
    for step in idle.steps:
        new = step.connected - previous
        rate = f"{new / step.seconds:,.0f}" if step.seconds > 0 and new > 0 else "–"
        per = kilobytes((step.rss - idle.baseline_rss) / step.connected) if step.connected else "–"
        failed = f"**{step.failed}**" if step.failed else "0"
        lines.append(f"| {step.asked:,} | {step.connected:,} | {failed} | {step.seconds:,.1f} s | {rate} | "
                     f"{megabytes(step.rss)} | {per} |")
        previous = step.connected
    return "\n".join(lines)


# --------------------------------------------------------------------------- notes and explanation


def has_errors(report: BridgeReport) -> bool:
    """Whether anything failed: a phase, a message, a connection."""
    if report.failures:
        return True
    if report.latency and any(row.stats.errors for row in report.latency.rows):
        return True
    if report.relay and (report.relay.to_agent.errors or report.relay.to_customer.errors or report.relay.setup_errors):
        return True
    if report.idle and (any(s.failed for s in report.idle.steps) or len(report.idle.steps) < len(report.idle.asked)):
        return True
    return False


def warnings(report: BridgeReport) -> list[str]:
    """Warning paragraphs: failed phases, errors with examples, capped or unreached levels."""
    found = [f"**Warning: {failure}**" for failure in report.failures]
    if report.latency:
        for row in report.latency.rows:
            if row.stats.errors:
                examples = "; ".join(f"`{e}`" for e in row.stats.error_examples)
                found.append(f"**Warning: {row.stats.errors} of {row.stats.sent} messages to "
                             f"{TARGET_NAMES[row.target]} at {row.level} conversations failed** ({examples}).")
        counts = set(report.latency.reply_counts.values())
        if len(counts) > 1:
            found.append("Note: the two targets answered the warm-up with different numbers of bot messages: "
                         + ", ".join(f"{TARGET_NAMES[t]} {list(c)}" for t, c in report.latency.reply_counts.items()))
        odd = [row for row in report.latency.rows if row.extra_replies or row.short_replies]
        for row in odd:
            found.append(f"Note: {TARGET_NAMES[row.target]} at {row.level} conversations: {row.short_replies} "
                         f"messages got fewer bot messages than in the warm-up and {row.extra_replies} unexpected "
                         "bot messages arrived; their first-reply times may be attributed to the wrong message.")
    if report.relay:
        r = report.relay
        if r.setup_errors:
            found.append(f"**Warning: {r.chats_asked - r.chats_live} of {r.chats_asked} human chats could not be "
                         f"set up** ({'; '.join(f'`{e}`' for e in sorted(set(r.setup_errors))[:3])}).")
        for name, s in (("customer → agent", r.to_agent), ("agent → customer", r.to_customer)):
            if s.errors:
                found.append(f"**Warning: {s.errors} of {s.sent} {name} messages were not delivered** "
                             f"({'; '.join(f'`{e}`' for e in s.error_examples)}).")
    if report.idle:
        idle = report.idle
        if idle.note:
            found.append(f"**Note: idle connections {idle.note}.**")
        reached = [s.asked for s in idle.steps]
        missing = [level for level in idle.asked if level not in reached]
        if missing and not idle.note:
            found.append(f"**Warning: idle levels {missing} were not attempted: the level before failed.**")
        for step in idle.steps:
            if step.failed:
                found.append(f"**Warning: {step.failed} of {step.asked} idle connections failed** "
                             f"({'; '.join(f'`{e}`' for e in step.errors)}).")
    return found


def _multi_reply_messages(latency: LatencyResult) -> list[str]:
    counts = latency.reply_counts.get(RASA_SOCKETIO) or latency.reply_counts.get(BRIDGE) or ()
    return [message for message, count in zip(latency.script, counts) if count > 1]


NOISE_MS = 3.0  # p50 differences below this (and below NOISE_SHARE) count as "about the same"
NOISE_SHARE = 5.0  # %


def gap_kind(pair: tuple[float, float]) -> str:
    """``slower``, ``faster`` or ``same``: how the bridge's p50 compares, allowing for noise."""
    ms, pct = pair
    if abs(ms) < NOISE_MS or abs(pct) < NOISE_SHARE:
        return "same"
    return "slower" if ms > 0 else "faster"


def trend_kind(low: tuple[float, float], high: tuple[float, float]) -> str:
    """How the bridge's p50 overhead changes from the lowest to the highest level: ``grows``, ``shrinks``, ``flat``."""
    if high[0] - low[0] > max(NOISE_MS, abs(low[0]) * 0.25):
        return "grows"
    if low[0] - high[0] > max(NOISE_MS, abs(low[0]) * 0.25):
        return "shrinks"
    return "flat"


PATHS = (
    "Both targets answer from the same Rasa server and model; what differs is the way in and out. Through the "
    "bridge, the widget's message goes to the bridge process, which reads the conversation from Redis and appends "
    "the turn to the live transcript (HGETALL + RPUSH), then POSTs it to Rasa's REST channel (one more HTTP hop "
    "and JSON round trip), in stream mode: Rasa writes each bot message as one JSON line the moment the "
    "dialogue utters it (`bot/channels.py`), and the response ends with the turn. The bridge appends each reply "
    "to the transcript (RPUSH) and emits it as its line arrives, publishing it on Redis (PUBLISH, so that other "
    "bridge processes can reach the socket). Rasa's socketio channel emits "
    "each bot message from inside Rasa as soon as its action has run, before the tracker is saved, with no hop "
    "and no Redis, but all of its socket.io work (framing, websocket writes, pings) then runs on the Rasa "
    "server's event loop, the same loop that runs the model."
)


def _stats_pair(latency: LatencyResult, level: int) -> tuple[LatencyStats, LatencyStats] | None:
    bridge, rasa = pair_at(latency, level)
    return None if bridge is None or rasa is None else (bridge.stats, rasa.stats)


def _cpu_at(latency: LatencyResult, level: int) -> tuple[float, float, float] | None:
    """(Rasa CPU/message direct, Rasa CPU/message behind the bridge, bridge CPU/message) at ``level``, if measured."""
    bridge, rasa = pair_at(latency, level)
    if bridge is None or rasa is None:
        return None
    values = (rasa.rasa_cpu_ms, bridge.rasa_cpu_ms, bridge.bridge_cpu_ms)
    return None if any(v is None for v in values) else values  # type: ignore[return-value]


def _trend_text(trend: str, kind_high: str, cpu: tuple[float, float, float] | None, cores: int) -> str:
    """How the bridge's overhead changes with load, and why, using the CPU figures when they tell."""
    elsewhere = ", on another core" if cores > 1 else ""
    if trend == "grows":
        work = "socket.io, JSON, Redis calls"
        own = f"its own work ({millis(cpu[2])} of CPU per message: {work})" if cpu else f"its own work ({work})"
        return (f"The gap grows with load: the bridge is one more Python process on the {cores} CPU cores that the "
                f"Rasa server, the action server and Redis already share, so {own} takes CPU time away from Rasa's.")
    if trend == "flat":
        return "The difference stays about the same as load grows: the extra hop is a fixed cost."
    text = "The bridge's overhead shrinks under load" + (" and turns into a lead" if kind_high == "faster" else "")
    writer = ("Used directly, python-socketio also hands each bot message to a separate writer task, which has to "
              "wait for the Rasa server's event loop to come back from running the model for other conversations "
              "before the message reaches its websocket; a line of the REST stream is written from the turn "
              "itself. And the bridge sends the Rasa server at most a few turns at once (`RASA_MAX_INFLIGHT`, 4), "
              "the rest waiting in order: Rasa interleaves every turn it has accepted at each await (NLU, "
              "policies, each action call), so fifty at once make each wait for all the others at every step, "
              "while four at a time finish sooner, the slowest much sooner.")
    if cpu and cpu[0] > cpu[1] * 1.1:
        return (f"{text}. The Rasa server's event loop, which also runs the model, is the bottleneck, and serving "
                f"the sockets itself costs it more: {millis(cpu[0])} of CPU per message against {millis(cpu[1])} "
                f"when it only answers the bridge's HTTP requests; the bridge's {millis(cpu[2])} per message run in "
                f"its own process{elsewhere}. {writer}")
    measured = (f" (the Rasa server's CPU per message is {millis(cpu[0])} direct and {millis(cpu[1])} behind the "
                "bridge, so it is not extra work)") if cpu else ""
    return (f"{text}: the Rasa server's event loop is the bottleneck at this load{measured}, and the difference is "
            f"most likely in how replies leave it. {writer}")


def why_latency(latency: LatencyResult, cores: int) -> list[str]:
    """The explanation of the latency figures, driven by the numbers of this run."""
    both = {lv: _stats_pair(latency, lv) for lv in levels_of(latency)}
    levels = [lv for lv, pair in both.items() if pair is not None]
    if not levels:
        return []
    low, high = levels[0], levels[-1]
    b_low, r_low = both[low]  # type: ignore[misc]
    gap_low = overhead(b_low.p50_ms, r_low.p50_ms)
    if gap_low is None:
        return []
    paragraphs = [PATHS]
    where = f"At {low} conversation{'' if low == 1 else 's'}"
    figures = (f"{millis(b_low.p50_ms)} through the bridge against {millis(r_low.p50_ms)} direct at p50, "
               f"{overhead_text(gap_low)}")
    kind = gap_kind(gap_low)
    if kind == "slower":
        paragraphs.append(f"{where} ({figures}) that hop and the Redis commands are the bridge's cost when "
                          "nothing queues; Rasa's own work (NLU, policies, the action server) is the rest of the time "
                          "on both paths.")
    elif kind == "same":
        paragraphs.append(f"{where} the two are within noise ({figures}): on loopback the hop and the Redis "
                          "commands take a few milliseconds at most, small next to Rasa's own NLU, policies and "
                          "actions, and the REST channel's wait for the end of the turn is short when the turn "
                          "is a single utterance.")
    else:
        paragraphs.append(f"{where} the bridge is even slightly faster ({figures}); with one conversation that is "
                          "within the run-to-run noise of a small sample rather than a real advantage.")
    multi = _multi_reply_messages(latency)
    if multi:
        paragraphs.append(
            "Messages answered with several bot messages (here " + ", ".join(f"“{m}”" for m in multi) + ") "
            "favour Rasa's channel: it sends the first as soon as its action has run, while the REST channel "
            "returns them all together at the end of the turn.")
    if high != low:
        b_high, r_high = both[high]  # type: ignore[misc]
        gap_high = overhead(b_high.p50_ms, r_high.p50_ms)
        if gap_high is not None:
            head = (f"At {high} concurrent conversations the p50s are {millis(b_high.p50_ms)} (bridge) and "
                    f"{millis(r_high.p50_ms)} (direct), {overhead_text(gap_high)}; throughput "
                    f"{b_high.throughput:,.1f} against {r_high.throughput:,.1f} messages/s. ")
            paragraphs.append(head + _trend_text(trend_kind(gap_low, gap_high), gap_kind(gap_high),
                                                 _cpu_at(latency, high), cores))
    small = min(row.stats.answered for row in latency.rows)
    if small < 100:
        paragraphs.append(f"With as few as {small} messages per cell, p95 and p99 rest on a handful of messages; "
                          "differences of a few milliseconds are noise.")
    return paragraphs


def why_relay(relay: RelayResult) -> list[str]:
    a, c, c99 = relay.to_agent.p50_ms, relay.to_customer.p50_ms, relay.to_customer.p99_ms
    if a is None or c is None or c99 is None:
        return []
    if c99 > max(3 * c, 20.0):
        tail = f"that shows in the tail (agent → customer p99 {millis(c99)})"
    else:
        tail = f"that costs little at this pace (agent → customer p99 {millis(c99)})"
    return [
        f"In live human chats customer → agent takes {millis(a)} at p50 and "
        f"agent → customer {millis(c)}. Both are recorded in the bridge's transcript and passed on at once; their "
        "Rasa tracker events (the customer's with Rasa's NLU parse) are queued per conversation in Redis and "
        "appended in order afterwards (`handoff/tracker_writer.py`), so neither side waits for Rasa; with up to "
        f"{relay.capacity} chats per agent {tail}."
    ]


def why_idle(idle: IdleResult) -> list[str]:
    if not idle.steps or not idle.steps[-1].connected:
        return []
    last = idle.steps[-1]
    per = (last.rss - idle.baseline_rss) / last.connected
    return [f"An idle customer (connected, session confirmed) costs the bridge about {kilobytes(per)} of RSS "
            f"({megabytes(last.rss)} with {last.connected:,} connected, {megabytes(idle.baseline_rss)} with none): "
            "its socket.io and engine.io session, the websocket and its room; nothing is sent while it idles "
            "except engine.io's pings."]


# --------------------------------------------------------------------------- the section


def body(report: BridgeReport) -> list[str]:
    """The section's content without markers (also what stdout shows)."""
    m = report.machine
    parts = [
        "## Handoff bridge vs Rasa's socketio channel",
        "",
        f"- Date: {report.date}",
        f"- CPU: {m.cpu} (`nproc`: {m.cores})",
        f"- RAM: {m.ram_bytes / GB:,.1f} GB",
        f"- OS: {m.os} (kernel {m.kernel})",
        f"- Bridge: Python {m.python}; Rasa: {report.rasa_version} (its own environment); model `{report.model}`",
        "",
        "Command (from the project root; `scripts/bench-bridge.sh` runs it):",
        "",
        "```",
        report.command,
        "```",
        "",
    ]
    parts += [f"{w}\n" for w in warnings(report)]
    if report.latency:
        lat = report.latency
        counts = lat.reply_counts.get(BRIDGE) or lat.reply_counts.get(RASA_SOCKETIO) or ()
        script = ", ".join(f"“{msg}” ({n})" for msg, n in zip(lat.script, counts)) or ", ".join(lat.script)
        parts += [
            "### First bot reply: bridge vs Rasa's socketio channel",
            "",
            f"Each conversation connects (websocket), sends `session_request`, waits for `session_confirm`, then "
            f"sends {len(lat.script)} messages one after the other: {script} — in brackets the bot messages each "
            "gets, counted in a warm-up conversation per target. Latency is from emitting `user_uttered` to the "
            f"first `bot_uttered`. The next message goes {lat.think_ms:g} ms after all expected replies are in "
            "(a quick reader): both paths emit a reply before its turn is over, and a message sent at once "
            "would wait for the rest of the previous turn (Rasa's lock on the conversation). Messages/s "
            "counts answered messages over the timed part of the rounds (pauses included, connecting excluded).",
            "",
            latency_table(lat),
            "",
            overhead_table(lat),
            "",
        ]
    if report.relay:
        r = report.relay
        parts += [
            f"### Customer ↔ agent relay with {r.chats_live:,} live human chats",
            "",
            f"{r.chats_live:,} of {r.chats_asked:,} customers connected, handed off (`POST /api/handoff`) and "
            f"claimed by {r.agents} agents (capacity {r.capacity} each) in {r.setup_s:,.1f} s. Then each chat "
            f"exchanged {r.turns} customer message(s) and agent answer(s), customer messages paced at "
            f"{r.rate_per_s:g}/s overall; each agent answers as soon as the message arrives. Bridge RSS with all "
            f"chats live: {megabytes(r.bridge_rss)}.",
            "",
            relay_table(r),
            "",
        ]
    if report.idle:
        parts += [
            "### Idle customer connections on one bridge process",
            "",
            f"Customers connect (websocket) and send `session_request`, {report.idle.concurrency} at a time, to a "
            "freshly started bridge, "
            f"and then stay idle; levels are cumulative. RLIMIT_NOFILE in the benchmark and the bridge: "
            f"{report.idle.fd_limit:,}.",
            "",
            idle_table(report.idle),
            "",
        ]
    why = (why_latency(report.latency, m.cores) if report.latency else []) + \
        (why_relay(report.relay) if report.relay else []) + (why_idle(report.idle) if report.idle else [])
    if why:
        parts += ["### Why they differ", ""]
        parts += [f"{p}\n" for p in why]
    parts += [
        "How it is measured: one Rasa server (REST and socketio channels both on, SQLite tracker store) with its "
        "action server and a freshly seeded shop store, a throw-away Redis and the bridge as `python -m handoff`, "
        "all on 127.0.0.1; the clients are python-socketio `AsyncClient`s in the benchmark's process. For the "
        "latency table the two targets take turns going first in each concurrency level's rounds; CPU per "
        "message is a process's user + system time (/proc/PID/stat) over a target's rounds, connecting included, "
        "divided by the answered messages. RSS is VmRSS from /proc. MB = 10^6 bytes.",
    ]
    return parts


def render_section(report: BridgeReport) -> str:
    """The whole Markdown section, markers included."""
    return "\n".join([START_MARKER, *body(report), END_MARKER])


def replace_marked(existing: str | None, section: str) -> str:
    """The Markdown file's new text with this benchmark's section replaced (see ``report.replace_section``)."""
    return replace_section(existing, section, START_MARKER, END_MARKER)
