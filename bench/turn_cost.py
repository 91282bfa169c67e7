"""What one turn costs as a conversation grows, on SQLite and on PostgreSQL (issue 18, part 4).

For each engine a real stack (``harness.rasa.RasaStack``: action server + Rasa server, the shop
store and the tracker store on that engine) talks with one long, calm customer
(``bench.long_conversation``: 200+ turns of greetings, FAQs, order-status questions and thanks,
nothing that moves the escalation decision) over the REST channel. The machine has two cores and
other work may run on it, so a short *reference* conversation (the same script's first ten turns,
started afresh every ten turns) takes every other turn: each long turn is measured next to a
short-conversation turn of the same moment, and the two go first in turn.

Reported per engine: medians of the long conversation's turns 4-17 ("turn 10": the first two
seven-turn visits) and 193-206 ("turn 200": two visits, the same messages' kinds), their ratio,
and each window against the reference turns measured alongside it (load-robust). Then where the
time goes: the pieces of a Rasa turn that read the whole conversation (loading the tracker from
the store, the policies' dialogue states, the escalation decision, the tracker sent to the action
server), each timed in this process on the stored trackers of the long and a short conversation.
Afterwards the long conversation's tracker is checked: no offer of a person, no handoff.

Writes its section of docs/benchmarks.md (``--out``) and docs/turn-cost.png (matplotlib).

    .venv-rasa/bin/python -m bench.turn_cost [--turns 213] [--engines sqlite,postgresql]
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import secrets
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from actions.store.seed import seed
from bench.long_conversation import OPENING, VISIT, check_calm, long_script
from bench.machine import read_machine
from bench.report import replace_section
from bench.stats import percentile
from bot.launcher import ROOT, latest_model
from escalation import settings as escalation_settings
from harness.postgres import PostgresServer
from harness.rasa import RasaStack, sqlite_url

START = "<!-- turn-cost:start -->"
END = "<!-- turn-cost:end -->"
ENGINES = ("sqlite", "postgresql")
REFERENCE_LENGTH = 10
EARLY = (OPENING + 1, OPENING + 2 * VISIT)  # turns 4-17: two visits around turn 10
NOT_CALM = frozenset({"action_offer_human", "action_escalate", "action_handoff"})


def late_window(turns: int) -> tuple[int, int]:
    """The last two whole visits that end at or before turn 206 (193-206 for 213 turns)."""
    last_visit = min((turns - OPENING) // VISIT, (206 - OPENING) // VISIT)
    return OPENING + (last_visit - 2) * VISIT + 1, OPENING + last_visit * VISIT


@dataclass
class EngineRun:
    """One engine's measurements: milliseconds per turn, the reference beside each, the breakdown."""

    engine: str
    long: list[float] = field(default_factory=list)
    reference: list[float] = field(default_factory=list)  # the reference turn measured next to long[i]
    reference_position: list[int] = field(default_factory=list)  # that turn's number in its conversation
    parts: dict[str, tuple[float, float]] = field(default_factory=dict)  # piece -> (short, long) ms
    events: tuple[int, int] = (0, 0)  # events in the short and the long conversation's tracker
    not_calm: list[str] = field(default_factory=list)
    empty_replies: int = 0


def median(values: Sequence[float]) -> float:
    """The median of ``values``."""
    return percentile(values, 50)


def window(values: Sequence[float], turns: tuple[int, int]) -> list[float]:
    """``values`` of turns ``turns[0]``..``turns[1]`` (1-based, inclusive)."""
    return list(values[turns[0] - 1:turns[1]])


def reference_beside(run: EngineRun, turns: tuple[int, int]) -> list[float]:
    """The reference turns measured next to the long turns ``turns``, past its own opening."""
    lo, hi = turns
    return [ms for ms, position in zip(run.reference[lo - 1:hi], run.reference_position[lo - 1:hi])
            if position > OPENING]


# --------------------------------------------------------------------------- the conversations

def timed_say(stack: RasaStack, sender: str, message: str) -> tuple[float, int]:
    """Milliseconds to send ``message`` and read the whole reply, and how many bot messages came."""
    started = time.perf_counter()
    replies = stack.say(sender, message)
    return (time.perf_counter() - started) * 1000, len(replies)


