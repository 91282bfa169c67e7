"""Rasa's SQL tracker store, by URL, with connections that survive a database restart.

Rasa 3.6's ``SQLTrackerStore`` takes a full SQLAlchemy URL in ``url`` (``sqlite:////path`` for
the embedded default, ``postgresql://user:pw@host:5432/db`` in production), but its engine
hands out pooled connections unchecked: after PostgreSQL restarts, the first turn on each stale
connection fails (the customer hears that the assistant is unavailable) before SQLAlchemy
notices and empties the pool. ``CheckedSQLTrackerStore`` is Rasa's store with
``pool_pre_ping``: each connection is tested as it leaves the pool and replaced if the server
has gone away, so the turn goes on.

Configured in ``endpoints.yml`` and ``deploy/endpoints.cluster.yml``:

    tracker_store:
      type: bot.tracker_store.CheckedSQLTrackerStore
      url: ${TRACKER_DB_URL}
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore, create_engine_kwargs
from sqlalchemy.orm import sessionmaker


class CheckedSQLTrackerStore(SQLTrackerStore):
    """``SQLTrackerStore`` whose engine checks each connection before a turn uses it."""

    def __init__(self, *args: Any, host: str | None = None, **kwargs: Any) -> None:
        if not host or "://" not in host:
            raise ValueError("tracker_store: url must be an SQLAlchemy URL (TRACKER_DB_URL), "
                             "e.g. sqlite:////var/lib/nwsupport/trackers.sqlite3 or postgresql://user:pw@host/db")
        super().__init__(*args, host=host, **kwargs)  # creates the tables, waiting for the database
        self.engine.dispose()
        self.engine = sa.create_engine(host, pool_pre_ping=True, **create_engine_kwargs(host))
        self.sessionmaker = sessionmaker(bind=self.engine)
