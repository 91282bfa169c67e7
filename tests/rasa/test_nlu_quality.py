"""NLU quality per language on the held-out sets of tests/nlu/heldout (never trained on, never tuned on).

The sets were written by someone who saw only tests/nlu/BRIEF.md, not the
training data. The figures go to reports/nlu/ (docs/nlu.md is written by
``python -m bot.nlu_eval --markdown docs/nlu.md --plots docs``).
"""

from __future__ import annotations

import json

import pytest

from bot.nlu_eval.__main__ import evaluate, scores_of
from bot.nlu_eval.metrics import Scores
from bot.nlu_eval.overlap import plain, sentences, shared
from bot.nlu_eval.parse import parse_all
from bot.nlu_eval.report import markdown
from tests.rasa.cli import REPORTS, ROOT, latest_model

pytestmark = pytest.mark.rasa

HELDOUT = ROOT / "tests" / "nlu" / "heldout"
DEV = ROOT / "tests" / "nlu" / "dev"
OUT = REPORTS / "nlu"

MIN_MACRO_F1 = 0.93  # per language
MIN_FAQ_ACCURACY = 0.90
MIN_ENTITY_F1 = 0.95
MAX_OOS_TO_ACTING = 0.05  # out-of-scope messages that reach request_human, complaint, a form...

MIN_LABEL_F1 = 0.70  # no single intent collapses behind a good average

# The same request in both languages (written for this test; not in data/ or the sets),
# with the intent and entity values both must get.
PAIRS = [
    ("ORD-100417の配送状況を知りたいです", "I'd like to know the delivery status of ORD-100417",
     "order_status", [("order_number", "ORD-100417")]),
    ("担当の方に代わってもらえますか", "could you put me through to someone from your team", "request_human", []),
    ("注文番号１００５２２を取り消してほしい", "please call off order 100522",
     "cancel_order", [("order_number", "ORD-100522")]),
    ("登録しているメアドを新しいのにしたいです", "I need to swap the email on my profile for a new one", "change_email", []),
    ("携帯の番号が変わったので更新お願いします 080-5555-0199", "my cell number changed, please update it 080-5555-0199",
     "change_phone", [("phone_number", "08055550199")]),
    ("ログインできなくなっちゃった", "i'm locked out, can't sign in", "reset_password", []),
    ("アカウントを完全に消してください", "please erase my account completely", "close_account", []),
    ("返品ってできますか？", "are returns possible?", "faq/return_policy", []),
]


def test_evaluation_sets_share_no_sentence_with_training_data():
    training = sentences(ROOT / "data" / "nlu")
    assert shared(HELDOUT) == []
    assert shared(DEV) == []
    assert sentences(HELDOUT) & sentences(DEV) == set()
    assert training & {plain(s) for pair in PAIRS for s in pair[:2]} == set()


def test_every_language_has_every_label():
    from bot.nlu_eval.sets import load_sets

    sets = load_sets(HELDOUT)
    assert set(sets) == {"en", "ja"}
    labels = {lang: {e.label for e in examples} for lang, examples in sets.items()}
    assert labels["en"] == labels["ja"] and len(labels["en"]) >= 30


@pytest.fixture(scope="module")
def heldout() -> dict[str, Scores]:
    """Parse both held-out sets once with the newest model and score them."""
    results = evaluate(latest_model(), HELDOUT)
    scores = {lang: scores_of(ex, [p.label for p in pr], pr) for lang, (ex, pr) in results.items()}
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "heldout.md").write_text(markdown(scores, latest_model().name, "tests/nlu/heldout", {}))
    (OUT / "heldout.json").write_text(json.dumps({k: v.macro_f1 for k, v in scores.items()}))
    return scores


@pytest.mark.parametrize("language", ["en", "ja"])
def test_intent_macro_f1(heldout, language):
    assert heldout[language].macro_f1 >= MIN_MACRO_F1, (OUT / "heldout.md").read_text()


@pytest.mark.parametrize("language", ["en", "ja"])
def test_faq_topics(heldout, language):
    assert heldout[language].faq_accuracy >= MIN_FAQ_ACCURACY, (OUT / "heldout.md").read_text()


@pytest.mark.parametrize("language", ["en", "ja"])
def test_entities(heldout, language):
    assert heldout[language].entity_f1 >= MIN_ENTITY_F1, heldout[language].entity_per_type


@pytest.mark.parametrize("language", ["en", "ja"])
def test_out_of_scope_rarely_acts(heldout, language):
    s = heldout[language]
    assert s.oos_false_accept_acting <= MAX_OOS_TO_ACTING, s.oos_acting_counts


def test_same_meaning_same_intent_and_entities_in_both_languages():
    predictions = parse_all(latest_model(), [s for pair in PAIRS for s in pair[:2]])
    wrong = []
    for i, (ja, en, label, values) in enumerate(PAIRS):
        for text, p in ((ja, predictions[2 * i]), (en, predictions[2 * i + 1])):
            got = sorted((e[0], e[3]) for e in p.entities)
            if p.label != label or got != sorted(values):
                wrong.append((text, p.label, got))
    assert wrong == []


@pytest.mark.parametrize("language", ["en", "ja"])
def test_every_intent_is_recognised(heldout, language):
    weak = {label: s.f1 for label, s in heldout[language].per_label.items() if s.f1 < MIN_LABEL_F1}
    assert weak == {}
