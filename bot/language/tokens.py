"""Words of a message that mixes Japanese and Latin script.

Japanese runs are split morphologically by Janome (IPADIC, inside its wheel;
nothing is downloaded), Latin runs by whitespace and punctuation, in the same
message: ``ORD-100101の配送状況を教えて`` → ``ORD-100101 / の / 配送 / 状況 / を /
教え / て``. Each word carries its dictionary form (``届か`` → ``届く``), so the
featurizers see one word for every inflection.

Words are found on the normalized text and reported at the customer's own
offsets, with the normalized text as their text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from bot.language.normalize import normalize
from bot.language.script import runs

# Letters and digits, joined by the marks that hold ids, e-mails and contractions together.
_LATIN_WORD = re.compile(r"[^\W_]+(?:[-'’.@+_][^\W_]+)*|[\U0001F300-\U0001FAFF\u2600-\u27BF]")
# Janome parts of speech that are not words: punctuation, brackets, spaces.
_SKIPPED_POS = ("記号,句点", "記号,読点", "記号,空白", "記号,括弧開", "記号,括弧閉")


@dataclass(frozen=True)
class Word:
    """One word: its normalized text, dictionary form and span in the original text."""

    text: str
    lemma: str
    start: int
    end: int


class MixedScriptSplitter:
    """Splits text into :class:`Word` s; the Janome analyser is built on first use."""

    def __init__(self) -> None:
        """Create a splitter; Janome's dictionary is memory-mapped when first needed."""
        self._janome: Any | None = None

    def _analyser(self) -> Any:
        if self._janome is None:
            from janome.tokenizer import Tokenizer as JanomeTokenizer

            self._janome = JanomeTokenizer()
        return self._janome

    def split(self, text: str) -> list[Word]:
        """The words of ``text`` in order.

        Args:
            text: what the customer typed.

        Returns:
            Words with normalized text and lemma, at offsets into ``text``.
        """
        normalized = normalize(text)
        plain = normalized.text
        words: list[Word] = []
        # Two words can come from one original character that NFKC expanded; Rasa's
        # tokens must not overlap, so such a word starts where the previous one ended.
        for start, end, japanese in runs(plain):
            chunk = plain[start:end]
            if japanese:
                position = 0
                for token in self._analyser().tokenize(chunk):
                    surface = token.surface
                    offset = chunk.find(surface, position)
                    if offset < 0:
                        continue
                    position = offset + len(surface)
                    if not surface.strip() or token.part_of_speech.startswith(_SKIPPED_POS):
                        continue
                    lemma = token.base_form if token.base_form not in ("*", "") else surface
                    words.append(self._word(normalized, surface, lemma, start + offset, start + position))
            else:
                for match in _LATIN_WORD.finditer(chunk):
                    words.append(self._word(normalized, match.group(0), match.group(0),
                                            start + match.start(), start + match.end()))

        return _without_overlaps(words)

    @staticmethod
    def _word(normalized: Any, surface: str, lemma: str, start: int, end: int) -> Word:
        original_start, original_end = normalized.original_span(start, end)
        return Word(surface, lemma, original_start, original_end)


def _without_overlaps(words: list[Word]) -> list[Word]:
    """Words whose original spans do not overlap (a shared character goes to the first)."""
    kept: list[Word] = []
    for word in words:
        start = max(word.start, kept[-1].end) if kept else word.start
        if start < word.end:
            kept.append(Word(word.text, word.lemma, start, word.end))
    return kept
