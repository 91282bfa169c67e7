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

The real stack runs (harness.rasa.RasaStack: action server + Rasa server with
a freshly seeded shop store and tracker store in a temporary folder). The
figures go to stdout and into the ``Rasa assistant (REST channel)`` section of
the Markdown file (default docs/benchmarks.md); the rest of that file is kept.
The exit status is 1 when any message failed (the report says so too).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import aiohttp

from actions.store.seed import seed
from bench.machine import read_machine, settled
from bench.report import (
    Memory,
    Report,
    Training,
    command_line,
    display_path,
    figures,
    has_errors,
    markdown_table,
    notes,
    render_section,
    replace_section,
)
from bench.stats import Sample, summarize
from bot.launcher import RASA, ROOT, latest_model, rasa_env
from harness.rasa import RasaStack
from harness.resources import rss_bytes

DEFAULT_OUT = ROOT / "docs" / "benchmarks.md"

# One customer's session; each conversation starts at a different point of it.
SCRIPT: tuple[str, ...] = (
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


# --------------------------------------------------------------------------- pure: scripts


def conversation_script(index: int, length: int, script: Sequence[str] = SCRIPT) -> list[str]:
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


# --------------------------------------------------------------------------- I/O: model and store


def log(message: str) -> None:
    """Progress goes to stderr, so stdout carries only the results."""
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def train(out_dir: Path) -> Training:
    """Train a model from scratch into ``out_dir`` and time it (wall-clock).

    Raises:
        RuntimeError: If training fails or produces no model.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
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
                       messages: Sequence[str]) -> list[Sample]:
    """One customer's conversation: each message waits for the previous reply."""
    return [await send(session, endpoint, sender, message) for message in messages]


async def load_test(rasa_url: str, scripts: Sequence[Sequence[str]],
                    token: str = "") -> tuple[list[Sample], list[Sample], float]:
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
    headers = {"Authorization": f"Bearer {token}"} if token else {}  # bot.channels wants the server's token
    async with aiohttp.ClientSession(connector=connector, timeout=timeout, headers=headers) as session:
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


def measure(args: argparse.Namespace, workdir: Path) -> tuple[Training, Memory, list[Sample], list[Sample], float]:
    """Train (or reuse) a model, start the stack, take memory figures and run the load test."""
    training = reuse_model() if args.skip_training else train(workdir / "model")
    shop_db = workdir / "shop.sqlite3"
    seed_store(shop_db)
    stack = RasaStack(workdir=workdir, shop_db=shop_db, model=training.model)
    try:
        log("starting the action server and the Rasa server (loading the model takes a while)")
        stack.start()
        server_start, actions_start = rss_bytes(stack.server.pid), rss_bytes(stack.actions.pid)
        scripts = [conversation_script(i, args.messages_per_conversation) for i in range(args.conversations)]
        total = args.conversations * args.messages_per_conversation
        log(f"load test: {args.conversations} conversations × {args.messages_per_conversation} messages = {total}")
        warm_up, timed, elapsed = asyncio.run(load_test(stack.rasa_url, scripts, stack.token))
        memory = Memory(server_start, rss_bytes(stack.server.pid), actions_start, rss_bytes(stack.actions.pid))
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
        command=command_line("bench.rasa_rest", argv),
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


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point; returns the exit status (1 if any message failed)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    args = parse_args(argv)
    report = run(args, argv)
    write_section(args.out, render_section(report))
    print(f"\nRasa assistant (REST channel), {report.date}\n")
    for note in notes(report):
        print(f"{note}\n")
    print(markdown_table(figures(report)))
    print(f"\nwritten to {display_path(args.out)}")
    return 1 if has_errors(report) else 0


if __name__ == "__main__":
    sys.exit(main())
