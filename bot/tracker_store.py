"""Rasa's SQL tracker store, by URL, with connections that survive a database restart and a load
that does not grow with the conversation.

Rasa 3.6's ``SQLTrackerStore`` takes a full SQLAlchemy URL in ``url`` (``sqlite:////path`` for
the embedded default, ``postgresql://user:pw@host:5432/db`` in production), but its engine
hands out pooled connections unchecked: after PostgreSQL restarts, the first turn on each stale
connection fails (the customer hears that the assistant is unavailable) before SQLAlchemy
notices and empties the pool. ``CheckedSQLTrackerStore`` is Rasa's store with
``pool_pre_ping``: each connection is tested as it leaves the pool and replaced if the server
has gone away, so the turn goes on.

Every turn Rasa loads the conversation's events since its last session start: each row read,
parsed as JSON and made an ``Event`` (Rasa looks the event's class up among all of ``Event``'s
subclasses, every event, every turn), then replayed. At turn 200 of one conversation that was
most of the turn (docs/benchmarks.md, "A turn's cost as the conversation grows"). This store keeps
the events it has read per conversation (``SessionEvents``, a bounded number of conversations)
and reads only the rows added since, from whichever Rasa server wrote them; the tracker is then
rebuilt from the same events in the same order, so it is the tracker Rasa's own query gives.
What it read before is checked against the table each time (the rows' count and the newest
row's text), and anything else (a new session started, rows deleted by the retention job, an
id reused) reads the whole session again as Rasa does.

Configured in ``endpoints.yml`` and ``deploy/endpoints.cluster.yml``:

    tracker_store:
      type: bot.tracker_store.CheckedSQLTrackerStore
      url: ${TRACKER_DB_URL}
"""

from __future__ import annotations

import json
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore, create_engine_kwargs
from rasa.shared.core.events import Event, SessionStarted, deserialise_events
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy.orm import sessionmaker

from bot.dialogue_history import copy_tracker, starts_with
from bot.lru import BoundedLru

# Conversations whose events stay in memory, and events in all (the least recently read conversations
# are dropped first): a few kB an event, so the events bound keeps the cache to a few hundred MB
# beside the server's 2.2 GB (docs/deployment.md, sizing) however long the conversations are.
CACHED_CONVERSATIONS = 2000
CACHED_EVENTS = 100_000


@dataclass
class SessionEvents:
    """The events of a conversation's latest session as Rasa's query selects them, and the rows they came from.

    ``session_start``: the newest ``session_started`` timestamp of the conversation (None: there is
    none, and every row counts); ``first_id``/``last_id``: the rows read so far (``count`` of them
    belong to the conversation between the two); ``last_data``: the newest row's text.
    """

    session_start: float | None
    first_id: int
    last_id: int
    count: int
    last_data: str
    events: list[Event]


