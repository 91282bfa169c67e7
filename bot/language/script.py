"""Which writing system a piece of text is in: Japanese runs and the rest.

Kana are only Japanese; kanji are Japanese here (the shop's customers write
Japanese or English). The long-vowel mark and the iteration marks belong to the
Japanese run they sit in.
"""

from __future__ import annotations

from collections.abc import Iterator


def is_japanese_char(char: str) -> bool:
    """Hiragana, katakana (both widths), kanji, the long-vowel and iteration marks."""
    code = ord(char)
    return (
        0x3040 <= code <= 0x30FF  # hiragana, katakana, ー
        or 0x31F0 <= code <= 0x31FF  # katakana phonetic extensions
        or 0x3400 <= code <= 0x4DBF  # CJK extension A
        or 0x4E00 <= code <= 0x9FFF  # CJK unified ideographs
        or 0xF900 <= code <= 0xFAFF  # CJK compatibility ideographs
        or 0xFF66 <= code <= 0xFF9F  # half-width katakana
        or char in "々〆〇ヶ"
    )


def runs(text: str) -> Iterator[tuple[int, int, bool]]:
    """Yield ``(start, end, is_japanese)`` for each maximal run of one kind."""
    start = 0
    for i in range(1, len(text) + 1):
        if i == len(text) or is_japanese_char(text[i]) != is_japanese_char(text[start]):
            yield start, i, is_japanese_char(text[start])
            start = i


def detect_language(text: str) -> str | None:
    """``"ja"`` if the text has any kana or kanji, ``"en"`` if it has Latin letters, else ``None``."""
    if any(is_japanese_char(char) for char in text):
        return "ja"
    if any(char.isascii() and char.isalpha() for char in text):
        return "en"
    return None
