"""The running stack, shared by all end-to-end tests of a session."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from actions.store.seed import seed
from harness.rasa import RasaStack
from tests.actions.conftest import SEED_DAY


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RasaStack]:
    """The real action server and Rasa server with the trained model and a seeded shop store."""
    workdir = tmp_path_factory.mktemp("stack")
    shop_db = workdir / "shop.sqlite3"
    asyncio.run(seed(f"sqlite+aiosqlite:///{shop_db}", today=SEED_DAY))
    running = RasaStack(workdir=workdir, shop_db=shop_db).start()
    yield running
    running.stop()


def rows(db: Path, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    """Read rows straight from the shop store's SQLite file."""
    with sqlite3.connect(db) as conn:
        return conn.execute(sql, params).fetchall()


def snapshot(db: Path) -> list[list[tuple[Any, ...]]]:
    """Everything in the shop store, to compare before and after."""
    tables = ("customers", "orders", "outbox", "account_changes", "support_requests")
    return [rows(db, f"SELECT * FROM {table} ORDER BY 1") for table in tables]
