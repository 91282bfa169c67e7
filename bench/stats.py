"""Pure statistics of a load test: one sample per message, summarized into latency figures.

No I/O here; ``bench.rasa_rest`` collects the samples and ``bench.report`` renders the summary.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Sample:
    """One message sent over the REST channel."""

    latency_ms: float
    ok: bool
    replies: int = 0
    error: str = ""


@dataclass(frozen=True)
class LatencyStats:
    """Summary of the timed phase of the load test."""

    sent: int
    answered: int
    errors: int
    no_reply: int
    elapsed_s: float
    p50_ms: float | None
    p95_ms: float | None
    p99_ms: float | None
    max_ms: float | None
    mean_ms: float | None
    throughput: float  # answered messages per second
    error_examples: tuple[str, ...]


def percentile(values: Sequence[float], q: float) -> float:
    """The ``q``-th percentile of ``values``, interpolating linearly between closest ranks.

    Same definition as ``numpy.percentile``'s default (``method="linear"``).

    Args:
        values: The observations, in any order; must not be empty.
        q: The percentile, from 0 to 100.

    Returns:
        The percentile value.

    Raises:
        ValueError: If ``values`` is empty or ``q`` is outside 0..100.
    """
    if not values:
        raise ValueError("percentile of no values")
    if not 0 <= q <= 100:
        raise ValueError(f"percentile {q} is outside 0..100")
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def mean(values: Sequence[float]) -> float:
    """The arithmetic mean of ``values`` (which must not be empty).

    Args:
        values: The observations.

    Returns:
        Their mean.

    Raises:
        ValueError: If ``values`` is empty.
    """
    if not values:
        raise ValueError("mean of no values")
    return sum(values) / len(values)


def summarize(samples: Sequence[Sample], elapsed_s: float, max_examples: int = 3) -> LatencyStats:
    """Latency percentiles, throughput and errors of the timed phase.

    Latency figures cover the answered messages only; failed ones are counted as errors.

    Args:
        samples: Every message sent in the timed phase.
        elapsed_s: Wall-clock duration of the timed phase.
        max_examples: How many distinct error messages to keep.

    Returns:
        The summary (latency fields are None when no message was answered).
    """
    latencies = [s.latency_ms for s in samples if s.ok]
    failures = [s for s in samples if not s.ok]
    examples: list[str] = []
    for failure in failures:
        if failure.error not in examples and len(examples) < max_examples:
            examples.append(failure.error)

    def stat(q: float) -> float | None:
        return percentile(latencies, q) if latencies else None

    return LatencyStats(
        sent=len(samples),
        answered=len(latencies),
        errors=len(failures),
        no_reply=sum(1 for s in samples if s.ok and s.replies == 0),
        elapsed_s=elapsed_s,
        p50_ms=stat(50),
        p95_ms=stat(95),
        p99_ms=stat(99),
        max_ms=max(latencies) if latencies else None,
        mean_ms=mean(latencies) if latencies else None,
        throughput=len(latencies) / elapsed_s if elapsed_s > 0 else 0.0,
        error_examples=tuple(examples),
    )
