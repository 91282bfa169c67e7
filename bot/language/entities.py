"""Order numbers, e-mail addresses and phone numbers, in English and Japanese text.

The patterns run on normalized text (:mod:`bot.language.normalize`), so
full-width digits and the long-vowel mark used as a dash need no pattern of
their own. Boundaries are ASCII letters and digits, never ``\\b``: in
``注文番号100245の`` the kanji before the number and the kana after it are word
characters to Python, but they are not part of the number.

Phone numbers are found before order numbers, and an order number inside a
phone number is not one. An amount of money (``150000円``, ``$100000``) is not an
order number either.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import List, Optional

from bot.language.normalize import normalize

ORDER_NUMBER = "order_number"
EMAIL = "email"
PHONE_NUMBER = "phone_number"
ORDER_NUMBER_PREFIX = "ORD-"

MIN_PHONE_DIGITS = 9
MAX_PHONE_DIGITS = 15

_EMAIL = re.compile(
    r"(?<![A-Za-z0-9.+_-])([A-Za-z0-9][A-Za-z0-9._+-]{0,63}@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,24})"
    r"(?![A-Za-z0-9-])"
)
# "+81 90-1234-5678", "(03) 1234-5678", "090 1234 5678", "+1 (415) 555-0134", "09012345678"
_PHONE = re.compile(r"(?<![A-Za-z0-9+.-])(\+\s?)?(\(\d{1,5}\)|\d)[\d\s().-]{5,24}\d(?![A-Za-z0-9:-])")
_DATE = re.compile(r"^\d{4}[-/.]\d{1,2}[-/.]\d{1,2}\b")
# "ORD-100101", "ord100101", "ORD 100101", "#100101", "100101"
_ORDER = re.compile(
    r"(?<![A-Za-z0-9-])((?:ORD[\s#:-]{0,2}|#\s?)?\d{6})(?![0-9A-Za-z])(?!\s*(?:円|yen|ドル|dollars?\b|万))",
    re.IGNORECASE,
)
_CURRENCY_BEFORE = re.compile(r"[¥$€£]\s?$")


@dataclass(frozen=True)
class Found:
    """One entity: where it is in the original text and its canonical value."""

    entity: str
    start: int
    end: int
    text: str
    value: str


def canonical_phone(raw: str) -> Optional[str]:
    """``+`` and digits if ``raw`` has 9 to 15 digits, else ``None``."""
    digits = re.sub(r"\D", "", raw)
    if not MIN_PHONE_DIGITS <= len(digits) <= MAX_PHONE_DIGITS:
        return None
    return ("+" if raw.lstrip().startswith("+") else "") + digits


def canonical_email(raw: str) -> Optional[str]:
    """The address lower-cased, or ``None`` when its local part is malformed."""
    email = raw.lower()
    local = email.split("@", 1)[0]
    if local.startswith(".") or local.endswith(".") or ".." in email:
        return None
    return email


def find_entities(text: str) -> List[Found]:
    """Every order number, e-mail address and phone number in ``text``, in order.

    Args:
        text: what the customer typed, in any width and either language.

    Returns:
        Non-overlapping entities with spans into ``text`` and canonical values
        (``ORD-`` and six digits; lower-cased e-mail; ``+`` and digits).
    """
    normalized = normalize(text)
    plain = normalized.text
    found: List[Found] = []
    taken: List[range] = []

    def add(entity: str, start: int, end: int, value: Optional[str]) -> None:
        if value is None or any(start < t.stop and t.start < end for t in taken):
            return
        taken.append(range(start, end))
        original_start, original_end = normalized.original_span(start, end)
        found.append(Found(entity, original_start, original_end, text[original_start:original_end], value))

    for match in _EMAIL.finditer(plain):
        add(EMAIL, match.start(1), match.end(1), canonical_email(match.group(1)))
    for match in _PHONE.finditer(plain):
        raw = match.group(0).rstrip(" .-(")
        if _DATE.match(raw):
            continue
        add(PHONE_NUMBER, match.start(), match.start() + len(raw), canonical_phone(raw))
    for match in _ORDER.finditer(plain):
        if _CURRENCY_BEFORE.search(plain[: match.start(1)]):
            continue
        digits = match.group(1)[-6:]
        add(ORDER_NUMBER, match.start(1), match.end(1), ORDER_NUMBER_PREFIX + digits)
    return sorted(found, key=lambda f: f.start)


def first(text: Optional[str], entity: str) -> Optional[str]:
    """The canonical value of the first ``entity`` in ``text``, or ``None``."""
    if not text:
        return None
    return next((f.value for f in find_entities(text) if f.entity == entity), None)
