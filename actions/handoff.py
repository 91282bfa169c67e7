"""Handing a conversation to a person.

Until the live handoff bridge takes requests, the request is recorded in the
store's ``support_requests`` table with its reason, and the customer gets a
reference and is told a person will follow up.
"""

from __future__ import annotations

import logging
from typing import List, Optional, Text

from rasa_sdk import Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.base import ShopAction
from actions.store import get_store
from actions.store.repository import StoreUnavailable

logger = logging.getLogger(__name__)

# Why a conversation goes to a person, by the intent that asked for it.
REASON_BY_INTENT = {
    "request_human": "explicit_request",
    "complaint": "complaint",
    "close_account": "sensitive",
}


def handoff_reason(intent: Optional[str]) -> str:
    """The handoff reason for the customer's latest intent."""
    return REASON_BY_INTENT.get(intent or "", "explicit_request")


class ActionHandoff(ShopAction):
    """Records that the conversation needs a person and tells the customer."""

    def name(self) -> Text:
        return "action_handoff"

    async def handle(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        message = tracker.latest_message or {}
        reason = handoff_reason((message.get("intent") or {}).get("name"))
        try:
            reference = await get_store().record_support_request(tracker.sender_id, reason, message.get("text") or "")
        except StoreUnavailable:
            logger.exception("could not record a handoff for %s", tracker.sender_id)
            dispatcher.utter_message(response="utter_handoff_unavailable")
            return []
        dispatcher.utter_message(response="utter_handoff_recorded", reference=reference)
        return []
