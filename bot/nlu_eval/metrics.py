"""Scores of predictions against labels: pure functions, no model, no files.

Scoring conventions (stated in docs/nlu.md):

- A message the model sends to ``nlu_fallback`` ("please rephrase") counts as
  ``out_of_scope``: neither acts. For a shop message it is a miss.
- An entity is found when the model reports one of the same type whose span
  overlaps the labelled span.
- "Acting" intents are those after which the assistant does something a customer
  would notice: a handoff to a person, a recorded complaint, a form that asks for
  an order or account detail (:data:`ACTING_INTENTS`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

OUT_OF_SCOPE = "out_of_scope"
FALLBACK = "nlu_fallback"
ACTING_INTENTS = frozenset({
    "request_human", "complaint", "close_account", "cancel_order", "order_status",
    "change_delivery_address", "change_email", "change_phone", "change_account_address", "reset_password",
})


def scored_label(label: str) -> str:
    """The label as scored: the fallback counts as out of scope."""
    return OUT_OF_SCOPE if label == FALLBACK else label


@dataclass(frozen=True)
class LabelScore:
    """Precision, recall and F1 of one label."""

    precision: float
    recall: float
    f1: float
    support: int


@dataclass
class Scores:
    """Everything the report shows for one language."""

    examples: int
    accuracy: float
    macro_f1: float
    per_label: dict[str, LabelScore]
    faq_accuracy: float
    faq_examples: int
    fallback_rate_in_scope: float
    oos_examples: int
    oos_recall: float
    oos_false_accept_acting: float
    oos_acting_counts: dict[str, int]
    wrong_acting_in_scope: float
    entity_precision: float
    entity_recall: float
    entity_f1: float
    entity_per_type: dict[str, LabelScore]
    confusion: dict[tuple[str, str], int] = field(default_factory=dict)


def _prf(true_positive: int, predicted: int, actual: int) -> LabelScore:
    precision = true_positive / predicted if predicted else 0.0
    recall = true_positive / actual if actual else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return LabelScore(round(precision, 4), round(recall, 4), round(f1, 4), actual)


def label_scores(gold: Sequence[str], predicted: Sequence[str]) -> dict[str, LabelScore]:
    """Per gold label: precision, recall, F1 and support."""
    pairs = list(zip(gold, map(scored_label, predicted)))
    return {label: _prf(sum(1 for g, p in pairs if g == p == label), sum(1 for _, p in pairs if p == label),
                        sum(1 for g, _ in pairs if g == label))
            for label in sorted(set(gold))}


def entity_scores(gold: Sequence[Sequence[tuple[str, int, int]]],
                  predicted: Sequence[Sequence[tuple[str, int, int]]]) -> tuple[LabelScore, dict[str, LabelScore]]:
    """Overall and per-type entity scores; a match needs the same type and overlapping spans.

    Precision counts the predicted entities that overlap a labelled one, recall the
    labelled ones that a prediction overlaps (one wide prediction over two labelled
    entities is one right prediction and two found entities).
    """
    counts: dict[str, list[int]] = {}  # type -> [predicted right, predicted, labelled found, labelled]
    for wanted, found in zip(gold, predicted):
        for kind in {e[0] for e in wanted} | {e[0] for e in found}:
            w = [e for e in wanted if e[0] == kind]
            f = [e for e in found if e[0] == kind]
            c = counts.setdefault(kind, [0, 0, 0, 0])
            c[0] += sum(1 for b in f if any(a[1] < b[2] and b[1] < a[2] for a in w))
            c[1] += len(f)
            c[2] += sum(1 for a in w if any(a[1] < b[2] and b[1] < a[2] for b in f))
            c[3] += len(w)
    per_type = {kind: _score(*c) for kind, c in sorted(counts.items())}
    return _score(*[sum(c[i] for c in counts.values()) for i in range(4)]), per_type


def _score(right: int, predicted: int, found: int, actual: int) -> LabelScore:
    precision = right / predicted if predicted else 0.0
    recall = found / actual if actual else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return LabelScore(round(precision, 4), round(recall, 4), round(f1, 4), actual)


def score(gold: Sequence[str], predicted: Sequence[str],
          gold_entities: Sequence[Sequence[tuple[str, int, int]]],
          predicted_entities: Sequence[Sequence[tuple[str, int, int]]]) -> Scores:
    """Score one language's predictions."""
    scored = [scored_label(p) for p in predicted]
    per_label = label_scores(gold, predicted)
    n = len(gold)
    faq = [(g, p) for g, p in zip(gold, scored) if g.startswith("faq/")]
    in_scope = [(g, p) for g, p in zip(gold, predicted) if g != OUT_OF_SCOPE]
    oos = [scored_label(p) for g, p in zip(gold, predicted) if g == OUT_OF_SCOPE]
    acting = Counter(p for p in oos if p in ACTING_INTENTS)
    wrong_acting = sum(1 for g, p in in_scope if p in ACTING_INTENTS and p != g)
    entities, entity_types = entity_scores(gold_entities, predicted_entities)
    return Scores(
        examples=n,
        accuracy=round(sum(1 for g, p in zip(gold, scored) if g == p) / n, 4) if n else 0.0,
        macro_f1=round(sum(s.f1 for s in per_label.values()) / len(per_label), 4) if per_label else 0.0,
        per_label=per_label,
        faq_accuracy=round(sum(1 for g, p in faq if g == p) / len(faq), 4) if faq else 0.0,
        faq_examples=len(faq),
        fallback_rate_in_scope=round(sum(1 for _, p in in_scope if p == FALLBACK) / len(in_scope), 4)
        if in_scope else 0.0,
        oos_examples=len(oos),
        oos_recall=round(sum(1 for p in oos if p == OUT_OF_SCOPE) / len(oos), 4) if oos else 0.0,
        oos_false_accept_acting=round(sum(acting.values()) / len(oos), 4) if oos else 0.0,
        oos_acting_counts=dict(acting.most_common()),
        wrong_acting_in_scope=round(wrong_acting / len(in_scope), 4) if in_scope else 0.0,
        entity_precision=entities.precision, entity_recall=entities.recall, entity_f1=entities.f1,
        entity_per_type=entity_types,
        confusion=dict(Counter(zip(gold, scored))),
    )
