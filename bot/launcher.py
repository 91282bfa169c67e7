"""Run the Rasa CLI of the Rasa environment: ``rasa``, its environment, the newest model, a JSON request.

The trainer's tool (``bot/trainer``) and the NLU report use it; the servers the tests,
benchmarks and local cluster start are in ``harness/``. Standard library only: both
Python environments import it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
# The Rasa CLI of the Rasa environment: the interpreter's own when this runs
# inside it, else the one in RASA_VENV (default .venv-rasa), so the bridge's
# tests (another environment) can start the same processes.
_HERE = Path(sys.executable).parent / "rasa"
RASA = str(_HERE if _HERE.exists() else Path(os.environ.get("RASA_VENV", ROOT / ".venv-rasa")) / "bin" / "rasa")
RASA_PYTHON = str(Path(RASA).parent / "python")  # runs bot.serve and bot.action_server


def http_json(method: str, url: str, body: Any = None, timeout: float = 60, token: str = "") -> Any:
    """Send a JSON request with the standard library (``token``: as ``Authorization: Bearer``);
    return the decoded JSON answer."""
    data = None if body is None else json.dumps(body).encode()
    headers = {"Content-Type": "application/json", **({"Authorization": f"Bearer {token}"} if token else {})}
    request = urllib.request.Request(url, data=data, method=method, headers=headers)
    with urllib.request.urlopen(request, timeout=timeout) as response:
        raw = response.read()
    return json.loads(raw) if raw else None


def rasa_env() -> dict[str, str]:
    """The environment Rasa runs in: no telemetry, quiet TensorFlow."""
    env = dict(os.environ)
    env.update(RASA_TELEMETRY_ENABLED="false", TF_CPP_MIN_LOG_LEVEL="2", PYTHONPATH=str(ROOT),
               SQLALCHEMY_SILENCE_UBER_WARNING="1")
    return env


def rasa(*args: str, timeout: float = 900) -> subprocess.CompletedProcess[str]:
    """Run ``rasa ARGS`` in the project root; return the finished process (output captured)."""
    return subprocess.run(
        [RASA, *args], cwd=ROOT, env=rasa_env(), capture_output=True, text=True, timeout=timeout
    )


def latest_model(folder: Path = ROOT / "models") -> Path:
    """The newest trained model in ``folder``."""
    models: list[Path] = sorted(folder.glob("*.tar.gz"), key=lambda p: p.stat().st_mtime)
    if not models:
        raise RuntimeError(f"no trained model in {folder}: run `make train` (or `make test`, which trains)")
    return models[-1]
