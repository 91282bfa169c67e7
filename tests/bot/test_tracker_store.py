"""The tracker store the Rasa servers use (``bot.tracker_store``), on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio

import pytest
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered
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