def converse(stack: RasaStack, script: Sequence[str], run: EngineRun) -> tuple[str, str]:
    """The long conversation with the reference beside it; returns the long and the last whole
    reference conversation's sender ids."""
    tag = secrets.token_hex(4)
    for message in script[:REFERENCE_LENGTH]:  # warm-up: lazily loaded code, the first database connections
        stack.say(f"warm-up-{tag}", message)
    long_sender, reference_sender, last_whole = f"long-{tag}", "", ""
    for i, message in enumerate(script):
        position = i % REFERENCE_LENGTH
        if position == 0:
            last_whole, reference_sender = reference_sender, f"reference-{tag}-{i // REFERENCE_LENGTH}"
        pair = [(long_sender, message), (reference_sender, script[position])]
        measured = [timed_say(stack, *turn) for turn in (pair if i % 2 == 0 else pair[::-1])]
        (long_ms, long_replies), (reference_ms, reference_replies) = measured if i % 2 == 0 else measured[::-1]
        run.long.append(long_ms)
        run.reference.append(reference_ms)
        run.reference_position.append(position + 1)
        run.empty_replies += (long_replies == 0) + (reference_replies == 0)
        if (i + 1) % 50 == 0:
            print(f"  turn {i + 1}/{len(script)}: {long_ms:.0f} ms (reference {reference_ms:.0f} ms)", flush=True)
    return long_sender, last_whole or reference_sender


def not_calm(events: Sequence[dict[str, Any]]) -> list[str]:
    """What in the tracker says the escalation decision moved: offers, handoffs, a decision not "none"."""
    found = [f"action {e['name']}" for e in events if e.get("event") == "action" and e.get("name") in NOT_CALM]
    found += [f"paused ({e['event']})" for e in events if e.get("event") == "pause"]
    found += [f"decision {e['value'].get('action')} {e['value'].get('summary')}" for e in events
              if e.get("event") == "slot" and e.get("name") == "escalation" and isinstance(e.get("value"), dict)
              and e["value"].get("action") != "none"]
    return found


# --------------------------------------------------------------------------- where the time goes

def _pieces(store: Any, sender: str, tracker: Any, domain: Any,
            settings: escalation_settings.Settings) -> dict[str, Callable[[], object]]:
    """The pieces of a Rasa turn that read the whole conversation, each as work to time: Rasa's own,
    and (marked "servers") as the Rasa servers run them, with ``bot.dialogue_history`` installed."""
    from rasa.shared.core.trackers import EventVerbosity

    from bot import dialogue_history
    from bot.action_events import Sender
    from bot.policies.escalation import event_dicts
    from escalation.decision import decide
    from escalation.turns import read_history

    def primed_continued() -> object:
        dialogue_history.install()
        try:
            tracker.past_states(domain)  # the previous prediction, outside the timing below
            started = time.perf_counter()
            tracker.past_states(domain)
            return time.perf_counter() - started
        finally:
            dialogue_history.uninstall()

    def primed_delta() -> object:
        sender, events = Sender(), list(tracker.events)
        state = {**tracker.current_state(EventVerbosity.NONE), "events": None}
        sender.body({"sender_id": sender_id_of(tracker), "tracker": state}, events[:-1])  # the previous call
        started = time.perf_counter()
        json.dumps(sender.body({"sender_id": sender_id_of(tracker), "tracker": state}, events))
        return time.perf_counter() - started

    return {
        "loading the tracker (tracker store `retrieve`, once a turn)": lambda: asyncio.run(store.retrieve(sender)),
        "the dialogue states of the whole conversation (`past_states`, each policy, each prediction): Rasa's own":
            lambda: tracker.past_states(domain),
        "the same, servers: continued from the previous prediction (`bot.dialogue_history`)": primed_continued,
        "a copy of the tracker (once per action run): Rasa's own": tracker.copy,
        "the same, servers (`bot.dialogue_history.copy_tracker`)": lambda: dialogue_history.copy_tracker(tracker),
        "the escalation decision (once a turn, in the policy)":
            lambda: decide(read_history(event_dicts(list(tracker.events))), settings),
        "the tracker as JSON for the action server (each custom action): Rasa's own":
            lambda: json.dumps(tracker.current_state(EventVerbosity.ALL)),
        "the same, servers: the events the action server lacks (`bot.action_events`)": primed_delta,
    }


def sender_id_of(tracker: Any) -> str:
    """The tracker's conversation id."""
    return str(tracker.sender_id)


