"""Japanese and mixed messages understood end to end: REST channel → Rasa → action server → store.

What is checked here is that the assistant understood the Japanese message, acted on
the right order, number or request (and did not act where it must not), and answered
in Japanese, with the values in its answers written for a Japanese reader.
"""

from __future__ import annotations

import pytest

from tests.e2e.conftest import rows
from tests.e2e.stack import Chat

pytestmark = pytest.mark.rasa


def test_order_status_in_a_japanese_sentence_with_a_full_width_number(stack):
    chat = Chat(stack)
    carrier, tracking = rows(stack.shop_db,
                             "SELECT carrier, tracking_number FROM orders WHERE order_number='ORD-100101'")[0]
    reply = chat.say("ＯＲＤ－１００１０１の配送状況を教えてください")
    assert "お届けに向かっております" in reply and "メールアドレス" in reply and tracking not in reply
    reply = chat.say("jane.doe@example.com")  # the e-mail on the order: the details follow
    assert carrier in reply and tracking in reply
    assert "発送いたしました" in reply and "月" in reply and "日（" in reply  # 11月22日（日）, not "Sunday"
    assert chat.slot("order_number") == "ORD-100101"


def test_a_japanese_no_inside_the_cancel_confirmation_cancels_nothing(stack):
    # A generated customer's pending order: the English flows cancel the fixed ones.
    order, email = rows(stack.shop_db, "SELECT o.order_number, c.email FROM orders o JOIN customers c "
                        "ON c.id = o.customer_id WHERE o.status = 'pending' AND c.id NOT IN ('C1001', 'C1002', "
                        "'C1003') ORDER BY o.order_number LIMIT 1")[0]
    chat = Chat(stack)
    assert "ご登録のメールアドレス" in chat.say(f"注文{order[4:]}をキャンセルしたいです")
    assert "キャンセルいたしますか" in chat.say(email)
    kept = chat.say("やっぱりキャンセルしないでください")
    assert "そのままにいたしました" in kept and "キャンセルを承りました" not in kept
    assert rows(stack.shop_db, "SELECT status FROM orders WHERE order_number=?", order) == [("pending",)]


def test_a_japanese_request_for_a_person_reaches_one(stack):
    chat = Chat(stack)
    assert "SR-" in chat.say("オペレーターと話したいです")
    assert rows(stack.shop_db, "SELECT reason FROM support_requests WHERE conversation_id=?", chat.sender) == [
        ("explicit_request",)
    ]


def test_a_japanese_phone_number_reaches_the_form_in_canonical_form(stack):
    chat = Chat(stack)
    assert "ご登録のメールアドレス" in chat.say("電話番号を変更したいです")
    assert "ご注文番号" in chat.say("kenji.sato@example.jp")  # an address alone keeps the conversation Japanese
    assert "新しい電話番号" in chat.say("注文番号はＯＲＤ－１００２０２です")
    assert "08055550199" in chat.say("０８０－５５５５－０１９９に変えてください")
    assert rows(stack.shop_db, "SELECT phone FROM customers WHERE id='C1002'") == [("08055550199",)]


@pytest.mark.parametrize("message", ["明日の東京の天気は？", "楽天で買った靴の返品方法を教えて", "銀行のキャッシュカードが使えない"])
def test_japanese_questions_about_other_things_do_not_act(stack, message):
    chat = Chat(stack)
    chat.say(message)
    intent = stack.tracker(chat.sender)["latest_message"]["intent"]["name"]
    assert intent in ("out_of_scope", "nlu_fallback")
    assert rows(stack.shop_db, "SELECT count(*) FROM support_requests WHERE conversation_id=?", chat.sender) == [(0,)]
