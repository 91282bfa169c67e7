"""Account actions and their form validation, against a real SQLite store."""

from __future__ import annotations

import datetime as dt

import pytest
from rasa_sdk.events import SlotSet

from actions.account import (
    ActionChangeAccountAddress,
    ActionChangeEmail,
    ActionChangePhone,
    ActionResetPassword,
    ValidateChangeEmailForm,
    ValidateChangePhoneForm,
    ValidateResetPasswordForm,
)
from actions.store.repository import LinkInvalid
from tests.actions.helpers import SENDER, responses, run, slot_events, tracker

VERIFIED = {"verified_customer_id": "C1001", "verify_email": "jane.doe@example.com", "order_number": "ORD-100101"}


async def test_email_then_matching_order_verifies(store, domain):
    events, messages = await run(
        ValidateChangeEmailForm(), tracker(new_slots={"verify_email": "jane.doe@example.com"}, active_loop="change_email_form"), domain
    )
    assert slot_events(events)["verify_email"] == "jane.doe@example.com"
    assert messages == []  # checked once the order number is known
    events, messages = await run(
        ValidateChangeEmailForm(),
        tracker({"verify_email": "jane.doe@example.com"}, new_slots={"order_number": "ord 100103"}, active_loop="change_email_form"),
        domain,
    )
    assert slot_events(events)["verified_customer_id"] == "C1001"
    assert slot_events(events)["order_number"] == "ORD-100103"
    assert responses(messages) == ["utter_verified"]


async def test_someone_elses_order_fails_verification_and_asks_both_again(store, domain):
    events, messages = await run(
        ValidateChangeEmailForm(),
        tracker({"verify_email": "jane.doe@example.com"}, new_slots={"order_number": "ORD-100201"}, active_loop="change_email_form"),
        domain,
    )
    assert slot_events(events) == {"verify_email": None, "order_number": None, "verification_failures": 1.0}
    assert responses(messages) == ["utter_verification_failed"]


async def test_unknown_email_fails_like_a_wrong_one(store, domain):
    """The reply does not tell whether the address has an account."""
    events, messages = await run(
        ValidateChangeEmailForm(),
        tracker({"verify_email": "nobody@example.com"}, new_slots={"order_number": "ORD-100101"}, active_loop="change_email_form"),
        domain,
    )
    assert slot_events(events) == {"verify_email": None, "order_number": None, "verification_failures": 1.0}
    assert responses(messages) == ["utter_verification_failed"]


async def test_verified_customer_skips_identity_questions(store, domain):
    events, _ = await run(
        ValidateChangeEmailForm(),
        tracker(VERIFIED, new_slots={"new_email": "jane.new@example.com"}, active_loop="change_email_form"),
        domain,
    )
    assert slot_events(events)["new_email"] == "jane.new@example.com"
    assert slot_events(events)["requested_slot"] is None  # form complete


async def test_a_new_email_must_be_well_formed(store, domain):
    events, messages = await run(
        ValidateChangeEmailForm(), tracker(VERIFIED, new_slots={"new_email": "jane at example"}, active_loop="change_email_form"),
        domain,
    )
    assert slot_events(events)["new_email"] is None
    assert responses(messages) == ["utter_invalid_email"]


async def test_change_email_waits_for_the_link_then_is_stored_audited_and_announced(store, domain):
    events, messages = await run(ActionChangeEmail(), tracker({**VERIFIED, "new_email": "jane.new@example.com"}), domain)
    assert events == [SlotSet("new_email", None)]
    assert responses(messages) == ["utter_email_change_requested"]
    assert (await store.get_customer("C1001")).email == "jane.doe@example.com"  # not before the link is opened
    [link] = await store.outbox_for("jane.new@example.com")
    assert link["kind"] == "email_change_confirm"
    token = link["body"].split("token=")[1].split()[0]
    await store.confirm_email_change(token)
    assert (await store.get_customer("C1001")).email == "jane.new@example.com"
    assert (await store.find_customer_by_email("jane.new@example.com")).id == "C1001"
    notices = await store.outbox_for("jane.doe@example.com")
    assert [n["kind"] for n in notices] == ["email_changed"]
    changes = await store.changes_of("C1001")
    assert [(c["subject"], c["old_value"], c["new_value"], c["conversation_id"]) for c in changes] == [
        ("email", "jane.doe@example.com", "jane.new@example.com", SENDER)
    ]
    with pytest.raises(LinkInvalid):  # a link works once
        await store.confirm_email_change(token)


