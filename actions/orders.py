"""Order actions: status, cancellation, change of delivery address."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.base import ShopAction
from actions.parsing import parse_address
from actions.replies import brief_status_reply, not_changeable_reply, order_values, status_reply
from actions.store import get_store
from actions.store.repository import Order, OrderNotChangeable, OrderNotFound
from actions.validation import OrderChangeFormValidation, OrderFormValidation, first_value
from actions.verification import current_customer, locked_out

# Slots that belong to one order change and are cleared when it ends.
ORDER_CHANGE_SLOTS = ("cancel_confirmed", "order_changeable", "order_summary", "new_delivery_address")


def clear_order_change() -> list[EventType]:
    """Events that forget the answers of the last order change."""
    return [SlotSet(slot, None) for slot in ORDER_CHANGE_SLOTS]


class ValidateOrderStatusForm(OrderFormValidation):
    """Validates ``order_status_form``: anyone who names an order hears its status; the
    delivery details (carrier, tracking number, dates) need the e-mail on the order."""

    def name(self) -> str:
        return "validate_order_status_form"

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        """The order number, then the e-mail on it unless its owner is proved (or no proof can be given)."""
        number = tracker.get_slot("order_number")
        if not number:
            return domain_slots
        order = await get_store().get_order(number)
        if order is None or owns(tracker, order) or locked_out(tracker):
            return [slot for slot in domain_slots if slot != "verify_email"]
        return domain_slots

    def on_unproved_order(self, order: Order, dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
        """Say the status at once; the details follow the e-mail."""
        response, values = brief_status_reply(order, tracker.get_slot("language"))
        dispatcher.utter_message(response=response, **values)


def owns(tracker: Tracker, order: Order) -> bool:
    """Whether the conversation has proved to be the order's owner (and the proof still holds)."""
    return current_customer(tracker) == order.customer_id


class ValidateCancelOrderForm(OrderChangeFormValidation):
    """Validates ``cancel_order_form``."""

    def name(self) -> str:
        return "validate_cancel_order_form"


class ValidateChangeDeliveryAddressForm(OrderChangeFormValidation):
    """Validates ``change_delivery_address_form``."""

    def name(self) -> str:
        return "validate_change_delivery_address_form"

    async def validate_new_delivery_address(
        self, slot_value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """The address must look complete (number, street, city)."""
        address = parse_address(first_value(slot_value))
        if address is None:
            dispatcher.utter_message(response="utter_invalid_address")
        return {"new_delivery_address": address}


class ActionCheckOrderStatus(ShopAction):
    """Tells the status, carrier, tracking number and expected delivery of an order."""

    def name(self) -> str:
        return "action_check_order_status"

    async def handle(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        order = await get_store().get_order(tracker.get_slot("order_number") or "")
        if order is None:
            dispatcher.utter_message(response="utter_order_not_found", order_number=tracker.get_slot("order_number"))
            return [SlotSet("order_number", None)]
        if not owns(tracker, order):  # the status was said; the details stay with the owner
            dispatcher.utter_message(response="utter_order_details_withheld", order_number=order.order_number)
            return []
        response, values = status_reply(order, tracker.get_slot("language"))
        dispatcher.utter_message(response=response, **values)
        return []


async def owns_number(tracker: Tracker, number: str) -> bool:
    """Whether the conversation has proved to be the owner of order ``number``."""
    order = await get_store().get_order(number) if number else None
    return order is not None and owns(tracker, order)


def unproved_response(tracker: Tracker) -> str:
    """Why nothing was changed without a proof: it failed, or this chat can no longer take one."""
    return "utter_verification_locked" if locked_out(tracker) else "utter_verification_failed"


async def explain_not_changeable(number: str, dispatcher: CollectingDispatcher, language: str | None) -> None:
    """Tell the customer why an order can no longer be changed (or that it does not exist), in ``language``."""
    order = await get_store().get_order(number)
    if order is None:
        dispatcher.utter_message(response="utter_order_not_found", order_number=number)
        return
    response, values = not_changeable_reply(order, language)
    dispatcher.utter_message(response=response, **values)


class ActionCancelOrder(ShopAction):
    """Cancels an unshipped order once the verified owner confirmed."""

    def name(self) -> str:
        return "action_cancel_order"

    async def handle(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        number = tracker.get_slot("order_number") or ""
        if tracker.get_slot("order_changeable") is False:
            await explain_not_changeable(number, dispatcher, tracker.get_slot("language"))
        elif not await owns_number(tracker, number):
            dispatcher.utter_message(response=unproved_response(tracker))
        elif tracker.get_slot("cancel_confirmed") is not True:
            dispatcher.utter_message(response="utter_cancel_kept", order_number=number)
        else:
            try:
                order = await get_store().cancel_order(number, tracker.sender_id)
            except (OrderNotChangeable, OrderNotFound):
                await explain_not_changeable(number, dispatcher, tracker.get_slot("language"))
            else:
                dispatcher.utter_message(response="utter_order_cancelled", **order_values(order, tracker.get_slot("language")))
        return clear_order_change()


class ActionChangeDeliveryAddress(ShopAction):
    """Redirects an unshipped order of the verified owner to a new address."""

    def name(self) -> str:
        return "action_change_delivery_address"

    async def handle(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        number = tracker.get_slot("order_number") or ""
        address = tracker.get_slot("new_delivery_address")
        if tracker.get_slot("order_changeable") is False:
            await explain_not_changeable(number, dispatcher, tracker.get_slot("language"))
            return clear_order_change()
        if not await owns_number(tracker, number) or not address:
            dispatcher.utter_message(response=unproved_response(tracker))
            return clear_order_change()
        try:
            order = await get_store().change_delivery_address(number, address, tracker.sender_id)
        except (OrderNotChangeable, OrderNotFound):
            await explain_not_changeable(number, dispatcher, tracker.get_slot("language"))
        else:
            dispatcher.utter_message(
                response="utter_delivery_address_changed", address=order.delivery_address,
                **order_values(order, tracker.get_slot("language"))
            )
        return clear_order_change()
