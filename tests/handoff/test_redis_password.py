"""Every Redis we start needs a password, and the password is on no command line.

The harness's ``RedisServer`` (tests, benchmarks, ``make cluster``) and the embedded Redis of
``make run`` (``python -m handoff.redis_server``, as ``scripts/run.sh`` starts it, with
``REDIS_PASSWORD`` in its environment) are real redis-server processes here; the bridges are
real ``python -m handoff`` processes given the password apart from the URL, as in the cluster.
"""

from __future__ import annotations

import os
import secrets
import stat
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from redis.asyncio import Redis
from redis.exceptions import AuthenticationError

from bot.launcher import ROOT
from handoff import protocol
from handoff.redis_server import CONFIG_NAME, PASSWORD_VARIABLE
from harness.bridge import BridgeServer
from harness.clients import Agent, Customer, post_handoff
from harness.ports import HOST, free_port, port_open
from harness.processes import Process
from harness.redis import RedisServer
from tests.handoff.conftest import SECRET


def _proc(pid: int, part: str) -> bytes:
    with open(f"/proc/{pid}/{part}", "rb") as f:
        return f.read()


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


async def _ping(port: int, password: str | None = None) -> bool:
    client = Redis(host=HOST, port=port, password=password)
    try:
        return bool(await client.ping())
    finally:
        await client.aclose()


async def _refused(port: int, password: str | None = None) -> None:
    """The server answers ``port`` but refuses a client with ``password`` (NOAUTH or WRONGPASS)."""
    with pytest.raises(AuthenticationError):
        await _ping(port, password)


# --- the harness's Redis (tests, benchmarks, the cluster) ---------------------------------------

async def test_the_harness_redis_refuses_clients_without_its_password(redis, redis_server):
    await _refused(redis_server.port)
    await _refused(redis_server.port, "not-the-password-0123")
    assert await _ping(redis_server.port, redis_server.password)
    assert await redis.ping()  # the tests' client, through RedisServer.url


async def test_the_harness_redis_password_is_in_a_private_file_not_on_its_command_line(redis, redis_server):
    assert redis_server.pid is not None
    assert redis_server.password.encode() not in _proc(redis_server.pid, "cmdline")
    assert redis_server.password not in " ".join(redis_server.args)  # nor in the log's start line
    assert _mode(redis_server.data_dir / CONFIG_NAME) == 0o600


def test_each_harness_redis_gets_its_own_password(tmp_path):
    first, second = RedisServer(tmp_path / "a"), RedisServer(tmp_path / "b")
    assert len(first.password) >= 16 and first.password != second.password
    assert first.password in first.url


# --- the embedded Redis of make run -------------------------------------------------------------

def embedded_env(password: str | None) -> dict[str, str]:
    """The environment ``scripts/run.sh`` gives ``python -m handoff.redis_server``."""
    env = {k: v for k, v in os.environ.items() if k != PASSWORD_VARIABLE}
    env["PYTHONPATH"] = str(ROOT)
    if password is not None:
        env[PASSWORD_VARIABLE] = password
    return env


def embedded_command(port: int, data_dir: Path) -> list[str]:
    """``scripts/run.sh``'s command line of the embedded Redis."""
    return [sys.executable, "-m", "handoff.redis_server", "--port", str(port), "--dir", str(data_dir)]


@dataclass
class Embedded:
    """A running embedded Redis: its process, port, password and data directory."""

    process: Process
    port: int
    password: str
    data_dir: Path

    @property
    def pid(self) -> int:
        assert self.process.pid is not None
        return self.process.pid


@pytest.fixture
def embedded(tmp_path: Path) -> Iterator[Embedded]:
    """The embedded Redis started the way ``scripts/run.sh`` starts it."""
    password, port, data_dir = secrets.token_urlsafe(32), free_port(), tmp_path / "redis"
    process = Process("embedded-redis", embedded_command(port, data_dir), embedded_env(password),
                      tmp_path / "redis.log", lambda: port_open(port), start_timeout_s=30).start()
    yield Embedded(process, port, password, data_dir)
    process.stop()


async def test_the_embedded_redis_refuses_clients_without_its_password(embedded):
    await _refused(embedded.port)
    await _refused(embedded.port, "not-the-password-0123")
    assert await _ping(embedded.port, embedded.password)


async def test_the_embedded_redis_password_is_in_a_private_file_not_on_its_command_line(embedded):
    assert Path(os.readlink(f"/proc/{embedded.pid}/exe")).name == "redis-server"  # exec'd: the same pid
    assert embedded.password.encode() not in _proc(embedded.pid, "cmdline")
    assert embedded.password.encode() not in _proc(embedded.pid, "environ")  # handed over in the file, then dropped
    config = embedded.data_dir / CONFIG_NAME
    assert _mode(config) == 0o600
    assert embedded.password in config.read_text()


@pytest.mark.parametrize("password", [None, "", "short", "has spaces in it, 0123456789", 'quote"0123456789abcdef'])
def test_the_embedded_redis_does_not_start_without_a_usable_password(tmp_path, password):
    result = subprocess.run(embedded_command(free_port(), tmp_path / "redis"), env=embedded_env(password),
                            cwd=ROOT, capture_output=True, text=True, timeout=30)
    assert result.returncode != 0
    assert PASSWORD_VARIABLE in result.stderr
    assert not (tmp_path / "redis" / CONFIG_NAME).exists()


# --- the bridge, given the password apart from the URL (REDIS_PASSWORD) ------------------------

@pytest.fixture
def two_bridges(redis, redis_server, tmp_path) -> Iterator[list[BridgeServer]]:
    """Two ``python -m handoff`` processes on a password-less URL with ``REDIS_PASSWORD``, Rasa down."""
    url = f"redis://{HOST}:{redis_server.port}/0"
    bridges = [BridgeServer(tmp_path / f"bridge{i}.log", url, f"http://{HOST}:{free_port()}", SECRET,
                            redis_password=redis_server.password, env={"RASA_TIMEOUT_S": "2"}).start()
               for i in range(2)]
    yield bridges
    for bridge in bridges:
        bridge.stop()


async def test_bridges_given_redis_password_share_state_and_events(two_bridges, redis_server):
    """Both of the bridge's Redis clients authenticate: its pool (the queue) and Socket.IO's pub/sub."""
    a, b = two_bridges
    for bridge in two_bridges:
        assert redis_server.password.encode() not in _proc(bridge.pid, "cmdline")
    customer = Customer(a.url)
    await customer.connect()
    alice = await Agent(b.url, "alice", "alice-demo-password").connect()
    status, _ = await post_handoff(a.url, {"conversation_id": customer.session_id, "reason": "complaint"}, SECRET)
    assert status == 200
    await alice.seen.wait_for(protocol.QUEUE, lambda q: len(q) == 1)  # crossed processes through Redis pub/sub
    await alice.emit(protocol.CLAIM, {"conversation_id": customer.session_id})
    await customer.seen.wait_for(protocol.AGENT_JOINED)
    await alice.emit(protocol.AGENT_MESSAGE, {"conversation_id": customer.session_id, "text": "hello from b"})
    await customer.bot_says("hello from b")
    await customer.close()
    await alice.close()
