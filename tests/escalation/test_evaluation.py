"""The labelled conversations: the escalation decision must stay good on them.

Fails if escalation (handoff) F1 falls below 0.90 or more than 5% of calm
conversations are handed over. ``make escalation-report`` prints the details.
"""

from __future__ import annotations

from collections import Counter

import pytest

from escalation import lexicon_ja
from escalation.decision import HANDOFF, NONE, OFFER
from escalation.evaluation import evaluate
from escalation.evaluation.evaluate import Case, Outcome
from tests.escalation.helpers import settings

MIN_F1 = 0.90
MAX_CALM_FALSE_HANDOFFS = 0.05
INTENTS_AND_NLU_FALLBACK = {
    "greet", "goodbye", "thank", "affirm", "deny", "bot_challenge", "out_of_scope", "request_human", "complaint",
    "order_status", "cancel_order", "change_delivery_address", "change_email", "change_phone",
    "change_account_address", "reset_password", "close_account", "inform", "faq", "nlu_fallback",
}


@pytest.fixture(scope="module")
def labelled():
    return evaluate.load_set(evaluate.DEFAULT_SET)


@pytest.fixture(scope="module")
def cases(labelled):
    return evaluate.run(labelled, settings())


def test_the_set_is_big_varied_and_well_formed(labelled):
    assert len(labelled) >= 150
    assert len({c["id"] for c in labelled}) == len(labelled)
    counts = Counter(c["category"] for c in labelled)
    assert set(counts) == set(evaluate.CATEGORIES) and min(counts.values()) >= 20
    for c in labelled:
        assert c["expect"] in (NONE, OFFER, HANDOFF), c["id"]
        assert (c["expect"] == NONE) == (c["reason"] is None) == (c["turn"] is None), c["id"]
        if c["expect"] == HANDOFF:
            assert c["turn"] == len(c["turns"]), f"{c['id']}: nothing may follow a handoff"
        assert {t["intent"] for t in c["turns"]} <= INTENTS_AND_NLU_FALLBACK, c["id"]


def test_escalation_f1_and_calm_false_handoffs(cases):
    m = evaluate.metrics(cases)
    assert m.f1 >= MIN_F1, evaluate.report(cases, evaluate.DEFAULT_SET, "escalation.yml")
    assert m.false_handoff_rate_calm <= MAX_CALM_FALSE_HANDOFFS


def test_reasons_and_timing_are_mostly_right(cases):
    m = evaluate.metrics(cases)
    assert m.reason_accuracy >= 0.85
    assert m.on_time >= 0.85


def test_the_metrics_are_computed_as_defined():
    def case(category, expect, got, reason=None, got_reason=None, turn=None, got_turn=None):
        return Case("x", category, expect, reason, turn, Outcome(got, got_reason, got_turn))

    cases = [
        case("frustrated", HANDOFF, HANDOFF, "frustration", "frustration", 2, 2),   # TP
        case("explicit", HANDOFF, NONE, "explicit_request", None, 1, None),        # FN
        case("calm", NONE, HANDOFF, None, "frustration", None, 3),                 # FP, calm false handoff
        case("calm", NONE, OFFER, None, "frustration", None, 1),                   # calm offer
        case("annoyed", OFFER, OFFER, "frustration", "unresolved", 2, 3),          # wrong reason, late
    ]
    m = evaluate.metrics(cases)
    assert (m.precision, m.recall, m.f1) == (0.5, 0.5, 0.5)
    assert m.false_handoff_rate_calm == 0.5 and m.offer_rate_calm == 0.5
    assert m.reason_accuracy == 0.5          # of the two escalated-in-both, one reason right
    assert m.on_time == 0.5 and m.mean_turn_delta == 0.5
    assert m.exact_outcome == 2 / 5


def test_the_replay_acts_like_the_assistant():
    s = settings()
    offer_then_yes = [{"text": "ugh, this is taking ages", "intent": "inform", "confidence": 0.9},
                      {"text": "yes please", "intent": "affirm", "confidence": 0.95}]
    assert evaluate.replay(offer_then_yes, s) == Outcome(HANDOFF, "frustration", 2, evaluate.replay(offer_then_yes, s).summary)
    offer_then_no = [offer_then_yes[0], {"text": "no thanks", "intent": "deny", "confidence": 0.95},
                     {"text": "this is annoying", "intent": "inform", "confidence": 0.9}]
    assert evaluate.replay(offer_then_no, s).action == OFFER
    rule = [{"text": "I want to complain", "intent": "complaint", "confidence": 0.9}]
    assert evaluate.replay(rule, s).action == HANDOFF


# --- the Japanese sets ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def japanese():
    return evaluate.load_set(evaluate.JA_SET)


def test_the_japanese_set_is_big_varied_and_japanese(japanese):
    assert len(japanese) >= 80
    assert len({c["id"] for c in japanese}) == len(japanese)
    counts = Counter(c["category"] for c in japanese)
    assert set(counts) == set(evaluate.CATEGORIES) and min(counts.values()) >= 10
    for c in japanese:
        assert (c["expect"] == NONE) == (c["reason"] is None) == (c["turn"] is None), c["id"]
        assert {t["intent"] for t in c["turns"]} <= INTENTS_AND_NLU_FALLBACK, c["id"]
        assert any(lexicon_ja.is_japanese(t["text"]) for t in c["turns"]), c["id"]


def test_japanese_escalation_is_gated_like_the_english(japanese):
    cases = evaluate.run(japanese, settings())
    m = evaluate.metrics(cases)
    assert m.f1 >= MIN_F1, evaluate.report(cases, evaluate.JA_SET, "escalation.yml")
    assert m.false_handoff_rate_calm <= MAX_CALM_FALSE_HANDOFFS
    assert m.reason_accuracy >= 0.85 and m.on_time >= 0.85


@pytest.mark.parametrize("held_out", [evaluate.HELD_OUT_SET, evaluate.JA_HELD_OUT_SET], ids=["en", "ja"])
def test_the_held_out_sets_stay_above_a_floor(held_out):
    """Sets written apart and never tuned on: their figures are the honest ones (docs/escalation.md); the
    floor catches a change that breaks what was never seen. Calm false handoffs there are reported, not gated:
    the Japanese held-out set measured 18.8% (3 of 16) when it arrived, the figure to bring down next."""
    cases = evaluate.run(evaluate.load_set(held_out), settings())
    assert len(cases) >= 50
    assert evaluate.metrics(cases).f1 >= 0.75, evaluate.report(cases, held_out, "escalation.yml")
