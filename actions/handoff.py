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
from typing import Any

import aiohttp
from rasa_sdk import Tracker
from rasa_sdk.events import ConversationPaused, EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.base import ShopAction
from actions.handoff_context import customer_record, handoff_request, named_order_record
from actions.store import get_store
from actions.store.repository import StoreUnavailable
from actions.verification import current_customer
from escalation.reasons import reason_for_intent

logger = logging.getLogger(__name__)

BRIDGE_TIMEOUT_S = 5.0
DECISION_SLOT = "escalation"


def handoff_reason(intent: str | None) -> str:
    """The handoff reason for the customer's latest intent (when the escalation check left no decision,
    e.g. the action server restarted): ``escalation.reasons.REASON_BY_INTENT``."""
    return reason_for_intent(intent)


def latest_decision(events: list[dict[str, Any]], actions: tuple[str, ...] = ("handoff", "offer")) -> dict[str, Any] | None:
    """The newest escalation decision in ``events`` whose action is one of ``actions``."""
    for event in reversed(events):
        if event.get("event") == "slot" and event.get("name") == DECISION_SLOT:
            value = event.get("value")
            if isinstance(value, dict) and value.get("action") in actions:
                return value
    return None


def this_turns_decision(tracker: Tracker) -> dict[str, Any] | None:
    """The escalation decision stored after the customer's latest message, whatever it says."""
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            return None
        if event.get("event") == "slot" and event.get("name") == DECISION_SLOT:
            value = event.get("value")
            return value if isinstance(value, dict) else None
    return None


async def send_to_bridge(body: dict[str, Any]) -> dict[str, Any] | None:
    """POST the handoff to the bridge; its answer (``status``: ``queued``/``unchanged``, and ``desk``: open
    or not, and when it opens), or ``None`` if not delivered."""
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
                answer = await response.json()
                return answer if isinstance(answer, dict) else None
    except (aiohttp.ClientError, OSError, asyncio.TimeoutError, ValueError) as e:
        logger.error("bridge unreachable for the handoff of %s: %s", body["conversation_id"], e)
        return None


def queued_reply(answer: dict[str, Any], language: str | None) -> tuple[str, dict[str, Any]]:
    """What to tell a customer whose conversation was queued: the wait, or, while the desk is closed,
    when it opens (the label in the customer's language, from the bridge)."""
    desk = answer.get("desk") if isinstance(answer.get("desk"), dict) else {}
    if desk.get("open", True):
        return "utter_handoff_queued", {}
    opens = desk.get("opens") if isinstance(desk.get("opens"), dict) else {}
    label = opens.get(language or "en") or opens.get("en")
    return ("utter_handoff_after_hours", {"opens": label}) if label else ("utter_handoff_after_hours_unknown", {})


async def hand_over(
    dispatcher: CollectingDispatcher, tracker: Tracker, decision: dict[str, Any] | None
) -> list[EventType]:
    """Queue the conversation live through the bridge, or record it for a person to follow up.

    ``decision`` is the escalation decision behind the handoff: its reason,
    one-line summary and evidence go to the agents' queue.
    """
    message = tracker.latest_message or {}
    if decision and decision.get("reason") and decision.get("action") in ("offer", "handoff"):
        reason = str(decision["reason"])
        evidence = decision_evidence(decision)
        summary: str | None = decision.get("summary")
    else:
        reason, evidence, summary = handoff_reason((message.get("intent") or {}).get("name")), None, None
    # The agent sees the proof of identity as it stands (a lapsed one is no proof).
    slots = {**tracker.current_slot_values(), "verified_customer_id": current_customer(tracker)}
    body = handoff_request(tracker.sender_id, reason, message, tracker.events, slots,
                           evidence=evidence, summary=summary, customer=await customer_facts(slots))
    answer = await send_to_bridge(body) or {}
    status = answer.get("status")
    if status == "queued":
        response, values = queued_reply(answer, tracker.get_slot("language"))
        dispatcher.utter_message(response=response, **values)
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


async def customer_facts(slots: dict[str, Any]) -> dict[str, Any] | None:
    """What the agent may see of the customer: the account and orders of a customer who proved who
    they are in this conversation; else only the order they named (no account details: anyone can type
    an order number); ``None`` when neither is known or the store is down (the handoff goes on)."""
    store = get_store()
    try:
        if slots.get("verified_customer_id"):
            customer = await store.get_customer(str(slots["verified_customer_id"]))
            if customer is not None:
                return customer_record(customer, await store.orders_of(customer.id))
        if slots.get("order_number"):
            order = await store.get_order(str(slots["order_number"]))
            if order is not None:
                return named_order_record(order)
        return None
    except StoreUnavailable:
        logger.warning("no customer facts for a handoff: the store is unavailable")
        return None


def decision_evidence(decision: dict[str, Any]) -> list[dict[str, Any]]:
    """The decision's evidence as rows for the bridge: one per fact, strongest signal first."""
    signals = decision.get("signals") or {}
    rows = []
    for name, signal in sorted(signals.items(), key=lambda item: -float(item[1].get("score") or 0)):
        for fact in signal.get("evidence") or []:
            rows.append({"signal": name, "score": signal.get("score"), **fact})
    return rows


class ActionHandoff(ShopAction):
    """Hands the conversation to a person when the customer's own words ask for it (rules)."""

    def name(self) -> str:
        return "action_handoff"

    async def handle(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        return await hand_over(dispatcher, tracker, this_turns_decision(tracker))
