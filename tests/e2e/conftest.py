"""The running stack, shared by the end-to-end tests of a session: once on SQLite, once on PostgreSQL."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from actions.store.seed import seed
from harness.rasa import RasaStack, sqlite_url
from tests.actions.conftest import SEED_DAY
from tests.conftest import ENGINES


@pytest.fixture(scope="session", params=ENGINES)
def stack(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[RasaStack]:
    """The real action server and Rasa server with the trained model and a seeded shop store, their
    tracker and shop stores on SQLite files or on the session's PostgreSQL server."""
    workdir = tmp_path_factory.mktemp(f"stack-{request.param}")
    if request.param == "sqlite":
        shop, trackers = sqlite_url(workdir / "shop.sqlite3", asynchronous=True), sqlite_url(workdir / "trackers.sqlite3")
    else:
        server = request.getfixturevalue("postgres")
        server.create_database("e2e_shop")
        server.create_database("e2e_trackers")
        shop, trackers = server.url("e2e_shop", "postgresql+asyncpg"), server.url("e2e_trackers")
    asyncio.run(seed(shop, today=SEED_DAY))
    running = RasaStack(workdir=workdir, shop_db=shop, tracker_url=trackers).start()
    yield running
    running.stop()
    for url in (shop, trackers):
        _engine(url).dispose()  # PostgreSQL drops nothing of a database a connection is still open on


@functools.cache
def _engine(url: str) -> sa.engine.Engine:
    """A synchronous engine on a store's URL (the async driver's URL works too), kept for the session."""
    return sa.create_engine(url.replace("+aiosqlite", "").replace("+asyncpg", ""))


def rows(store: Path | str, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    """Read rows straight from a store (its SQLAlchemy URL or an SQLite file), bypassing the product's code.
    ``sql`` is written with ``?`` placeholders whatever the engine."""
    url = store if isinstance(store, str) else sqlite_url(store)
    engine = _engine(url)
    if engine.dialect.paramstyle != "qmark":
        sql = sql.replace("?", "%s")
    with engine.connect() as conn:
        return [tuple(row) for row in conn.exec_driver_sql(sql, tuple(params)).fetchall()]


def snapshot(store: Path | str) -> list[list[tuple[Any, ...]]]:
    """Everything in the shop store, to compare before and after."""
    tables = ("customers", "orders", "outbox", "account_changes", "support_requests")
    return [rows(store, f"SELECT * FROM {table} ORDER BY 1") for table in tables]
