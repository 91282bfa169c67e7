"""``actions.base.slots_copy``: what rasa-sdk's ``Tracker.copy`` gives, without copying every event."""

from __future__ import annotations

from rasa_sdk import Tracker

from actions.base import slots_copy


def tracker() -> Tracker:
    events = [{"event": "action", "name": "action_listen"},
              {"event": "user", "text": "where is my order", "parse_data": {"intent": {"name": "order_status"}}},
              {"event": "slot", "name": "order_number", "value": "ORD-100101"}]
    return Tracker("c-1", {"order_number": "ORD-100101", "verify_email": None}, {"text": "where is my order"},
                   events, False, None, {"name": "order_status_form"}, "order_status_form")


def test_the_copy_equals_rasa_sdks_copy():
    original = tracker()
    assert slots_copy(original) == original.copy()
    assert vars(slots_copy(original)) == vars(original.copy())


def test_slots_and_events_added_to_the_copy_leave_the_original_alone():
    original = tracker()
    seen = slots_copy(original)
    seen.add_slots([{"event": "slot", "name": "verify_email", "value": "jane.doe@example.com"}])
    seen.latest_message["text"] = "changed"
    assert original.get_slot("verify_email") is None and len(original.events) == 3
    assert original.latest_message == {"text": "where is my order"}
    assert seen.get_slot("verify_email") == "jane.doe@example.com" and len(seen.events) == 4
    assert seen.events[0] is original.events[0]  # the event dicts themselves are shared: read only