class CheckedSQLTrackerStore(SQLTrackerStore):
    """``SQLTrackerStore`` whose engine checks each connection before a turn uses it, and which reads
    only the rows a conversation gained since it last read it."""

    def __init__(self, *args: Any, host: str | None = None, **kwargs: Any) -> None:
        if not host or "://" not in host:
            raise ValueError("tracker_store: url must be an SQLAlchemy URL (TRACKER_DB_URL), "
                             "e.g. sqlite:////var/lib/nwsupport/trackers.sqlite3 or postgresql://user:pw@host/db")
        super().__init__(*args, host=host, **kwargs)  # creates the tables, waiting for the database
        self.engine.dispose()
        self.engine = sa.create_engine(host, pool_pre_ping=True, **create_engine_kwargs(host))
        self.sessionmaker = sessionmaker(bind=self.engine)
        self._sessions: OrderedDict[str, SessionEvents] = OrderedDict()
        self._cached_events = 0  # events held in _sessions
        # The trackers this process saved, with their events then: read back, a row whose text is what
        # one of them serialises to is that very object (bot.dialogue_history continues from objects it
        # knows), and a session that is exactly those events is that tracker's state, copied.
        # Bounded by events too: a saved tracker keeps its events alive after _sessions dropped them.
        self._saved = BoundedLru(CACHED_CONVERSATIONS, CACHED_EVENTS, lambda saved: len(saved[1]))

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Rasa's save; the tracker and its events are remembered until its next read."""
        await super().save(tracker)
        self._saved.put(tracker.sender_id, (tracker, list(tracker.events)))

    async def _retrieve(self, sender_id: str, fetch_events_from_all_sessions: bool) -> DialogueStateTracker | None:
        """The tracker of the latest session (Rasa's own read for all sessions)."""
        if fetch_events_from_all_sessions:
            return await super()._retrieve(sender_id, fetch_events_from_all_sessions)
        with self.session_scope() as session:
            known = self._sessions.pop(sender_id, None)
            if known is not None:
                self._cached_events -= len(known.events)
            saved, saved_events = self._saved.pop(sender_id) or (None, None)
            events = self._read_on(session, sender_id, known, saved_events)
        if not self.domain or events is None:
            return None
        if (saved is not None and saved_events is not None and len(events.events) == len(saved_events)
                and starts_with(events.events, saved_events) and starts_with(saved.events, saved_events)
                and len(saved.events) == len(saved_events) and _same_slots(saved, self.domain.slots)):
            return copy_tracker(saved)  # the very events it holds: its state is theirs
        return DialogueStateTracker.from_events(sender_id, list(events.events), self.domain.slots)

    def _read_on(self, session: Any, sender_id: str, known: SessionEvents | None,
                 saved: list[Event] | None = None) -> SessionEvents | None:
        """The session's events: the new rows after ``known``, or all of them when ``known`` no longer holds.

        ``saved``: the events of this conversation's tracker as this process last saved it.
        """
        table = self.SQLEvent
        if known is not None:
            count, = session.query(sa.func.count(table.id)).filter(
                table.sender_id == sender_id, table.id >= known.first_id, table.id <= known.last_id).one()
            rows = session.query(table.id, table.type_name, table.timestamp, table.data).filter(
                table.sender_id == sender_id, table.id >= known.last_id).order_by(table.id).all()
            unchanged = count == known.count and rows and rows[0].id == known.last_id and rows[0].data == known.last_data
            if unchanged and not any(row.type_name == SessionStarted.type_name for row in rows[1:]):
                return self._remember(sender_id, _extended(known, rows[1:], saved))
        rows = self._event_query(session, sender_id, fetch_events_from_all_sessions=False).all()
        if not rows:
            return None
        starts = session.query(sa.func.max(table.timestamp)).filter(
            table.sender_id == sender_id, table.type_name == SessionStarted.type_name).scalar()
        count, = session.query(sa.func.count(table.id)).filter(
            table.sender_id == sender_id, table.id >= rows[0].id, table.id <= rows[-1].id).one()
        # Rows of the conversation between the first and the last selected one that Rasa's query left
        # out (a clock that went back across a session start) would make the count lie: read all next time.
        if count != len(rows):
            events = deserialise_events([json.loads(row.data) for row in rows])
            return SessionEvents(starts, rows[0].id, rows[-1].id, -1, rows[-1].data, events)
        events = _events_of(rows, _saved_after([], saved, len(rows)))
        return self._remember(sender_id, SessionEvents(starts, rows[0].id, rows[-1].id, len(rows), rows[-1].data,
                                                       events))

    def _remember(self, sender_id: str, events: SessionEvents) -> SessionEvents:
        self._sessions[sender_id] = events
        self._cached_events += len(events.events)
        while len(self._sessions) > 1 and (len(self._sessions) > CACHED_CONVERSATIONS
                                           or self._cached_events > CACHED_EVENTS):
            _, dropped = self._sessions.popitem(last=False)
            self._cached_events -= len(dropped.events)
        return events


def _extended(known: SessionEvents, rows: list[Any], saved: list[Event] | None = None) -> SessionEvents:
    """``known`` with the conversation's rows added after it (none a session start).

    ``saved``: the events of the tracker this process last saved; where it continues ``known``
    with an event that serialises to a row's very text, that event is kept instead of a new one.
    """
    if not rows:
        return known
    # Rasa's query keeps the rows at or after the session start by their timestamp, whatever their id.
    kept = [row for row in rows if known.session_start is None or
            (row.timestamp is not None and row.timestamp >= known.session_start)]
    if len(kept) != len(rows):
        known = SessionEvents(known.session_start, known.first_id, known.last_id, -1, known.last_data, known.events)
        # -1: the count no longer matches the rows between first and last; the next read reads all again.
    saved = saved if len(kept) == len(rows) else None  # rows left out: positions no longer line up
    events = known.events + _events_of(kept, _saved_after(known.events, saved, len(kept)))
    count = known.count + len(rows) if known.count >= 0 else -1
    return SessionEvents(known.session_start, known.first_id, rows[-1].id, count, rows[-1].data, events)


def _saved_after(events: list[Event], saved: list[Event] | None, count: int) -> list[Event | None]:
    """The ``count`` saved events that follow ``events`` (None where there are none to match)."""
    if saved is None or not starts_with(saved, events):
        return [None] * count
    after: list[Event | None] = list(saved[len(events):len(events) + count])
    return after + [None] * (count - len(after))


def _events_of(rows: list[Any], saved: list[Event | None]) -> list[Event]:
    """The rows' events: the saved event where it serialises to the row's text, else the row read."""
    return [event if event is not None and json.dumps(event.as_dict()) == row.data
            else deserialise_events([json.loads(row.data)])[0] for row, event in zip(rows, saved)]


def _same_slots(tracker: DialogueStateTracker, slots: list[Any]) -> bool:
    """Whether ``tracker`` has exactly the slots (names and kinds) a tracker made from ``slots`` has."""
    return type(tracker.slots) is dict and len(tracker.slots) == len(slots) and all(
        type(tracker.slots.get(slot.name)) is type(slot) for slot in slots)
