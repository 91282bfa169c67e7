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

from bot.language.normalize import normalize

ORDER_NUMBER = "order_number"
EMAIL = "email"
PHONE_NUMBER = "phone_number"
ORDER_NUMBER_PREFIX = "ORD-"

MIN_PHONE_DIGITS = 9
MAX_PHONE_DIGITS = 15

_EMAIL = re.compile(
    r"(?<![A-Za-z0-9.+_/:-])([A-Za-z0-9][A-Za-z0-9._+-]{0,63}@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,24})"
    r"(?![A-Za-z0-9-])"
)
_URL_BEFORE = re.compile(r"://\S*$")
# A phone number's greedy shape: "+81 90-1234-5678", "(03) 1234-5678", "+1 (415) 555-0134", "09012345678".
_PHONE = re.compile(r"(\+\s?)?(\(\d{1,5}\)|\d)[\d\s().-]{5,24}\d")
_PHONE_START = re.compile(r"\+\s?\d|\(\d|\d")
# Labels a number may follow directly: "TEL03-1234-5678", "Tel.090-...", "No.090-..." (℡ is TEL after NFKC).
_PHONE_LABEL = re.compile(r"(?i)(?:tel|phone|no)[.:]?\s*$")
_DATE = re.compile(r"\d{4}[-/.]\d{1,2}[-/.]\d{1,2}")
_POSTCODE_FIRST = re.compile(r"^\d{3}-\d{4}\s")
_STARTS_ANOTHER_NUMBER = re.compile(r"(?:\d{6}|\d{4}[-/.]\d{1,2}[-/.]\d{1,2})(?!\S)")
_SIX_DIGIT_GROUPS = re.compile(r"^\d{6}(?:\s+\d{6})+$")
# "ORD-100101", "ord100101", "ORD 100101", "ORDER-100101", "#100101", "100101"
_ORDER = re.compile(
    r"(?<![A-Za-z0-9-])((?:ORDER[#:-]?|ORD[\s#:-]{0,2}|#\s?)?\d{6})(?![0-9A-Za-z])"
    r"(?!\s*(?:円|yen|jpy|usd|ドル|dollars?\b|万|個|件|点|枚|人|名))",
    re.IGNORECASE,
)
_CURRENCY_BEFORE = re.compile(r"(?:[¥$€£]|jpy|usd|eur)\s?$", re.IGNORECASE)


@dataclass(frozen=True)
class Found:
    """One entity: where it is in the original text and its canonical value."""

    entity: str
    start: int
    end: int
    text: str
    value: str


def canonical_phone(raw: str) -> str | None:
    """``+`` and digits if ``raw`` has 9 to 15 digits, else ``None``.

    The national trunk prefix written after a country code is dropped:
    ``+81 (0)90 1234 5678`` → ``+819012345678``.
    """
    if raw.lstrip().startswith("+"):
        raw = raw.replace("(0)", "")
    digits = re.sub(r"\D", "", raw)
    if not MIN_PHONE_DIGITS <= len(digits) <= MAX_PHONE_DIGITS:
        return None
    return ("+" if raw.lstrip().startswith("+") else "") + digits


def canonical_email(raw: str) -> str | None:
    """The address lower-cased, or ``None`` when its local part is malformed."""
    email = raw.lower()
    local = email.split("@", 1)[0]
    if local.startswith(".") or local.endswith(".") or ".." in email:
        return None
    return email


def _may_start_phone(plain: str, start: int) -> bool:
    """A phone number may start here: not in the middle of a word, an id, a date, a time or an amount."""
    if start == 0:
        return True
    before = plain[start - 1]
    if before.isascii() and before.isalnum():
        return bool(_PHONE_LABEL.search(plain[:start]))
    if before in "+-/":
        return False
    if before in ",.:" and start >= 2 and plain[start - 2].isdigit():
        return False  # 1,000 / 3.5 / 09:00
    return True


def _phone_value(candidate: str) -> str | None:
    """The canonical number if ``candidate`` (trimmed) is a phone number, else ``None``."""
    if _DATE.search(candidate) or _POSTCODE_FIRST.match(candidate) or _SIX_DIGIT_GROUPS.match(candidate):
        return None
    return canonical_phone(candidate)


def _phones(plain: str) -> list[tuple[int, int, str]]:
    """``(start, end, value)`` of each phone number in normalized text.

    The shape is greedy, so it can swallow a neighbouring number ("100245
    090-1234-5678", "090-1234-5678 100245"): a candidate that is not a phone
    number is cut back before a trailing order number or date, and one that
    starts with an order number or a date is searched again after it.
    """
    found: list[tuple[int, int, str]] = []
    position = 0
    while True:
        start_match = _PHONE_START.search(plain, position)
        if not start_match:
            return found
        start = start_match.start()
        match = _PHONE.match(plain, start) if _may_start_phone(plain, start) else None
        accepted = None
        if match:
            candidate = match.group(0).rstrip(" .-(")
            cuts = [candidate] + [candidate[:m.start()].rstrip(" .-(")
                                  for m in reversed(list(re.finditer(r"\s+", candidate)))]
            for cut in cuts:
                end = start + len(cut)
                if cut is not candidate and not _STARTS_ANOTHER_NUMBER.match(candidate[len(cut):].lstrip()):
                    continue  # only an order number or a date may be cut off: "+1 234 567 890 123 456 78" is none
                following = plain[end:end + 1]
                if following and following.isascii() and (following.isalnum() or following in ":-"):
                    continue
                value = _phone_value(cut)
                if value:
                    accepted = (start, end, value)
                    break
        if accepted:
            found.append(accepted)
            position = accepted[1]
        elif match and not _STARTS_ANOTHER_NUMBER.match(plain, start):
            position = start + len(match.group(0))  # one long number, not a phone: skip it whole
        else:
            group = re.match(r"\+?\s?\(?\d+(?:[-/.]\d+)*", plain[start:])
            position = start + (group.end() if group else 1)


def find_entities(text: str) -> list[Found]:
    """Every order number, e-mail address and phone number in ``text``, in order.

    Args:
        text: what the customer typed, in any width and either language.

    Returns:
        Non-overlapping entities with spans into ``text`` and canonical values
        (``ORD-`` and six digits; lower-cased e-mail; ``+`` and digits).
    """
    normalized = normalize(text)
    plain = normalized.text
    found: list[Found] = []
    taken: list[range] = []

    def add(entity: str, start: int, end: int, value: str | None) -> None:
        if value is None or any(start < t.stop and t.start < end for t in taken):
            return
        taken.append(range(start, end))
        original_start, original_end = normalized.original_span(start, end)
        found.append(Found(entity, original_start, original_end, text[original_start:original_end], value))

    for match in _EMAIL.finditer(plain):
        if _URL_BEFORE.search(plain[: match.start(1)]):
            continue  # part of a web address, not an e-mail
        add(EMAIL, match.start(1), match.end(1), canonical_email(match.group(1)))
    for phone_start, phone_end, value in _phones(plain):
        add(PHONE_NUMBER, phone_start, phone_end, value)
    for match in _ORDER.finditer(plain):
        if _CURRENCY_BEFORE.search(plain[: match.start(1)]):
            continue
        digits = match.group(1)[-6:]
        add(ORDER_NUMBER, match.start(1), match.end(1), ORDER_NUMBER_PREFIX + digits)
    return sorted(found, key=lambda f: f.start)


def first(text: str | None, entity: str) -> str | None:
    """The canonical value of the first ``entity`` in ``text``, or ``None``."""
    if not text:
        return None
    return next((f.value for f in find_entities(text) if f.entity == entity), None)
