"""``rasa run`` with its API token from the environment, never on the command line.

``rasa run --auth-token X`` shows the token to anyone on the host (``ps``, ``/proc/*/cmdline``).
This launcher reads ``RASA_AUTH_TOKEN`` (or the file named by ``RASA_AUTH_TOKEN_FILE``) and hands
it to Rasa's own command line parser inside the process, so the process's arguments never hold it:

    python -m bot.serve --enable-api --port 5005 --model models ...   # any ``rasa run`` options

The same token guards the bridge's channel (``bot.channels``).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path


def auth_token(env: dict[str, str] | None = None) -> str:
    """``RASA_AUTH_TOKEN``, else the first line of ``RASA_AUTH_TOKEN_FILE``, else ``""`` (an open API)."""
    env = dict(os.environ) if env is None else env
    if env.get("RASA_AUTH_TOKEN"):
        return env["RASA_AUTH_TOKEN"].strip()
    path = env.get("RASA_AUTH_TOKEN_FILE")
    return Path(path).read_text().strip() if path else ""


def main(argv: list[str]) -> None:
    """Run ``rasa run ARGV`` with the token added in-process."""
    if any(a == "--auth-token" or a.startswith("--auth-token=") for a in argv):
        sys.exit("bot.serve: pass the token as RASA_AUTH_TOKEN or RASA_AUTH_TOKEN_FILE, not on the command line")
    token = auth_token()
    if token:
        os.environ["RASA_AUTH_TOKEN"] = token  # the channel reads it too
    # "--auth-token=T", one word: a token that starts with "-" (token_urlsafe makes one in 64) would
    # otherwise be read as an option and leave --auth-token without its value.
    sys.argv = ["rasa", "run", *argv, *([f"--auth-token={token}"] if token else [])]
    from rasa.__main__ import main as rasa_main

    from bot import action_events, dialogue_history

    # Each turn reads, and sends the action server, only what the conversation gained (docs/benchmarks.md).
    dialogue_history.install()
    action_events.install()
    rasa_main()


if __name__ == "__main__":
    main(sys.argv[1:])
