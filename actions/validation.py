"""Shared validation of form slots: order numbers and identity checks.

A customer proves who they are with the e-mail on file plus the number of one
of their orders. Once verified, ``verified_customer_id`` is set and later changes
skip the questions while the proof holds (``actions.verification``: this session,
no long silence). Order details beyond the status, and every change, need the
proof for that order's owner; failed proofs and unknown order numbers are counted
per session and stop being tried after a few.
"""

from __future__ import annotations

import os
from abc import ABC
from collections.abc import Callable
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.base import ShopFormValidation, slots_copy
from actions.parsing import parse_email, parse_order_number
from actions.replies import order_values, shown
from actions.store import get_store
from actions.store.repository import Customer, Order
from actions.verification import current_customer, locked_out, one_more_failure

VERIFICATION_SLOTS = ("verify_email", "order_number")
LOOKUPS_SLOT = "order_lookups_failed"


def lookups_allowed() -> int:
    """Unknown order numbers one session may try (``ACTIONS_ORDER_LOOKUPS``, default 5)."""
    return int(os.environ.get("ACTIONS_ORDER_LOOKUPS", "5"))


def first_value(value: Any) -> str | None:
    """A slot may arrive as a list when several entities matched: take the first."""
    if isinstance(value, list):
        value = value[0] if value else None
    return None if value is None else str(value)


def parsed_or_refused(
    value: Any, parse: Callable[[str | None], str | None], refusal: str, dispatcher: CollectingDispatcher
) -> str | None:
    """Parse a slot value; on failure tell the customer why (quoting a short form of what they typed)."""
    text = first_value(value) or ""
    parsed = parse(text)
    if parsed is None:
        dispatcher.utter_message(response=refusal, value=shown(text))
    return parsed


async def lookup_order(value: Any, dispatcher: CollectingDispatcher, tracker: Tracker) -> tuple[Order | None, dict[str, Any]]:
    """Parse and look up an order number, telling the customer what was wrong.

    Returns the order (``None`` if refused) and the slots that count an unknown number; once a
    session has tried ``lookups_allowed()`` unknown numbers, no more are looked up.
    """
    text = first_value(value) or ""
    number = parse_order_number(text)
    if number is None:
        dispatcher.utter_message(response="utter_invalid_order_number", value=shown(text))
        return None, {}
    tried = int(tracker.get_slot(LOOKUPS_SLOT) or 0)
    if tried >= lookups_allowed():
        dispatcher.utter_message(response="utter_lookups_used_up")
        return None, {}
    order = await get_store().get_order(number)
    if order is None:
        dispatcher.utter_message(response="utter_order_not_found", order_number=number)
        return None, {LOOKUPS_SLOT: float(tried + 1)}
    return order, {}


def verified(customer: Customer) -> dict[str, Any]:
    """Slots that mark the customer as verified."""
    return {"verified_customer_id": customer.id, "verify_email": customer.email}


