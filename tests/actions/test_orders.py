"""Order actions and their form validation, against a real SQLite store."""

from __future__ import annotations

from rasa_sdk.events import SlotSet

from actions.orders import (
    ActionCancelOrder,
    ActionChangeDeliveryAddress,
    ActionCheckOrderStatus,
    ValidateCancelOrderForm,
    ValidateChangeDeliveryAddressForm,
    ValidateOrderStatusForm,
)
from tests.actions.helpers import SENDER, responses, run, slot_events, tracker

OWNER = {c: {"verified_customer_id": c} for c in ("C1001", "C1002", "C1003")}
CLEARED = [SlotSet(s, None) for s in ("cancel_confirmed", "order_changeable", "order_summary", "new_delivery_address")]


async def test_status_of_a_shipped_order_names_carrier_tracking_and_delivery(store, domain):
    events, messages = await run(ActionCheckOrderStatus(), tracker({"order_number": "ORD-100101", **OWNER["C1001"]}), domain)
    order = await store.get_order("ORD-100101")
    assert events == []
    assert responses(messages) == ["utter_order_status_shipped"]
    assert messages[0]["carrier"] == order.carrier
    assert messages[0]["tracking_number"] == order.tracking_number
    assert messages[0]["expected_delivery"] == "Sunday, 22 November"


async def test_status_reply_follows_the_stored_status(store, domain):
    for number, status in [("ORD-100102", "processing"), ("ORD-100103", "delivered"), ("ORD-100201", "pending"),
                           ("ORD-100202", "out_for_delivery"), ("ORD-100301", "cancelled"), ("ORD-100302", "returned")]:
        owner = (await store.get_order(number)).customer_id
        _, messages = await run(ActionCheckOrderStatus(), tracker({"order_number": number, **OWNER[owner]}), domain)
        assert responses(messages) == [f"utter_order_status_{status}"]


async def test_order_number_is_normalised_and_looked_up(store, domain):
    events, messages = await run(
        ValidateOrderStatusForm(), tracker(new_slots={"order_number": "#100102"}, active_loop="order_status_form"), domain
    )
    assert slot_events(events)["order_number"] == "ORD-100102"
    assert slot_events(events)["order_changeable"] is True
    assert responses(messages) == ["utter_order_status_brief"]  # the status at once; details after the e-mail


async def test_malformed_order_number_is_refused_with_the_format(store, domain):
    events, messages = await run(
        ValidateOrderStatusForm(), tracker(new_slots={"order_number": "12345"}, active_loop="order_status_form"), domain
    )
    assert slot_events(events)["order_number"] is None
    assert responses(messages) == ["utter_invalid_order_number"]
    assert messages[0]["value"] == "12345"


async def test_unknown_order_number_is_said_and_asked_again(store, domain):
    events, messages = await run(
        ValidateOrderStatusForm(), tracker(new_slots={"order_number": "ORD-999999"}, active_loop="order_status_form"), domain
    )
    assert slot_events(events)["order_number"] is None
    assert responses(messages) == ["utter_order_not_found"]
    assert messages[0]["order_number"] == "ORD-999999"


async def test_a_quoted_bad_value_is_shortened(store, domain):
    _, messages = await run(
        ValidateOrderStatusForm(), tracker(new_slots={"order_number": "z" * 10_000}, active_loop="order_status_form"), domain
    )
    assert len(messages[0]["value"]) <= 40


async def test_cancel_form_stops_after_the_number_when_the_order_has_shipped(store, domain):
    events, _ = await run(
        ValidateCancelOrderForm(), tracker(new_slots={"order_number": "ORD-100101"}, active_loop="cancel_order_form"), domain
    )
    slots = slot_events(events)
    assert slots["order_changeable"] is False
    assert slots["requested_slot"] is None  # nothing more to ask


async def test_cancel_form_asks_for_the_email_of_an_unshipped_order(store, domain):
    events, _ = await run(
        ValidateCancelOrderForm(), tracker(new_slots={"order_number": "ORD-100102"}, active_loop="cancel_order_form"), domain
    )
    assert slot_events(events)["order_changeable"] is True
    assert slot_events(events).get("verify_email") is None  # still to be asked
    order = await store.get_order("ORD-100102")
    assert slot_events(events)["order_summary"] == f"{order.item_count} items, ${order.total_cents / 100:.2f}"


async def test_verification_needs_the_email_of_the_orders_owner(store, domain):
    wrong = tracker({"order_number": "ORD-100102"}, new_slots={"verify_email": "kenji.sato@example.jp"},
                    active_loop="cancel_order_form")
    events, messages = await run(ValidateCancelOrderForm(), wrong, domain)
    assert slot_events(events)["verify_email"] is None
    assert "verified_customer_id" not in slot_events(events)
    assert responses(messages) == ["utter_verification_failed"]

    right = tracker({"order_number": "ORD-100102"}, new_slots={"verify_email": "JANE.DOE@example.com"},
                    active_loop="cancel_order_form")
    events, messages = await run(ValidateCancelOrderForm(), right, domain)
    assert slot_events(events)["verified_customer_id"] == "C1001"
    assert slot_events(events)["verify_email"] == "jane.doe@example.com"
    assert responses(messages) == ["utter_verified"]


