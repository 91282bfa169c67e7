"""Bring the shop store's schema up to date with Alembic's versioned migrations.

    python -m actions.store.migrate [--db-url URL]        # upgrade to the newest revision

``upgrade(url)`` is what the seeder (``make run``, ``make cluster``) and the tests call; an
operator runs the command above before starting the action servers of a new release. A
database made before there were migrations (tables, no ``alembic_version``) is adopted: it is
stamped with the first revision, which is exactly what it holds, and upgraded from there.
"""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Sequence
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.ext.asyncio import create_async_engine

from actions.config import shop_db_url

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
FIRST_REVISION = "0001"


def alembic_config(connection: Connection | None = None) -> Config:
    """Alembic's configuration in code (no ini file needed), sharing ``connection`` if given."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head() -> str:
    """The newest revision."""
    revision = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert revision is not None
    return revision


def current(connection: Connection) -> str | None:
    """The revision ``connection``'s database is at (``None``: never migrated)."""
    return MigrationContext.configure(connection).get_current_revision()


# Any constant: PostgreSQL's advisory lock that keeps two migrations from running at once.
MIGRATION_LOCK = 7_406_201


def _upgrade_on(connection: Connection) -> str:
    if connection.dialect.name == "postgresql":
        # Held to the end of the transaction: a second migrator waits, then finds nothing to do.
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
    config = alembic_config(connection)
    if current(connection) is None and inspect(connection).has_table("customers"):
        command.stamp(config, FIRST_REVISION)  # made by create_all before migrations existed
    command.upgrade(config, "head")
    revision = current(connection)
    assert revision is not None
    return revision


async def upgrade(url: str) -> str:
    """Apply every pending migration to the store at ``url`` (an async driver's URL), in one
    transaction; return the revision it is at now."""
    engine = create_async_engine(url)
    try:
        async with engine.begin() as connection:
            return await connection.run_sync(_upgrade_on)
    finally:
        await engine.dispose()


async def revision_of(url: str) -> str | None:
    """The revision the store at ``url`` is at (``None``: never migrated)."""
    engine = create_async_engine(url)
    try:
        async with engine.connect() as connection:
            return await connection.run_sync(current)
    finally:
        await engine.dispose()


def shown(url: str) -> str:
    """``url`` fit for a log or a terminal: the password masked."""
    return make_url(url).render_as_string(hide_password=True)


def main(argv: Sequence[str] | None = None) -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db-url", default=None, help="SQLAlchemy URL (default: SHOP_DB_URL or var/shop.sqlite3)")
    url = parser.parse_args(argv).db_url or shop_db_url()
    print(f"shop store at {shown(url)}: revision {asyncio.run(upgrade(url))} (newest {head()})")


if __name__ == "__main__":
    main()
