"""Pure parsing and formatting of what customers type: no I/O here.

Each ``parse_*`` function takes raw text (an entity value or a whole message)
and returns the canonical value, or ``None`` when the text holds no valid one.
"""

from __future__ import annotations

import re
from typing import Optional

ORDER_NUMBER_PREFIX = "ORD-"
MAX_FIELD_LENGTH = 200

# "ORD-104233", "ord104233", "#104233", "order 104233", "104233"
_ORDER_NUMBER = re.compile(r"(?i)(?<![\w-])(?:ord(?:er)?[\s#:-]*|#)?(\d{6})(?![\w-])")
_EMAIL = re.compile(r"(?i)(?<![\w.+-])([\w.+-]{1,64}@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,24})(?![\w-])")
_PHONE_CANDIDATE = re.compile(r"\+?\d[\d\s().-]{5,22}\d")
_HAS_LETTERS = re.compile(r"[^\W\d_]{2,}")
_HAS_DIGIT = re.compile(r"\d")


def parse_order_number(text: Optional[str]) -> Optional[str]:
    """Return the canonical order number (``ORD-123456``) found in ``text``.

    Args:
        text: an entity value or a whole message.

    Returns:
        ``"ORD-" + six digits``, or ``None`` when ``text`` holds no order number.
    """
    if not text or len(text) > MAX_FIELD_LENGTH * 5:
        return None
    match = _ORDER_NUMBER.search(text)
    return f"{ORDER_NUMBER_PREFIX}{match.group(1)}" if match else None


def parse_email(text: Optional[str]) -> Optional[str]:
    """Return the first e-mail address in ``text``, lower-cased, or ``None``."""
    if not text or len(text) > MAX_FIELD_LENGTH * 5:
        return None
    match = _EMAIL.search(text.strip())
    if not match:
        return None
    email = match.group(1).lower()
    local = email.split("@", 1)[0]
    if local.startswith(".") or local.endswith(".") or ".." in email:
        return None
    return email


def parse_phone(text: Optional[str]) -> Optional[str]:
    """Return a phone number normalised to ``+`` and digits, or ``None``.

    A number needs 7 to 15 digits (E.164 allows at most 15). A leading ``+`` is
    kept; without one the digits are kept as written (a national number).
    """
    if not text or len(text) > MAX_FIELD_LENGTH:
        return None
    match = _PHONE_CANDIDATE.search(text)
    if not match:
        return None
    raw = match.group(0)
    digits = re.sub(r"\D", "", raw)
    if not 7 <= len(digits) <= 15:
        return None
    return ("+" if raw.startswith("+") else "") + digits


def parse_address(text: Optional[str]) -> Optional[str]:
    """Return a tidied one-line postal address, or ``None`` if it looks incomplete.

    An address must have a house number or postcode (a digit), some words, and
    at least two parts (``street 1, city`` or ``street 1 city`` with 3+ words).
    """
    if not text:
        return None
    address = " ".join(text.split()).strip(" ,.")
    if not 8 <= len(address) <= MAX_FIELD_LENGTH:
        return None
    if not _HAS_DIGIT.search(address) or not _HAS_LETTERS.search(address):
        return None
    if "," not in address and len(address.split()) < 3:
        return None
    if "@" in address or "<" in address or ">" in address:
        return None
    return address


def format_money(cents: int, currency: str = "$") -> str:
    """Format an amount in cents as ``$45.90``."""
    return f"{currency}{cents // 100:,}.{cents % 100:02d}"


def order_summary(item_count: int, total_cents: int) -> str:
    """Describe an order in a few words: ``2 items, $45.90``."""
    noun = "item" if item_count == 1 else "items"
    return f"{item_count} {noun}, {format_money(total_cents)}"
