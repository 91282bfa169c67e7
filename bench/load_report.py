"""The load-and-fault benchmark's accounting and report: pure functions over what the run recorded.

``account`` checks every message the clients sent against the transcripts read back from
Redis (present exactly once? delivered to the other side? how late?); ``windows`` cuts the
latency samples around each fault; ``render_markdown`` writes the section of
docs/operations.md; ``plot`` draws latency and memory over time (matplotlib, imported
only there).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from bench.load_clients import Reconnect, Sent
from bench.stats import percentile

UNAVAILABLE_EVENT = "assistant_unavailable"  # the bridge's answer when Rasa cannot be reached
DELAYED_S = 5.0  # delivered later than this after the first send: "delayed"
START_MARKER, END_MARKER = "<!-- load-fault:start -->", "<!-- load-fault:end -->"
KINDS = ("bot", "customer→agent", "agent→customer")
FAULT_NAMES = {"bridge": "bridge SIGKILL + restart", "redis": "Redis primary SIGKILL (failover)",
               "postgres": "PostgreSQL restart", "rasa": "Rasa server SIGKILL + restart"}


# --------------------------------------------------------------------------- the transcript


@dataclass
class InTranscript:
    """What the transcript says about one client message."""

    count: int = 0
    mode: str = "bot"  # who owned the conversation when it was recorded: bot, queued, agent
    answered: bool = False  # bot mode: an answer of the bot follows it
    unavailable: bool = False  # bot mode: the bridge's "assistant unavailable" answers it
    claimed_after: bool = False  # queued mode: an agent joined afterwards (and saw it in the transcript)


def read_transcript(entries: Sequence[Mapping[str, Any]]) -> dict[str, InTranscript]:
    """Every customer and agent message of a transcript (by ``message_id``), with its mode and answer."""
    found: dict[str, InTranscript] = {}
    mode = "bot"
    awaiting_answer: str | None = None
    waiting: list[str] = []  # queued-mode messages not yet seen by an agent
    for entry in entries:
        role, event, mid = entry.get("role"), entry.get("event"), entry.get("message_id")
        if role == "system":
            if event in ("handoff", "requeued"):
                mode = "queued"
            elif event in ("joined", "left"):
                mode = "agent"
                if event == "joined":
                    for waited in waiting:
                        found[waited].claimed_after = True
                    waiting.clear()
            elif event in ("returned", "closed", "ticket"):
                mode = "bot"
            continue
        if role in ("customer", "agent") and mid:
            record = found.get(mid)
            if record is None:
                record = found[mid] = InTranscript(mode=mode)
            record.count += 1
            if role == "customer":
                awaiting_answer = mid if mode == "bot" else None
                if mode == "queued":
                    waiting.append(mid)
        elif role == "bot":
            answered = entry.get("reply_to") or awaiting_answer  # reply_to: bridges that mark answers
            if answered in found:
                if entry.get("event") == UNAVAILABLE_EVENT:  # the bridge's own line: Rasa was down
                    found[answered].unavailable = True
                else:
                    found[answered].answered = True
    return found


# --------------------------------------------------------------------------- accounting


@dataclass
class Outcome:
    """One message, checked."""

    mid: str
    sender: str
    kind: str  # bot, customer→agent, agent→customer, waiting (queued, nobody to deliver to yet)
    sent_at: float
    acked: bool
    in_transcript: int
    delivered_at: float | None
    via: str
    lost: str = ""  # why it counts as lost ("" if it does not)
    duplicated: bool = False
    unavailable: bool = False
    cut_off: bool = False  # still being sent when the run ended, and not in the transcript
    retried: bool = False
    reload_shows: bool = False  # missed while the run lasted, but the closing reload showed it

    @property
    def latency_s(self) -> float | None:
        return None if self.delivered_at is None else max(0.0, self.delivered_at - self.sent_at)

    @property
    def delayed(self) -> bool:
        return self.latency_s is not None and self.latency_s > DELAYED_S


FINAL = "final reload"


def _first_live(deliveries: Mapping[str, tuple[float, str]]) -> tuple[float, str] | None:
    """The receiver's first sight of a message while the run lasted (live, or in a reconnect's transcript)."""
    return min((d for d in deliveries.values() if d[1] != FINAL), default=None)


def check(sent: Sent, transcript: Mapping[str, InTranscript]) -> Outcome:
    """What became of one message, from the client's record and the conversation's transcript.

    Lost: not in the transcript, or the other side never saw it (or, for a bot turn, never saw
    the bot's answer) while the run lasted. The closing reload only tells whether a page reload
    would have shown it.
    """
    seen = transcript.get(sent.mid, InTranscript())
    acked = sent.acked_at is not None
    retried = sent.attempts > 1
    reload_shows = any(d[1] == FINAL for d in sent.deliveries.values())
    if sent.sender == "agent":
        kind = "agent→customer"
    elif seen.mode == "bot" or (seen.count == 0 and sent.expects == "bot"):
        kind = "bot"
    else:
        kind = "customer→agent" if seen.mode == "agent" or seen.claimed_after else "waiting"
    if kind == "bot":
        live = (sent.reply_at, sent.reply_via) if sent.reply_at is not None and sent.reply_via != FINAL else None
        reload_shows = sent.reply_via == FINAL
        duplicated = False
    else:
        live = _first_live(sent.deliveries)
        duplicated = len(sent.deliveries) > 1
    outcome = Outcome(sent.mid, sent.sender, kind, sent.sent_at, acked, seen.count, live[0] if live else None,
                      live[1] if live else "", unavailable=kind == "bot" and (sent.unavailable or seen.unavailable),
                      retried=retried, reload_shows=reload_shows and live is None)
    outcome.duplicated = duplicated or seen.count > 1
    if seen.count == 0:
        if sent.gave_up == "run over":
            outcome.cut_off = True
        else:
            outcome.lost = "acknowledged but not in the transcript" if acked else \
                f"not in the transcript ({sent.gave_up or 'never acknowledged'})"
    elif live is None and kind != "waiting" and not outcome.unavailable:
        if kind == "bot":
            outcome.lost = "the bot's answer never reached the customer" if seen.answered else \
                "no answer from the bot (none in the transcript)"
        else:
            outcome.lost = f"never reached the {'customer' if kind == 'agent→customer' else 'agent'}"
        if outcome.reload_shows:
            outcome.lost += " during the run (a reload shows it)"
    return outcome


def account(sent: Iterable[Sent], transcripts: Mapping[str, Sequence[Mapping[str, Any]]]) -> list[Outcome]:
    """Check every message against its conversation's transcript."""
    read = {conversation: read_transcript(entries) for conversation, entries in transcripts.items()}
    return [check(s, read.get(s.conversation, {})) for s in sent]


def stats(values: Sequence[float]) -> dict[str, Any]:
    """Count and latency percentiles (ms) of ``values`` (seconds)."""
    if not values:
        return {"n": 0}
    ms = [v * 1000 for v in values]
    return {"n": len(ms), "p50_ms": round(percentile(ms, 50), 1), "p95_ms": round(percentile(ms, 95), 1),
            "p99_ms": round(percentile(ms, 99), 1), "max_ms": round(max(ms), 1)}


def totals(outcomes: Sequence[Outcome], sent: Sequence[Sent], t0: float = 0.0) -> dict[str, Any]:
    """The delivery figures of the whole run (``t0``: the load's start, for times in the examples)."""
    lost = [o for o in outcomes if o.lost]
    by_mid = {s.mid: s for s in sent}
    by_reason = Counter(o.lost for o in lost)
    slowest = sorted((o for o in outcomes if o.delayed), key=lambda o: -(o.latency_s or 0))
    unacked = [o for o in outcomes if not o.acked and not o.cut_off]
    return {
        "sent": len(outcomes),
        "by_customers": sum(1 for o in outcomes if o.sender == "customer"),
        "by_agents": sum(1 for o in outcomes if o.sender == "agent"),
        "acknowledged": sum(1 for o in outcomes if o.acked),
        "retried": sum(1 for o in outcomes if o.retried),
        "attempts": sum(s.attempts for s in sent),
        "lost": len(lost),
        "lost_by_reason": dict(by_reason),
        "lost_examples": [_example(o, by_mid[o.mid], t0) for o in lost[:10]],
        "never_acknowledged": len(unacked),
        "never_acknowledged_examples": [_example(o, by_mid[o.mid], t0) for o in unacked[:10]],
        "delayed_examples": [_example(o, by_mid[o.mid], t0) for o in slowest[:10]],
        "duplicated": sum(1 for o in outcomes if o.duplicated),
        "delayed_over_5s": sum(1 for o in outcomes if o.delayed),
        "answered_assistant_unavailable": sum(1 for o in outcomes if o.unavailable),
        "lost_but_a_reload_shows_it": sum(1 for o in outcomes if o.lost and o.reload_shows),
        "cut_off_by_end_of_run": sum(1 for o in outcomes if o.cut_off),
        "waiting_for_agent_at_end": sum(1 for o in outcomes if o.kind == "waiting" and o.delivered_at is None),
        "receiver_repeats_merged_by_id": sum(s.repeats for s in sent),
        "ack_status": dict(Counter(s.ack_status or ("gave up: " + s.gave_up if s.gave_up else "none") for s in sent)),
        "errors_before_ack": dict(Counter(e for s in sent for e in s.errors)),
    }


def _example(outcome: Outcome, sent: Sent, t0: float) -> dict[str, Any]:
    """One message with what its sender went through (``sent_at`` in seconds after ``t0``)."""
    errors = Counter(sent.errors)
    return {"message_id": outcome.mid, "kind": outcome.kind, "why": outcome.lost, "conversation": sent.conversation,
            "text": sent.text[:60], "sent_at": round(sent.sent_at - t0, 2),
            "latency_s": None if outcome.latency_s is None else round(outcome.latency_s, 2), "attempts": sent.attempts,
            "acked_after_s": None if sent.acked_at is None else round(sent.acked_at - sent.sent_at, 2),
            "ack": sent.ack_status, "gave_up": sent.gave_up, "errors": dict(errors),
            "in_transcript": outcome.in_transcript}


def latency_by_kind(outcomes: Sequence[Outcome], start: float = -math.inf, end: float = math.inf) -> dict[str, Any]:
    """Latency percentiles per kind for messages first sent in ``[start, end)``."""
    rows: dict[str, Any] = {}
    for kind in KINDS:
        values = [o.latency_s for o in outcomes
                  if o.kind == kind and o.latency_s is not None and not o.unavailable and start <= o.sent_at < end]
        rows[kind] = stats(values)  # type: ignore[arg-type]
    return rows


def windows(outcomes: Sequence[Outcome], faults: Sequence[Mapping[str, Any]], t0: float, width_s: float,
            settle_s: float) -> list[dict[str, Any]]:
    """Latency and delivery before, during and after each fault.

    ``before``: ``width_s`` up to the fault; ``during``: from the fault until ``settle_s`` after
    the process is back; ``after``: the ``width_s`` that follow. Times relative to ``t0``.
    """
    rows = []
    for fault in faults:
        at, back = fault["at"], fault.get("recovered_at", fault["at"])
        spans = {"before": (at - width_s, at), "during": (at, back + settle_s),
                 "after": (back + settle_s, back + settle_s + width_s)}
        for name, (lo, hi) in spans.items():
            chosen = [o for o in outcomes if lo <= o.sent_at - t0 < hi]
            rows.append({"fault": fault["kind"], "window": name, "from_s": round(lo, 1), "to_s": round(hi, 1),
                         "sent": len(chosen), "lost": sum(1 for o in chosen if o.lost),
                         "delayed": sum(1 for o in chosen if o.delayed),
                         "unavailable": sum(1 for o in chosen if o.unavailable),
                         "latency": latency_by_kind(chosen)})
    return rows


def reconnects(records: Sequence[Reconnect], faults: Sequence[Mapping[str, Any]], t0: float) -> dict[str, Any]:
    """How long clients took to get their conversation back: after the bridge kill, and overall."""
    figures: dict[str, Any] = {"all": {"n": len(records)}}
    for fault in faults:
        if fault["kind"] != "bridge":
            continue
        at = t0 + fault["at"]
        after_kill = [r for r in records if at - 1 <= r.lost_at <= at + 30 and r.cause != "dropped on purpose"]
        for role in ("customer", "agent"):
            values = [r.back_at - r.lost_at for r in after_kill if r.role == role]
            figures[f"after_bridge_kill_{role}s"] = stats(values)
        figures["after_bridge_kill_all_back_within_s"] = round(max((r.back_at - at for r in after_kill), default=0), 2)
    purposeful = [r.back_at - r.lost_at for r in records if r.cause == "dropped on purpose"]
    figures["dropped_on_purpose"] = {"n": len(purposeful)}
    return figures


def memory(samples: Sequence[Mapping[str, float]]) -> dict[str, dict[str, float]]:
    """Per process: RSS (MB) at the start, the highest, and at the end of the run."""
    names = sorted({k for row in samples for k in row if k != "t"})
    figures = {}
    for name in names:
        values = [row[name] for row in samples if row.get(name)]
        if values:
            figures[name] = {"start_mb": round(values[0] / 1e6, 1), "max_mb": round(max(values) / 1e6, 1),
                             "end_mb": round(values[-1] / 1e6, 1)}
    return figures


# --------------------------------------------------------------------------- Markdown


def _ms(row: Mapping[str, Any], key: str) -> str:
    value = row.get(key)
    return "–" if value is None else (f"{value / 1000:.2f} s" if value >= 1000 else f"{value:.0f} ms")


def _latency_cells(row: Mapping[str, Any]) -> str:
    if not row.get("n"):
        return "– | – | – | 0"
    return f"{_ms(row, 'p50_ms')} | {_ms(row, 'p95_ms')} | {_ms(row, 'p99_ms')} | {row['n']}"


def render_markdown(report: Mapping[str, Any], plots: Mapping[str, str]) -> str:
    """The ``load-fault`` section of docs/operations.md, markers included."""
    m, cfg = report["messages"], report["config"]
    machine = report["machine"]
    lines = [START_MARKER, "## Load and faults (measured)", "",
             f"`{report['command']}`, {report['date']}, {machine['cores']} cores ({machine['cpu']}), "
             f"{machine['ram_gb']} GB RAM. Everything on one machine over loopback: nginx → "
             f"{cfg['bridges']} bridges → {cfg['rasa']} Rasa servers, {cfg.get('stores', 'SQLite')}, "
             f"{cfg.get('redis', 'one Redis')}; the load generator shares the cores. "
             f"The whole run took {report.get('wall_clock_s', 0) / 60:.1f} minutes (the cluster started in "
             f"{report.get('cluster_start_s', 0):.0f} s, both models loading in parallel).",
             "",
             f"**Load**: {cfg['customers']} customers connected at once ({cfg['polling_share']:.0%} over long-polling "
             f"first, the rest WebSocket), {cfg['agents']} agents (capacity {cfg['capacity']}), "
             f"{report['duration_s'] / 60:.1f} minutes. Customers ask the bot short scripted questions (order status, "
             "FAQ, greetings) with 3–9 s think times, some ask for a person and chat with an agent (who answers "
             "every message, then hands back or closes with a resolution code), some drop and come back with a new "
             f"socket. Target {cfg['rate']:g} customer messages/s overall.",
             "",
             "**Faults** (spaced out, calm periods between):", ""]
    for fault in report["faults"]:
        lines.append(f"- at {fault['at']:.0f} s: {fault['what']}; back at {fault['recovered_at']:.0f} s")
    lines += ["", "### Delivery", "",
              "Every message carried a unique `message_id` and was sent with an acknowledgement; a client with no "
              "acknowledgement, an error, or a lost socket reconnected and sent the same id again. At the end every "
              "message was checked against the transcripts in Redis and against what the other side received "
              "(live, or in the transcript it got after reconnecting) while the run lasted. A closing reload of every "
              "client then tells which of the lost messages a page reload would show.", "",
              "| figure | count |", "|---|---|"]
    rows = [("messages sent (customers / agents)", f"{m['sent']} ({m['by_customers']} / {m['by_agents']})"),
            ("acknowledged", m["acknowledged"]),
            ("never acknowledged (the sender gave up after 240 s of retries)", m["never_acknowledged"]),
            ("sent more than once (retried after no acknowledgement, an error or a lost socket)", m["retried"]),
            ("**lost** (not in the transcript, or never reached the other side)", f"**{m['lost']}**"),
            ("duplicated (twice in the transcript, or shown twice to the receiver)", m["duplicated"]),
            ("delayed (reached the other side more than 5 s after it was first sent)", m["delayed_over_5s"]),
            ("answered \"assistant unavailable\" by the bridge", m["answered_assistant_unavailable"]),
            ("of the lost: in the transcript, so a page reload shows them (missed live)",
             m["lost_but_a_reload_shows_it"]),
            ("still being sent when the run ended (not counted above)", m["cut_off_by_end_of_run"])]
    lines += [f"| {name} | {value} |" for name, value in rows]
    if m["lost"]:
        lines += ["", "Lost, by reason: " + ", ".join(f"{k}: {v}" for k, v in m["lost_by_reason"].items())]
    for title, key in (("Never acknowledged", "never_acknowledged_examples"), ("Slowest delayed messages",
                                                                             "delayed_examples")):
        if m.get(key):
            lines += ["", f"{title} (sent at = seconds after the load started; what the sender got before the "
                      "acknowledgement):", "", "| message | kind | sent at | reached the other side after | attempts | "
                      "before the acknowledgement |", "|---|---|---|---|---|---|"]
            for ex in m[key][:6]:
                got = ", ".join(f"{k} ×{v}" for k, v in ex["errors"].items()) or "–"
                after = "–" if ex["latency_s"] is None else f"{ex['latency_s']:.1f} s"
                lines.append(f"| {ex['message_id']} | {ex['kind']} | {ex['sent_at']:.0f} s | {after} | "
                             f"{ex['attempts']} | {got} |")
    lines += ["", "### Latency around the faults", "",
              "Bot: customer message → first answer seen. Relay: customer → agent and agent → customer. Windows by "
              f"the time a message was first sent: `before` = {report['window_s']:.0f} s before the fault, `during` = "
              f"from the fault until {report['settle_s']:.0f} s after the process was back, `after` = the "
              f"{report['window_s']:.0f} s that follow.", "",
              "| fault | window | messages | lost | delayed | bot p50 | bot p95 | bot p99 | n | c→a p50 | c→a p95 | "
              "c→a p99 | n | a→c p50 | a→c p95 | a→c p99 | n |",
              "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for row in report["windows"]:
        lat = row["latency"]
        lines.append(f"| {FAULT_NAMES.get(row['fault'], row['fault'])} | {row['window']} | {row['sent']} | "
                     f"{row['lost']} | {row['delayed']} | {_latency_cells(lat['bot'])} | "
                     f"{_latency_cells(lat['customer→agent'])} | {_latency_cells(lat['agent→customer'])} |")
    overall = report["latency"]
    lines += [f"| whole run | | {m['sent']} | {m['lost']} | {m['delayed_over_5s']} | "
              f"{_latency_cells(overall['bot'])} | "
              f"{_latency_cells(overall['customer→agent'])} | {_latency_cells(overall['agent→customer'])} |"]
    rc = report["reconnects"]
    lines += ["", "### Reconnects and memory", ""]
    for role, back in (("customer", "having the conversation back (`session_confirm` after `session_request`)"),
                       ("agent", "being connected to `/agent` again")):
        row = rc.get(f"after_bridge_kill_{role}s")
        if row and row.get("n"):
            lines.append(f"- After the bridge kill, {row['n']} {role}s reconnected through nginx to the other bridge: "
                         f"p50 {_ms(row, 'p50_ms')}, p95 {_ms(row, 'p95_ms')}, max {_ms(row, 'max_ms')} from losing "
                         f"the socket to {back}.")
    if "after_bridge_kill_all_back_within_s" in rc:
        lines.append("- Every client the kill disconnected was back within "
                     f"{rc['after_bridge_kill_all_back_within_s']} s.")
    lines += ["", "| process | RSS at start | highest | at end |", "|---|---|---|---|"]
    for name, row in report["memory"].items():
        lines.append(f"| {name} | {row['start_mb']:.0f} MB | {row['max_mb']:.0f} MB | {row['end_mb']:.0f} MB |")
    for title, path in plots.items():
        lines += ["", f"![{title}]({path})"]
    if report.get("failures"):
        lines += ["", "**The run had problems**: " + "; ".join(report["failures"])]
    lines += ["", f"Figures as JSON: `{report['json_path']}`. RSS = VmRSS including child processes, "
              "sampled every 5 s; MB = 10^6 bytes.", END_MARKER]
    return "\n".join(lines)


def render_text(report: Mapping[str, Any]) -> str:
    """A few lines for the terminal (and the test's output)."""
    m = report["messages"]
    lines = [f"sent {m['sent']} (customers {m['by_customers']}, agents {m['by_agents']}), acknowledged "
             f"{m['acknowledged']}, retried {m['retried']}, LOST {m['lost']}, duplicated {m['duplicated']}, "
             f"delayed >5 s {m['delayed_over_5s']}, 'assistant unavailable' {m['answered_assistant_unavailable']}, "
             f"lost but a reload shows it {m['lost_but_a_reload_shows_it']}, cut off {m['cut_off_by_end_of_run']}"]
    if m["lost"]:
        lines.append(f"lost by reason {m['lost_by_reason']}; examples {m['lost_examples'][:5]}")
    for kind, row in report["latency"].items():
        lines.append(f"{kind}: {row}")
    for fault in report["faults"]:
        lines.append(f"fault {fault['what']} at {fault['at']:.0f} s, back at {fault['recovered_at']:.0f} s")
    lines.append(f"reconnects {report['reconnects']}")
    lines.append(f"counters {report['counters']}")
    return "\n".join(lines)


# --------------------------------------------------------------------------- plots


def plot(report: Mapping[str, Any], outcomes: Sequence[Outcome], samples: Sequence[Mapping[str, float]],
         t0: float, folder: Path) -> dict[str, Path]:
    """Latency over time and memory over time, faults marked; PNG files in ``folder``."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    folder.mkdir(parents=True, exist_ok=True)
    colours = {"bot": "tab:blue", "customer→agent": "tab:green", "agent→customer": "tab:orange"}

    def mark_faults(axis: Any) -> None:
        for fault in report["faults"]:
            axis.axvspan(fault["at"] / 60, fault["recovered_at"] / 60, color="tab:red", alpha=0.12)
            axis.axvline(fault["at"] / 60, color="tab:red", lw=1)
            axis.annotate(FAULT_NAMES.get(fault["kind"], fault["kind"]), (fault["at"] / 60, 1.0),
                          xycoords=("data", "axes fraction"), rotation=90, va="top", ha="right", fontsize=8,
                          color="tab:red")

    paths: dict[str, Path] = {}
    figure, axis = plt.subplots(figsize=(11, 4.8))
    for kind in KINDS:
        points = [((o.sent_at - t0) / 60, o.latency_s) for o in outcomes
                  if o.kind == kind and o.latency_s is not None and not o.unavailable]
        if points:
            axis.scatter([p[0] for p in points], [max(p[1], 1e-3) for p in points], s=4, alpha=0.35,
                         color=colours[kind], label=f"{kind} ({len(points)})")
    lost = [((o.sent_at - t0) / 60) for o in outcomes if o.lost]
    if lost:
        axis.scatter(lost, [60] * len(lost), marker="x", s=12, color="black",
                     label=f"lost ({len(lost)}), drawn at 60 s")
    axis.set_yscale("log")
    axis.set_xlabel("minutes since the load started (by first send)")
    axis.set_ylabel("latency (s, log)")
    axis.set_title("Message → first answer / delivery, with faults (red)")
    axis.axhline(DELAYED_S, color="grey", lw=0.8, ls="--")
    mark_faults(axis)
    axis.legend(loc="center left", bbox_to_anchor=(1.0, 0.5), fontsize=8, markerscale=2)
    figure.tight_layout()
    paths["latency"] = folder / "operations-latency.png"
    figure.savefig(paths["latency"], dpi=110)
    plt.close(figure)

    figure, axis = plt.subplots(figsize=(11, 4.8))
    names = sorted({k for row in samples for k in row if k != "t"})
    for name in names:
        values = [row[name] / 1e6 if row.get(name) else math.nan for row in samples]  # a gap while it is down
        axis.plot([row["t"] / 60 for row in samples], values, label=name, lw=1.2)
    axis.set_xlabel("minutes since the load started")
    axis.set_ylabel("RSS (MB)")
    axis.set_yscale("log")
    axis.set_title("Memory of every process (a gap while it is down)")
    mark_faults(axis)
    axis.legend(loc="center left", bbox_to_anchor=(1.0, 0.5), fontsize=8)
    figure.tight_layout()
    paths["memory"] = folder / "operations-memory.png"
    figure.savefig(paths["memory"], dpi=110)
    plt.close(figure)
    return paths


def as_json(outcome: Outcome) -> dict[str, Any]:
    """An outcome as plain data (for debugging dumps)."""
    return {**asdict(outcome), "latency_s": outcome.latency_s, "delayed": outcome.delayed}


__all__ = ["Outcome", "account", "check", "read_transcript", "totals", "latency_by_kind", "windows", "reconnects",
           "memory", "render_markdown", "render_text", "plot"]