def _ms(work: Callable[[], object], repeat: int) -> float:
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        inner = work()
        elapsed = time.perf_counter() - started
        samples.append((inner if isinstance(inner, float) else elapsed) * 1000)  # a piece may time itself
    return median(samples)


def breakdown(tracker_url: str, short_sender: str, long_sender: str, repeat: int = 15) -> tuple[
        dict[str, tuple[float, float]], tuple[int, int]]:
    """Milliseconds of the pieces of a turn that read the whole conversation, on the stored trackers of
    the short and the long conversation (this process, the stack's tracker store)."""
    from rasa.shared.core.domain import Domain

    from bot.tracker_store import CheckedSQLTrackerStore

    domain = Domain.load(ROOT / "domain.yml")
    settings = escalation_settings.load()
    store = CheckedSQLTrackerStore(domain, host=tracker_url)
    parts: dict[str, list[float]] = {}
    sizes = []
    try:
        for sender in (short_sender, long_sender):
            tracker = asyncio.run(store.retrieve(sender))
            assert tracker is not None, sender
            sizes.append(len(tracker.events))
            pieces = _pieces(store, sender, tracker, domain, settings)
            for name, work in pieces.items():
                parts.setdefault(name, []).append(_ms(work, repeat))
    finally:
        store.engine.dispose()
    return {name: (short, long) for name, (short, long) in parts.items()}, (sizes[0], sizes[1])


# --------------------------------------------------------------------------- one engine

def run_engine(engine: str, workdir: Path, script: Sequence[str], postgres: PostgresServer | None) -> EngineRun:
    """Start the stack on ``engine``, hold the conversations, measure the breakdown, stop it."""
    workdir.mkdir(parents=True, exist_ok=True)
    if engine == "sqlite":
        shop, trackers = sqlite_url(workdir / "shop.sqlite3", asynchronous=True), sqlite_url(workdir / "trackers.sqlite3")
    else:
        assert postgres is not None
        postgres.create_database("turn_cost_shop")
        trackers = postgres.create_database("turn_cost_trackers")
        shop = postgres.url("turn_cost_shop", "postgresql+asyncpg")
    asyncio.run(seed(shop))
    run = EngineRun(engine)
    stack = RasaStack(workdir=workdir, shop_db=shop, tracker_url=trackers, model=latest_model())
    try:
        stack.start()
        print(f"{engine}: {len(script)} turns, each beside a reference turn", flush=True)
        long_sender, short_sender = converse(stack, script, run)
        run.not_calm = not_calm(stack.tracker(long_sender).get("events") or [])
    finally:
        stack.stop()
    run.parts, run.events = breakdown(trackers, short_sender, long_sender)
    return run


# --------------------------------------------------------------------------- report

def summary(run: EngineRun, turns: int) -> dict[str, float]:
    """The window medians and ratios of one engine."""
    late = late_window(turns)
    early_ms, late_ms = median(window(run.long, EARLY)), median(window(run.long, late))
    early_ref, late_ref = median(reference_beside(run, EARLY)), median(reference_beside(run, late))
    return {"early": early_ms, "late": late_ms, "ratio": late_ms / early_ms,
            "early_ref": early_ref, "late_ref": late_ref, "late_vs_ref": late_ms / late_ref,
            "early_vs_ref": early_ms / early_ref}


def load_runs(path: Path) -> list[EngineRun]:
    """The runs an earlier ``--json`` wrote."""
    return [EngineRun(**{**raw, "events": tuple(raw["events"]),
                         "parts": {k: tuple(v) for k, v in raw["parts"].items()}})
            for raw in json.loads(path.read_text(encoding="utf-8"))]


def before_after(before: Sequence[EngineRun], after: Sequence[EngineRun], turns: int, note: str) -> list[str]:
    """The before/after table (same bench, an earlier run on the code before the change)."""
    lines = ["", f"Before and after the change, the same bench on the same machine ({note}):", "",
             "| engine | before: turn 10 / turn 200 | ratio | after: turn 10 / turn 200 | ratio |",
             "|---|---|---|---|---|"]
    earlier = {run.engine: summary(run, turns) for run in before}
    for run in after:
        if run.engine not in earlier:
            continue
        b, a = earlier[run.engine], summary(run, turns)
        lines.append(f"| {run.engine} | {b['early']:.1f} / {b['late']:.1f} ms | {b['ratio']:.2f}× | "
                     f"{a['early']:.1f} / {a['late']:.1f} ms | **{a['ratio']:.2f}×** |")
    lines += ["", "The pieces, before → after, on the long conversation's stored tracker:", "",
              "| piece | " + " | ".join(r.engine for r in after) + " |", "|---|" + "---|" * len(after)]
    parts = {run.engine: run.parts for run in before}
    for name in after[0].parts:
        lines.append(f"| {name} | " + " | ".join(
            f"{parts[r.engine][name][1]:.2f} → {r.parts[name][1]:.2f} ms" if name in parts.get(r.engine, {})
            else f"{r.parts[name][1]:.2f} ms" for r in after) + " |")
    return lines


