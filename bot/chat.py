"""Chat with the running assistant from a terminal, over Rasa's REST channel.

    make chat                 # or: python -m bot.chat --url http://127.0.0.1:5005

Buttons are shown numbered; type the number to press one. Standard library
only, so it runs in any Python 3.8+.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import urllib.error
import urllib.request
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any


def token() -> str:
    """The Rasa server's token (its channel wants it): ``RASA_AUTH_TOKEN``, else ``var/rasa-auth-token``."""
    if os.environ.get("RASA_AUTH_TOKEN"):
        return os.environ["RASA_AUTH_TOKEN"]
    path = Path(__file__).resolve().parent.parent / "var" / "rasa-auth-token"
    return path.read_text().strip() if path.exists() else ""


def send(url: str, sender: str, message: str, timeout: float = 30.0, auth: str = "") -> list[dict[str, Any]]:
    """Post one message to the REST channel (``auth``: the server's token) and return the bot's replies."""
    body = json.dumps({"sender": sender, "message": message}).encode()
    headers = {"Content-Type": "application/json", **({"Authorization": f"Bearer {auth}"} if auth else {})}
    request = urllib.request.Request(f"{url.rstrip('/')}/webhooks/rest/webhook", data=body, headers=headers)
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return json.loads(response.read() or b"[]")


def render(replies: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Print replies; return the buttons of the last one (to press by number)."""
    buttons: list[dict[str, Any]] = []
    for reply in replies:
        if reply.get("text"):
            print(f"bot> {reply['text']}")
        if reply.get("image"):
            print(f"bot> [image] {reply['image']}")
        buttons = reply.get("buttons") or buttons
    for i, button in enumerate(buttons, 1):
        print(f"     [{i}] {button.get('title')}")
    return buttons


def main(argv: Sequence[str] | None = None) -> None:
    """Read lines from the terminal and chat until end of input."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    default_url = f"http://{os.environ.get('RASA_HOST', '127.0.0.1')}:{os.environ.get('RASA_PORT', '5005')}"
    parser.add_argument("--url", default=default_url, help=f"Rasa server (default {default_url})")
    parser.add_argument("--sender", default=f"shell-{uuid.uuid4().hex[:8]}", help="conversation id")
    args = parser.parse_args(argv)
    print(f"Talking to {args.url} as {args.sender}. Ctrl-D to quit.")
    buttons: list[dict[str, Any]] = []
    auth = token()
    for line in sys.stdin:
        text = line.strip()
        if text.isdigit() and 0 < int(text) <= len(buttons):
            text = buttons[int(text) - 1]["payload"]
        if not text:
            continue
        try:
            buttons = render(send(args.url, args.sender, text, auth=auth))
        except (urllib.error.URLError, OSError) as e:
            print(f"error: cannot reach the assistant at {args.url} ({e}). Is `make run` running?")


if __name__ == "__main__":
    main()
