"""The tracker store the Rasa servers use (``bot.tracker_store``), on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio

import pytest
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy.exc import OperationalError

from bot.tracker_store import CheckedSQLTrackerStore
from harness.postgres import PostgresServer
from tests.conftest import FreshDb


def conversation(sender: str, text: str) -> DialogueStateTracker:
    return DialogueStateTracker.from_events(sender, [
        ActionExecuted("action_listen"), UserUttered(text, {"name": "greet", "confidence": 0.9}),
        BotUttered("いらっしゃいませ。ご用件をお聞かせください。")])


def test_a_conversation_is_kept_and_read_back_in_order(fresh_db: FreshDb):
    url = fresh_db("trackers")
    store = CheckedSQLTrackerStore(Domain.empty(), host=url)
    asyncio.run(store.save(conversation("c-1", "注文した商品がまだ届きません")))
    again = CheckedSQLTrackerStore(Domain.empty(), host=url)  # another Rasa server on the same database
    tracker = asyncio.run(again.retrieve("c-1"))
    assert tracker is not None
    assert [e.as_dict().get("text") for e in tracker.events if e.as_dict().get("text")] == [
        "注文した商品がまだ届きません", "いらっしゃいませ。ご用件をお聞かせください。"]


def test_the_url_must_be_a_database_url():
    with pytest.raises(ValueError, match="TRACKER_DB_URL"):
        CheckedSQLTrackerStore(Domain.empty(), host="trackers.sqlite3")


def test_a_turn_after_a_postgresql_restart_goes_on(tmp_path):
    """Rasa's own store fails the first read on a connection the restart closed; ours replaces it."""
    server = PostgresServer(tmp_path / "pg").start()
    try:
        url = server.create_database("trackers")
        plain = SQLTrackerStore(Domain.empty(), host=url)
        checked = CheckedSQLTrackerStore(Domain.empty(), host=url)
        for store in (plain, checked):  # each has a pooled connection now
            asyncio.run(store.save(conversation(f"c-{id(store)}", "hello")))
        server.restart()
        with pytest.raises(OperationalError):  # what the customer would have lived through
            asyncio.run(plain.retrieve(f"c-{id(plain)}"))
        tracker = asyncio.run(checked.retrieve(f"c-{id(checked)}"))
        assert tracker is not None and tracker.latest_message.text == "hello"
    finally:
        server.stop()
        server.remove()


def _same_as_rasa(url: str, store: CheckedSQLTrackerStore, sender: str) -> DialogueStateTracker | None:
    """``store``'s tracker of ``sender``, after checking it is the one Rasa's own store reads."""
    ours = asyncio.run(store.retrieve(sender))
    rasas = asyncio.run(SQLTrackerStore(store.domain, host=url).retrieve(sender))
    if rasas is None:
        assert ours is None
        return None
    assert ours is not None
    assert [e.as_dict() for e in ours.events] == [e.as_dict() for e in rasas.events]
    assert ours.current_state() == rasas.current_state()
    return ours


def test_a_growing_conversation_is_read_as_rasa_reads_it_from_any_server(fresh_db: FreshDb):
    """Only the new rows are read each turn, and the tracker is still the one Rasa's query gives: with
    another server writing turns, a new session, and the retention job deleting rows."""
    url = fresh_db("trackers")
    store, other = CheckedSQLTrackerStore(Domain.empty(), host=url), CheckedSQLTrackerStore(Domain.empty(), host=url)
    assert _same_as_rasa(url, store, "c-1") is None
    asyncio.run(store.save(conversation("c-1", "hello")))
    for turn in range(6):
        writer = store if turn % 2 == 0 else other  # two Rasa servers take turns in one conversation
        tracker = _same_as_rasa(url, writer, "c-1")
        assert tracker is not None
        tracker.update_with_events([ActionExecuted("action_listen"),
                                    UserUttered(f"question {turn}", {"name": "faq", "confidence": 0.9}),
                                    BotUttered(f"answer {turn}")], None)
        asyncio.run(writer.save(tracker))
        assert _same_as_rasa(url, store, "c-1").latest_message.text == f"question {turn}"
    assert len(store._sessions["c-1"].events) == 3 + 6 * 3

    tracker = _same_as_rasa(url, store, "c-1")
    tracker.update_with_events([ActionExecuted("action_session_start"), SessionStarted(),
                                ActionExecuted("action_listen"), UserUttered("new session", {"name": "greet"})], None)
    asyncio.run(other.save(tracker))
    assert [e.as_dict().get("text") for e in _same_as_rasa(url, store, "c-1").events if e.as_dict().get("text")] == [
        "new session"]

    with store.session_scope() as session:  # the retention job: the conversation's rows go
        session.query(store.SQLEvent).filter(store.SQLEvent.sender_id == "c-1").delete()
        session.commit()
    assert _same_as_rasa(url, store, "c-1") is None
    asyncio.run(other.save(conversation("c-1", "a new conversation under the old id")))
    assert _same_as_rasa(url, store, "c-1").latest_message.text == "a new conversation under the old id"


