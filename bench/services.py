"""The real processes the bridge benchmark runs: Rasa (REST + socketio channels), Redis, the bridge.

Standard library plus ``bot.launcher`` only, so the bridge's environment imports it; Rasa's
processes run from the Rasa environment (``bot.launcher.RASA``). Every class here has a
``stop()`` that is safe to call twice and after a failed start.
"""

from __future__ import annotations

import json
import os
import resource
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional, Sequence

from bot.launcher import RASA, ROOT, RasaStack, free_port, http_json, rasa_env

# Rasa's own socketio channel next to the REST channel the bridge uses. session_persistence
# stays off: the conversation is the socket (Rasa 3.6 does not await enter_room when it is on).
CREDENTIALS = """\
rest:
socketio:
  user_message_evt: user_uttered
  bot_message_evt: bot_uttered
  session_persistence: false
"""
NOFILE_CEILING = 1 << 20  # when the hard limit is "unlimited"
# Settings a developer's shell may export that would change what the bridge does under test.
BRIDGE_TUNING = ("RASA_TIMEOUT_S", "AGENT_GRACE_S", "MAX_WAIT_S", "AUTO_ASSIGN", "BRIDGE_CORS_ORIGINS")


# --------------------------------------------------------------------------- limits and files


def raise_nofile_limit() -> int:
    """Raise this process's soft RLIMIT_NOFILE to its hard limit; return the soft limit now in force."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = NOFILE_CEILING if hard == resource.RLIM_INFINITY else hard
    if target > soft:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
        except (ValueError, OSError):
            pass
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


def nofile_limits() -> tuple:
    """(soft, hard) RLIMIT_NOFILE of this process."""
    return resource.getrlimit(resource.RLIMIT_NOFILE)


def write_credentials(folder: Path) -> Path:
    """A credentials file with the REST and socketio channels; returns its path."""
    path = folder / "credentials.yml"
    path.write_text(CREDENTIALS)
    return path


def agent_accounts(count: int, capacity: int, password_hash: str) -> List[Dict[str, object]]:
    """``count`` agent accounts for the bridge's AGENTS_FILE, all with one password hash."""
    return [{"id": agent_id(i), "name": f"Bench agent {i}", "password_hash": password_hash, "capacity": capacity}
            for i in range(count)]


def agent_id(index: int) -> str:
    """The id (and login name) of benchmark agent ``index``."""
    return f"bench-agent-{index:03d}"


def write_agents_file(folder: Path, count: int, capacity: int, password: str) -> Path:
    """Write an AGENTS_FILE of ``count`` agents; returns its path."""
    from handoff.accounts import hash_password  # the bridge's environment only

    path = folder / "agents.json"
    path.write_text(json.dumps(agent_accounts(count, capacity, hash_password(password)), indent=1))
    return path


def seed_shop(db_path: Path, log: Path) -> None:
    """Create and fill a shop store with the Rasa environment's seeder (a subprocess)."""
    python = str(Path(RASA).parent / "python")
    with log.open("w") as output:
        result = subprocess.run([python, "-m", "actions.store.seed", "--db-url", f"sqlite+aiosqlite:///{db_path}"],
                                cwd=ROOT, env=rasa_env(), stdout=output, stderr=subprocess.STDOUT, timeout=300)
    if result.returncode != 0:
        raise RuntimeError(f"seeding the shop store failed ({result.returncode}):\n{log.read_text()[-2000:]}")


def tail(path: Path, chars: int = 2000) -> str:
    """The end of a log file, or a note that there is none."""
    try:
        return path.read_text(errors="replace")[-chars:]
    except OSError:
        return f"(no {path.name})"


def rss_bytes(pid: int) -> int:
    """VmRSS of process ``pid`` in bytes (0 if it is gone)."""
    from bench.machine import kib_field

    try:
        return kib_field(Path(f"/proc/{pid}/status").read_text(), "VmRSS")
    except (OSError, KeyError):
        return 0


def cpu_ticks(stat: str) -> int:
    """utime + stime (clock ticks, all threads) from the text of /proc/PID/stat."""
    fields = stat[stat.rindex(")") + 2:].split()  # the command name may hold spaces and parentheses
    return int(fields[11]) + int(fields[12])


