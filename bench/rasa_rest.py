"""Benchmark of the Rasa assistant over its REST channel.

    python -m bench.rasa_rest                      # train, then 50 conversations x 10 messages
    python -m bench.rasa_rest --skip-training      # reuse the newest model in models/
    python -m bench.rasa_rest --conversations 5 --messages-per-conversation 4 --out /tmp/bench.md

One run measures:

* training time: ``rasa train --force`` into a temporary folder, wall-clock
  (``--skip-training`` reuses the newest model in models/ instead);
* the trained model's size;
* the resident memory (VmRSS) of the Rasa server and of the action server,
  right after start-up (model loaded) and again after the load test;
* per-message latency over the REST channel: every conversation sends its
  scripted messages one after the other, waiting for each reply, while all
  conversations run at the same time; one warm-up message per conversation
  is sent first and not counted.

The real stack runs (bot.launcher.RasaStack: action server + Rasa server with
a freshly seeded shop store and tracker store in a temporary folder). The
figures go to stdout and into the ``Rasa assistant (REST channel)`` section of
the Markdown file (default docs/benchmarks.md); the rest of that file is kept.
The exit status is 1 when any message failed (the report says so too).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import importlib.metadata
import math
import os
import platform
import shlex
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, List, Optional, Sequence, Tuple

import aiohttp

from actions.store.seed import seed
from bot.launcher import RASA, ROOT, RasaStack, latest_model, rasa_env

START_MARKER = "<!-- rasa-rest:start -->"
END_MARKER = "<!-- rasa-rest:end -->"
DEFAULT_OUT = ROOT / "docs" / "benchmarks.md"

# One customer's session; each conversation starts at a different point of it.
SCRIPT: Tuple[str, ...] = (
    "hi",
    "where is my order ORD-100101",
    "how much is shipping",
    "thanks",
    "where is my order",
    "ORD-100102",
    "do you ship to canada",
    "are you a bot?",
    "what is your return policy",
    "bye",
)
WARM_UP_MESSAGE = "hello"
REQUEST_TIMEOUT_S = 120.0
MB = 1_000_000
GB = 1_000_000_000


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class Training:
    """Which model the benchmark ran and how long training it took."""

    model: Path
    seconds: Optional[float]  # None: not measured (--skip-training)


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
    p50_ms: Optional[float]
    p95_ms: Optional[float]
    p99_ms: Optional[float]
    max_ms: Optional[float]
    mean_ms: Optional[float]
    throughput: float  # answered messages per second
    error_examples: Tuple[str, ...]


@dataclass(frozen=True)
class Memory:
    """Resident set sizes (bytes) of the two servers."""

    server_after_start: int
    server_after_load: int
    actions_after_start: int
    actions_after_load: int


@dataclass(frozen=True)
class Machine:
    """What the benchmark ran on."""

    cpu: str
    cores: int
    ram_bytes: int
    os: str
    kernel: str
    python: str
    rasa: str
    rasa_sdk: str


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


# --------------------------------------------------------------------------- pure: statistics


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
    examples: List[str] = []
    for failure in failures:
        if failure.error not in examples and len(examples) < max_examples:
            examples.append(failure.error)

    def stat(q: float) -> Optional[float]:
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


# --------------------------------------------------------------------------- pure: scripts


def conversation_script(index: int, length: int, script: Sequence[str] = SCRIPT) -> List[str]:
    """The messages conversation ``index`` sends: ``script`` rotated by ``index``, cycled to ``length``.

    Rotating (rather than shuffling) varies the order between conversations
    deterministically while keeping follow-ups such as "where is my order" →
    "ORD-100102" next to each other.

    Args:
        index: The conversation's number (0-based).
        length: How many messages it sends.
        script: The messages to draw from.

    Returns:
        ``length`` messages.
    """
    return [script[(index + i) % len(script)] for i in range(length)]


def sender_id(index: int) -> str:
    """The REST channel sender id of conversation ``index`` (trackers are fresh each run)."""
    return f"bench-{index:04d}"


# --------------------------------------------------------------------------- pure: parsing /proc and /etc


def cpu_model(cpuinfo: str) -> str:
    """The CPU model named in the text of /proc/cpuinfo ("unknown" if none is)."""
    for key in ("model name", "Hardware", "Processor", "cpu model"):
        for line in cpuinfo.splitlines():
            name, _, value = line.partition(":")
            if name.strip() == key and value.strip():
                return value.strip()
    return "unknown"


def kib_field(text: str, field: str) -> int:
    """A ``Field:  123 kB`` value of /proc/meminfo or /proc/PID/status, in bytes.

    Raises:
        KeyError: If the field is missing.
    """
    for line in text.splitlines():
        name, _, value = line.partition(":")
        if name == field:
            return int(value.split()[0]) * 1024
    raise KeyError(field)


def pretty_name(os_release: str) -> str:
    """PRETTY_NAME from the text of /etc/os-release ("unknown" if missing)."""
    for line in os_release.splitlines():
        name, _, value = line.partition("=")
        if name == "PRETTY_NAME":
            return value.strip().strip('"')
    return "unknown"


# --------------------------------------------------------------------------- pure: rendering


def megabytes(size: int) -> str:
    """``size`` bytes as MB (10^6 bytes), one decimal."""
    return f"{size / MB:,.1f} MB"


def millis(value: Optional[float]) -> str:
    """A latency in ms, or "n/a" when there is none."""
    return "n/a" if value is None else f"{value:,.1f} ms"


def training_figure(training: Training) -> str:
    """The training-time cell of the table."""
    if training.seconds is None:
        return f"not measured (`--skip-training`: reused `{display_path(training.model)}`)"
    return f"{training.seconds:,.1f} s"


def display_path(path: Path) -> str:
    """``path`` relative to the project root when it is inside it."""
    try:
        return str(Path(os.path.abspath(path)).relative_to(ROOT))
    except ValueError:
        return str(path)


def figures(report: Report) -> List[Tuple[str, str]]:
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


def has_errors(report: Report) -> bool:
    """Whether any message (timed or warm-up) failed."""
    return report.stats.errors > 0 or report.warm_up_errors > 0


def markdown_table(rows: Iterable[Tuple[str, str]]) -> str:
    """A two-column Markdown table of (figure, value) rows."""
    lines = ["| Figure | Value |", "|---|---|"]
    lines += [f"| {name} | {value} |" for name, value in rows]
    return "\n".join(lines)


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
    parts += [f"{note}\n" for note in (error_warning(report), no_reply_note(report)) if note]
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


def replace_section(existing: Optional[str], section: str) -> str:
    """The Markdown file's new text: ``section`` replaces the marked section, the rest is kept.

    Args:
        existing: The file's current text, or None if there is no file yet.
        section: The new section, markers included.

    Returns:
        The new text (the section is appended when the file has no markers yet).

    Raises:
        ValueError: If only one marker is present or they are out of order.
    """
    if not existing or not existing.strip():
        return f"# Benchmarks\n\n{section}\n"
    start, end = existing.find(START_MARKER), existing.find(END_MARKER)
    if start == -1 and end == -1:
        return f"{existing.rstrip()}\n\n{section}\n"
    if start == -1 or end == -1 or end < start:
        raise ValueError(f"the {START_MARKER} / {END_MARKER} markers are broken; fix them by hand")
    return existing[:start] + section + existing[end + len(END_MARKER):]


def command_line(argv: Sequence[str], python: str = sys.executable) -> str:
    """The command as run, with the interpreter relative to the project root when inside it."""
    return shlex.join([display_path(Path(python)), "-m", "bench.rasa_rest", *argv])


# --------------------------------------------------------------------------- I/O: machine and processes


def log(message: str) -> None:
    """Progress goes to stderr, so stdout carries only the results."""
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def read_text(path: str) -> str:
    """A file's text, or an empty string when it cannot be read."""
    try:
        return Path(path).read_text(errors="replace")
    except OSError:
        return ""


