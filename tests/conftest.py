"""Root of the test suite.

Two environments run these tests: the Rasa side's (.venv-rasa: actions, Rasa,
end-to-end through Rasa) and the bridge's (.venv-bridge: tests/handoff). This
file imports nothing from either, only the standard-library harness, so both
can collect their own folders.

Database-touching tests run on both engines the product supports: they take the
``engine`` parameter (``sqlite``, the embedded default, and ``postgresql``) and make
their databases with ``fresh_db``. PostgreSQL is ``DATABASE_URL``'s server if set,
else a private cluster started once per session (``harness.postgres``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from harness.postgres import ExternalPostgres, PostgresServer, database_server

ENGINES = ("sqlite", "postgresql")
FreshDb = Callable[..., str]


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer | ExternalPostgres]:
    """The PostgreSQL server of this session (started here unless ``DATABASE_URL`` names one)."""
    server = database_server()
    yield server
    server.stop()
    if isinstance(server, PostgresServer):
        server.remove()


@pytest.fixture(params=ENGINES)
def engine(request: pytest.FixtureRequest) -> str:
    """The database engine this run of the test uses."""
    return str(request.param)


@pytest.fixture
def fresh_db(engine: str, tmp_path: Path, request: pytest.FixtureRequest) -> FreshDb:
    """``fresh_db(name, asynchronous=False)``: the SQLAlchemy URL of a new, empty database of this
    test's engine (an SQLite file in ``tmp_path``, or a database made afresh on the session's server);
    ``asynchronous`` picks the async driver (aiosqlite, asyncpg) the shop store uses."""

    def make(name: str, asynchronous: bool = False) -> str:
        if engine == "sqlite":
            return f"sqlite{'+aiosqlite' if asynchronous else ''}:///{tmp_path / f'{name}.sqlite3'}"
        server: PostgresServer | ExternalPostgres = request.getfixturevalue("postgres")
        server.create_database(name)
        return server.url(name, "postgresql+asyncpg" if asynchronous else "postgresql")

    return make