def test_the_cache_keeps_to_its_bound_of_events(fresh_db: FreshDb, monkeypatch):
    import bot.tracker_store

    monkeypatch.setattr(bot.tracker_store, "CACHED_EVENTS", 10)
    url = fresh_db("trackers")
    store = CheckedSQLTrackerStore(Domain.empty(), host=url)
    for n in range(5):  # 3 events each: at most 3 conversations fit in 10 events
        asyncio.run(store.save(conversation(f"c-{n}", "hello")))
        assert _same_as_rasa(url, store, f"c-{n}") is not None
    assert list(store._sessions) == ["c-2", "c-3", "c-4"]
    assert store._cached_events == 9
    assert _same_as_rasa(url, store, "c-0") is not None  # dropped, read again in full
    assert store._cached_events == sum(len(s.events) for s in store._sessions.values()) <= 10


def test_a_tracker_read_back_after_its_save_is_a_copy_of_it(fresh_db: FreshDb, monkeypatch):
    """The server that saved a turn reads back its own event objects and a copy of the saved state
    (no replay), which is still the tracker Rasa's store reads; another writer's rows are read anew."""
    from rasa.shared.core.events import ActiveLoop, SlotSet

    url = fresh_db("trackers")
    domain = Domain.from_dict({"slots": {"order_number": {"type": "text", "mappings": [{"type": "custom"}]}},
                               "forms": {"order_status_form": {"required_slots": []}}})
    store, other = CheckedSQLTrackerStore(domain, host=url), CheckedSQLTrackerStore(domain, host=url)
    saved = DialogueStateTracker.from_events("c-1", list(conversation("c-1", "where is my order").events),
                                             domain.slots)
    saved.update_with_events([ActionExecuted("order_status_form"), ActiveLoop("order_status_form"),
                              SlotSet("order_number", "ORD-100101")], None)
    saved.model_id = "a model"
    asyncio.run(store.save(saved))

    def no_replay(*args, **kwargs):
        raise AssertionError("the saved tracker's events were replayed")

    with monkeypatch.context() as patch:
        patch.setattr(DialogueStateTracker, "from_events", no_replay)
        mine = asyncio.run(store.retrieve("c-1"))
    rasas = asyncio.run(SQLTrackerStore(domain, host=url).retrieve("c-1"))
    assert mine is not saved and [id(e) for e in mine.events] == [id(e) for e in saved.events]
    assert mine.current_state() == rasas.current_state() and mine.model_id is None
    assert mine.active_loop_name == "order_status_form" and mine.get_slot("order_number") == "ORD-100101"
    mine.update(SlotSet("order_number", "ORD-100102"))
    assert saved.get_slot("order_number") == "ORD-100101"  # the copy is its own

    theirs = asyncio.run(other.retrieve("c-1"))
    theirs.update_with_events([ActionExecuted("action_listen"), UserUttered("thanks", {"name": "thank"})], None)
    asyncio.run(other.save(theirs))
    again = _same_as_rasa(url, store, "c-1")  # rows another server wrote: read, not copied
    assert again.latest_message.text == "thanks"
    assert [id(e) for e in again.events][:len(saved.events)] == [id(e) for e in saved.events]


def test_the_saved_trackers_keep_to_the_bound_of_events(fresh_db: FreshDb, monkeypatch):
    import bot.tracker_store

    monkeypatch.setattr(bot.tracker_store, "CACHED_EVENTS", 10)
    store = CheckedSQLTrackerStore(Domain.empty(), host=fresh_db("trackers"))
    for n in range(5):  # 3 events each: at most 3 saved trackers fit in 10 events
        asyncio.run(store.save(conversation(f"s-{n}", "hello")))
    assert len(store._saved) == 3 and store._saved.total == 9
    assert "s-4" in store._saved and "s-1" not in store._saved