def package_version(name: str) -> str:
    """An installed distribution's version, without importing it."""
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def read_machine() -> Machine:
    """Describe the machine this runs on."""
    try:
        cores = len(os.sched_getaffinity(0))  # what `nproc` prints
    except AttributeError:
        cores = os.cpu_count() or 0
    try:
        ram = kib_field(read_text("/proc/meminfo"), "MemTotal")
    except KeyError:
        ram = 0
    return Machine(
        cpu=cpu_model(read_text("/proc/cpuinfo")),
        cores=cores,
        ram_bytes=ram,
        os=pretty_name(read_text("/etc/os-release")),
        kernel=platform.release(),
        python=platform.python_version(),
        rasa=package_version("rasa"),
        rasa_sdk=package_version("rasa-sdk"),
    )


def rss_bytes(pid: int) -> int:
    """Resident set size (VmRSS) of process ``pid``, in bytes."""
    return kib_field(Path(f"/proc/{pid}/status").read_text(), "VmRSS")


def train(out_dir: Path) -> Training:
    """Train a model from scratch into ``out_dir`` and time it (wall-clock).

    Raises:
        RuntimeError: If training fails or produces no model.
    """
    log_file = out_dir / "train.log"
    args = [RASA, "train", "--force", "--out", str(out_dir),
            "--domain", "domain.yml", "--data", "data", "--config", "config.yml"]
    log(f"training (rasa train --force; several minutes; log: {log_file})")
    with log_file.open("w") as output:
        started = time.perf_counter()
        result = subprocess.run(args, cwd=ROOT, env=rasa_env(), stdout=output, stderr=subprocess.STDOUT)
        seconds = time.perf_counter() - started
    if result.returncode != 0:
        raise RuntimeError(f"rasa train exited with {result.returncode}:\n{log_file.read_text()[-3000:]}")
    model = latest_model(out_dir)
    log(f"trained {model.name} in {seconds:.1f} s")
    return Training(model=model, seconds=seconds)


