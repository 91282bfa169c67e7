"""Pure Markdown rendering of one benchmark run: the figures table, warnings and the marked section.

``replace_section`` swaps the section between ``START_MARKER`` and ``END_MARKER`` in a
Markdown file's text and keeps the rest; reading and writing the file is the caller's job.
"""

from __future__ import annotations

import os
import shlex
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from bench.machine import Machine
from bench.stats import LatencyStats
from bot.launcher import ROOT

START_MARKER = "<!-- rasa-rest:start -->"
END_MARKER = "<!-- rasa-rest:end -->"
MB = 1_000_000
GB = 1_000_000_000


@dataclass(frozen=True)
class Training:
    """Which model the benchmark ran and how long training it took."""

    model: Path
    seconds: float | None  # None: not measured (--skip-training)


@dataclass(frozen=True)
class Memory:
    """Resident set sizes (bytes) of the two servers."""

    server_after_start: int
    server_after_load: int
    actions_after_start: int
    actions_after_load: int


@dataclass(frozen=True)
class Report:
    """Everything one run measured, ready to render."""

    date: str
    command: str
    machine: Machine
    training: Training
    model_bytes: int
    memory: Memory
    stats: LatencyStats
    warm_up_errors: int
    conversations: int
    messages_per_conversation: int


# --------------------------------------------------------------------------- formatting helpers


def megabytes(size: int) -> str:
    """``size`` bytes as MB (10^6 bytes), one decimal."""
    return f"{size / MB:,.1f} MB"


def millis(value: float | None) -> str:
    """A latency in ms, or "n/a" when there is none."""
    return "n/a" if value is None else f"{value:,.1f} ms"


def display_path(path: Path) -> str:
    """``path`` relative to the project root when it is inside it."""
    try:
        return str(Path(os.path.abspath(path)).relative_to(ROOT))
    except ValueError:
        return str(path)


def command_line(module: str, argv: Sequence[str], python: str = sys.executable) -> str:
    """``python -m module ARGV`` as run, with the interpreter relative to the project root when inside it."""
    return shlex.join([display_path(Path(python)), "-m", module, *argv])


def training_figure(training: Training) -> str:
    """The training-time cell of the table."""
    if training.seconds is None:
        return f"not measured (`--skip-training`: reused `{display_path(training.model)}`)"
    return f"{training.seconds:,.1f} s"


# --------------------------------------------------------------------------- the figures table


def has_errors(report: Report) -> bool:
    """Whether any message (timed or warm-up) failed."""
    return report.stats.errors > 0 or report.warm_up_errors > 0


def figures(report: Report) -> list[tuple[str, str]]:
    """The table's rows: (figure, value)."""
    stats, memory = report.stats, report.memory
    errors = f"{stats.errors} of {stats.sent}"
    if report.warm_up_errors:
        errors += f" (and {report.warm_up_errors} of {report.conversations} warm-up messages)"
    return [
        ("Training time (`rasa train --force`, wall-clock)", training_figure(report.training)),
        ("Model size", f"{megabytes(report.model_bytes)} ({report.model_bytes:,} bytes)"),
        ("Rasa server RSS, model loaded", megabytes(memory.server_after_start)),
        ("Rasa server RSS, after the load test", megabytes(memory.server_after_load)),
        ("Action server RSS, after start", megabytes(memory.actions_after_start)),
        ("Action server RSS, after the load test", megabytes(memory.actions_after_load)),
        ("Load", f"{report.conversations} concurrent conversations × {report.messages_per_conversation} "
                 f"messages = {stats.sent} messages (+{report.conversations} warm-up, not counted)"),
        ("Latency p50", millis(stats.p50_ms)),
        ("Latency p95", millis(stats.p95_ms)),
        ("Latency p99", millis(stats.p99_ms)),
        ("Latency max", millis(stats.max_ms)),
        ("Latency mean", millis(stats.mean_ms)),
        ("Throughput", f"{stats.throughput:,.1f} messages/s ({stats.answered} answered in {stats.elapsed_s:,.1f} s)"),
        ("Errors (non-200 or no response)", errors if not has_errors(report) else f"**{errors}**"),
        ("Answered with no bot message", str(stats.no_reply)),
    ]


