"""``Process``: the one supervisor of every server the tests, the benchmarks and the local cluster run.

A ``Process`` knows its command, its environment, how to tell that it is ready and where
its log goes (appended across restarts, each start headed by a line). It starts (and waits
until ready, or fails with the end of its log), stops (SIGTERM, then SIGKILL after a grace
time), is killed, restarts on the same command and port, and tells its pid and RSS.
Standard library only: both Python environments import it.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from bot.launcher import ROOT
from harness.resources import raise_nofile_limit, rss_bytes

Check = Callable[[], bool]


def tail(path: Path, chars: int = 2000) -> str:
    """The end of a log file, or a note that there is none."""
    try:
        return path.read_text(errors="replace")[-chars:]
    except OSError:
        return f"(no {path.name})"


P = TypeVar("P", bound="Process")


@dataclass(eq=False)
class Process:
    """One server: how to start it, how to tell it is ready, its log (appended across restarts).

    ``own_session``: the process gets a session of its own, so a Ctrl-C in the terminal
    reaches only the supervising program, which then stops everything in order.
    """

    name: str
    args: list[str]
    env: dict[str, str]
    log: Path
    ready: Check
    start_timeout_s: float = 60.0
    own_session: bool = False
    popen: subprocess.Popen[bytes] | None = None
    starts: int = 0

    def spawn(self) -> None:
        """Start the process (not waiting for it). The open-files limit is raised to the hard limit."""
        self.log.parent.mkdir(parents=True, exist_ok=True)
        with self.log.open("a") as output:
            output.write(f"=== {time.strftime('%Y-%m-%d %H:%M:%S')} start #{self.starts + 1}: {' '.join(self.args)}\n")
            output.flush()
            self.popen = subprocess.Popen(self.args, cwd=ROOT, env=self.env, stdout=output,
                                          stderr=subprocess.STDOUT, preexec_fn=raise_nofile_limit,
                                          start_new_session=self.own_session)
        self.starts += 1

    def wait_ready(self, timeout_s: float | None = None) -> None:
        """Return once ``ready()`` holds; raise (with the log's end) if the process exits or time runs out."""
        limit = self.start_timeout_s if timeout_s is None else timeout_s
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            if self.popen is None or self.popen.poll() is not None:
                code = None if self.popen is None else self.popen.returncode
                raise RuntimeError(f"{self.name} exited with {code}:\n{self.tail()}")
            if self.ready():
                return
            time.sleep(0.2)
        raise RuntimeError(f"{self.name} was not ready within {limit:.0f} s:\n{self.tail()}")

    def start(self: P, timeout_s: float | None = None) -> P:
        """Start and wait until ready (returns the process itself, of its own class)."""
        self.spawn()
        self.wait_ready(timeout_s)
        return self

    def send_signal(self, sig: int = signal.SIGTERM) -> None:
        """Send ``sig`` if the process runs; do not wait."""
        if self.alive():
            assert self.popen is not None
            self.popen.send_signal(sig)

    def stop(self, timeout_s: float = 20.0, sig: int = signal.SIGTERM) -> None:
        """Ask it to stop (``sig``); SIGKILL if it has not exited within ``timeout_s``. Safe to call twice."""
        self.send_signal(sig)
        self.wait_or_kill(timeout_s)

    def wait_or_kill(self, timeout_s: float) -> None:
        """Wait for it to exit; SIGKILL if it has not within ``timeout_s``."""
        if not self.alive():
            return
        assert self.popen is not None
        try:
            self.popen.wait(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            self.kill()

    def kill(self) -> None:
        """SIGKILL: no goodbye."""
        if self.alive():
            assert self.popen is not None
            self.popen.kill()
            self.popen.wait(timeout=30)

    def restart(self, timeout_s: float | None = None, stop_timeout_s: float = 30.0) -> None:
        """Stop (SIGTERM) and start again with the same command; returns once it is ready."""
        self.stop(timeout_s=stop_timeout_s)
        self.start(timeout_s)

    def alive(self) -> bool:
        """Whether the process runs now."""
        return self.popen is not None and self.popen.poll() is None

    @property
    def pid(self) -> int | None:
        """Its process id while it runs, else ``None``."""
        return self.popen.pid if self.alive() and self.popen is not None else None

    def rss(self) -> int:
        """Its resident set size in bytes (0 when it is not running)."""
        pid = self.pid
        try:
            return rss_bytes(pid) if pid is not None else 0
        except (OSError, KeyError):
            return 0

    def tail(self, chars: int = 2000) -> str:
        """The end of its log."""
        return tail(self.log, chars)


def stop_all(services: Iterable[object], timeout_s: float = 20.0) -> None:
    """Stop each service (anything with ``stop(timeout_s=...)``) in the order given; one failing stop
    does not skip the others."""
    for service in services:
        try:
            service.stop(timeout_s=timeout_s)  # type: ignore[attr-defined]
        except Exception as e:  # noqa: BLE001 - keep stopping the rest
            name = getattr(service, "name", service.__class__.__name__)
            print(f"[harness] could not stop {name}: {e}", file=sys.stderr, flush=True)


def stop_together(processes: Iterable[Process], timeout_s: float = 20.0) -> None:
    """SIGTERM to every process at once, then wait for each (SIGKILL after ``timeout_s``)."""
    running = list(processes)
    for process in running:
        process.send_signal()
    for process in running:
        process.wait_or_kill(timeout_s)