def by_kind(runs: Sequence[EngineRun], script: Sequence[str]) -> list[str]:
    """Each kind of turn of the repeated visit, early and late (the medians above mix the kinds)."""
    late = late_window(len(script))
    lines = ["", "The same windows by kind of turn (each of the visit's seven messages, two of each per "
             "window; the order-status turns run the form and two or three custom actions):", "",
             "| turn of the visit | " + " | ".join(f"{r.engine}: turn 10 → turn 200" for r in runs) + " |",
             "|---|" + "---|" * len(runs)]
    for k in range(VISIT):
        cells = []
        for run in runs:
            early = [run.long[i - 1] for i in range(EARLY[0], EARLY[1] + 1) if (i - 1 - OPENING) % VISIT == k]
            later = [run.long[i - 1] for i in range(late[0], late[1] + 1) if (i - 1 - OPENING) % VISIT == k]
            e, lt = median(early), median(later)
            cells.append(f"{e:.1f} → {lt:.1f} ms ({lt / e:.2f}×)")
        lines.append(f"| “{script[OPENING + k]}” | " + " | ".join(cells) + " |")
    return lines


def render(runs: Sequence[EngineRun], turns: int, command: str, label: str, plot: Path | None,
           before: Sequence[EngineRun] = (), before_note: str = "", script: Sequence[str] = ()) -> str:
    """The Markdown section."""
    machine = read_machine()
    late = late_window(turns)
    lines = [
        START,
        "## A turn's cost as the conversation grows (issue 18, part 4)",
        "",
        f"{label}: `{command}` on {dt.date.today().isoformat()}, {machine.cpu} ({machine.cores} cores), "
        f"Rasa {machine.rasa}. One calm conversation of {turns} customer turns over the REST channel per "
        f"engine (greetings, FAQs, order status, thanks; no offer of a person, no handoff), every turn "
        f"beside a turn of a short reference conversation (restarted every {REFERENCE_LENGTH} turns).",
        "",
        f"| engine | turn 10: median of turns {EARLY[0]}-{EARLY[1]} | turn 200: median of turns {late[0]}-{late[1]} "
        "| turn 200 / turn 10 | turn 200 / reference beside it | turn 10 / reference beside it |",
        "|---|---|---|---|---|---|",
    ]
    for run in runs:
        s = summary(run, turns)
        lines.append(f"| {run.engine} | {s['early']:.1f} ms | {s['late']:.1f} ms | **{s['ratio']:.2f}×** | "
                     f"{s['late_vs_ref']:.2f}× ({s['late_ref']:.1f} ms) | {s['early_vs_ref']:.2f}× ({s['early_ref']:.1f} ms) |")
    lines += by_kind(runs, script) if script else []
    lines += ["", "Where the time goes: the pieces of a turn that read the whole conversation, timed in the "
              "benchmark's process on the stored trackers (median of 15):", "",
              "| piece | " + " | ".join(f"{r.engine}: {r.events[0]} events / {r.events[1]} events" for r in runs) + " |",
              "|---|" + "---|" * len(runs)]
    for name in runs[0].parts:
        lines.append(f"| {name} | " + " | ".join(
            f"{r.parts[name][0]:.2f} / {r.parts[name][1]:.2f} ms" for r in runs) + " |")
    if before:
        lines += before_after(before, runs, turns, before_note)
    problems = [f"{r.engine}: {p}" for r in runs for p in r.not_calm[:3]] + [
        f"{r.engine}: {r.empty_replies} turns without a bot message" for r in runs if r.empty_replies]
    lines += ["", "Checked afterwards: " + ("; ".join(problems) if problems else
              "the long conversation's tracker holds no offer of a person, no handoff and only \"none\" "
              "decisions, and every turn was answered.")]
    if plot:
        lines += ["", f"![Milliseconds per turn against the turn number, long conversation and reference]"
                      f"({plot.name})"]
    lines.append(END)
    return "\n".join(lines) + "\n"


