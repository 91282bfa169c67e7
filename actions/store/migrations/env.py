# Not a package (no __init__.py): rasa-sdk imports every module of the actions package at start,
# and this file runs migrations when imported. Alembic loads it by path.
"""Alembic's environment for the shop store.

Run through ``actions.store.migrate`` (the seeder, the action server's start-up, ``make run``),
which hands over an open connection in ``config.attributes["connection"]``. Run by the
``alembic`` command (``alembic -c actions/store/alembic.ini revision --autogenerate -m ...``
while writing a new revision), it connects to ``SHOP_DB_URL`` itself.
"""

from __future__ import annotations

import asyncio

from alembic import context
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine

from actions.config import shop_db_url
from actions.store.schema import metadata


def run_on(connection: Connection) -> None:
    """Run the pending migrations on ``connection``, in one transaction."""
    # render_as_batch: SQLite cannot ALTER most things; batch mode copies the table instead.
    context.configure(connection=connection, target_metadata=metadata,
                      render_as_batch=connection.dialect.name == "sqlite", compare_type=True)
    with context.begin_transaction():
        context.run_migrations()


async def run_connected(url: str) -> None:
    """Connect to ``url`` (an async driver's URL) and run the migrations."""
    engine = create_async_engine(url)
    try:
        async with engine.begin() as connection:
            await connection.run_sync(run_on)
    finally:
        await engine.dispose()


given = context.config.attributes.get("connection")
if given is not None:
    run_on(given)
elif context.is_offline_mode():
    context.configure(url=context.config.get_main_option("sqlalchemy.url") or shop_db_url(),
                      target_metadata=metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    asyncio.run(run_connected(context.config.get_main_option("sqlalchemy.url") or shop_db_url()))
