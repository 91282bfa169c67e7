"""Account actions: change e-mail, phone, saved address; reset password."""

from __future__ import annotations

from abc import abstractmethod
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.base import ShopAction, ShopFormValidation
from actions.parsing import parse_address, parse_email, parse_phone
from actions.store import get_store
from actions.validation import AccountFormValidation, first_value, parsed_or_refused
from actions.verification import current_customer


class ValidateChangeEmailForm(AccountFormValidation):
    """Validates ``change_email_form``."""

    def name(self) -> str:
        return "validate_change_email_form"

    async def validate_new_email(
        self, slot_value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """A well-formed address (whether another account uses it is not said: see ``ActionChangeEmail``)."""
        return {"new_email": parsed_or_refused(slot_value, parse_email, "utter_invalid_email", dispatcher)}


class ValidateChangePhoneForm(AccountFormValidation):
    """Validates ``change_phone_form``."""

    def name(self) -> str:
        return "validate_change_phone_form"

    async def validate_new_phone(
        self, slot_value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """9 to 15 digits, optionally with a leading +, in any width (see actions.parsing.parse_phone)."""
        return {"new_phone": parsed_or_refused(slot_value, parse_phone, "utter_invalid_phone", dispatcher)}


class ValidateChangeAccountAddressForm(AccountFormValidation):
    """Validates ``change_account_address_form``."""

    def name(self) -> str:
        return "validate_change_account_address_form"

    async def validate_new_address(
        self, slot_value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """The address must look complete."""
        address = parse_address(first_value(slot_value))
        if address is None:
            dispatcher.utter_message(response="utter_invalid_address")
        return {"new_address": address}


class ValidateResetPasswordForm(ShopFormValidation):
    """Validates ``reset_password_form`` (no verification: the link goes to the address on file)."""

    def name(self) -> str:
        return "validate_reset_password_form"

    async def validate_reset_email(
        self, slot_value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Any well-formed address: whether it has an account is not revealed."""
        return {"reset_email": parsed_or_refused(slot_value, parse_email, "utter_invalid_email", dispatcher)}


class _AccountChange(ShopAction):
    """Stores one verified account change and confirms it back."""

    slot: str = ""

    @abstractmethod
    async def _apply(self, customer_id: str, value: str, conversation_id: str) -> tuple[str, dict[str, Any]]:
        """Store the change; return the confirming response and its values."""

    async def handle(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        customer_id = current_customer(tracker)
        value = tracker.get_slot(self.slot)
        if not customer_id or not value:
            dispatcher.utter_message(response="utter_default")
            return [SlotSet(self.slot, None)]
        response, values = await self._apply(customer_id, value, tracker.sender_id)
        dispatcher.utter_message(response=response, **values)
        return [SlotSet(self.slot, None)]


class ActionChangeEmail(_AccountChange):
    """Sends a confirmation link to the new address; the change is made when it is opened
    (``ShopStore.confirm_email_change``) and the old address gets a notice then. The customer
    hears the same whether or not another account has the address: only that address's owner
    is told, by mail."""

    slot = "new_email"

    def name(self) -> str:
        return "action_change_email"

    async def _apply(self, customer_id: str, value: str, conversation_id: str) -> tuple[str, dict[str, Any]]:
        store = get_store()
        current = await store.get_customer(customer_id)
        if current is not None and current.email == value:
            return "utter_email_unchanged", {}
        await store.request_email_change(customer_id, value, conversation_id)
        return "utter_email_change_requested", {"email": value}


class ActionChangePhone(_AccountChange):
    """Changes the account phone number."""

    slot = "new_phone"

    def name(self) -> str:
        return "action_change_phone"

    async def _apply(self, customer_id: str, value: str, conversation_id: str) -> tuple[str, dict[str, Any]]:
        customer = await get_store().change_phone(customer_id, parse_phone(value) or value, conversation_id)
        return "utter_phone_changed", {"phone": customer.phone}


class ActionChangeAccountAddress(_AccountChange):
    """Changes the saved address of the account."""

    slot = "new_address"

    def name(self) -> str:
        return "action_change_account_address"

    async def _apply(self, customer_id: str, value: str, conversation_id: str) -> tuple[str, dict[str, Any]]:
        customer = await get_store().change_address(customer_id, parse_address(value) or value, conversation_id)
        return "utter_account_address_changed", {"address": customer.address}


class ActionResetPassword(ShopAction):
    """Writes a reset link to the outbox when the address has an account."""

    def name(self) -> str:
        return "action_reset_password"

    async def handle(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        email = tracker.get_slot("reset_email")
        if email:
            await get_store().request_password_reset(email)
            dispatcher.utter_message(response="utter_password_reset_sent", email=email)
        return [SlotSet("reset_email", None)]
