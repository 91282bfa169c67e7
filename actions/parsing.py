"""Pure parsing and formatting of what customers type: no I/O here.

Each ``parse_*`` function takes raw text (an entity value or a whole message)
and returns the canonical value, or ``None`` when the text holds no valid one.
"""

from __future__ import annotations

import re

from bot.language import entities
from bot.language.normalize import normalize_text

ORDER_NUMBER_PREFIX = entities.ORDER_NUMBER_PREFIX

MAX_FIELD_LENGTH = 200

_HAS_LETTERS = re.compile(r"[^\W\d_]{2,}")
_HAS_DIGIT = re.compile(r"\d")
# Japanese addresses are written without commas: 〒150-0001 東京都渋谷区神宮前1-2-3
_JAPANESE_ADDRESS = re.compile(r"[都道府県市区町村郡丁目番地号]")


def parse_order_number(text: str | None) -> str | None:
    """Return the canonical order number (``ORD-123456``) found in ``text``.

    Args:
        text: an entity value or a whole message, in either language and any width
            (``ＯＲＤ－１００１０１``, ``注文番号100101``).

    Returns:
        ``"ORD-" + six digits``, or ``None`` when ``text`` holds no order number.
    """
    if not text or len(text) > MAX_FIELD_LENGTH * 5:
        return None
    return entities.first(text, entities.ORDER_NUMBER)


def parse_email(text: str | None) -> str | None:
    """Return the first e-mail address in ``text``, lower-cased, or ``None``."""
    if not text or len(text) > MAX_FIELD_LENGTH * 5:
        return None
    return entities.first(text, entities.EMAIL)


def parse_phone(text: str | None) -> str | None:
    """Return a phone number normalised to ``+`` and digits, or ``None``.

    A number needs 9 to 15 digits (E.164 allows at most 15; a six-digit run is an
    order number). A leading ``+`` is kept; without one the digits are kept as
    written (a national number). Full-width digits and dashes count.
    """
    if not text or len(text) > MAX_FIELD_LENGTH:
        return None
    return entities.first(text, entities.PHONE_NUMBER)


def parse_address(text: str | None) -> str | None:
    """Return a tidied one-line postal address, or ``None`` if it looks incomplete.

    An address must have a house number or postcode (a digit), some words, and
    at least two parts (``street 1, city`` or ``street 1 city`` with 3+ words).
    """
    if not text:
        return None
    address = " ".join(normalize_text(text).split()).strip(" ,.、。")
    if not 8 <= len(address) <= MAX_FIELD_LENGTH:
        return None
    if not _HAS_DIGIT.search(address) or not _HAS_LETTERS.search(address):
        return None
    if "," not in address and len(address.split()) < 3 and not _JAPANESE_ADDRESS.search(address):
        return None
    if "@" in address or "<" in address or ">" in address:
        return None
    return address


def format_money(cents: int, currency: str = "$") -> str:
    """Format an amount in cents as ``$45.90``."""
    return f"{currency}{cents // 100:,}.{cents % 100:02d}"


def order_summary(item_count: int, total_cents: int, language: str = "en") -> str:
    """Describe an order in a few words: ``2 items, $45.90``; ``商品2点、合計$45.90``."""
    if language == "ja":
        return f"商品{item_count}点、合計{format_money(total_cents)}"
    noun = "item" if item_count == 1 else "items"
    return f"{item_count} {noun}, {format_money(total_cents)}"
