"""Shared validation of form slots: order numbers and identity checks.

A customer proves who they are with the e-mail on file plus the number of one
of their orders. Once verified, ``verified_customer_id`` is set for the rest of
the conversation and later changes skip the questions.
"""

from __future__ import annotations

from abc import ABC
from collections.abc import Callable
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.base import ShopFormValidation
from actions.parsing import parse_email, parse_order_number
from actions.replies import order_values, shown
from actions.store import get_store
from actions.store.repository import Customer, Order

VERIFICATION_SLOTS = ("verify_email", "order_number")


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


async def lookup_order(value: Any, dispatcher: CollectingDispatcher) -> Order | None:
    """Parse and look up an order number, telling the customer what was wrong."""
    text = first_value(value) or ""
    number = parse_order_number(text)
    if number is None:
        dispatcher.utter_message(response="utter_invalid_order_number", value=shown(text))
        return None
    order = await get_store().get_order(number)
    if order is None:
        dispatcher.utter_message(response="utter_order_not_found", order_number=number)
    return order


def verified(customer: Customer) -> dict[str, Any]:
    """Slots that mark the customer as verified."""
    return {"verified_customer_id": customer.id, "verify_email": customer.email}


class OrderFormValidation(ShopFormValidation, ABC):
    """Forms that ask for an order number first (status, cancel, redirect)."""

    async def validate_order_number(
        self, slot_value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Accept an existing order; record whether it can still be changed."""
        order = await lookup_order(slot_value, dispatcher)
        if order is None:
            return {"order_number": None}
        slots: dict[str, Any] = {
            "order_number": order.order_number,
            "order_changeable": order.changeable,
            "order_summary": order_values(order, tracker.get_slot("language"))["summary"],
        }
        if tracker.get_slot("verified_customer_id") == order.customer_id:
            customer = await get_store().get_customer(order.customer_id)
            if customer is not None:
                slots.update(verified(customer))
        return slots


class OrderChangeFormValidation(OrderFormValidation, ABC):
    """Order forms that change the order: the owner must be verified first."""

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        """Stop after the order number when the order can no longer be changed."""
        if tracker.get_slot("order_changeable") is False:
            return ["order_number"]
        return domain_slots

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
            dispatcher.utter_message(response="utter_verification_failed")
            return {"verify_email": None}
        dispatcher.utter_message(response="utter_verified")
        return verified(customer)


class AccountFormValidation(ShopFormValidation, ABC):
    """Account forms: verify with e-mail plus order number, then ask for the change."""

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        """Skip the identity questions once the customer is verified."""
        if tracker.get_slot("verified_customer_id"):
            return [slot for slot in domain_slots if slot not in VERIFICATION_SLOTS]
        return domain_slots

    async def validate_verify_email(
        self, slot_value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Accept a well-formed e-mail; it is checked once the order number is known."""
        email = parsed_or_refused(slot_value, parse_email, "utter_invalid_email", dispatcher)
        if email is None:
            return {"verify_email": None}
        number = tracker.get_slot("order_number")
        if number and not tracker.get_slot("verified_customer_id"):
            return await self._verify(email, number, dispatcher)
        return {"verify_email": email}

    async def validate_order_number(
        self, slot_value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """The order must exist and belong to the account with the given e-mail."""
        order = await lookup_order(slot_value, dispatcher)
        if order is None:
            return {"order_number": None}
        email = tracker.get_slot("verify_email")
        if email and not tracker.get_slot("verified_customer_id"):
            return await self._verify(email, order.order_number, dispatcher)
        return {"order_number": order.order_number}

    @staticmethod
    async def _verify(email: str, order_number: str, dispatcher: CollectingDispatcher) -> dict[str, Any]:
        customer = await get_store().verify(email, order_number)
        if customer is None:
            dispatcher.utter_message(response="utter_verification_failed")
            return {"verify_email": None, "order_number": None}
        dispatcher.utter_message(response="utter_verified")
        return {**verified(customer), "order_number": order_number}
