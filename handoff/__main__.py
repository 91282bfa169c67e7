"""Run the bridge: ``python -m handoff`` (settings from the environment; see handoff/config.py)."""

from __future__ import annotations

import sys

from aiohttp import web

from handoff.app import create_app
from handoff.config import ConfigError, Settings
from handoff.logs import configure


def main() -> None:
    """Start serving until interrupted."""
    try:
        settings = Settings.from_env()
    except ConfigError as e:
        sys.exit(f"handoff bridge: {e}")
    configure(settings.bridge_id, settings.log_format)
    # SIGTERM and Ctrl-C: stop listening, drain (see app._drain), then close within the grace time.
    web.run_app(create_app(settings), host=settings.host, port=settings.port, print=None,
                shutdown_timeout=settings.drain_s)


if __name__ == "__main__":
    main()
