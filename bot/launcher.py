"""Start and drive the Rasa side's real processes: Rasa CLI, action server, Rasa server.

Used by the test suites and the benchmarks, so they run exactly what `make run` runs.
Standard library only: both Python environments import it.
"""

from __future__ import annotations

import os
import random
import secrets
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Tuple

import json
import urllib.error
import urllib.request

ROOT = Path(__file__).resolve().parents[1]
# The Rasa CLI of the Rasa environment: the interpreter's own when this runs
# inside it, else the one in RASA_VENV (default .venv-rasa), so the bridge's
# tests (another environment) can start the same processes.
_HERE = Path(sys.executable).parent / "rasa"
RASA = str(_HERE if _HERE.exists() else Path(os.environ.get("RASA_VENV", ROOT / ".venv-rasa")) / "bin" / "rasa")


def http_json(method: str, url: str, body: Any = None, timeout: float = 60) -> Any:
    """Send a JSON request with the standard library; return the decoded JSON answer."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        raw = response.read()
    return json.loads(raw) if raw else None


def rasa_env() -> Dict[str, str]:
    """The environment Rasa runs in: no telemetry, quiet TensorFlow."""
    env = dict(os.environ)
    env.update(RASA_TELEMETRY_ENABLED="false", TF_CPP_MIN_LOG_LEVEL="2", PYTHONPATH=str(ROOT),
               SQLALCHEMY_SILENCE_UBER_WARNING="1")
    return env


def rasa(*args: str, timeout: float = 900) -> subprocess.CompletedProcess:
    """Run ``rasa ARGS`` in the project root; return the finished process (output captured)."""
    return subprocess.run(
        [RASA, *args], cwd=ROOT, env=rasa_env(), capture_output=True, text=True, timeout=timeout
    )


def latest_model(folder: Path = ROOT / "models") -> Path:
    """The newest trained model in ``folder``."""
    models: List[Path] = sorted(folder.glob("*.tar.gz"), key=lambda p: p.stat().st_mtime)
    if not models:
        raise RuntimeError(f"no trained model in {folder}: run `make train` (or `make test`, which trains)")
    return models[-1]


def ephemeral_range(path: Path = Path("/proc/sys/net/ipv4/ip_local_port_range")) -> Tuple[int, int]:
    """The ports the kernel hands out as source ports of outgoing connections (Linux's default if unknown)."""
    try:
        low, high = (int(part) for part in path.read_text().split())
        return low, high
    except (OSError, ValueError):
        return 32768, 60999


def free_port(lowest: int = 20000) -> int:
    """A TCP port on loopback that nothing listens on right now, outside the ephemeral range.

    A port the kernel picked with ``bind(0)`` comes from the ephemeral range, which every
    outgoing connection also draws its source port from: a server that binds it only
    after loading (Rasa binds after its model is loaded, half a minute later) can find it
    taken by a client's connection meanwhile ("address already in use"). A port below
    that range is never handed out by the kernel, only by us.
    """
    low, high = ephemeral_range()
    candidates = range(lowest, low) if low - lowest >= 1000 else range(high + 1, 65536)
    for _ in range(200):
        port = random.choice(candidates)
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free loopback port in {candidates.start}-{candidates.stop - 1}")


def wait_until_up(url: str, process: subprocess.Popen, log: Path, timeout: float = 240) -> None:
    """Poll ``url`` until it answers 200; fail early if the process died."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args[:3]} exited with {process.returncode}:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.5)
    raise RuntimeError(f"{url} did not come up in {timeout}s:\n{log.read_text()[-3000:]}")


@dataclass
class RasaStack:
    """A running action server and Rasa server with their own shop store and tracker store."""

    workdir: Path
    shop_db: Path
    rasa_url: str = ""
    token: str = field(default_factory=lambda: secrets.token_urlsafe(16))
    model: Path = field(default_factory=latest_model)
    extra_env: Dict[str, str] = field(default_factory=dict)
    processes: List[subprocess.Popen] = field(default_factory=list)

    def start(self) -> "RasaStack":
        """Start both servers and wait until they answer."""
        action_port, rasa_port = free_port(), free_port()
        env = rasa_env()
        env.update(
            SHOP_DB_URL=f"sqlite+aiosqlite:///{self.shop_db}",
            SANIC_HOST="127.0.0.1",
            ACTION_SERVER_HOST="127.0.0.1",
            ACTION_SERVER_PORT=str(action_port),
            TRACKER_DB=str(self.workdir / "trackers.sqlite3"),
        )
        env.update(self.extra_env)
        action_log, rasa_log = self.workdir / "action-server.log", self.workdir / "rasa-server.log"
        actions = self._spawn([RASA, "run", "actions", "--actions", "actions", "--port", str(action_port)], env, action_log)
        server = self._spawn(
            [RASA, "run", "--enable-api", "--auth-token", self.token, "--interface", "127.0.0.1",
             "--port", str(rasa_port), "--model", str(self.model), "--endpoints", "endpoints.yml",
             "--credentials", "credentials.yml"],
            env, rasa_log,
        )
        wait_until_up(f"http://127.0.0.1:{action_port}/health", actions, action_log)
        self.rasa_url = f"http://127.0.0.1:{rasa_port}"
        wait_until_up(f"{self.rasa_url}/status?token={self.token}", server, rasa_log)
        return self

    def _spawn(self, args: List[str], env: Dict[str, str], log: Path) -> subprocess.Popen:
        process = subprocess.Popen(args, cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)
        self.processes.append(process)
        return process

    def stop(self) -> None:
        """Terminate both servers."""
        for process in self.processes:
            process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()

    @property
    def server_pid(self) -> int:
        """Process id of the Rasa server."""
        return self.processes[1].pid

    def alive(self) -> bool:
        """Whether both servers are still running."""
        return all(p.poll() is None for p in self.processes)

    def say(self, sender: str, message: str, timeout: float = 60) -> List[Dict[str, Any]]:
        """Send one customer message over the REST channel; return the replies."""
        return http_json("POST", f"{self.rasa_url}/webhooks/rest/webhook",
                         {"sender": sender, "message": message}, timeout) or []

    def tracker(self, sender: str) -> Dict[str, Any]:
        """The conversation's tracker from Rasa's HTTP API."""
        return http_json("GET", f"{self.rasa_url}/conversations/{sender}/tracker?token={self.token}", timeout=30)
