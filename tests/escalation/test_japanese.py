"""The Japanese side of the signals: polarity with negation, abuse, going in circles, topics, requests (pure)."""

from __future__ import annotations

import pytest

from escalation import lexicon_ja
from escalation.signals import all_signals
from escalation.turns import Turn
from tests.escalation.helpers import settings


def signals(*texts: str, intent: str = "faq", confidence: float = 0.9, bot: tuple[str, ...] = ()) -> dict[str, float]:
    turns = [Turn(text, intent, confidence, bot) for text in texts]
    return {name: signal.score for name, signal in all_signals(turns, settings()).items()}


@pytest.mark.parametrize("text, sign", [
    ("本当に助かりました、ありがとうございます", 1), ("最悪です", -1), ("悪くないですね", 1),
    ("あまり良くないです", -1), ("解決しませんでした", -1), ("大丈夫じゃないです", -1),
    ("すみません、お手数をおかけしました", 0), ("申し訳ないのですが、もう一つ質問があります", 0),
    ("最悪の場合は返品できますか", 0), ("最悪間に合わなかったら返品できますか", 0), ("失礼いたします", 0),
    ("ＮＷ－１２３４５６です", 0), ("腹立つくらい安い！", 1),
])
def test_polarity_reads_negation_and_politeness(text: str, sign: int) -> None:
    score = lexicon_ja.sentiment(text)
    assert (score > 0.05) - (score < -0.05) == sign, (text, score)


def test_abuse_and_complaints_about_the_bot_are_frustration_politeness_is_not() -> None:
    assert signals("ふざけるな！！何回言えばわかるの？")["frustration"] >= 0.70
    assert signals("話が通じない。役に立たないですね")["frustration"] >= 0.45
    assert signals("いい加減にしてください、もう２週間も待ってるんですけど")["frustration"] >= 0.70
    for calm in ("すみません、もう一つ質問が…", "悪くないですね、これにします", "やばい、めっちゃ早い！笑",
                 "最悪の場合、返品はできますか？", "ありがとうございます！！"):
        assert signals(calm)["frustration"] < 0.45, calm
    # Insults inside ordinary words are not insults (found by the review): ばかり, ブラウザ, カスタム, バカンス, ゴミ袋.
    assert signals("先週買ったばかりのシャツです", "ブラウザはChromeを使っています", "カスタマイズはできますか",
                   "バカンス用の水着が欲しい", "ゴミ袋は付いてきますか")["frustration"] == 0.0


@pytest.mark.parametrize("text", ["特に不満はありません", "怒ってはいません", "ひどくはなかったです", "悪くはない",
                                  "困っていません"])
def test_a_negative_word_denied_with_wa_is_not_negative(text: str) -> None:
    assert lexicon_ja.sentiment(text) >= 0, text


def test_a_long_run_of_digits_is_read_in_linear_time() -> None:
    import time
    started = time.perf_counter()
    signals("あ" + "1" * 8000, "何" * 8000, "一" * 8000)
    assert time.perf_counter() - started < 1.0


def test_full_width_marks_count_as_punctuation_and_a_happy_message_does_not() -> None:
    assert signals("まだですか？？？")["frustration"] > signals("まだですか")["frustration"]
    assert signals("届きました！！！ありがとうございます！！")["frustration"] == 0.0


@pytest.mark.parametrize("text", ["オペレーターと話したいです", "担当者につないでください", "人間と話させて",
                                  "有人対応はありますか", "恐れ入りますが、担当の方に代わっていただけますか",
                                  "ｵﾍﾟﾚｰﾀｰ", "お電話でご相談できますか", "ロボットじゃなくて人に代わって"])
def test_japanese_requests_for_a_person_whatever_the_nlu_made_of_them(text: str) -> None:
    assert signals(text, intent="nlu_fallback", confidence=0.3)["explicit_request"] == 1.0


@pytest.mark.parametrize("text", ["担当者さんが写真を見て判断するんですか？", "個人情報保護方針はどこにありますか",
                                  "人間みたいに丁寧な返事ですね", "これってAIが答えてるの？中の人がいる？",
                                  # found by the review: words that contain a person and ask for nobody
                                  "店長のおすすめ商品はどれですか", "ページの上の方にあるボタンです", "家族3人と相談して決めます",
                                  "配送業者から電話で連絡がありました", "機械ではなく手洗いしたほうがいいですか",
                                  "話ができる方法はありますか", "コールセンターの営業時間を教えてください"])
def test_mentioning_a_person_is_not_asking_for_one(text: str) -> None:
    assert signals(text)["explicit_request"] == 0.0


@pytest.mark.parametrize("text", ["退会したいです", "個人情報を削除してください", "身に覚えのない注文があります",
                                  "カードが不正利用されたかもしれません", "弁護士に相談します", "消費者センターに連絡します",
                                  "商品から煙が出て子どもがやけどしました", "他のお客さんのメールアドレスが宛先に見えています"])
def test_japanese_sensitive_topics_go_to_a_person(text: str) -> None:
    assert signals(text)["sensitive"] == 1.0


@pytest.mark.parametrize("text", ["退会はしたくないので、メルマガだけ止めたいです", "配送先を変えたいんやけど",
                                  "子どもが勝手に注文しちゃったのでキャンセルしたいです", "個人情報の取り扱いについて教えて"])
def test_lookalikes_of_sensitive_topics_are_not(text: str) -> None:
    assert signals(text)["sensitive"] == 0.0


def test_the_same_japanese_message_twice_is_going_in_circles_a_short_answer_is_not() -> None:
    same = "ギフトカードの残高を確認する方法を教えてください"
    assert signals(same, same, bot=("utter_out_of_scope",))["unresolved"] >= 0.45
    assert signals("はい", "はい", intent="inform")["unresolved"] < 0.45


def test_two_failed_replies_in_a_row_are_two_failures_whatever_the_nlu_said() -> None:
    turns = [Turn("ふたがしまらないんだけど", "nlu_fallback", 0.3, ("utter_please_rephrase",)),
             Turn("保存容器のふたです", "faq", 0.8, ("utter_please_rephrase",))]  # checked again after the reply
    assert all_signals(turns, settings())["unresolved"].score >= 0.70


def test_answered_questions_are_progress() -> None:
    asked = ["送料はいくらですか", "海外にも送れますか", "返品はできますか", "支払い方法を教えてください",
             "領収書は出せますか", "ギフト包装はできますか", "ポイントはいつ付きますか", "営業時間は何時までですか",
             "クーポンの使い方を教えて", "保証期間はどのくらいですか", "サイズ表はありますか", "交換は無料ですか"]
    questions = [Turn(text, "faq", 0.9, ("utter_faq",)) for text in asked]
    assert all(signal.score < 0.45 for signal in all_signals(questions, settings()).values())
