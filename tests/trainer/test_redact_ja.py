"""Japanese personal data (phone numbers, postal codes, addresses, names, full-width e-mails) redacted across a
whole conversation, measured on planted examples written by three helpers who never saw the redactor.

The finders were written against ``planted_ja.yml``; ``planted_ja_b.yml`` and ``planted_ja_c.yml`` came after,
each measured blind when it arrived (B: recall 0.72, names 0.38; C: recall 0.84, names 0.57, with the
stricter count below) and then used to mend what they showed. ``planted_ja_d.yml``, by a fourth writer,
has never been used for anything but measuring: its figure is the honest one (recall 0.80, names 0.59,
precision 0.96 when it arrived), kept above a floor. ``docs/redaction.md`` keeps the figures; ``pytest -s``
prints today's.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.trainer import redact_ja
from bot.trainer.export import build_batch
from bot.trainer.redact import ORDER, PLACEHOLDERS, ConversationRedactor, redact

HERE = Path(__file__).parent
KINDS = ("name", "phone_number", "postal_code", "address", "email")


def survives(value: str, text: str) -> bool:
    """Whether half of the planted value or more is still there in one piece (山田 of 山田太郎, the number of
    "03-5412-7789 内線214"): a value redacted only in part counts as missed."""
    match = SequenceMatcher(None, value, text, autojunk=False).find_longest_match(0, len(value), 0, len(text))
    return match.size >= max(2, math.ceil(len(value) / 2))


def measure(path: Path) -> dict[str, Any]:
    """Recall per kind (no half of the planted value left in one piece), spans beyond what was planted
    (order numbers excepted: they are redacted on purpose), and PII-free messages that got a span."""
    conversations = yaml.safe_load(path.read_text(encoding="utf-8"))["conversations"]
    found, planted = Counter(), Counter()
    extra = spans = clean = touched = 0
    for conversation in conversations:
        redactor = ConversationRedactor(mode="placeholder")
        for message in conversation["messages"]:
            result = redactor(message["text"])
            values = message.get("pii") or []
            got = Counter(span.kind for span in result.spans if span.kind != ORDER)
            want = Counter(value["kind"] for value in values)
            spans += sum(got.values())
            extra += sum(max(0, count - want.get(kind, 0)) for kind, count in got.items())
            if not values:
                clean += 1
                touched += bool(got)
            for value in values:
                planted[value["kind"]] += 1
                found[value["kind"]] += not survives(value["value"], result.text)
    recall = {kind: found[kind] / planted[kind] for kind in planted}
    figures = {"recall": sum(found.values()) / sum(planted.values()), "by_kind": recall, "planted": dict(planted),
               "precision": 1 - extra / spans if spans else 1.0, "clean_touched": touched / clean if clean else 0.0}
    print(f"\n{path.name}: recall {figures['recall']:.3f} ({sum(found.values())}/{sum(planted.values())}), "
          + ", ".join(f"{k} {v:.2f}" for k, v in sorted(recall.items()))
          + f"; precision {figures['precision']:.3f}; PII-free messages touched {touched}/{clean}")
    return figures


def test_the_planted_sets_are_well_formed() -> None:
    for path in sorted(HERE.glob("planted_ja*.yml")):
        for conversation in yaml.safe_load(path.read_text(encoding="utf-8"))["conversations"]:
            for message in conversation["messages"]:
                for value in message.get("pii") or []:
                    assert value["kind"] in KINDS and value["value"] in message["text"], (path.name, value)


@pytest.mark.parametrize("name", ["planted_ja.yml", "planted_ja_b.yml", "planted_ja_c.yml"])
def test_japanese_personal_data_is_found_in_the_planted_sets(name: str) -> None:
    figures = measure(HERE / name)
    assert figures["recall"] >= 0.95 and min(figures["by_kind"].values()) >= 0.85
    assert figures["precision"] >= 0.97 and figures["clean_touched"] <= 0.03


def test_japanese_personal_data_is_found_in_a_set_never_tuned_on() -> None:
    figures = measure(HERE / "planted_ja_d.yml")
    assert figures["recall"] >= 0.75 and figures["precision"] >= 0.90 and figures["clean_touched"] <= 0.05


@pytest.mark.parametrize("text, kind, value", [
    ("電話は090-1234-5678です", "phone_number", "090-1234-5678"),
    ("携帯：０９０－１２３４－５６７８", "phone_number", "０９０－１２３４－５６７８"),
    ("会社は06(6123)4567です", "phone_number", "06(6123)4567"),
    ("+81 90-1234-5678にお願いします", "phone_number", "+81 90-1234-5678"),
    ("〒１２３－４５６７", "postal_code", "〒１２３－４５６７"),
    ("郵便番号は160-0023です", "postal_code", "160-0023"),
    ("住所は大阪府大阪市北区梅田1丁目2番3号 梅田マンション101号室です", "address",
     "大阪府大阪市北区梅田1丁目2番3号 梅田マンション101号室"),
    ("横浜市中区山下町1-2に送ってください", "address", "横浜市中区山下町1-2"),
    ("山田太郎と申します", "name", "山田太郎"), ("佐藤様へのギフトです", "name", "佐藤"),
    ("スミス・ジョンさん宛てです", "name", "スミス・ジョン"), ("鈴木です。よろしくお願いします", "name", "鈴木"),
    ("ｔａｒｏ＠ｅｘａｍｐｌｅ．ｊｐ に送って", "email", "ｔａｒｏ＠ｅｘａｍｐｌｅ．ｊｐ"),
])
def test_each_kind_is_replaced_by_its_placeholder(text: str, kind: str, value: str) -> None:
    result = redact(text, "placeholder")
    assert value not in result.text and PLACEHOLDERS[kind] in result.text, result.text
    assert kind in result.kinds()


@pytest.mark.parametrize("text", [
    "注文番号はNW-123456です", "3,980円です", "2026年12月3日に届きますか", "05-11-2026に届く予定です",
    "KT-2040の在庫はありますか", "東京駅で受け取れますか", "お客様のご注文を確認します", "担当者様によろしくお伝えください",
    "新宿で受け取りたいです", "追跡番号は1234-5678-9012です",
])
def test_what_is_not_personal_data_stays(text: str) -> None:
    assert redact(text, "placeholder").kinds() <= {ORDER}, redact(text, "placeholder").text


def test_fakes_are_japanese_deterministic_and_give_nothing_away() -> None:
    text = "山田太郎です。〒160-0023 東京都新宿区西新宿3-7-1、電話は090-1234-5678"
    once, again = redact(text), redact(text)
    assert once.text == again.text
    for original in ("山田太郎", "160-0023", "西新宿3-7-1", "1234-5678"):
        assert original not in once.text
    assert re.search(r"〒000-\d{4}", once.text) and "東京都架空区見本町" in once.text and "090-0000-" in once.text
    assert redact(text, secret=b"other").text != once.text  # another batch's secret, other fakes


def test_a_name_given_once_is_replaced_in_every_later_line() -> None:
    redactor = ConversationRedactor(mode="placeholder")
    assert redactor("山田太郎と申します。").text == "[name]と申します。"
    assert redactor("山田です、先ほどの件で").text == "[name]です、先ほどの件で"  # the surname alone, later
    assert redactor("山田様、お待たせいたしました").text == "[name]様、お待たせいたしました"
    assert redact("山田です、先ほどの件で", "placeholder").text == "[name]です、先ほどの件で"  # a common surname
    assert redactor_is_per_conversation()


def redactor_is_per_conversation() -> bool:
    fresh = ConversationRedactor(mode="placeholder")
    return fresh("ヤマダ商店で買いました").text == "ヤマダ商店で買いました"


def test_the_export_redacts_a_conversation_as_a_whole() -> None:
    def event(kind: str, text: str, ts: float, **extra: Any) -> dict[str, Any]:
        return {"event": kind, "text": text, "timestamp": ts, **extra}

    events = [
        event("user", "はじめまして、西園寺まどかと申します", 1.0, parse_data={"intent": {"name": "greet", "confidence": 0.9}}),
        event("bot", "西園寺まどか様、お問い合わせありがとうございます", 2.0),
        event("user", "まどかです。電話は03-1234-5678です", 3.0, parse_data={"intent": {"name": "inform", "confidence": 0.9}}),
    ]
    batch = build_batch([("c1", events)], {}, "b1")
    texts = [example["text"] for example in batch["examples"]]
    assert texts and all("西園寺" not in t and "03-1234-5678" not in t for t in texts), texts
    assert redact_ja.is_japanese_name("西園寺まどか")


def test_a_name_found_earlier_is_not_replaced_inside_other_words() -> None:
    """Found by the review: a one-kanji surname remembered from an earlier line corrupted later words."""
    redactor = ConversationRedactor(mode="placeholder")
    assert redactor("原です").text == "[name]です"
    assert redactor("原因がわかりません。原宿店で買いました").text == "原因がわかりません。原宿店で買いました"
    assert redactor("原様宛でお願いします").text == "[name]様宛でお願いします"
    other = ConversationRedactor(mode="placeholder")
    assert other("関と申します").text == "[name]と申します"
    assert other("関係ない話ですが、玄関に置いてください").text == "関係ない話ですが、玄関に置いてください"


def test_the_words_before_an_address_or_a_postal_code_stay() -> None:
    assert redact("住所は大阪市北区梅田1-2-3です", "placeholder").text == "住所は[address]です"
    assert redact("郵便番号は160-0023です", "placeholder").text == "郵便番号は[postal code]です"
    assert redact("お届け先：東京都新宿区西新宿2-8-1", "placeholder").text == "お届け先：[address]"
