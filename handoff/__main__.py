"""Run the bridge: ``python -m handoff`` (settings from the environment; see handoff/config.py)."""

from __future__ import annotations

import logging
import sys

from aiohttp import web

from handoff.app import create_app
from handoff.config import ConfigError, Settings


def main() -> None:
    """Start serving until interrupted."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    try:
        settings = Settings.from_env()
    except ConfigError as e:
        sys.exit(f"handoff bridge: {e}")
    web.run_app(create_app(settings), host=settings.host, port=settings.port, print=None)


if __name__ == "__main__":
    main()