def markdown_table(rows: Iterable[tuple[str, str]]) -> str:
    """A two-column Markdown table of (figure, value) rows."""
    lines = ["| Figure | Value |", "|---|---|"]
    lines += [f"| {name} | {value} |" for name, value in rows]
    return "\n".join(lines)


# --------------------------------------------------------------------------- warnings and notes


def error_warning(report: Report) -> str:
    """A warning paragraph when messages failed, else an empty string."""
    if not has_errors(report):
        return ""
    examples = "; ".join(f"`{e}`" for e in report.stats.error_examples) or "(only warm-up messages failed)"
    return (f"**Warning: this run had errors — {report.stats.errors} of {report.stats.sent} timed and "
            f"{report.warm_up_errors} of {report.conversations} warm-up messages failed; latency figures cover "
            f"the answered messages only.** Examples: {examples}")


def no_reply_note(report: Report) -> str:
    """A note when answered messages carried no bot message, else an empty string.

    Every scripted message normally gets an answer, so empty replies usually
    mean custom actions failed (Rasa still answers 200); they are not counted
    as errors, but the figures then do not show the full round trip.
    """
    count = report.stats.no_reply
    if not count:
        return ""
    return (f"Note: {count} of {report.stats.answered} answered messages got no bot message (HTTP 200 with an "
            "empty reply), which usually means custom actions failed; check the Rasa server's log.")


def notes(report: Report) -> list[str]:
    """The warning and the note that apply to ``report``, in display order (possibly none)."""
    return [note for note in (error_warning(report), no_reply_note(report)) if note]


# --------------------------------------------------------------------------- the section


def render_section(report: Report) -> str:
    """The whole Markdown section, markers included."""
    m = report.machine
    parts = [
        START_MARKER,
        "## Rasa assistant (REST channel)",
        "",
        f"- Date: {report.date}",
        f"- CPU: {m.cpu} (`nproc`: {m.cores})",
        f"- RAM: {m.ram_bytes / GB:,.1f} GB",
        f"- OS: {m.os} (kernel {m.kernel})",
        f"- Python {m.python}, Rasa {m.rasa}, rasa-sdk {m.rasa_sdk}",
        "",
        "Command (from the project root; `make bench` runs it after `scripts/setup.sh`):",
        "",
        "```",
        report.command,
        "```",
        "",
    ]
    parts += [f"{note}\n" for note in notes(report)]
    parts += [
        markdown_table(figures(report)),
        "",
        "How it is measured: the real stack (action server + Rasa server, SQLite shop and tracker stores in a "
        "temporary folder) on loopback. Each conversation sends its next message only after the reply to the "
        "previous one; all conversations run at once (aiohttp, one session). Latency is client-side, from "
        "sending `POST /webhooks/rest/webhook` to reading the whole reply; throughput is answered messages "
        "over the timed phase. RSS is VmRSS from /proc. MB = 10^6 bytes.",
        END_MARKER,
    ]
    return "\n".join(parts)


def replace_section(existing: str | None, section: str, start: str = START_MARKER, end: str = END_MARKER) -> str:
    """The Markdown file's new text: ``section`` replaces the text between ``start`` and ``end``.

    Every other section of the file is kept, so several benchmarks share one file.

    Args:
        existing: The file's current text, or None if there is no file yet.
        section: The new section, markers included.
        start: The section's opening marker.
        end: The section's closing marker.

    Returns:
        The new text (the section is appended when the file has no markers yet).

    Raises:
        ValueError: If only one marker is present or they are out of order.
    """
    if not existing or not existing.strip():
        return f"# Benchmarks\n\n{section}\n"
    at, until = existing.find(start), existing.find(end)
    if at == -1 and until == -1:
        return f"{existing.rstrip()}\n\n{section}\n"
    if at == -1 or until == -1 or until < at:
        raise ValueError(f"the {start} / {end} markers are broken; fix them by hand")
    return existing[:at] + section + existing[until + len(end):]
