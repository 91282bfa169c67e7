"""Labelled evaluation sets: one Rasa NLU YAML file per language (``en.yml``, ``ja.yml``)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rasa.shared.nlu.constants import INTENT, INTENT_RESPONSE_KEY, TEXT
from rasa.shared.nlu.training_data.loading import load_data

LANGUAGES = ("en", "ja")


@dataclass(frozen=True)
class Example:
    """A customer message, its label (``faq/topic`` for FAQ questions) and its entities."""

    text: str
    label: str
    entities: tuple[tuple[str, int, int], ...]


def load_set(path: Path) -> list[Example]:
    """Every example of one Rasa NLU YAML file, parsed by Rasa's own reader."""
    examples = []
    for message in load_data(str(path)).intent_examples:
        label = message.get(INTENT_RESPONSE_KEY) or message.get(INTENT)
        entities = tuple((e["entity"], int(e["start"]), int(e["end"])) for e in message.get("entities") or [])
        examples.append(Example(message.get(TEXT), label, entities))
    return examples


def load_sets(folder: Path) -> dict[str, list[Example]]:
    """``{language: examples}`` for each language file present in ``folder``."""
    return {language: load_set(folder / f"{language}.yml")
            for language in LANGUAGES if (folder / f"{language}.yml").exists()}
