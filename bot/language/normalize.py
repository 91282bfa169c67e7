"""Canonical text for the NLU, with offsets back into what the customer typed.

NFKC turns full-width letters and digits into ASCII (``ＯＲＤ－１００１０１`` →
``ORD-100101``) and half-width katakana into full-width (``ｶﾞ`` → ``ガ``), but it
leaves the long-vowel mark, the minus sign and the other dashes as they are.
Between two letters or digits those are the separators of an id or a phone
number (``090ー1234ー5678``), so they become ``-`` there; inside Japanese words
(``メール``) they stay.

NFKC can change a text's length (``ｶﾞ`` is two characters, ``ガ`` one; ``…``
becomes ``...``), so :func:`normalize` also returns, for every character of the
normalized text, the span of the original text it came from. Tokens and entities
found on the normalized text are reported at the customer's own offsets.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

# Dashes NFKC leaves alone: long-vowel mark (two widths), minus, hyphens, dashes.
# The wave dash 〜 is not one: it marks a range (100101〜100105).
_DASHES = frozenset("\u30fc\uff70\u2212\u2010\u2011\u2012\u2013\u2014\u2015\u2500")
# Half-width voiced and semi-voiced sound marks combine with the kana before them.
_HALFWIDTH_MARKS = frozenset("\uff9e\uff9f")


@dataclass(frozen=True)
class Normalized:
    """A normalized text and, per character, the original span it came from."""

    text: str
    spans: tuple[tuple[int, int], ...]

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """The span of the original text behind ``text[start:end]`` (``end`` exclusive)."""
        if not self.spans:
            return (0, 0)
        if start >= len(self.spans):
            return (self.spans[-1][1], self.spans[-1][1])
        if start >= end:
            position = self.spans[min(start, len(self.spans) - 1)][0]
            return (position, position)
        return (self.spans[start][0], self.spans[end - 1][1])


def _clusters(text: str) -> list[tuple[int, int]]:
    """Split ``text`` into base characters with the combining marks that follow them."""
    clusters: list[tuple[int, int]] = []
    i, n = 0, len(text)
    while i < n:
        j = i + 1
        while j < n and (unicodedata.combining(text[j]) or text[j] in _HALFWIDTH_MARKS):
            j += 1
        clusters.append((i, j))
        i = j
    return clusters


def _is_id_char(char: str) -> bool:
    return char.isascii() and char.isalnum()


def _joins_an_id(before: str, after: str) -> bool:
    """A dash between these two characters separates parts of an id or a number.

    Digit–digit (090ー1234), letter–digit (ORDー100101) or digit–letter; between two
    letters (yes—cancel) it is punctuation and stays.
    """
    return _is_id_char(before) and _is_id_char(after) and (before.isdigit() or after.isdigit())


def normalize(text: str) -> Normalized:
    """NFKC plus id dashes, keeping a map from each output character to the input.

    Args:
        text: what the customer typed.

    Returns:
        The normalized text and the original span of each of its characters.
    """
    chars: list[str] = []
    spans: list[tuple[int, int]] = []
    for start, end in _clusters(text or ""):
        for char in unicodedata.normalize("NFKC", text[start:end]):
            chars.append(char)
            spans.append((start, end))
    for i, char in enumerate(chars):
        if char in _DASHES and 0 < i < len(chars) - 1 and _joins_an_id(chars[i - 1], chars[i + 1]):
            chars[i] = "-"
    return Normalized("".join(chars), tuple(spans))


def normalize_text(text: str) -> str:
    """Just the normalized text of :func:`normalize`."""
    return normalize(text).text
