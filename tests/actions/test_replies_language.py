"""Order values written in the conversation's language."""

from __future__ import annotations

import datetime as dt

from actions.orders import ActionCheckOrderStatus
from actions.parsing import order_summary
from actions.replies import format_date
from tests.actions.helpers import run, tracker


async def test_order_values_are_written_in_the_conversations_language(store, domain):
    owner = {"order_number": "ORD-100101", "verified_customer_id": "C1001"}
    _, messages = await run(ActionCheckOrderStatus(), tracker({**owner, "language": "ja"}), domain)
    assert messages[0]["response"] == "utter_order_status_shipped"
    assert messages[0]["expected_delivery"] == "11月22日（日）"
    assert format_date(None, "ja") == "未定" and format_date(dt.date(2026, 12, 2), "ja") == "12月2日（水）"
    assert order_summary(3, 9100, "ja") == "商品3点、合計$91.00"
    _, english = await run(ActionCheckOrderStatus(), tracker(owner), domain)
    assert english[0]["expected_delivery"] == "Sunday, 22 November"


def test_the_brief_status_is_a_whole_sentence_in_both_languages():
    from actions.replies import BRIEF_STATUS

    assert set(BRIEF_STATUS["en"]) == set(BRIEF_STATUS["ja"])
    assert all(not any(c.isascii() and c.isalpha() for c in words) for words in BRIEF_STATUS["ja"].values())
