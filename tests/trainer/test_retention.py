"""The tracker store's retention period (``python -m bot.trainer retention``) on a store Rasa itself
wrote, on SQLite and on PostgreSQL."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time

from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.launcher import ROOT
from bot.tracker_store import CheckedSQLTrackerStore
from bot.trainer.conversations import TrackerLog
from tests.conftest import FreshDb

DAY = 86400.0


def write_store(url: str, conversations: dict[str, float]) -> None:
    store = CheckedSQLTrackerStore(Domain.empty(), host=url)
    for sender, last in conversations.items():
        tracker = DialogueStateTracker.from_events(sender, [
            ActionExecuted("action_listen", timestamp=last - 60),
            UserUttered("my e-mail is jane.doe@example.com", timestamp=last - 30),
            BotUttered("Thanks!", timestamp=last)])
        asyncio.run(store.save(tracker))


def test_conversations_last_active_before_the_period_are_deleted(fresh_db: FreshDb):
    url = fresh_db("trackers")
    now = time.time()
    write_store(url, {"old-conversation": now - 120 * DAY, "recent-conversation": now - 10 * DAY,
                      "just-now": now})
    args = [sys.executable, "-m", "bot.trainer", "retention", "--tracker-db", url, "--days", "90"]
    dry = subprocess.run([*args, "--dry-run"], cwd=ROOT, capture_output=True, text=True, check=True)
    assert "would delete 1 conversation" in dry.stdout
    assert len(TrackerLog(url).conversation_ids()) == 3  # a dry run deletes nothing
    done = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, check=True)
    assert "deleted 1 conversation" in done.stdout
    log = TrackerLog(url)
    assert sorted(log.conversation_ids()) == ["just-now", "recent-conversation"]
    assert log.events("old-conversation") == []
    assert len(log.events("recent-conversation")) == 3  # the others untouched
    refused = subprocess.run([*args[:-1], "0"], cwd=ROOT, capture_output=True, text=True)
    assert refused.returncode != 0 and "--days" in refused.stdout + refused.stderr
