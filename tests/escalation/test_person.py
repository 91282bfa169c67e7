"""Does a message ask for a person? The handoff bridge's check while the assistant is down."""

from __future__ import annotations

import pytest

from escalation.person import asks_for_person, person_request


@pytest.mark.parametrize("text", [
    "agent", "Agent!", "agent please", "AGENT", "  agent  ", "agent agent agent", "an operator?", "operator",
    "operator please", "a human", "human", "human please", "real person", "a real person pls", "person",
    "representative", "supervisor please", "someone please",
    "/request_human", '/request_human{"reason": "button"}',
    "I want to talk to a real person", "can I speak to someone", "transfer me to an agent",
    "put me through to a human", "I'd like a human agent", "you're a bot, I want a live person",
    "can someone call me back", "get me a representative",
    "ａｇｅｎｔ",  # full-width letters
])
def test_english_requests_for_a_person(text):
    assert asks_for_person(text), text


@pytest.mark.parametrize("text", [
    "オペレーター", "ｵﾍﾟﾚｰﾀｰ", "オペレーターにつないでください", "おぺれーたーにかわって",
    "担当者", "担当者につないでください", "担当の方をお願いします",
    "人と話したい", "人と話したいです", "人間と話したい", "直接人と話したいんですけど",
    "ボットじゃなくて人がいい", "人に代わってください",
    "有人", "有人対応を希望します", "有人チャットに切り替えてください",
    "スタッフの方に代わってもらえますか", "責任者を出してください", "上司の方と話したいです", "誰か人いませんか",
    "電話で話したい", "担当者から折り返し電話をお願いできますか", "窓口の人につないで", "係の人お願いします",
])
def test_japanese_requests_for_a_person(text):
    assert asks_for_person(text), text


@pytest.mark.parametrize("text", [
    "", "   ", "personal", "my personal details are wrong", "agenda", "what's on the agenda", "humanity",
    "humanitarian aid", "operations", "persona", "where is my order", "how long does shipping take?",
    "thanks, that's all", "I want to return a person-sized beanbag",
    "/request_human_resources", "/greet",
    "個人情報を変更したい", "本人確認ができません", "友人に代わって注文しました", "人気の商品はどれですか",
    "注文をお願いします", "配達の人に荷物を投げられた", "スタッフの対応が悪い", "電話番号を変更したい", "注文はどこですか",
])
def test_words_that_only_contain_a_person_ask_for_nobody(text):
    assert not asks_for_person(text), (text, person_request(text))


def test_the_words_that_asked_are_given():
    assert person_request("hi, can I speak to someone about my order") == "speak to someone"
    assert person_request("人と話したいです") == "人と話したい"
    assert person_request("where is my order") is None
