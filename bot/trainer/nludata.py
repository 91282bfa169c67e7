"""Rasa NLU training files: reading examples, normalising text, writing the reviewed file tidily."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from pathlib import Path

import yaml

ENTITY_MARKUP = re.compile(r"\[([^\]]+)\](\([^)]*\)|\{[^}]*\})")
REVIEWED_FILE = "reviewed.yml"


def plain(text: str) -> str:
    """The text without Rasa entity markup: ``[ORD-1](order_number)`` → ``ORD-1``."""
    return ENTITY_MARKUP.sub(lambda m: m.group(1), text)


def normalised(text: str) -> str:
    """For comparing examples: no markup, case, accents, punctuation or extra spaces."""
    text = unicodedata.normalize("NFKC", plain(text)).casefold()
    text = "".join(c if c.isalnum() or c.isspace() else " " for c in text)
    return " ".join(text.split())


def _examples(block: Mapping) -> list[str]:
    raw = block.get("examples") or ""
    return [line[2:].strip() for line in str(raw).splitlines() if line.strip().startswith("- ")]


def read_examples(nlu_dir: Path) -> list[tuple[str, str, Path]]:
    """Every ``(intent, example, file)`` in the NLU files under ``nlu_dir``."""
    out = []
    for path in sorted(nlu_dir.rglob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for block in data.get("nlu") or []:
            if "intent" in block:
                out += [(str(block["intent"]), example, path) for example in _examples(block)]
    return out


def labels_by_text(nlu_dir: Path) -> dict[str, set[str]]:
    """Normalised example text → the intents it is an example of."""
    index: dict[str, set[str]] = {}
    for intent, example, _ in read_examples(nlu_dir):
        index.setdefault(normalised(example), set()).add(intent)
    return index


def _quote(example: str) -> str:
    """One example as a YAML block-scalar line (no quoting needed inside ``examples: |``)."""
    return " ".join(example.split())


def render(by_intent: Mapping[str, Iterable[str]]) -> str:
    """A tidy NLU file: intents sorted, examples sorted and unique, one block each."""
    lines = ['version: "3.1"', "", "# Examples from reviewed conversations (python -m bot.trainer merge).",
             "# Written by the trainer tool: edit through a review file, not by hand.", "", "nlu:"]
    for intent in sorted(by_intent):
        examples = sorted({_quote(e) for e in by_intent[intent] if e.strip()}, key=str.casefold)
        if not examples:
            continue
        lines += [f"- intent: {intent}", "  examples: |"] + [f"    - {e}" for e in examples]
    return "\n".join(lines) + "\n"


def read_reviewed(path: Path) -> dict[str, list[str]]:
    """The current reviewed file, by intent (empty if there is none)."""
    if not path.exists():
        return {}
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    out: dict[str, list[str]] = {}
    for block in data.get("nlu") or []:
        out.setdefault(str(block["intent"]), []).extend(_examples(block))
    return out