async def test_a_verified_owner_is_not_asked_again(store, domain):
    trk = tracker({"verified_customer_id": "C1001"}, new_slots={"order_number": "ORD-100102"},
                  active_loop="cancel_order_form")
    events, _ = await run(ValidateCancelOrderForm(), trk, domain)
    assert slot_events(events)["verify_email"] == "jane.doe@example.com"  # so the form skips it


async def test_cancel_a_confirmed_unshipped_order(store, domain):
    trk = tracker({"order_number": "ORD-100102", "verified_customer_id": "C1001", "order_changeable": True,
                   "cancel_confirmed": True}, intent="affirm")
    events, messages = await run(ActionCancelOrder(), trk, domain)
    assert events == CLEARED
    assert responses(messages) == ["utter_order_cancelled"]
    assert (await store.get_order("ORD-100102")).status == "cancelled"
    changes = await store.changes_of("C1001")
    assert [(c["subject"], c["old_value"], c["new_value"], c["conversation_id"]) for c in changes] == [
        ("order:ORD-100102:order_status", "processing", "cancelled", SENDER)
    ]


async def test_declined_cancellation_keeps_the_order(store, domain):
    trk = tracker({"order_number": "ORD-100102", "verified_customer_id": "C1001", "order_changeable": True,
                   "cancel_confirmed": False}, intent="deny")
    events, messages = await run(ActionCancelOrder(), trk, domain)
    assert events == CLEARED
    assert responses(messages) == ["utter_cancel_kept"]
    assert (await store.get_order("ORD-100102")).status == "processing"


async def test_shipped_order_is_explained_not_cancelled(store, domain):
    trk = tracker({"order_number": "ORD-100101", "order_changeable": False})
    events, messages = await run(ActionCancelOrder(), trk, domain)
    assert events == CLEARED
    assert responses(messages) == ["utter_cannot_change_shipped"]
    assert (await store.get_order("ORD-100101")).status == "shipped"


async def test_cancel_of_an_already_cancelled_order_says_it_is_closed(store, domain):
    trk = tracker({"order_number": "ORD-100301", "order_changeable": False})
    _, messages = await run(ActionCancelOrder(), trk, domain)
    assert responses(messages) == ["utter_cannot_change_closed"]


async def test_cancel_without_verification_changes_nothing(store, domain):
    trk = tracker({"order_number": "ORD-100102", "order_changeable": True, "cancel_confirmed": True})
    _, messages = await run(ActionCancelOrder(), trk, domain)
    assert responses(messages) == ["utter_verification_failed"]
    assert (await store.get_order("ORD-100102")).status == "processing"


async def test_delivery_address_is_validated(store, domain):
    trk = tracker({"order_number": "ORD-100102", "verified_customer_id": "C1001"},
                  new_slots={"new_delivery_address": "London"}, active_loop="change_delivery_address_form")
    events, messages = await run(ValidateChangeDeliveryAddressForm(), trk, domain)
    assert slot_events(events)["new_delivery_address"] is None
    assert responses(messages) == ["utter_invalid_address"]


async def test_change_delivery_address_of_an_unshipped_order(store, domain):
    trk = tracker({"order_number": "ORD-100303", "verified_customer_id": "C1003", "order_changeable": True,
                   "new_delivery_address": "9 Mill Lane, E1 6AN London, UK"})
    events, messages = await run(ActionChangeDeliveryAddress(), trk, domain)
    assert events == CLEARED
    assert responses(messages) == ["utter_delivery_address_changed"]
    assert messages[0]["address"] == "9 Mill Lane, E1 6AN London, UK"
    assert (await store.get_order("ORD-100303")).delivery_address == "9 Mill Lane, E1 6AN London, UK"


async def test_an_order_that_shipped_meanwhile_is_not_redirected(store, domain):
    """The store checks the status in the same UPDATE, so a stale slot cannot redirect a shipped order."""
    trk = tracker({"order_number": "ORD-100101", "verified_customer_id": "C1001", "order_changeable": True,
                   "new_delivery_address": "9 Mill Lane, E1 6AN London, UK"})
    _, messages = await run(ActionChangeDeliveryAddress(), trk, domain)
    assert responses(messages) == ["utter_cannot_change_shipped"]
    assert (await store.get_order("ORD-100101")).delivery_address == "12 Oak Street, 62701 Springfield, USA"