def cpu_seconds(pid: int) -> float:
    """CPU time process ``pid`` has used so far, user + system (0.0 if it is gone)."""
    try:
        return cpu_ticks(Path(f"/proc/{pid}/stat").read_text()) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return 0.0


def _stop(process: Optional[subprocess.Popen], timeout: float = 15) -> None:
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=timeout)


def _wait_for_port(port: int, process: subprocess.Popen, what: str, log: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{what} exited with {process.returncode}:\n{tail(log)}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"{what} did not listen on {port} within {timeout:.0f} s:\n{tail(log)}")


# --------------------------------------------------------------------------- the processes


@dataclass
class SocketRasaStack(RasaStack):
    """``bot.launcher.RasaStack`` started with another credentials file (REST + socketio)."""

    credentials: Path = ROOT / "credentials.yml"

    def _spawn(self, args: List[str], env: Dict[str, str], log: Path) -> subprocess.Popen:
        if "--credentials" in args:
            at = args.index("--credentials") + 1
            args = [*args[:at], str(self.credentials), *args[at + 1:]]
        return super()._spawn(args, env, log)

    def version(self) -> str:
        """Rasa's version as the running server reports it."""
        try:
            return str(http_json("GET", f"{self.rasa_url}/version", timeout=10).get("version", "unknown"))
        except (OSError, ValueError, AttributeError):
            return "unknown"

    def stop(self) -> None:
        for process in self.processes:
            _stop(process, timeout=20)


@dataclass
class RedisServer:
    """A throw-away redis-server on loopback: no persistence."""

    workdir: Path
    port: int = field(default_factory=free_port)
    process: Optional[subprocess.Popen] = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    @property
    def log(self) -> Path:
        return self.workdir / "redis.log"

    def start(self) -> "RedisServer":
        from handoff.redis_server import redis_server_binary  # the bridge's environment only

        self.process = subprocess.Popen(
            [redis_server_binary(), "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.workdir), "--protected-mode", "yes"],
            stdout=self.log.open("w"), stderr=subprocess.STDOUT, preexec_fn=raise_nofile_limit)
        _wait_for_port(self.port, self.process, "redis-server", self.log, timeout=15)
        return self

    def stop(self) -> None:
        _stop(self.process)


@dataclass
class BridgeServer:
    """``python -m handoff`` (this interpreter) as its own process, with a raised fd limit."""

    workdir: Path
    name: str
    redis_url: str
    rasa_url: str
    rasa_token: str
    secret: str
    agents_file: Path
    port: int = field(default_factory=free_port)
    process: Optional[subprocess.Popen] = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def log(self) -> Path:
        return self.workdir / f"{self.name}.log"

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def env(self) -> Dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in BRIDGE_TUNING}  # the bridge's own defaults
        env.update(PYTHONPATH=str(ROOT), REDIS_URL=self.redis_url, BRIDGE_HOST="127.0.0.1", BRIDGE_PORT=str(self.port),
                   HANDOFF_SECRET=self.secret, RASA_URL=self.rasa_url, RASA_AUTH_TOKEN=self.rasa_token,
                   AGENTS_FILE=str(self.agents_file), AUTO_ASSIGN="false")
        return env

    def start(self, timeout: float = 60) -> "BridgeServer":
        self.process = subprocess.Popen([sys.executable, "-m", "handoff"], cwd=ROOT, env=self.env(),
                                        stdout=self.log.open("w"), stderr=subprocess.STDOUT,
                                        preexec_fn=raise_nofile_limit)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the bridge exited with {self.process.returncode}:\n{tail(self.log)}")
            try:
                if http_json("GET", f"{self.url}/health", timeout=2).get("redis"):
                    return self
            except (OSError, ValueError, AttributeError):
                pass
            time.sleep(0.1)
        raise RuntimeError(f"the bridge did not come up in {timeout:.0f} s:\n{tail(self.log)}")

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def rss(self) -> int:
        return rss_bytes(self.pid) if self.alive() else 0

    def stop(self) -> None:
        _stop(self.process)


def stop_all(services: Sequence[object]) -> None:
    """Stop every started service, newest first; one failing stop does not skip the others."""
    for service in reversed(list(services)):
        try:
            service.stop()  # type: ignore[attr-defined]
        except Exception as e:  # noqa: BLE001 - keep stopping the rest
            print(f"[bench] could not stop {service.__class__.__name__}: {e}", file=sys.stderr, flush=True)
