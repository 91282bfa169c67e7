"""Fixtures of the action tests: a real shop store per test, on SQLite and on PostgreSQL."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from actions.store import ShopStore
from actions.store.repository import close_stores, get_store
from actions.store.seed import seed
from tests.conftest import FreshDb

ROOT = Path(__file__).resolve().parents[2]
SEED_DAY = dt.date(2026, 11, 20)


@pytest.fixture(scope="session")
def domain() -> dict[str, Any]:
    """The assistant's domain as a plain dict (what the action server receives)."""
    return yaml.safe_load((ROOT / "domain.yml").read_text())


@pytest.fixture
async def store(fresh_db: FreshDb, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[ShopStore]:
    """A real shop store (each test runs on SQLite and on PostgreSQL), built and seeded for this test only."""
    url = fresh_db("shop", asynchronous=True)
    await seed(url, today=SEED_DAY)
    monkeypatch.setenv("SHOP_DB_URL", url)
    yield get_store()
    await close_stores()
