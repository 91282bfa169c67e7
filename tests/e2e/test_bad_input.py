"""Hostile and broken input: the bot answers sensibly, nothing crashes, the store is unchanged."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import snapshot
from tests.e2e.stack import Chat

pytestmark = pytest.mark.rasa


@pytest.mark.parametrize(
    "message",
    [
        "'; DROP TABLE orders; --",
        "ORD-100101' OR '1'='1",
        "x" * 10_000,
        "",
        "   ",
        "🙂🙂🙂",
        "📦❓",
        "注文はどこですか where is my order",
        "<script>alert('hi')</script>",
        "\u0000\u0001\u0002",
        "/inform{\"order_number\": \"ORD-100101\"}",
    ],
    ids=["sql", "sql-in-number", "10kB", "empty", "blank", "emoji", "emoji-2", "mixed-language", "html", "control", "fake-payload"],
)
def test_hostile_message_outside_a_form(stack, message):
    before = snapshot(stack.shop_db)
    chat = Chat(stack)
    replies = stack.say(chat.sender, message)
    assert stack.alive()
    assert snapshot(stack.shop_db) == before
    # A sensible answer is a question back, a rephrase request or a real answer; never a crash.
    assert all(isinstance(r.get("text", ""), str) for r in replies)
    assert "Hi!" in chat.say("hello")  # and the conversation goes on


@pytest.mark.parametrize(
    "answer, complaint",
    [
        ("'; DROP TABLE orders; --", "doesn't look like an order number"),
        ("10423", "doesn't look like an order number"),
        ("ORD-12", "doesn't look like an order number"),
        ("ORD-000000", "couldn't find an order ORD-000000"),
    ],
)
def test_bad_order_numbers_inside_the_form(stack, answer, complaint):
    before = snapshot(stack.shop_db)
    chat = Chat(stack)
    chat.say("where is my order")
    reply = chat.say(answer)
    assert complaint in reply or "rephrase" in reply or "another way" in reply
    assert chat.slot("order_number") is None
    assert snapshot(stack.shop_db) == before


def test_a_10kb_answer_inside_the_form_is_quoted_short(stack):
    chat = Chat(stack)
    chat.say("where is my order")
    reply = chat.say("9" * 10_000)
    assert len(reply) < 500
    assert chat.slot("order_number") is None


def test_unknown_email_cannot_change_anything(stack):
    before = snapshot(stack.shop_db)
    chat = Chat(stack)
    chat.say("change my phone number")
    chat.say("nobody@example.com")
    assert "couldn't verify" in chat.say("ORD-100101")
    assert chat.slot("verified_customer_id") is None
    assert snapshot(stack.shop_db) == before


def test_malformed_email_is_refused(stack):
    chat = Chat(stack)
    chat.say("i want to change my email")
    reply = chat.say("jane at example dot com")
    assert "doesn't look like an e-mail address" in reply or "rephrase" in reply
    assert chat.slot("verify_email") is None


def japanese(text: str) -> bool:
    return any("\u3040" <= ch <= "\u30ff" for ch in text)


@pytest.mark.parametrize(
    "message",
    [
        "注文" * 3000,
        "(´・ω・`)？？",
        "ﾁｭｳﾓﾝﾊﾄﾞｺﾃﾞｽｶ",
        "注文番号は'; DROP TABLE orders; --です",
        "ＯＲＤ－１００１０１' OR '1'='1 の状況",
        "📦どこ？🙂✨",
        "<img src=x onerror=alert(1)>注文はどこですか",
        "ｷｬﾝｾﾙ　ｼﾀｲ　ＮＯＷ",
    ],
    ids=["long-japanese", "kaomoji", "half-width-katakana", "japanese-sql", "sql-in-full-width-number", "emoji",
         "html-and-japanese", "mixed-width"],
)
def test_hostile_japanese_input_changes_nothing_and_is_answered_in_japanese(stack, message):
    before = snapshot(stack.shop_db)
    chat = Chat(stack)
    replies = stack.say(chat.sender, message)
    assert stack.alive()
    assert snapshot(stack.shop_db) == before
    texts = [r.get("text", "") for r in replies if r.get("text")]
    assert texts and all(japanese(t) for t in texts), texts  # answered, and in Japanese
    assert all(len(t) < 1500 for t in texts)  # nothing of a 6,000-character message is quoted back whole
    assert japanese(chat.say("こんにちは"))  # and the conversation goes on in Japanese


def test_a_bad_japanese_order_number_inside_the_form_is_refused_in_japanese(stack):
    before = snapshot(stack.shop_db)
    chat = Chat(stack)
    assert "ご注文番号" in chat.say("注文の状況を知りたいです")
    reply = chat.say("注文番号は１２３です")
    assert "確認できませんでした" in reply or "言い換え" in reply or "もう一度" in reply, reply
    assert chat.slot("order_number") is None and chat.slot("language") == "ja"
    assert snapshot(stack.shop_db) == before