def draw(runs: Sequence[EngineRun], path: Path) -> bool:
    """Milliseconds per turn (rolling median of 7) for each engine, long and reference; False without matplotlib."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False

    def rolling(values: Sequence[float]) -> list[float]:
        return [median(values[max(0, i - 3):i + 4]) for i in range(len(values))]

    figure, axes = plt.subplots(1, len(runs), figsize=(5 * len(runs), 3.5), sharey=True, squeeze=False)
    for axis, run in zip(axes[0], runs):
        turns = range(1, len(run.long) + 1)
        axis.plot(turns, rolling(run.long), label="long conversation")
        axis.plot(turns, rolling(run.reference), label="reference beside it (turns 1-10)", alpha=0.8)
        axis.set_title(run.engine)
        axis.set_xlabel("turn of the long conversation")
        axis.grid(alpha=0.3)
    axes[0][0].set_ylabel("ms per turn (rolling median of 7)")
    axes[0][0].legend()
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)
    return True


def main(argv: Sequence[str] | None = None) -> int:
    """Measure both engines and write the section."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--turns", type=int, default=OPENING + 30 * VISIT, help="turns of the long conversation")
    parser.add_argument("--engines", default=",".join(ENGINES), help="comma-separated: sqlite, postgresql")
    parser.add_argument("--label", default="Run", help="what this run is (e.g. before, after), in the section")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "benchmarks.md")
    parser.add_argument("--plot", type=Path, default=ROOT / "docs" / "turn-cost.png")
    parser.add_argument("--json", type=Path, help="also write the raw figures here")
    parser.add_argument("--before", type=Path, help="an earlier run's --json, shown as before/after")
    parser.add_argument("--before-note", default="the earlier run", help="what the earlier run was")
    parser.add_argument("--from-json", type=Path, help="write the section from an earlier run's --json, measuring nothing")
    args = parser.parse_args(argv)
    command = ".venv-rasa/bin/python -m bench.turn_cost" + "".join(f" {a}" for a in (argv or sys.argv[1:]))
    settings = escalation_settings.load()
    script = long_script(args.turns, settings)
    moved = check_calm(script, settings)
    if moved:
        raise SystemExit(f"the script would move the escalation decision: {moved[:3]}")
    engines = [e for e in args.engines.split(",") if e]
    runs = load_runs(args.from_json) if args.from_json else measure(engines, script, args.turns)
    if args.json and not args.from_json:
        args.json.write_text(json.dumps([run.__dict__ for run in runs], indent=1), encoding="utf-8")
    plot = args.plot if draw(runs, args.plot) else None
    before = load_runs(args.before) if args.before else []
    section = render(runs, args.turns, command, args.label, plot, before, args.before_note, script)
    existing = args.out.read_text(encoding="utf-8") if args.out.exists() else None
    args.out.write_text(replace_section(existing, section, START, END), encoding="utf-8")
    print(f"wrote {args.out}" + (f" and {plot}" if plot else ""))
    return 1 if any(r.not_calm or r.empty_replies for r in runs) else 0


def measure(engines: Sequence[str], script: Sequence[str], turns: int) -> list[EngineRun]:
    """Each engine's run, one after the other (PostgreSQL started here when asked for)."""
    folder = Path(tempfile.mkdtemp(prefix="bench-turn-cost-"))
    postgres = None
    runs: list[EngineRun] = []
    try:
        if "postgresql" in engines:
            postgres = PostgresServer(folder / "postgres").start()
        for engine in engines:
            runs.append(run_engine(engine, folder / engine, script, postgres))
            s = summary(runs[-1], turns)
            print(f"{engine}: turn 10 {s['early']:.1f} ms, turn 200 {s['late']:.1f} ms, ratio {s['ratio']:.2f} "
                  f"(against the reference beside it: {s['late_vs_ref']:.2f}); not calm: {runs[-1].not_calm[:3]}",
                  flush=True)
    finally:
        if postgres is not None:
            postgres.stop()
        shutil.rmtree(folder, ignore_errors=True)
    return runs


if __name__ == "__main__":
    sys.exit(main())