def settled(path: Path, quiet_s: float = 5.0, timeout_s: float = 600.0) -> Path:
    """Wait until ``path`` has not changed for ``quiet_s`` (another process may still be writing it)."""
    deadline = time.monotonic() + timeout_s
    while time.time() - path.stat().st_mtime < quiet_s:
        if time.monotonic() > deadline:
            raise RuntimeError(f"{path} is still being written after {timeout_s:.0f} s")
        time.sleep(1)
    return path


def reuse_model() -> Training:
    """The newest model in models/, training time not measured."""
    model = settled(latest_model(ROOT / "models"))
    log(f"reusing {display_path(model)} (training not measured)")
    return Training(model=model, seconds=None)


def seed_store(path: Path) -> None:
    """Create and fill a fresh shop store at ``path``."""
    asyncio.run(seed(f"sqlite+aiosqlite:///{path}"))


# --------------------------------------------------------------------------- I/O: the load test


async def send(session: aiohttp.ClientSession, endpoint: str, sender: str, message: str) -> Sample:
    """Send one message over the REST channel and time it until the whole reply is read."""
    started = time.perf_counter()
    try:
        async with session.post(endpoint, json={"sender": sender, "message": message}) as response:
            body = await response.read()
            latency = (time.perf_counter() - started) * 1000
            if response.status != 200:
                snippet = body[:120].decode(errors="replace")
                return Sample(latency, ok=False, error=f"HTTP {response.status}: {snippet}")
            replies = await response.json(content_type=None)
            return Sample(latency, ok=True, replies=len(replies) if isinstance(replies, list) else 0)
    except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as exc:
        latency = (time.perf_counter() - started) * 1000
        return Sample(latency, ok=False, error=f"{type(exc).__name__}: {exc}"[:160])


async def conversation(session: aiohttp.ClientSession, endpoint: str, sender: str,
                       messages: Sequence[str]) -> List[Sample]:
    """One customer's conversation: each message waits for the previous reply."""
    return [await send(session, endpoint, sender, message) for message in messages]


async def load_test(rasa_url: str, scripts: Sequence[Sequence[str]]) -> Tuple[List[Sample], List[Sample], float]:
    """Run all conversations at once, after one warm-up message each.

    Args:
        rasa_url: The Rasa server's base URL.
        scripts: The messages of each conversation.

    Returns:
        The warm-up samples, the timed samples and the timed phase's wall-clock seconds.
    """
    endpoint = f"{rasa_url}/webhooks/rest/webhook"
    connector = aiohttp.TCPConnector(limit=max(len(scripts), 1))
    timeout = aiohttp.ClientTimeout(total=REQUEST_TIMEOUT_S)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        warm_up = await asyncio.gather(
            *(send(session, endpoint, sender_id(i), WARM_UP_MESSAGE) for i in range(len(scripts)))
        )
        started = time.perf_counter()
        timed = await asyncio.gather(
            *(conversation(session, endpoint, sender_id(i), script) for i, script in enumerate(scripts))
        )
        elapsed = time.perf_counter() - started
    return list(warm_up), [sample for samples in timed for sample in samples], elapsed


