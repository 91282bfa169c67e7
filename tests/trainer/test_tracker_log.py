"""The trainer reads the conversations Rasa stored, on SQLite and on PostgreSQL alike."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys

from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.launcher import ROOT
from bot.tracker_store import CheckedSQLTrackerStore
from bot.trainer.conversations import TrackerLog
from tests.conftest import FreshDb
from tests.trainer.events import T0


def test_the_trainer_lists_and_shows_what_rasa_stored(fresh_db: FreshDb):
    url = fresh_db("trackers")
    store = CheckedSQLTrackerStore(Domain.empty(), host=url)
    for sender, text, intent in [("web-ja-1", "返品の方法を教えてください", "faq"),
                                 ("web-en-2", "where is my parcel", "order_status")]:
        asyncio.run(store.save(DialogueStateTracker.from_events(sender, [
            ActionExecuted("action_listen", timestamp=T0),
            UserUttered(text, {"name": intent, "confidence": 0.31}, timestamp=T0 + 1),
            BotUttered("Sorry, I did not get that.", timestamp=T0 + 2)])))
    assert TrackerLog(url).conversation_ids() == ["web-ja-1", "web-en-2"]  # oldest first
    trainer = [sys.executable, "-m", "bot.trainer"]
    listed = subprocess.run([*trainer, "list", "--tracker-db", url, "--low-confidence", "--json"], cwd=ROOT,
                            capture_output=True, text=True, check=True)
    assert {c["id"] for c in json.loads(listed.stdout)} == {"web-ja-1", "web-en-2"}
    shown = subprocess.run([*trainer, "show", "web-ja-1", "--tracker-db", url], cwd=ROOT, capture_output=True,
                           text=True, check=True)
    assert "返品の方法を教えてください" in shown.stdout and "where is my parcel" not in shown.stdout
