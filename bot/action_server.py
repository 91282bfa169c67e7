"""The action server: rasa-sdk's app, answering only the Rasa server that holds the shared token.

``rasa run actions`` answers anyone who reaches its port, from any origin (CORS ``*``), with any
body rasa-sdk can read: a forged tracker with ``verified_customer_id`` set got that customer's
e-mail back. This wraps rasa-sdk's own app (``rasa_sdk.endpoint.create_app``) with a request
middleware: ``POST /webhook`` needs ``ACTION_SERVER_TOKEN`` as ``Authorization: Bearer`` (Rasa
sends it: ``headers:`` under ``action_endpoint`` in endpoints.yml; ``?token=`` also works) and a
JSON body; no CORS headers are sent, so no browser page may call it. ``/health`` stays open.
A second one puts back the events a call leaves out (``bot.action_events``: the Rasa servers send
each conversation's events once, then only the new ones).

    ACTION_SERVER_TOKEN=... python -m bot.action_server --port 5055
"""

from __future__ import annotations

import argparse
import hmac
import logging
import os
from typing import Any

from rasa_sdk import endpoint, utils
from sanic import Sanic, response

from bot.action_events import KEY, Receiver

logger = logging.getLogger(__name__)

OPEN_PATHS = frozenset({"/health"})


def refusal(path: str, method: str, content_type: str, supplied: str, token: str) -> tuple[int, str] | None:
    """Why a request is refused (status, message), or ``None`` (pure)."""
    if path in OPEN_PATHS:
        return None
    if not token or not hmac.compare_digest(supplied.encode(), token.encode()):
        return 401, "a valid action server token is required"
    if method == "POST" and content_type.split(";")[0].strip().lower() != "application/json":
        return 415, "the body must be application/json"
    return None


def create_app(token: str, actions: str = "actions") -> Sanic:
    """rasa-sdk's app for ``actions``, behind the token check (no CORS: browsers cannot call it)."""
    if not token:
        raise ValueError("ACTION_SERVER_TOKEN must be set: without it anyone could run actions on forged trackers")
    app = endpoint.create_app(actions, cors_origins=None)

    async def authenticate(request: Any) -> Any:
        supplied = request.args.get("token") or request.headers.get("Authorization", "").removeprefix("Bearer ")
        refused = refusal(request.path, request.method, request.headers.get("Content-Type", ""), supplied.strip(),
                          token)
        if refused:
            status, message = refused
            return response.json({"error": message}, status=status)
        return None

    receiver = Receiver()

    async def expand_events(request: Any) -> Any:
        """A call that sends only its new events (``bot.action_events``) gets the rest put back in front."""
        if request.method != "POST" or request.path != "/webhook" or request.headers.get("Content-Encoding"):
            return None
        try:
            body = request.json
        except Exception:  # noqa: BLE001 - rasa-sdk answers a body it cannot read itself
            return None
        if not isinstance(body, dict) or KEY not in body:
            return None
        full = receiver.expand(body)
        if full is None:
            return response.json({"error": "the events this call continues are not known here: send them all"},
                                 status=409)
        request.parsed_json = full
        return None

    app.register_middleware(authenticate, "request")
    app.register_middleware(expand_events, "request")
    return app


def main() -> None:
    """Parse ``--port`` (and ``--actions``), then serve on ``SANIC_HOST`` (default 127.0.0.1)."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, default=int(os.environ.get("ACTION_SERVER_PORT", "5055")))
    parser.add_argument("--actions", default="actions")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s - %(message)s")
    app = create_app(os.environ.get("ACTION_SERVER_TOKEN", ""), args.actions)
    host = os.environ.get("SANIC_HOST", "127.0.0.1")
    logger.info("action server on http://%s:%s (token required)", host, args.port)
    app.run(host, args.port, workers=utils.number_of_sanic_workers(), access_log=False)


if __name__ == "__main__":
    main()
