"""Merge reviewed examples into ``data/nlu/reviewed.yml``: tidy, de-duplicated, and refusing conflicts."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bot.trainer.nludata import REVIEWED_FILE, labels_by_text, normalised, read_reviewed, render


class MergeRefused(ValueError):
    """The merge would make the training data wrong; nothing was written. The message lists every problem."""


@dataclass
class MergeResult:
    """What a merge added."""

    path: Path
    added: dict[str, int] = field(default_factory=dict)
    already_there: int = 0

    @property
    def total(self) -> int:
        return sum(self.added.values())


def known_intents(domain_path: Path) -> tuple[set[str], set[str]]:
    """The domain's intents, and its retrieval responses (``faq/shipping_times``)."""
    domain = yaml.safe_load(domain_path.read_text(encoding="utf-8")) or {}
    intents = {i if isinstance(i, str) else next(iter(i)) for i in domain.get("intents") or []}
    retrieval = {name[len("utter_"):] for name in (domain.get("responses") or {}) if "/" in name}
    return intents, retrieval


def plan(
    decided: Sequence[tuple[str, str, str]],
    existing: Mapping[str, set[str]],
    intents: set[str],
    retrieval: set[str],
) -> tuple[dict[str, list[str]], list[str], int]:
    """Pure: ``(example id, text, label)`` triples → examples to add by intent, problems, and how many were already there."""
    problems: list[str] = []
    add: dict[str, list[str]] = {}
    batch_labels: dict[str, tuple[str, str]] = {}
    already = 0
    for example_id, text, label in decided:
        if any(ord(c) < 32 or ord(c) == 127 for c in text):
            problems.append(f"{example_id}: the text has control characters; edit it in the review file")
            continue
        base = label.split("/")[0]
        if base not in intents:
            problems.append(f"{example_id}: intent '{label}' is not in domain.yml; add it there (with a rule or "
                            f"story that answers it) before merging examples for it")
            continue
        if "/" in label and label not in retrieval:
            problems.append(f"{example_id}: '{label}' has no response utter_{label} in domain.yml")
            continue
        key = normalised(text)
        others = existing.get(key, set()) - {label}
        if others:
            problems.append(f"{example_id}: {text!r} is already an example of {', '.join(sorted(others))}, "
                            f"not {label}: relabel it, or remove the old example first")
            continue
        if key in batch_labels and batch_labels[key][1] != label:
            problems.append(f"{example_id}: {text!r} is labelled {label} here and {batch_labels[key][1]} in "
                            f"{batch_labels[key][0]}")
            continue
        if label in existing.get(key, set()) or key in batch_labels:
            already += 1
            continue
        batch_labels[key] = (example_id, label)
        add.setdefault(label, []).append(text)
    return add, problems, already


def merge(decided: Sequence[tuple[str, str, str]], data_dir: Path, domain_path: Path) -> MergeResult:
    """Write the decided examples into ``<data_dir>/nlu/reviewed.yml``; ``MergeRefused`` and no change on any conflict."""
    nlu_dir = data_dir / "nlu"
    intents, retrieval = known_intents(domain_path)
    add, problems, already = plan(decided, labels_by_text(nlu_dir), intents, retrieval)
    if problems:
        raise MergeRefused("nothing merged:\n  " + "\n  ".join(problems))
    path = nlu_dir / REVIEWED_FILE
    current = read_reviewed(path)
    for intent, examples in add.items():
        current.setdefault(intent, []).extend(examples)
    if add:
        tmp = path.with_suffix(".yml.tmp")
        tmp.write_text(render(current), encoding="utf-8")
        tmp.replace(path)
    return MergeResult(path, {intent: len(examples) for intent, examples in add.items()}, already)
