"""Does a message ask for a person? For the handoff bridge, which answers customers while the assistant is down.

Whole words and phrases, never substrings ("personal", "agenda" and
"humanity" ask for nobody), in English and Japanese. The English phrases are
the explicit-request phrases of the escalation signal (``lexicon.
EXPLICIT_REQUEST``), plus a message that is nothing but a person ("agent
please"); the Japanese ones are ``lexicon.EXPLICIT_REQUEST_JA``.

Standard library only, Python 3.8 and later: the bridge runs in another environment.
"""

from __future__ import annotations

import re
import unicodedata

from escalation import lexicon

# The payload of the "Talk to a person" button (a Rasa intent payload, maybe with entities).
_REQUEST_HUMAN_PAYLOAD = re.compile(r"^/request_human(?!\w)")
# The signal's phrases, but only where they end at the end of a word ("the agent", not "the agenda").
_EXPLICIT_WHOLE_WORDS = re.compile(r"(?:" + lexicon.EXPLICIT_REQUEST.pattern + r")(?!\w)",
                                   lexicon.EXPLICIT_REQUEST.flags)


def _normalised(text: str) -> str:
    """NFKC (full-width letters, half-width katakana, the ideographic space) and single spaces."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


def person_request(text: str) -> str | None:
    """The words of ``text`` that ask for a person, or ``None`` if it does not ask for one."""
    text = _normalised(text or "")
    if not text:
        return None
    for pattern in (_REQUEST_HUMAN_PAYLOAD, lexicon.PERSON_ALONE, _EXPLICIT_WHOLE_WORDS, lexicon.EXPLICIT_REQUEST_JA):
        match = pattern.search(text)
        if match:
            return match.group(0)
    return None


def asks_for_person(text: str) -> bool:
    """True when ``text`` asks for a person: "agent", "a human", "real person", "operator", the
    ``/request_human`` button, 「オペレーター」「担当者につないで」「人と話したい」「有人対応」…;
    not "personal", "agenda", "humanity", 「個人情報」."""
    return person_request(text) is not None
