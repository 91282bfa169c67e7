"""The NLU report: Markdown tables and one confusion-matrix plot per language."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from bot.nlu_eval.metrics import ACTING_INTENTS, Scores

LANGUAGE_NAMES = {"en": "English", "ja": "Japanese"}


def _pct(value: float) -> str:
    return f"{value * 100:.1f} %"


def summary_table(scores: Mapping[str, Scores]) -> str:
    """One row per language: the headline figures."""
    rows = ["| language | messages | intent macro-F1 | accuracy | FAQ topic accuracy | entity F1 | "
            "out-of-scope recall | out-of-scope → acting intent | shop message → wrong acting intent | "
            "shop message → fallback |",
            "|---|---|---|---|---|---|---|---|---|---|"]
    for language, s in scores.items():
        rows.append(f"| {LANGUAGE_NAMES.get(language, language)} | {s.examples} | {s.macro_f1:.3f} | "
                    f"{_pct(s.accuracy)} | {_pct(s.faq_accuracy)} ({s.faq_examples}) | {s.entity_f1:.3f} | "
                    f"{_pct(s.oos_recall)} ({s.oos_examples}) | {_pct(s.oos_false_accept_acting)} | "
                    f"{_pct(s.wrong_acting_in_scope)} | {_pct(s.fallback_rate_in_scope)} |")
    return "\n".join(rows)


def label_table(scores: Mapping[str, Scores]) -> str:
    """Per label and language: precision / recall / F1 (support)."""
    languages = list(scores)
    labels = sorted({label for s in scores.values() for label in s.per_label})
    head = "| label | " + " | ".join(f"{LANGUAGE_NAMES.get(lang, lang)} P / R / F1 (n)" for lang in languages) + " |"
    rows = [head, "|---|" + "---|" * len(languages)]
    for label in labels:
        cells = []
        for language in languages:
            ls = scores[language].per_label.get(label)
            cells.append(f"{ls.precision:.2f} / {ls.recall:.2f} / **{ls.f1:.2f}** ({ls.support})" if ls else "–")
        mark = " ⚑" if label in ACTING_INTENTS else ""
        rows.append(f"| {label}{mark} | " + " | ".join(cells) + " |")
    return "\n".join(rows)


def entity_table(scores: Mapping[str, Scores]) -> str:
    """Per entity type and language: precision / recall / F1 (support)."""
    languages = list(scores)
    kinds = sorted({kind for s in scores.values() for kind in s.entity_per_type})
    rows = ["| entity | " + " | ".join(f"{LANGUAGE_NAMES.get(lang, lang)} P / R / F1 (n)" for lang in languages)
            + " |", "|---|" + "---|" * len(languages)]
    for kind in kinds:
        cells = []
        for language in languages:
            es = scores[language].entity_per_type.get(kind)
            cells.append(f"{es.precision:.2f} / {es.recall:.2f} / {es.f1:.2f} ({es.support})" if es else "–")
        rows.append(f"| {kind} | " + " | ".join(cells) + " |")
    return "\n".join(rows)


def top_confusions(scores: Scores, limit: int = 12) -> list[str]:
    """The most frequent wrong (gold → predicted) pairs."""
    wrong = sorted(((n, g, p) for (g, p), n in scores.confusion.items() if g != p), reverse=True)[:limit]
    return [f"{g} → {p} ({n})" for n, g, p in wrong]


def plot_confusion(scores: Scores, title: str, path: Path) -> None:
    """Row-normalised confusion matrix (gold rows, predicted columns) as a PNG."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    labels = sorted({g for g, _ in scores.confusion} | {p for _, p in scores.confusion})
    index = {label: i for i, label in enumerate(labels)}
    matrix = np.zeros((len(labels), len(labels)))
    for (gold, predicted), n in scores.confusion.items():
        matrix[index[gold], index[predicted]] += n
    rows = matrix.sum(axis=1, keepdims=True)
    shares = np.divide(matrix, rows, out=np.zeros_like(matrix), where=rows > 0)
    fig, ax = plt.subplots(figsize=(11, 10))
    ax.imshow(shares, cmap="Blues", vmin=0, vmax=1)
    ax.set_xticks(range(len(labels)), labels, rotation=90, fontsize=7)
    ax.set_yticks(range(len(labels)), labels, fontsize=7)
    for i in range(len(labels)):
        for j in range(len(labels)):
            if matrix[i, j]:
                ax.text(j, i, int(matrix[i, j]), ha="center", va="center", fontsize=5,
                        color="white" if shares[i, j] > 0.5 else "black")
    ax.set_xlabel("predicted")
    ax.set_ylabel("labelled")
    ax.set_title(title)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)


def markdown(scores: Mapping[str, Scores], model: str, sets: str, plots: Mapping[str, str],
             extra: Sequence[str] = ()) -> str:
    """The whole report section."""
    parts = [f"Model `{model}` on `{sets}` (written apart from the training data; "
             "`tests/nlu/BRIEF.md` is all their writers saw).", "", summary_table(scores), "",
             "⚑ marks acting intents (a handoff, a recorded complaint or a form). A fallback counts as out of "
             "scope; an entity is found when one of the same type overlaps the labelled span.", "",
             "### Per intent", "", label_table(scores), "", "### Entities", "", entity_table(scores), ""]
    for language, s in scores.items():
        name = LANGUAGE_NAMES.get(language, language)
        parts += [f"### {name}: most frequent confusions", "", "; ".join(top_confusions(s)) or "none", ""]
        if s.oos_acting_counts:
            parts += ["Out-of-scope messages that reached an acting intent: "
                      + ", ".join(f"{k} {v}" for k, v in s.oos_acting_counts.items()), ""]
        if language in plots:
            parts += [f"![{name} confusion matrix]({plots[language]})", ""]
    parts += list(extra)
    return "\n".join(parts)
