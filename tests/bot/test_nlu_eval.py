"""Scoring and threshold replay of the NLU report (pure: no model)."""

from __future__ import annotations

from bot.nlu_eval.metrics import entity_scores, label_scores, score
from bot.nlu_eval.parse import Prediction, prediction_from
from bot.nlu_eval.tuning import relabel


def test_fallback_counts_as_out_of_scope_and_a_miss_for_shop_messages():
    gold = ["greet", "out_of_scope", "order_status", "out_of_scope"]
    predicted = ["greet", "nlu_fallback", "nlu_fallback", "request_human"]
    s = score(gold, predicted, [[]] * 4, [[]] * 4)
    assert s.per_label["out_of_scope"].recall == 0.5
    assert s.per_label["out_of_scope"].precision == 0.5  # the fallback on order_status is a wrong "out of scope"
    assert s.per_label["order_status"].recall == 0.0
    assert s.oos_recall == 0.5
    assert s.oos_false_accept_acting == 0.5 and s.oos_acting_counts == {"request_human": 1}
    assert s.fallback_rate_in_scope == 0.5


def test_macro_f1_is_the_mean_over_labels():
    scores = label_scores(["a", "a", "b"], ["a", "b", "b"])
    assert scores["a"].f1 == round(2 * 1 * 0.5 / 1.5, 4)
    assert scores["b"].f1 == round(2 * 0.5 * 1 / 1.5, 4)
    s = score(["a", "a", "b"], ["a", "b", "b"], [[]] * 3, [[]] * 3)
    assert s.macro_f1 == round((scores["a"].f1 + scores["b"].f1) / 2, 4)


def test_wrong_acting_intent_on_shop_messages():
    s = score(["faq/invoices", "change_email"], ["close_account", "change_email"], [[]] * 2, [[]] * 2)
    assert s.wrong_acting_in_scope == 0.5


def test_entities_match_by_type_and_overlap():
    overall, per_type = entity_scores(
        [[("order_number", 10, 20)], [("email", 0, 5)], []],
        [[("order_number", 11, 20)], [("phone_number", 0, 5)], [("email", 3, 9)]],
    )
    assert per_type["order_number"].f1 == 1.0
    assert per_type["email"].recall == 0.0 and per_type["email"].precision == 0.0
    assert overall.precision == round(1 / 3, 4) and overall.recall == 0.5


def test_one_wide_entity_over_two_labelled_ones_is_not_precision_two():
    overall, _ = entity_scores([[("phone_number", 0, 13), ("phone_number", 14, 27)]], [[("phone_number", 0, 27)]])
    assert overall.precision == 1.0 and overall.recall == 1.0 and overall.f1 == 1.0
    overall, _ = entity_scores([[("phone_number", 0, 13)]], [[("phone_number", 0, 5), ("phone_number", 6, 13)]])
    assert overall.precision == 1.0 and overall.recall == 1.0


def test_prediction_from_a_rasa_parse_result():
    result = {
        "intent": {"name": "faq", "confidence": 0.9},
        "intent_ranking": [{"name": "faq", "confidence": 0.9}, {"name": "greet", "confidence": 0.05}],
        "response_selector": {"faq": {"response": {"intent_response_key": "faq/sizing"}}},
        "entities": [{"entity": "order_number", "start": 0, "end": 10, "value": "ORD-100101"}],
    }
    p = prediction_from(result)
    assert p.label == "faq/sizing" and p.entities == (("order_number", 0, 10, "ORD-100101"),)
    fallback = prediction_from({"intent": {"name": "nlu_fallback", "confidence": 0.6},
                                "intent_ranking": [{"name": "nlu_fallback", "confidence": 0.6},
                                                   {"name": "greet", "confidence": 0.4}]})
    assert fallback.label == "nlu_fallback" and fallback.ranking == (("greet", 0.4),)


def test_relabel_replays_both_thresholds():
    p = Prediction("greet", 0.55, (("greet", 0.55), ("thank", 0.40)), "", ())
    assert relabel(p, threshold=0.5, ambiguity=0.1) == "greet"
    assert relabel(p, threshold=0.6, ambiguity=0.1) == "nlu_fallback"
    assert relabel(p, threshold=0.5, ambiguity=0.2) == "nlu_fallback"
    faq = Prediction("faq/sizing", 0.9, (("faq", 0.9),), "faq/sizing", ())
    assert relabel(faq, 0.6, 0.1) == "faq/sizing"
    code = Prediction("out_of_scope", 1.0, (("out_of_scope", 1.0),), "", ())
    assert relabel(code, 0.99, 0.5) == "out_of_scope"
