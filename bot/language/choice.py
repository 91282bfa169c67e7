"""Which language to answer a customer in: the one they write, else the one their widget declares.

Pure. The Rasa server asks it on every customer message (``bot/policies/language.py``) and
keeps the answer in the ``language`` slot, which chooses each response's variation in
``domain.yml``; the bridge keeps the same answer on its conversation record.
"""

from __future__ import annotations

import re

from bot.language.entities import find_entities
from bot.language.script import is_japanese_char

LANGUAGES = ("en", "ja")
DEFAULT_LANGUAGE = "en"
_LATIN_WORD = re.compile(r"[A-Za-z]{2,}")


def written_language(text: str) -> str | None:
    """The language ``text`` is written in: ``ja`` with any kana or kanji; ``en`` with a Latin word of
    two letters or more once order numbers, e-mail addresses and phone numbers are left out; ``None``
    when it says nothing (digits, an id, an e-mail address alone, emoji, a button's ``/intent`` payload)."""
    text = text or ""
    if text.startswith("/"):
        return None
    if any(is_japanese_char(char) for char in text):
        return "ja"
    rest = list(text)
    for found in find_entities(text):
        rest[found.start:found.end] = " " * (found.end - found.start)
    return "en" if _LATIN_WORD.search("".join(rest)) else None


def declared_language(value: object) -> str | None:
    """A language the widget declares (``customData.language``: ``ja``, ``ja-JP``, ``en-US``...), if we serve it."""
    if not isinstance(value, str):
        return None
    code = value.strip().lower().split("-")[0].split("_")[0]
    return code if code in LANGUAGES else None


def answer_language(text: str, declared: object = None, current: object = None) -> str:
    """The language of the next answer: the message's own (a customer who switches is answered in the
    new one), else the widget's declared one, else the conversation's so far, else English."""
    return written_language(text) or declared_language(declared) or declared_language(current) or DEFAULT_LANGUAGE