# --------------------------------------------------------------------------- the run


def measure(args: argparse.Namespace, workdir: Path) -> Tuple[Training, Memory, List[Sample], List[Sample], float]:
    """Train (or reuse) a model, start the stack, take memory figures and run the load test."""
    training = reuse_model() if args.skip_training else train(workdir / "model")
    shop_db = workdir / "shop.sqlite3"
    seed_store(shop_db)
    stack = RasaStack(workdir=workdir, shop_db=shop_db, model=training.model)
    try:
        log("starting the action server and the Rasa server (loading the model takes a while)")
        stack.start()
        server_start, actions_start = rss_bytes(stack.server_pid), rss_bytes(stack.processes[0].pid)
        scripts = [conversation_script(i, args.messages_per_conversation) for i in range(args.conversations)]
        total = args.conversations * args.messages_per_conversation
        log(f"load test: {args.conversations} conversations × {args.messages_per_conversation} messages = {total}")
        warm_up, timed, elapsed = asyncio.run(load_test(stack.rasa_url, scripts))
        memory = Memory(server_start, rss_bytes(stack.server_pid), actions_start, rss_bytes(stack.processes[0].pid))
        if not stack.alive():
            raise RuntimeError(f"a server died during the load test; logs in {workdir}")
        if any(not s.ok for s in [*warm_up, *timed]):
            log("some messages failed; end of the Rasa server's log:\n"
                + (workdir / "rasa-server.log").read_text(errors="replace")[-2000:])
        return training, memory, warm_up, timed, elapsed
    finally:
        stack.stop()


def run(args: argparse.Namespace, argv: Sequence[str]) -> Report:
    """Measure everything in a temporary folder; return the report."""
    (ROOT / "models").mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="bench-rasa-rest-") as tmp:
        workdir = Path(tmp)
        training, memory, warm_up, timed, elapsed = measure(args, workdir)
        model_bytes = training.model.stat().st_size
    return Report(
        date=dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        command=command_line(argv),
        machine=read_machine(),
        training=training,
        model_bytes=model_bytes,
        memory=memory,
        stats=summarize(timed, elapsed),
        warm_up_errors=sum(1 for s in warm_up if not s.ok),
        conversations=args.conversations,
        messages_per_conversation=args.messages_per_conversation,
    )


def write_section(path: Path, section: str) -> None:
    """Put ``section`` into the Markdown file at ``path``, keeping its other sections."""
    path.parent.mkdir(parents=True, exist_ok=True)
    existing = path.read_text() if path.exists() else None
    path.write_text(replace_section(existing, section))


def positive_int(text: str) -> int:
    """argparse type: an integer of at least 1."""
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text} is not a positive integer")
    return value


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    """The command line's options."""
    parser = argparse.ArgumentParser(
        prog="python -m bench.rasa_rest", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--conversations", type=positive_int, default=50, help="concurrent conversations (50)")
    parser.add_argument("--messages-per-conversation", type=positive_int, default=10,
                        help="timed messages each conversation sends (10)")
    parser.add_argument("--skip-training", action="store_true",
                        help="reuse the newest model in models/; training time is not measured")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT,
                        help="Markdown file to write the section into (docs/benchmarks.md)")
    return parser.parse_args(argv)


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Command-line entry point; returns the exit status (1 if any message failed)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    args = parse_args(argv)
    report = run(args, argv)
    write_section(args.out, render_section(report))
    print(f"\nRasa assistant (REST channel), {report.date}\n")
    for note in (error_warning(report), no_reply_note(report)):
        if note:
            print(f"{note}\n")
    print(markdown_table(figures(report)))
    print(f"\nwritten to {display_path(args.out)}")
    return 1 if has_errors(report) else 0


if __name__ == "__main__":
    sys.exit(main())