async def test_an_address_in_use_gets_the_same_answer_and_only_its_owner_is_told(store, domain):
    """No oracle: the chat says the same for another customer's address as for a free one."""
    _, to_taken = await run(ActionChangeEmail(), tracker({**VERIFIED, "new_email": "kenji.sato@example.jp"}), domain)
    _, to_free = await run(ActionChangeEmail(), tracker({**VERIFIED, "new_email": "jane.other@example.com"}), domain)
    assert [m["response"] for m in to_taken] == [m["response"] for m in to_free] == ["utter_email_change_requested"]
    assert [n["kind"] for n in await store.outbox_for("kenji.sato@example.jp")] == ["email_in_use_notice"]
    assert "token=" not in (await store.outbox_for("kenji.sato@example.jp"))[0]["body"]
    assert (await store.get_customer("C1001")).email == "jane.doe@example.com"
    assert (await store.get_customer("C1002")).email == "kenji.sato@example.jp"


async def test_an_expired_link_changes_nothing(store, domain):
    await run(ActionChangeEmail(), tracker({**VERIFIED, "new_email": "jane.late@example.com"}), domain)
    token = (await store.outbox_for("jane.late@example.com"))[0]["body"].split("token=")[1].split()[0]
    with pytest.raises(LinkInvalid):
        await store.confirm_email_change(token, now=dt.datetime.now() + dt.timedelta(hours=25))
    assert (await store.get_customer("C1001")).email == "jane.doe@example.com"


async def test_change_phone_is_normalised_and_stored(store, domain):
    events, _ = await run(
        ValidateChangePhoneForm(), tracker(VERIFIED, new_slots={"new_phone": "call me on (415) 555-0199"}, active_loop="change_phone_form"), domain
    )
    assert slot_events(events)["new_phone"] == "4155550199"
    events, messages = await run(ActionChangePhone(), tracker({**VERIFIED, "new_phone": "+44 7700 900999"}), domain)
    assert responses(messages) == ["utter_phone_changed"]
    assert (await store.get_customer("C1001")).phone == "+447700900999"


async def test_change_phone_refuses_a_short_number(store, domain):
    events, messages = await run(
        ValidateChangePhoneForm(), tracker(VERIFIED, new_slots={"new_phone": "555"}, active_loop="change_phone_form"), domain
    )
    assert slot_events(events)["new_phone"] is None
    assert responses(messages) == ["utter_invalid_phone"]


async def test_change_saved_address_keeps_order_addresses(store, domain):
    _, messages = await run(
        ActionChangeAccountAddress(), tracker({**VERIFIED, "new_address": "77 Park Lane, 10115 Berlin, Germany"}), domain
    )
    assert responses(messages) == ["utter_account_address_changed"]
    assert (await store.get_customer("C1001")).address == "77 Park Lane, 10115 Berlin, Germany"
    assert (await store.get_order("ORD-100102")).delivery_address == "12 Oak Street, 62701 Springfield, USA"


async def test_account_change_without_verification_changes_nothing(store, domain):
    _, messages = await run(ActionChangePhone(), tracker({"new_phone": "+14155550000"}), domain)
    assert responses(messages) == ["utter_default"]
    assert (await store.get_customer("C1001")).phone == "+14155550134"


async def test_password_reset_writes_a_link_to_the_outbox(store, domain):
    events, messages = await run(ActionResetPassword(), tracker({"reset_email": "maria.garcia@example.com"}), domain)
    assert events == [SlotSet("reset_email", None)]
    assert responses(messages) == ["utter_password_reset_sent"]
    mail = await store.outbox_for("maria.garcia@example.com")
    assert len(mail) == 1 and mail[0]["kind"] == "password_reset" and "token=" in mail[0]["body"]


async def test_password_reset_for_an_unknown_address_says_the_same_and_sends_nothing(store, domain):
    _, messages = await run(ActionResetPassword(), tracker({"reset_email": "nobody@example.com"}), domain)
    assert responses(messages) == ["utter_password_reset_sent"]
    assert await store.outbox_for("nobody@example.com") == []


async def test_reset_email_is_validated(store, domain):
    events, messages = await run(
        ValidateResetPasswordForm(), tracker(new_slots={"reset_email": "<script>alert(1)</script>"}, active_loop="reset_password_form"), domain
    )
    assert slot_events(events)["reset_email"] is None
    assert responses(messages) == ["utter_invalid_email"]
