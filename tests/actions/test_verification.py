"""Who the customer has proved to be, for how long, and what it takes to learn more about an order.

Each test replays a finding of the security review against the actions and a real SQLite store:
the proof travelling into a new session or outliving a long silence, order details to anyone who
names an order, a proof for one account used on another's order, unlimited guesses.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import SessionStarted, SlotSet, UserUttered
from rasa_sdk.executor import CollectingDispatcher

from actions.account import ActionChangePhone, ValidateChangePhoneForm
from actions.orders import ActionCancelOrder, ActionCheckOrderStatus, ValidateCancelOrderForm, ValidateOrderStatusForm
from actions.verification import proof_holds
from tests.actions.helpers import responses, run, slot_events, tracker

T0 = 1_800_000_000.0
MINUTE = 60.0


def timed_tracker(events: list[dict[str, Any]], slots: dict[str, Any], active_loop: str | None = None) -> Tracker:
    """A tracker with the given timestamped events, as Rasa sends it to the action server."""
    latest = next((e for e in reversed(events) if e["event"] == "user"), {})
    return Tracker("timed", slots, latest.get("parse_data") or {}, events, False, None,
                   {"name": active_loop} if active_loop else {}, "action_listen")


def said(text: str, at: float) -> dict[str, Any]:
    return UserUttered(text, parse_data={"intent": {"name": "inform"}, "entities": [], "text": text}, timestamp=at)


def proved(customer: str, at: float) -> dict[str, Any]:
    return SlotSet("verified_customer_id", customer, timestamp=at)


def test_a_proof_holds_while_the_customer_keeps_writing_and_ends_after_a_long_silence():
    events = [said("cancel my order", T0), proved("C1001", T0 + 5), said("and my phone", T0 + 10 * MINUTE),
              said("+1 415 555 0100", T0 + 20 * MINUTE)]
    assert proof_holds("C1001", events, idle_s=15 * MINUTE)
    late = [*events, said("also my address", T0 + 36 * MINUTE)]  # 16 minutes after the last message
    assert not proof_holds("C1001", late, idle_s=15 * MINUTE)


def test_a_slot_with_no_proof_behind_it_or_from_an_earlier_session_is_no_proof():
    assert not proof_holds("C1001", [said("hi", T0)], idle_s=900)  # a forged slot value
    assert not proof_holds("C1001", [proved("C1002", T0), said("hi", T0 + 1)], idle_s=900)
    assert not proof_holds("C1001", [proved("C1001", T0), SessionStarted(timestamp=T0 + 1), said("hi", T0 + 2)], 900)
    assert not proof_holds(None, [proved("C1001", T0)], idle_s=900)


async def test_after_a_long_silence_the_account_form_asks_again_and_changes_nothing(store, domain):
    events = [said("change my phone", T0), proved("C1001", T0 + 1), SlotSet("verify_email", "jane.doe@example.com"),
              said("+1 415 555 0100", T0 + 30 * MINUTE)]
    slots = {"verified_customer_id": "C1001", "verify_email": "jane.doe@example.com", "new_phone": "+14155550100"}
    form_events, _ = await run(ValidateChangePhoneForm(), timed_tracker(events, slots, "change_phone_form"), domain)
    assert slot_events(form_events)["verified_customer_id"] is None
    assert slot_events(form_events)["verify_email"] is None  # so the form asks for it again
    _, messages = await run(ActionChangePhone(), timed_tracker(events, slots), domain)
    assert responses(messages) == ["utter_default"]
    assert (await store.get_customer("C1001")).phone != "+14155550100"


async def test_naming_an_order_gives_its_status_and_the_details_need_the_email_on_it(store, domain):
    events, messages = await run(
        ValidateOrderStatusForm(), tracker(new_slots={"order_number": "ORD-100101"}, active_loop="order_status_form"), domain
    )
    order = await store.get_order("ORD-100101")
    assert responses(messages) == ["utter_order_status_brief"]
    assert messages[0]["brief_status"] == "has shipped and is on its way"
    assert order.tracking_number not in str(messages) and order.carrier not in str(messages)
    assert slot_events(events)["verify_email"] is None
    form, slots = ValidateOrderStatusForm(), domain["forms"]["order_status_form"]["required_slots"]
    asked = await form.required_slots(slots, CollectingDispatcher(), tracker({"order_number": "ORD-100101"}), domain)
    assert asked == ["order_number", "verify_email"]  # so the form asks for the e-mail on the order

    # Someone who stops there (or whose form ended unproved) gets no details from the action either.
    _, messages = await run(ActionCheckOrderStatus(), tracker({"order_number": "ORD-100101"}), domain)
    assert responses(messages) == ["utter_order_details_withheld"]
    assert order.tracking_number not in str(messages)

    # The e-mail on the order proves the owner: the form ends and the details follow.
    events, messages = await run(
        ValidateOrderStatusForm(),
        tracker({"order_number": "ORD-100101"}, new_slots={"verify_email": "jane.doe@example.com"},
                active_loop="order_status_form"),
        domain,
    )
    assert responses(messages) == ["utter_verified"]
    assert slot_events(events)["verified_customer_id"] == "C1001"
    assert slot_events(events)["requested_slot"] is None  # the form ends
    _, messages = await run(ActionCheckOrderStatus(), tracker({"order_number": "ORD-100101",
                                                              "verified_customer_id": "C1001"}), domain)
    assert responses(messages) == ["utter_order_status_shipped"]
    assert messages[0]["tracking_number"] == order.tracking_number


async def test_a_proof_for_one_account_does_not_open_another_customers_order(store, domain):
    """Jane proved who she is; Kenji's order still needs Kenji's e-mail, and is not cancelled."""
    jane = {"verified_customer_id": "C1001", "verify_email": "jane.doe@example.com"}
    events, _ = await run(
        ValidateCancelOrderForm(), tracker(jane, new_slots={"order_number": "ORD-100201"}, active_loop="cancel_order_form"),
        domain,
    )
    assert slot_events(events)["verify_email"] is None  # so the form asks for Kenji's
    _, messages = await run(ActionCancelOrder(), tracker({**jane, "order_number": "ORD-100201", "cancel_confirmed": True,
                                                          "order_changeable": True}), domain)
    assert responses(messages) == ["utter_verification_failed"]
    assert (await store.get_order("ORD-100201")).status == "pending"
    _, messages = await run(ValidateOrderStatusForm(), tracker(jane, new_slots={"order_number": "ORD-100201"},
                                                               active_loop="order_status_form"), domain)
    assert responses(messages) == ["utter_order_status_brief"]


async def test_three_failed_proofs_end_the_checks_for_the_session(store, domain):
    slots: dict[str, Any] = {"order_number": "ORD-100201"}
    replies = []
    for guess in ("a@example.com", "b@example.com", "c@example.com"):
        events, messages = await run(ValidateCancelOrderForm(), tracker(
            slots, new_slots={"verify_email": guess}, active_loop="cancel_order_form"), domain)
        slots["verification_failures"] = slot_events(events)["verification_failures"]
        replies += responses(messages)
    assert replies == ["utter_verification_failed", "utter_verification_failed", "utter_verification_locked"]
    assert slot_events(events)["requested_slot"] is None  # the form ends instead of asking again
    # Even the right address is no longer checked in this session.
    events, messages = await run(ValidateCancelOrderForm(), tracker(
        slots, new_slots={"verify_email": "kenji.sato@example.jp"}, active_loop="cancel_order_form"), domain)
    assert "verified_customer_id" not in slot_events(events) or slot_events(events)["verified_customer_id"] is None
    _, messages = await run(ActionCancelOrder(), tracker({**slots, "cancel_confirmed": True}), domain)
    assert responses(messages) == ["utter_verification_locked"]
    assert (await store.get_order("ORD-100201")).status == "pending"


async def test_unknown_order_numbers_are_looked_up_a_few_times_per_session(store, domain):
    slots: dict[str, Any] = {}
    replies = []
    for number in ("ORD-900001", "ORD-900002", "ORD-900003", "ORD-900004", "ORD-900005", "ORD-100101"):
        events, messages = await run(ValidateOrderStatusForm(), tracker(
            slots, new_slots={"order_number": number}, active_loop="order_status_form"), domain)
        slots.update({k: v for k, v in slot_events(events).items() if k == "order_lookups_failed"})
        replies += responses(messages)
    assert replies == ["utter_order_not_found"] * 5 + ["utter_lookups_used_up"]
    assert slot_events(events)["order_number"] is None  # even an existing one is not looked up now


def test_demo_order_numbers_are_not_a_sequence_to_walk_along():
    """The review walked from ORD-100101 to 107 other orders by counting up to ORD-100803."""
    import datetime as dt

    from actions.store.seed import demo_rows

    numbers = sorted(int(o["order_number"][4:]) for o in demo_rows(dt.date(2026, 11, 20))["orders"])
    generated = [n for n in numbers if not 100100 < n < 100400]  # the nine fixed demo orders aside
    assert len(generated) > 50 and len(set(numbers)) == len(numbers)
    assert generated[-1] - generated[0] > 500_000  # spread over the range
    near = sum(1 for a, b in zip(generated, generated[1:]) if b - a <= 100)
    assert near <= len(generated) // 10  # counting up from one finds almost nothing


async def test_a_form_started_with_someone_elses_proof_asks_for_this_orders_owner(store, domain):
    """As Rasa starts a form: the slots of the last order (shipped, so not changeable) and Jane's proof
    are there, and Rasa hands the form its prefilled slots to validate. The form must ask for the new
    order's owner, not go on to "Shall I cancel it?" (found in Chromium, in Japanese)."""
    jane = {"verified_customer_id": "C1001", "verify_email": "jane.doe@example.com", "order_number": "ORD-100101",
            "order_changeable": False}
    events, _ = await run(ValidateCancelOrderForm(), tracker(
        jane, new_slots={"order_number": "ORD-100201", "verify_email": "jane.doe@example.com"},
        active_loop="cancel_order_form"), domain)
    assert slot_events(events)["verify_email"] is None
    assert slot_events(events)["requested_slot"] == "verify_email"
