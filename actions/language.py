"""The conversation's language, chosen on every customer message (before Rasa picks its answer).

Rasa runs ``action_validate_slot_mappings`` inside ``action_extract_slots`` after each
user message, before the policies predict; this one sets the ``language`` slot that picks
every response's Japanese or English variation in ``domain.yml``. The choice itself is
``bot.language.choice.answer_language`` (pure): the language the message is written in,
else the widget's ``customData.language`` (the bridge forwards it as the message's
metadata), else the conversation's language so far.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from bot.language.choice import answer_language

LANGUAGE_SLOT = "language"


class ActionChooseLanguage(Action):
    """Sets ``language`` from the latest message, its metadata and the slot's value so far."""

    def name(self) -> str:
        return "action_validate_slot_mappings"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        message: dict[str, Any] = tracker.latest_message or {}
        metadata = message.get("metadata") if isinstance(message.get("metadata"), dict) else {}
        language = answer_language(str(message.get("text") or ""), (metadata or {}).get("language"),
                                   tracker.get_slot(LANGUAGE_SLOT))
        if language == tracker.get_slot(LANGUAGE_SLOT):
            return []
        return [SlotSet(LANGUAGE_SLOT, language)]
