"""Loading a model into the running Rasa server (its HTTP API), without restarting it."""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from bot.launcher import ROOT


class ServerError(RuntimeError):
    """The Rasa server could not be reached or refused the model."""


def server_url(explicit: str | None = None) -> str:
    """``--rasa-url``, else ``RASA_URL``, else ``http://RASA_HOST:RASA_PORT`` (127.0.0.1:5005)."""
    return (explicit or os.environ.get("RASA_URL")
            or f"http://{os.environ.get('RASA_HOST', '127.0.0.1')}:{os.environ.get('RASA_PORT', '5005')}")


def server_token(explicit: str | None = None) -> str:
    """``--token``, else ``RASA_AUTH_TOKEN``, else the token ``make run`` keeps in ``var/rasa-auth-token``."""
    if explicit or os.environ.get("RASA_AUTH_TOKEN"):
        return str(explicit or os.environ["RASA_AUTH_TOKEN"])
    path = ROOT / "var" / "rasa-auth-token"
    if path.exists():
        return path.read_text().strip()
    raise ServerError("no token for Rasa's HTTP API: pass --token or set RASA_AUTH_TOKEN")


def _request(method: str, url: str, body: dict[str, Any] | None = None, timeout: float = 300) -> Any:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            raw = response.read()
    except urllib.error.HTTPError as e:
        raise ServerError(f"{method} {url.split('?')[0]}: HTTP {e.code} {e.read()[:500]!r}") from e
    except (urllib.error.URLError, OSError) as e:
        raise ServerError(f"cannot reach the Rasa server at {url.split('?')[0]}: {e}") from e
    return json.loads(raw) if raw else None


def load_model(model: Path, url: str, token: str) -> str:
    """Replace the running server's model (``PUT /model``); return the model file it reports afterwards."""
    _request("PUT", f"{url}/model?token={token}", {"model_file": str(model.resolve())})
    status = _request("GET", f"{url}/status?token={token}", timeout=30) or {}
    loaded = str(status.get("model_file") or "")
    if Path(loaded).name != model.name:
        raise ServerError(f"the server reports {loaded!r} after loading {model}")
    return loaded
