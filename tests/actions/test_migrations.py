"""The shop store's versioned migrations (Alembic), on SQLite and on PostgreSQL."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import insert, inspect, select, text
from sqlalchemy.ext.asyncio import create_async_engine

from actions.store import schema
from actions.store.migrate import FIRST_REVISION, head, revision_of, upgrade
from tests.conftest import FreshDb

# Alembic compares everything but expression indexes under SQLAlchemy 1.4 (it says so): those are
# checked through the catalogue instead (index_names).
pytestmark = pytest.mark.filterwarnings("ignore:.*expression-based index:UserWarning",
                                        "ignore:Skipped unsupported reflection of expression-based index")

CUSTOMER = {"id": "C9001", "name": "Mina Arai", "email": "Mina.Arai@example.jp", "phone": "090-0000-0000",
            "address": "1-2-3 Jingumae, Shibuya", "created_at": dt.datetime(2026, 1, 5, 9, 0)}


async def differences(url: str) -> list[object]:
    """What Alembic's autogenerate would change to make the database match ``schema.metadata``."""
    engine = create_async_engine(url)
    try:
        async with engine.connect() as conn:
            return await conn.run_sync(
                lambda sync: compare_metadata(MigrationContext.configure(sync), schema.metadata))
    finally:
        await engine.dispose()


async def index_names(url: str, table: str) -> set[str]:
    """The table's indexes, from the database's own catalogue (SQLAlchemy 1.4 cannot reflect
    expression indexes such as ``lower(email)``)."""
    sql = ("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = :t" if url.startswith("sqlite")
           else "SELECT indexname FROM pg_indexes WHERE tablename = :t")
    engine = create_async_engine(url)
    try:
        async with engine.connect() as conn:
            return set((await conn.execute(text(sql), {"t": table})).scalars())
    finally:
        await engine.dispose()


async def test_an_empty_database_is_migrated_to_exactly_the_schema_the_code_uses(fresh_db: FreshDb):
    url = fresh_db("migrate_empty", asynchronous=True)
    assert await revision_of(url) is None
    assert await upgrade(url) == head()
    assert await revision_of(url) == head()
    assert await differences(url) == []  # the migrations and schema.py agree
    assert "ix_customers_email_lower" in await index_names(url, "customers")
    assert await upgrade(url) == head()  # a second run has nothing to do


async def test_a_database_made_before_migrations_is_adopted_and_keeps_its_rows(fresh_db: FreshDb):
    url = fresh_db("migrate_legacy", asynchronous=True)
    engine = create_async_engine(url)
    try:
        async with engine.begin() as conn:  # what the seeder did before revisions existed
            await conn.run_sync(schema.metadata.create_all)
            await conn.execute(text("DROP INDEX ix_customers_email_lower"))  # revision 0002's
            await conn.execute(insert(schema.customers), [CUSTOMER])
    finally:
        await engine.dispose()
    assert await revision_of(url) is None
    assert await upgrade(url) == head()
    assert "ix_customers_email_lower" in await index_names(url, "customers")
    assert await differences(url) == []
    engine = create_async_engine(url)
    try:
        async with engine.connect() as conn:
            rows = (await conn.execute(select(schema.customers.c.email))).scalars().all()
    finally:
        await engine.dispose()
    assert rows == [CUSTOMER["email"]]


async def test_every_revision_goes_down_and_up_again(fresh_db: FreshDb):
    from alembic import command

    from actions.store.migrate import alembic_config

    url = fresh_db("migrate_down", asynchronous=True)
    await upgrade(url)
    engine = create_async_engine(url)
    try:
        async with engine.begin() as conn:
            await conn.run_sync(lambda sync: command.downgrade(alembic_config(sync), FIRST_REVISION))
        assert await revision_of(url) == FIRST_REVISION
        assert "ix_customers_email_lower" not in await index_names(url, "customers")
        async with engine.begin() as conn:
            await conn.run_sync(lambda sync: command.downgrade(alembic_config(sync), "base"))
            assert not await conn.run_sync(lambda sync: inspect(sync).has_table("customers"))
    finally:
        await engine.dispose()
    assert await upgrade(url) == head()
    assert await differences(url) == []


@pytest.mark.parametrize("engine", ["postgresql"], indirect=True)
async def test_two_servers_migrating_at_once_both_succeed(fresh_db: FreshDb):
    """Two action servers of a new release started together: the advisory lock lets one migrate
    while the other waits and then finds nothing to do (without it, both create the tables)."""
    url = fresh_db("migrate_race", asynchronous=True)
    # Without the lock they do not finish (the transactions wait on each other's new tables).
    results = await asyncio.wait_for(asyncio.gather(*(upgrade(url) for _ in range(3))), timeout=60)
    assert results == [head()] * 3
    assert await differences(url) == []
