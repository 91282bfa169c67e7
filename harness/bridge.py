"""``BridgeServer``: the handoff bridge (``python -m handoff``) as its own process, and agent accounts for it.

Standard library plus ``bot.launcher`` only: both Python environments import it (the
bridge itself runs in the bridge environment: ``python``, this interpreter by default).
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

from bot.launcher import ROOT, http_json
from harness.ports import HOST, free_port, http_status
from harness.processes import Process

BRIDGE_PYTHON = Path(os.environ.get("BRIDGE_VENV", ROOT / ".venv-bridge")) / "bin" / "python"
DEFAULT_AGENTS = ROOT / "handoff" / "agents.example.json"
# Settings a developer's shell may export that would change what the bridge does under test.
BRIDGE_TUNING = ("RASA_TIMEOUT_S", "AGENT_GRACE_S", "MAX_WAIT_S", "AUTO_ASSIGN", "BRIDGE_CORS_ORIGINS")


class BridgeServer(Process):
    """One bridge on loopback in front of ``rasa_urls``, its state in ``redis_url``; restarts keep its port.

    Ready when ``wait_for`` holds: ``"health"`` (``/health`` answers and Redis answers it; Rasa
    may be down) or ``"ready"`` (``/ready``: Redis and a Rasa server answer, not draining).
    ``redis_password`` (``REDIS_PASSWORD``): Redis's, when ``redis_url`` has none.
    ``env`` adds to (or overrides) the bridge's settings, e.g. ``BRIDGE_ID`` or ``LOG_FORMAT``.
    """

    def __init__(self, log: Path, redis_url: str, rasa_urls: str | Sequence[str], secret: str, *,
                 name: str = "bridge", port: int = 0, rasa_token: str = "", redis_password: str = "",
                 agents_file: Path = DEFAULT_AGENTS, python: str = sys.executable,
                 env: Mapping[str, str] | None = None, wait_for: str = "health", start_timeout_s: float = 60.0) -> None:
        if wait_for not in ("health", "ready"):
            raise ValueError(f"wait_for is health or ready, not {wait_for!r}")
        urls = [rasa_urls] if isinstance(rasa_urls, str) else list(rasa_urls)
        self.port = port or free_port()
        self.redis_url, self.secret = redis_url, secret
        values = {k: v for k, v in os.environ.items() if k not in BRIDGE_TUNING}  # the bridge's own defaults
        values.update(PYTHONPATH=str(ROOT), REDIS_URL=redis_url, BRIDGE_HOST=HOST, BRIDGE_PORT=str(self.port),
                      HANDOFF_SECRET=secret, RASA_URL=urls[0], RASA_URLS=",".join(urls), RASA_AUTH_TOKEN=rasa_token,
                      REDIS_PASSWORD=redis_password, AGENTS_FILE=str(agents_file))
        if Path(agents_file).resolve() == DEFAULT_AGENTS.resolve():
            values["BRIDGE_DEMO"] = "1"  # the example accounts: the bridge refuses them otherwise
        values.update(env or {})
        super().__init__(name, [python, "-m", "handoff"], values, log,
                         self._healthy if wait_for == "health" else self._ready, start_timeout_s=start_timeout_s)

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def _healthy(self) -> bool:
        try:
            return bool(http_json("GET", f"{self.url}/health", timeout=2).get("redis"))
        except (OSError, ValueError, AttributeError):
            return False

    def _ready(self) -> bool:
        status = http_status(f"{self.url}/ready")
        if status == 404:  # a bridge without /ready: alive and with Redis is the best we know
            return http_status(f"{self.url}/health") == 200
        return status == 200


def agent_id(index: int) -> str:
    """The id (and login name) of test or benchmark agent ``index``."""
    return f"bench-agent-{index:03d}"


def agent_accounts(count: int, capacity: int, password_hash: str) -> list[dict[str, object]]:
    """``count`` agent accounts for the bridge's AGENTS_FILE, all with one password hash."""
    return [{"id": agent_id(i), "name": f"Bench agent {i}", "password_hash": password_hash, "capacity": capacity}
            for i in range(count)]


def write_agents_file(folder: Path, count: int, capacity: int, password: str) -> Path:
    """Write an AGENTS_FILE of ``count`` agents, all with ``password``; returns its path."""
    from handoff.accounts import hash_password  # the bridge's environment only

    path = folder / "agents.json"
    path.write_text(json.dumps(agent_accounts(count, capacity, hash_password(password)), indent=1))
    return path
