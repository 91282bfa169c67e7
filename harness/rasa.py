"""The Rasa side as processes: action servers, Rasa servers and ``RasaStack`` (one of each).

The processes run from the Rasa environment (``bot.launcher.RASA``) whichever environment
starts them. Standard library plus ``bot.launcher`` only: both Python environments import it.
"""

from __future__ import annotations

import secrets
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.launcher import RASA_PYTHON, ROOT, http_json, latest_model, rasa_env
from harness.ports import HOST, free_port, http_status
from harness.processes import Process, stop_together, tail

# Rasa's own socketio channel next to the REST channel the bridge uses. session_persistence
# stays off: the conversation is the socket (Rasa 3.6 does not await enter_room when it is on).
SOCKETIO_CREDENTIALS = """\
bot.channels.StreamingRestInput:
socketio:
  user_message_evt: user_uttered
  bot_message_evt: bot_uttered
  session_persistence: false
"""


def sqlite_url(path: Path, asynchronous: bool = False) -> str:
    """SQLAlchemy URL of the SQLite file ``path`` (``asynchronous``: aiosqlite, as the shop store uses)."""
    return f"sqlite{'+aiosqlite' if asynchronous else ''}:///{path}"


def stack_env(action_port: int, tracker: Path | str, shop: Path | str, action_token: str,
              extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment of an action server and the Rasa servers that call it: loopback, their stores,
    the token the Rasa servers show the action server (endpoints.yml).

    ``tracker``/``shop``: the stores' SQLAlchemy URLs, or SQLite files (the embedded default).
    """
    env = rasa_env()
    env.update(SANIC_HOST=HOST, ACTION_SERVER_HOST=HOST, ACTION_SERVER_PORT=str(action_port),
               TRACKER_DB_URL=tracker if isinstance(tracker, str) else sqlite_url(tracker),
               SHOP_DB_URL=shop if isinstance(shop, str) else sqlite_url(shop, asynchronous=True),
               ACTION_SERVER_TOKEN=action_token)
    env.update(extra or {})
    return env


def action_server(port: int, env: dict[str, str], log: Path, *, name: str = "actions",
                  start_timeout_s: float = 180.0) -> Process:
    """rasa-sdk's action server behind its token (``bot.action_server``) on ``port``; ready when
    ``/health`` answers 200."""
    args = [str(RASA_PYTHON), "-m", "bot.action_server", "--actions", "actions", "--port", str(port)]
    return Process(name, args, env, log, lambda: http_status(f"http://{HOST}:{port}/health") == 200,
                   start_timeout_s=start_timeout_s)


def rasa_server(port: int, model: Path, env: dict[str, str], log: Path, *, name: str = "rasa",
                token: str | None = None, endpoints: Path = ROOT / "endpoints.yml",
                credentials: Path | None = ROOT / "credentials.yml", start_timeout_s: float = 360.0) -> Process:
    """``rasa run --enable-api`` with ``model`` on ``port``; ready when ``/status`` answers 200 (model loaded).

    ``token``: the HTTP API's auth token (none: an open API); ``credentials``: the channels (none: REST only).
    """
    # bot.serve: the token reaches Rasa through the environment, never the command line (``ps``).
    args = [str(RASA_PYTHON), "-m", "bot.serve", "--enable-api", "--interface", HOST,
            "--port", str(port), "--model", str(model), "--endpoints", str(endpoints),
            *(["--credentials", str(credentials)] if credentials else [])]
    env = {**env, "RASA_AUTH_TOKEN": token or ""}
    status = f"http://{HOST}:{port}/status" + (f"?token={token}" if token else "")
    return Process(name, args, env, log, lambda: http_status(status) == 200, start_timeout_s=start_timeout_s)


def seed_shop(shop: Path | str, log: Path) -> None:
    """Migrate and fill a shop store (an async driver's URL, or an SQLite file) with the Rasa
    environment's seeder (a subprocess)."""
    url = shop if isinstance(shop, str) else sqlite_url(shop, asynchronous=True)
    with log.open("w") as output:
        result = subprocess.run([str(RASA_PYTHON), "-m", "actions.store.seed", "--db-url", url], cwd=ROOT, env=rasa_env(), stdout=output,
                                stderr=subprocess.STDOUT, timeout=300)
    if result.returncode != 0:
        raise RuntimeError(f"seeding the shop store failed ({result.returncode}):\n{tail(log)}")


def write_socketio_credentials(folder: Path) -> Path:
    """A credentials file with the REST and socketio channels; returns its path."""
    path = folder / "credentials.yml"
    path.write_text(SOCKETIO_CREDENTIALS)
    return path


@dataclass
class RasaStack:
    """A running action server and Rasa server with their own shop store and tracker store.

    ``shop_db``: the shop store (an SQLite file, or an async driver's URL), seeded by the caller;
    ``tracker_url``: the tracker store (default: the SQLite file ``trackers.sqlite3`` in ``workdir``).
    """

    workdir: Path
    shop_db: Path | str
    tracker_url: str = ""
    rasa_url: str = ""
    token: str = field(default_factory=lambda: secrets.token_urlsafe(16))
    action_token: str = field(default_factory=lambda: secrets.token_urlsafe(16))
    action_url: str = ""
    model: Path = field(default_factory=latest_model)
    extra_env: dict[str, str] = field(default_factory=dict)
    credentials: Path = ROOT / "credentials.yml"
    start_timeout_s: float = 240.0
    processes: list[Process] = field(default_factory=list)

    def start(self) -> RasaStack:
        """Start both servers and wait until they answer."""
        action_port, rasa_port = free_port(), free_port()
        self.tracker_url = self.tracker_url or sqlite_url(self.workdir / "trackers.sqlite3")
        env = stack_env(action_port, self.tracker_url, self.shop_db, self.action_token, self.extra_env)
        self.action_url = f"http://{HOST}:{action_port}"
        self.processes = [
            action_server(action_port, env, self.workdir / "action-server.log", start_timeout_s=self.start_timeout_s),
            rasa_server(rasa_port, self.model, env, self.workdir / "rasa-server.log", token=self.token,
                        credentials=self.credentials, start_timeout_s=self.start_timeout_s)]
        for process in self.processes:
            process.spawn()
        self.actions.wait_ready()
        self.rasa_url = f"http://{HOST}:{rasa_port}"
        self.server.wait_ready()
        return self

    @property
    def actions(self) -> Process:
        """The action server."""
        return self.processes[0]

    @property
    def server(self) -> Process:
        """The Rasa server."""
        return self.processes[1]

    def stop(self, timeout_s: float = 20.0) -> None:
        """Terminate both servers (SIGKILL after ``timeout_s``). Safe to call twice and after a failed start."""
        stop_together(self.processes, timeout_s)

    def alive(self) -> bool:
        """Whether both servers are still running."""
        return all(p.alive() for p in self.processes)

    def say(self, sender: str, message: str, timeout: float = 60) -> list[dict[str, Any]]:
        """Send one customer message over the REST channel; return the replies."""
        return http_json("POST", f"{self.rasa_url}/webhooks/rest/webhook",
                         {"sender": sender, "message": message}, timeout, token=self.token) or []

    def tracker(self, sender: str) -> dict[str, Any]:
        """The conversation's tracker from Rasa's HTTP API."""
        tracker: dict[str, Any] = http_json(
            "GET", f"{self.rasa_url}/conversations/{sender}/tracker?token={self.token}", timeout=30)
        return tracker

    def version(self) -> str:
        """Rasa's version as the running server reports it."""
        try:
            return str(http_json("GET", f"{self.rasa_url}/version", timeout=10).get("version", "unknown"))
        except (OSError, ValueError, AttributeError):
            return "unknown"
