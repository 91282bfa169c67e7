"""Pure parts of the REST benchmark: statistics and Markdown rendering (no servers)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.machine import Machine
from bench.report import END_MARKER, START_MARKER, Memory, Report, Training, render_section, replace_section
from bench.stats import LatencyStats, Sample, percentile, summarize

SECTION = f"{START_MARKER}\nnew figures\n{END_MARKER}"


@pytest.mark.parametrize(
    "values, q, expected",
    [
        ([1.0, 2.0, 3.0, 4.0], 50, 2.5),  # rank 1.5: halfway between 2 and 3
        ([50.0, 10.0, 40.0, 20.0, 30.0], 95, 48.0),  # rank 3.8: 40 + 0.8 * (50 - 40)
        ([10.0, 20.0, 30.0, 40.0, 50.0], 25, 20.0),  # rank 1.0: exactly the second value
        ([1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0], 99, 9.91),  # rank 8.91
        ([3.0, 1.0, 2.0], 0, 1.0),
        ([3.0, 1.0, 2.0], 100, 3.0),
        ([7.0], 95, 7.0),
    ],
)
def test_percentile_matches_hand_computed_values(values: list, q: float, expected: float) -> None:
    assert percentile(values, q) == pytest.approx(expected)


@pytest.mark.parametrize("values, q", [([], 50), ([1.0], -1), ([1.0], 100.5)])
def test_percentile_rejects_bad_input(values: list, q: float) -> None:
    with pytest.raises(ValueError):
        percentile(values, q)


def test_summarize_counts_errors_and_empty_replies() -> None:
    samples = [
        Sample(10.0, ok=True, replies=1),
        Sample(30.0, ok=True, replies=0),
        Sample(500.0, ok=False, error="HTTP 500: boom"),
        Sample(20.0, ok=True, replies=2),
        Sample(900.0, ok=False, error="HTTP 500: boom"),
        Sample(120.0, ok=False, error="TimeoutError: "),
    ]
    stats = summarize(samples, elapsed_s=2.0)
    assert (stats.sent, stats.answered, stats.errors, stats.no_reply) == (6, 3, 3, 1)
    assert stats.error_examples == ("HTTP 500: boom", "TimeoutError: ")  # distinct, in order
    assert stats.p50_ms == 20.0 and stats.max_ms == 30.0 and stats.mean_ms == pytest.approx(20.0)
    assert stats.throughput == pytest.approx(1.5)  # latency and throughput cover answered messages only


def test_summarize_with_no_answer_has_no_latency() -> None:
    stats = summarize([Sample(1.0, ok=False, error=f"e{i}") for i in range(5)], elapsed_s=0.0, max_examples=2)
    assert (stats.answered, stats.errors) == (0, 5)
    assert stats.p50_ms is stats.p99_ms is stats.mean_ms is stats.max_ms is None
    assert stats.throughput == 0.0
    assert stats.error_examples == ("e0", "e1")


def test_replace_section_keeps_text_outside_the_markers() -> None:
    existing = f"# Benchmarks\n\nIntro.\n\n{START_MARKER}\nold figures\n{END_MARKER}\n\n## Other\n\nKept.\n"
    assert replace_section(existing, SECTION) == f"# Benchmarks\n\nIntro.\n\n{SECTION}\n\n## Other\n\nKept.\n"


def test_replace_section_creates_or_appends_when_there_are_no_markers() -> None:
    assert replace_section(None, SECTION) == f"# Benchmarks\n\n{SECTION}\n"
    assert replace_section("  \n", SECTION) == f"# Benchmarks\n\n{SECTION}\n"
    assert replace_section("# Benchmarks\n\nOther run.\n\n", SECTION) == f"# Benchmarks\n\nOther run.\n\n{SECTION}\n"


@pytest.mark.parametrize(
    "existing",
    [
        f"text\n{START_MARKER}\nno end\n",
        f"text\nno start\n{END_MARKER}\n",
        f"{END_MARKER}\nreversed\n{START_MARKER}\n",
    ],
)
def test_replace_section_refuses_mismatched_markers(existing: str) -> None:
    with pytest.raises(ValueError, match="markers are broken"):
        replace_section(existing, SECTION)


def test_rendered_section_is_marked_and_flags_errors() -> None:
    stats = LatencyStats(sent=4, answered=3, errors=1, no_reply=0, elapsed_s=1.0, p50_ms=12.0, p95_ms=20.0,
                         p99_ms=21.0, max_ms=21.5, mean_ms=15.0, throughput=3.0, error_examples=("HTTP 500: x",))
    report = Report(
        date="2026-01-01 00:00 UTC", command="python -m bench.rasa_rest",
        machine=Machine("CPU", 4, 8_000_000_000, "Linux", "6.0", "3.10", "3.6", "3.6"),
        training=Training(model=Path("models/m.tar.gz"), seconds=61.34), model_bytes=25_000_000,
        memory=Memory(900_000_000, 950_000_000, 100_000_000, 110_000_000),
        stats=stats, warm_up_errors=0, conversations=2, messages_per_conversation=2,
    )
    section = render_section(report)
    assert section.startswith(START_MARKER) and section.endswith(END_MARKER)
    assert "| Latency p95 | 20.0 ms |" in section
    assert "| Training time (`rasa train --force`, wall-clock) | 61.3 s |" in section
    assert "| Errors (non-200 or no response) | **1 of 4** |" in section
    assert "**Warning: this run had errors" in section and "`HTTP 500: x`" in section
    assert replace_section(f"a\n{section}\nb", section) == f"a\n{section}\nb"
