"""Fixtures of the bridge's tests: a real Redis server, the bridge on a real port, Socket.IO clients."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from redis.asyncio import Redis

from harness.ports import free_port
from harness.redis import RedisServer

if TYPE_CHECKING:
    from handoff.config import Settings
    from harness.rasa import RasaStack

SECRET = "test-handoff-secret-0123456789"


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    """One real Redis server for the session (tests may stop and start it again)."""
    server = RedisServer(tmp_path_factory.mktemp("redis")).start()
    yield server
    server.stop()


@pytest.fixture
async def redis(redis_server: RedisServer) -> AsyncIterator[Redis]:
    """A client on a flushed database."""
    if not redis_server.alive():
        redis_server.start()
    client = Redis.from_url(redis_server.url, decode_responses=True)
    await client.flushdb()
    yield client
    await client.aclose()


class BridgeProcessless:
    """The bridge app served in this test process on a real TCP port."""

    def __init__(self, settings: Settings) -> None:
        from aiohttp import web

        from handoff.app import create_app

        self.settings = settings
        self.runner = web.AppRunner(create_app(settings))
        self.url = f"http://127.0.0.1:{settings.port}"

    async def start(self) -> BridgeProcessless:
        from aiohttp import web

        await self.runner.setup()
        await web.TCPSite(self.runner, "127.0.0.1", self.settings.port).start()
        return self

    async def stop(self) -> None:
        await self.runner.cleanup()


def bridge_settings(redis_url: str, port: int, rasa_url: str, **overrides: object) -> Settings:
    from handoff.config import Settings

    values = dict(port=port, redis_url=redis_url, rasa_url=rasa_url, handoff_secret=SECRET,
                  agent_grace_s=1.0, rasa_timeout_s=60.0)
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


@pytest.fixture
async def dead_rasa_bridge(redis, redis_server) -> AsyncIterator[BridgeProcessless]:
    """The bridge with Rasa down (nothing listens on its port): queue, agents and bad input."""
    bridge = await BridgeProcessless(bridge_settings(redis_server.url, free_port(), f"http://127.0.0.1:{free_port()}",
                                                     rasa_timeout_s=2.0)).start()
    yield bridge
    await bridge.stop()


# --- the real Rasa side (journey and page tests share one; the trainer's loop has its own) ---------

BRIDGE_PORT = free_port()  # where the action server hands conversations over


def start_rasa_stack(workdir: Path) -> RasaStack:
    """Rasa server and action server (from the Rasa environment, with a fresh demo store) whose
    handoffs go to the bridge on ``BRIDGE_PORT``."""
    from harness.rasa import RasaStack, seed_shop

    shop_db = workdir / "shop.sqlite3"
    seed_shop(shop_db, workdir / "seed.log")
    return RasaStack(workdir=workdir, shop_db=shop_db, extra_env={
        "HANDOFF_URL": f"http://127.0.0.1:{BRIDGE_PORT}/api/handoff", "HANDOFF_SECRET": SECRET}).start()


@pytest.fixture(scope="session")
def rasa_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RasaStack]:
    """One real Rasa stack for the end-to-end tests that do not need a fresh tracker store."""
    stack = start_rasa_stack(tmp_path_factory.mktemp("rasa"))
    yield stack
    stack.stop()


@pytest.fixture
async def bridge(rasa_stack: RasaStack, redis, redis_server) -> AsyncIterator[BridgeProcessless]:
    """The bridge in front of ``rasa_stack``, on a flushed Redis."""
    running = await BridgeProcessless(bridge_settings(redis_server.url, BRIDGE_PORT, rasa_stack.rasa_url,
                                                      rasa_token=rasa_stack.token)).start()
    yield running
    await running.stop()
