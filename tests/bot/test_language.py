"""Normalization, scripts, words and entities of mixed Japanese and English text (pure)."""

from __future__ import annotations

import pytest

from bot.language.entities import find_entities
from bot.language.normalize import normalize
from bot.language.script import detect_language, runs
from bot.language.tokens import MixedScriptSplitter


@pytest.mark.parametrize("text, expected", [
    ("ＯＲＤ－１００１０１", "ORD-100101"),
    ("０９０ー１２３４ー５６７８", "090-1234-5678"),
    ("ORD−100101", "ORD-100101"),
    ("ORD―100101", "ORD-100101"),
    ("ｶﾞｲﾄﾞ", "ガイド"),
    ("メールアドレス", "メールアドレス"),  # the long-vowel mark inside a word stays
    ("スーパー-100", "スーパー-100"),
    ("待って…", "待って..."),
])
def test_normalize(text, expected):
    assert normalize(text).text == expected


def test_offsets_lead_back_to_the_original_text():
    text = "ｶﾞｲﾄﾞ ＯＲＤ－１００１０１…ok"
    n = normalize(text)
    start = n.text.index("ORD")
    begin, end = n.original_span(start, start + len("ORD-100101"))
    assert text[begin:end] == "ＯＲＤ－１００１０１"
    assert n.original_span(0, len(n.text)) == (0, len(text))


def test_runs_and_language():
    assert [(s, e, j) for s, e, j in runs("ORD-1の配送")] == [(0, 5, False), (5, 8, True)]
    assert detect_language("荷物がまだ届きません") == "ja"
    assert detect_language("where is my parcel") == "en"
    assert detect_language("ORD-100101の状況") == "ja"
    assert detect_language("100101") is None


def test_mixed_sentence_is_split_by_script():
    words = MixedScriptSplitter().split("ORD-100101の配送状況を教えて")
    assert [w.text for w in words] == ["ORD-100101", "の", "配送", "状況", "を", "教え", "て"]
    assert words[5].lemma == "教える"


def test_words_keep_original_offsets_and_normalized_text():
    text = "ＯＲＤ－１００１０１をキャンセルしないでください"
    words = MixedScriptSplitter().split(text)
    assert words[0].text == "ORD-100101"
    assert text[words[0].start:words[0].end] == "ＯＲＤ－１００１０１"
    assert "ない" in [w.text for w in words]  # the negation is a word of its own


def test_english_words_drop_punctuation_and_keep_ids():
    words = MixedScriptSplitter().split("Hi!! where's #100245, a.b@example.com?")
    assert [w.text for w in words] == ["Hi", "where's", "100245", "a.b@example.com"]


def _found(text):
    return [(f.entity, f.text, f.value) for f in find_entities(text)]


@pytest.mark.parametrize("text, expected", [
    ("ORD-100101の配送状況を教えて", [("order_number", "ORD-100101", "ORD-100101")]),
    ("ＯＲＤ－１００１０１", [("order_number", "ＯＲＤ－１００１０１", "ORD-100101")]),
    ("注文番号100245の荷物", [("order_number", "100245", "ORD-100245")]),
    ("order #100532 or ord100903", [("order_number", "#100532", "ORD-100532"),
                                     ("order_number", "ord100903", "ORD-100903")]),
    ("電話は０９０１２３４５６７８です", [("phone_number", "０９０１２３４５６７８", "09012345678")]),
    ("090-1234-5678に変更", [("phone_number", "090-1234-5678", "09012345678")]),
    ("+1 415 555 0134", [("phone_number", "+1 415 555 0134", "+14155550134")]),
    ("+81 90 1234 5678", [("phone_number", "+81 90 1234 5678", "+819012345678")]),
    ("(415) 555-0134", [("phone_number", "(415) 555-0134", "4155550134")]),
    ("メールはYamada.T@Example.JPです", [("email", "Yamada.T@Example.JP", "yamada.t@example.jp")]),
    ("150000円のコート", []),
    ("it cost $100000", []),
    ("2026-12-01 10:00", []),
    ("〒150-0001", []),
    ("1042334", []),
])
def test_entities(text, expected):
    assert _found(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("orders 100245 100246", ["ORD-100245", "ORD-100246"]),
    ("100245 090-1234-5678", ["ORD-100245", "09012345678"]),
    ("090-1234-5678 100245", ["09012345678", "ORD-100245"]),
    ("2026-12-01 090-1234-5678", ["09012345678"]),
    ("order 100245 2026-12-01", ["ORD-100245"]),
    ("2026/12/01 09:00 090-1234-5678", ["09012345678"]),
    ("150-0001 1-2-3 Jingumae", []),
    ("TEL.03-1234-5678", ["0312345678"]),
    ("https://example.com/user@example.com", []),
    ("100245個ください", []),
    ("100101〜100105", ["ORD-100101", "ORD-100105"]),
])
def test_neighbouring_numbers_stay_apart(text, expected):
    assert [f.value for f in find_entities(text)] == expected


def test_a_dash_between_two_letters_is_punctuation():
    assert normalize("yes—cancel").text == "yes—cancel"
    assert [w.text for w in MixedScriptSplitter().split("yes—cancel it")] == ["yes", "cancel", "it"]


def test_an_order_number_inside_a_phone_number_is_not_one():
    assert [f.entity for f in find_entities("call 0120 100245 67")] == ["phone_number"]


def test_the_answer_language_follows_what_the_customer_writes_then_the_widget_then_the_conversation():
    from bot.language.choice import answer_language, declared_language, written_language

    assert written_language("荷物がまだ届きません") == "ja"
    assert written_language("ｷｬﾝｾﾙ") == "ja"  # half-width katakana
    assert written_language("where is my parcel") == "en"
    for says_nothing in ("ORD-100101", "ＯＲＤ－１００１０１", "kenji.sato@example.jp", "090-1234-5678", "👍", "/greet",
                         "/affirm", "", "100101 ?"):
        assert written_language(says_nothing) is None, says_nothing
    assert written_language("ORD-100101 please") == "en"
    assert declared_language("ja-JP") == "ja" and declared_language("EN_us") == "en"
    assert declared_language("fr") is None and declared_language(3) is None
    assert answer_language("ORD-100101", declared="ja") == "ja"  # an id alone keeps the widget's language
    assert answer_language("/greet", declared=None, current="ja") == "ja"
    assert answer_language("actually, in English please", declared="ja", current="ja") == "en"  # switched
    assert answer_language("やっぱり日本語で", declared="en", current="en") == "ja"
    assert answer_language("12345") == "en"
