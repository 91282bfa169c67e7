"""The conversation's language (action_validate_slot_mappings) and order values written in it."""

from __future__ import annotations

import datetime as dt

from rasa_sdk.events import SlotSet

from actions.language import ActionChooseLanguage
from actions.orders import ActionCheckOrderStatus
from actions.parsing import order_summary
from actions.replies import format_date
from tests.actions.helpers import run, tracker


def _with_metadata(text: str, metadata: dict, slots: dict | None = None):
    turn = tracker(slots, text=text)
    turn.latest_message["metadata"] = metadata
    return turn


async def test_the_slot_follows_the_message_then_the_widget_then_stays(domain):
    events, _ = await run(ActionChooseLanguage(), _with_metadata("荷物がまだ届きません", {}), domain)
    assert events == [SlotSet("language", "ja")]
    events, _ = await run(ActionChooseLanguage(), _with_metadata("/greet", {"language": "ja-JP"}), domain)
    assert events == [SlotSet("language", "ja")]  # the widget's language when the message says nothing
    events, _ = await run(ActionChooseLanguage(), _with_metadata("ORD-100101", {}, {"language": "ja"}), domain)
    assert events == []  # an order number alone keeps the conversation's language
    events, _ = await run(ActionChooseLanguage(), _with_metadata("where is it now", {"language": "ja"},
                                                                 {"language": "ja"}), domain)
    assert events == [SlotSet("language", "en")]  # the customer switched


async def test_order_values_are_written_in_the_conversations_language(store, domain):
    _, messages = await run(ActionCheckOrderStatus(), tracker({"order_number": "ORD-100101", "language": "ja"}), domain)
    assert messages[0]["response"] == "utter_order_status_shipped"
    assert messages[0]["expected_delivery"] == "11月22日（日）"
    assert format_date(None, "ja") == "未定" and format_date(dt.date(2026, 12, 2), "ja") == "12月2日（水）"
    assert order_summary(3, 9100, "ja") == "商品3点、合計$91.00"
    _, english = await run(ActionCheckOrderStatus(), tracker({"order_number": "ORD-100101"}), domain)
    assert english[0]["expected_delivery"] == "Sunday, 22 November"