class OrderFormValidation(ShopFormValidation, ABC):
    """Forms that ask for an order number first (status, cancel, redirect), then, unless the
    customer has already proved to be the order's owner, the e-mail on the order."""

    async def validate_order_number(
        self, slot_value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Accept an existing order; record whether it can still be changed."""
        order, counted = await lookup_order(slot_value, dispatcher, tracker)
        if order is None:
            return {"order_number": None, **counted}
        slots: dict[str, Any] = {
            "order_number": order.order_number,
            "order_changeable": order.changeable,
            "order_summary": order_values(order, tracker.get_slot("language"))["summary"],
        }
        if current_customer(tracker) == order.customer_id:
            customer = await get_store().get_customer(order.customer_id)
            if customer is not None:
                slots.update(verified(customer))
        else:
            slots["verify_email"] = None  # a proof for someone else's account does not count here
            self.on_unproved_order(order, dispatcher, tracker)
        return slots

    def on_unproved_order(self, order: Order, dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
        """Called when the order is found and its owner is not proved yet (nothing by default)."""

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        """Validate as usual; then, if the form still needs the owner's e-mail but holds one that does
        not prove this order's owner (someone else's proof, or an address Rasa re-validated as the form
        started), forget it and ask for it."""
        seen = slots_copy(tracker)  # before validating: rasa-sdk updates the tracker's slots as it goes
        events = await super().run(dispatcher, tracker, domain)
        seen.add_slots(events)
        number = seen.get_slot("order_number")
        if not number or seen.get_slot("verify_email") is None:
            return events
        needed = await self.required_slots(self.domain_slots(domain), dispatcher, seen, domain)
        order = await get_store().get_order(number) if "verify_email" in needed else None
        if order is not None and current_customer(seen) != order.customer_id:
            events += [SlotSet("verify_email", None), SlotSet("requested_slot", "verify_email")]
        return events

    async def validate_verify_email(
        self, slot_value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """The e-mail must be the one on file for the order's owner."""
        email = parsed_or_refused(slot_value, parse_email, "utter_invalid_email", dispatcher)
        if email is None:
            return {"verify_email": None}
        number = tracker.get_slot("order_number")
        customer = await get_store().verify(email, number) if number else None
        if customer is None:
            return refused_proof(dispatcher, tracker, {"verify_email": None})
        dispatcher.utter_message(response="utter_verified")
        return verified(customer)


def refused_proof(dispatcher: CollectingDispatcher, tracker: Tracker, cleared: dict[str, Any]) -> dict[str, Any]:
    """Count a failed proof and tell the customer: try again, or (at the limit) that this chat can
    no longer check it and a person can."""
    counted = one_more_failure(tracker)
    used_up = locked_out(_with(tracker, counted))
    dispatcher.utter_message(response="utter_verification_locked" if used_up else "utter_verification_failed")
    return {**cleared, **counted}


def _with(tracker: Tracker, slots: dict[str, Any]) -> Tracker:
    seen = slots_copy(tracker)
    seen.slots.update(slots)
    return seen


class OrderChangeFormValidation(OrderFormValidation, ABC):
    """Order forms that change the order: the owner must be verified first."""

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        """Stop after the order number when the order can no longer be changed or no proof can be given."""
        if tracker.get_slot("order_changeable") is False or locked_out(tracker):
            return ["order_number"]
        return domain_slots


class AccountFormValidation(ShopFormValidation, ABC):
    """Account forms: verify with e-mail plus order number, then ask for the change."""

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        """Skip the identity questions once the customer is verified; end when no proof can be given."""
        if current_customer(tracker):
            return [slot for slot in domain_slots if slot not in VERIFICATION_SLOTS]
        if locked_out(tracker):
            return []
        return domain_slots

    async def validate_verify_email(
        self, slot_value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Accept a well-formed e-mail; it is checked once the order number is known."""
        email = parsed_or_refused(slot_value, parse_email, "utter_invalid_email", dispatcher)
        if email is None:
            return {"verify_email": None}
        number = tracker.get_slot("order_number")
        if number and not current_customer(tracker):
            return await self._verify(email, number, dispatcher, tracker)
        return {"verify_email": email}

    async def validate_order_number(
        self, slot_value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """The order must exist and belong to the account with the given e-mail."""
        order, counted = await lookup_order(slot_value, dispatcher, tracker)
        if order is None:
            return {"order_number": None, **counted}
        email = tracker.get_slot("verify_email")
        if email and not current_customer(tracker):
            return await self._verify(email, order.order_number, dispatcher, tracker)
        return {"order_number": order.order_number}

    @staticmethod
    async def _verify(email: str, order_number: str, dispatcher: CollectingDispatcher, tracker: Tracker) -> dict[str, Any]:
        customer = await get_store().verify(email, order_number)
        if customer is None:
            return refused_proof(dispatcher, tracker, {"verify_email": None, "order_number": None})
        dispatcher.utter_message(response="utter_verified")
        return {**verified(customer), "order_number": order_number}
