"""Replay the fallback thresholds over saved predictions (no model needed).

Rasa's FallbackClassifier turns a turn into ``nlu_fallback`` when the top
intent's confidence is below ``threshold`` or the top two are closer than
``ambiguity_threshold``. The classifier's own ranking is kept in each
:class:`~bot.nlu_eval.parse.Prediction`, so other settings can be scored on the
development set without retraining.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.nlu_eval.parse import FALLBACK, Prediction


def relabel(prediction: Prediction, threshold: float, ambiguity: float) -> str:
    """The label ``prediction`` would get under these thresholds."""
    ranking = prediction.ranking
    if not ranking:
        return prediction.label
    top_name, top = ranking[0]
    if top_name == "out_of_scope" and top >= 1.0:  # the code-like-input override
        return top_name
    second = ranking[1][1] if len(ranking) > 1 else 0.0
    if top < threshold or top - second < ambiguity:
        return FALLBACK
    if top_name == "faq" and prediction.faq_key:
        return prediction.faq_key
    return top_name


def relabel_all(predictions: Sequence[Prediction], threshold: float, ambiguity: float) -> list[str]:
    """:func:`relabel` for each prediction."""
    return [relabel(p, threshold, ambiguity) for p in predictions]
