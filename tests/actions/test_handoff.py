"""The handoff action records the request with its reason."""

from __future__ import annotations

import pytest

from actions.handoff import ActionHandoff, handoff_reason
from actions.orders import ActionCheckOrderStatus
from actions.store.repository import close_stores
from tests.actions.helpers import SENDER, responses, run, tracker


@pytest.mark.parametrize(
    "intent, reason",
    [("request_human", "explicit_request"), ("complaint", "frustration"), ("close_account", "sensitive"), (None, "explicit_request")],
)
def test_reason_by_intent(intent, reason):
    assert handoff_reason(intent) == reason


async def test_handoff_records_the_request_and_gives_a_reference(store, domain):
    events, messages = await run(ActionHandoff(), tracker(intent="close_account", text="please delete my account"), domain)
    assert events == []
    assert responses(messages) == ["utter_handoff_recorded"]
    requests = await store.support_requests(SENDER)
    assert len(requests) == 1
    assert requests[0]["reason"] == "sensitive"
    assert requests[0]["last_message"] == "please delete my account"
    assert messages[0]["reference"] == requests[0]["reference"]


async def test_a_dead_store_is_told_to_the_customer_with_other_ways_to_reach_us(tmp_path, monkeypatch, domain):
    """No database file can be created under a missing directory: the action says so and does not crash."""
    monkeypatch.setenv("SHOP_DB_URL", f"sqlite+aiosqlite:///{tmp_path}/missing/dir/shop.sqlite3")
    events, messages = await run(ActionHandoff(), tracker(intent="request_human", text="agent"), domain)
    assert events == []
    assert responses(messages) == ["utter_handoff_unavailable"]
    await close_stores()


async def test_a_dead_store_is_told_for_order_lookups_too(tmp_path, monkeypatch, domain):
    monkeypatch.setenv("SHOP_DB_URL", f"sqlite+aiosqlite:///{tmp_path}/missing/dir/shop.sqlite3")
    events, messages = await run(ActionCheckOrderStatus(), tracker({"order_number": "ORD-100101"}), domain)
    assert events == []
    assert responses(messages) == ["utter_store_unavailable"]
    await close_stores()


async def test_the_agent_gets_the_verified_account_but_only_the_named_order_otherwise(store):
    from actions.handoff import customer_facts

    order = await store.get_order("ORD-100101")
    owner = await store.get_customer(order.customer_id)
    named = await customer_facts({"order_number": "ORD-100101"})
    assert named["customer"] is None and named["unverified_order"] == "ORD-100101"
    assert [o["order_number"] for o in named["orders"]] == ["ORD-100101"]
    assert owner.email not in str(named) and owner.name not in str(named)  # nothing about whose order it is
    verified = await customer_facts({"verified_customer_id": owner.id, "order_number": "ORD-999999"})
    assert verified["customer"]["verified"] is True and verified["customer"]["email"] == owner.email
    assert "ORD-100101" in [o["order_number"] for o in verified["orders"]]
    assert all(set(o) >= {"status", "total", "placed_at", "items"} for o in verified["orders"])
    assert await customer_facts({"order_number": "ORD-999999"}) is None
    assert await customer_facts({}) is None


async def test_customer_facts_are_left_out_when_the_store_is_down(tmp_path, monkeypatch):
    from actions.handoff import customer_facts

    monkeypatch.setenv("SHOP_DB_URL", f"sqlite+aiosqlite:///{tmp_path}/missing/dir/shop.sqlite3")
    assert await customer_facts({"order_number": "ORD-100101"}) is None
    await close_stores()


def test_out_of_hours_the_customer_hears_when_the_desk_opens_not_a_wait():
    from actions.handoff import queued_reply

    opens = {"en": "Friday 4 December, 09:00 (Japan time)", "ja": "12月4日（金）9:00（日本時間）"}
    closed = {"status": "queued", "desk": {"open": False, "opens_at": 1.0, "opens": opens}}
    assert queued_reply(closed, "ja") == ("utter_handoff_after_hours", {"opens": opens["ja"]})
    assert queued_reply(closed, "en") == ("utter_handoff_after_hours", {"opens": opens["en"]})
    assert queued_reply({"status": "queued", "desk": {"open": False, "opens": None}}, "en")[0] == \
        "utter_handoff_after_hours_unknown"
    assert queued_reply({"status": "queued", "desk": {"open": True}}, "en") == ("utter_handoff_queued", {})
    assert queued_reply({"status": "queued"}, "en") == ("utter_handoff_queued", {})  # an older bridge
