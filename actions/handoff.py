"""Handing a conversation to a person.

With the handoff bridge configured (``HANDOFF_URL`` and ``HANDOFF_SECRET``),
the conversation goes live into the agents' queue: the bridge gets the reason,
the evidence, the transcript, the recent intents and the slots, and Rasa is
paused until the agent hands back. Without a bridge, or when it cannot be
reached, the request is recorded in the store's ``support_requests`` table and
the customer gets a reference: a person follows up later.
"""

from __future__ import annotations

import asyncio
import logging
import os
from typing import Any, Dict, List, Optional, Text

import aiohttp
from rasa_sdk import Tracker
from rasa_sdk.events import ConversationPaused, EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.base import ShopAction
from actions.handoff_context import handoff_request
from actions.store import get_store
from actions.store.repository import StoreUnavailable

logger = logging.getLogger(__name__)

# Why a conversation goes to a person, by the intent that asked for it.
REASON_BY_INTENT = {
    "request_human": "explicit_request",
    "complaint": "complaint",
    "close_account": "sensitive",
}
BRIDGE_TIMEOUT_S = 5.0


def handoff_reason(intent: Optional[str]) -> str:
    """The handoff reason for the customer's latest intent."""
    return REASON_BY_INTENT.get(intent or "", "explicit_request")


async def send_to_bridge(body: Dict[str, Any]) -> Optional[str]:
    """POST the handoff to the bridge; its status (``queued``/``unchanged``), or ``None`` if not delivered."""
    url, secret = os.environ.get("HANDOFF_URL"), os.environ.get("HANDOFF_SECRET")
    if not url or not secret:
        return None
    try:
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=BRIDGE_TIMEOUT_S)) as session:
            async with session.post(url, json=body, headers={"Authorization": f"Bearer {secret}"}) as response:
                if response.status != 200:
                    logger.error("bridge refused the handoff of %s: HTTP %s %s", body["conversation_id"],
                                 response.status, (await response.text())[:300])
                    return None
                return (await response.json()).get("status")
    except (aiohttp.ClientError, OSError, asyncio.TimeoutError) as e:
        logger.error("bridge unreachable for the handoff of %s: %s", body["conversation_id"], e)
        return None


class ActionHandoff(ShopAction):
    """Hands the conversation to a person, live through the bridge or as a recorded request."""

    def name(self) -> Text:
        return "action_handoff"

    async def handle(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        message = tracker.latest_message or {}
        reason = handoff_reason((message.get("intent") or {}).get("name"))
        body = handoff_request(tracker.sender_id, reason, message, tracker.events, tracker.current_slot_values())
        status = await send_to_bridge(body)
        if status == "queued":
            dispatcher.utter_message(response="utter_handoff_queued")
            return [ConversationPaused()]
        if status == "unchanged":
            return []
        try:
            reference = await get_store().record_support_request(tracker.sender_id, reason, message.get("text") or "")
        except StoreUnavailable:
            logger.exception("could not record a handoff for %s", tracker.sender_id)
            dispatcher.utter_message(response="utter_handoff_unavailable")
            return []
        dispatcher.utter_message(response="utter_handoff_recorded", reference=reference)
        return []
