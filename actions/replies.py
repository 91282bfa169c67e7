"""Pure choice of what to tell the customer about an order: no I/O here.

Each function returns the name of a response in ``domain.yml`` and the values
that fill it, so every customer-facing text stays in the domain.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from actions.parsing import format_money, order_summary
from actions.store.repository import Order

Reply = tuple[str, dict[str, Any]]

SHIPPED_STATUSES = frozenset({"shipped", "out_for_delivery", "delivered"})


JA_WEEKDAYS = "月火水木金土日"
# The order statuses as a customer reads them inside a sentence.
STATUS_WORDS = {
    "en": {},  # the status itself, underscores as spaces
    "ja": {"pending": "ご注文受付済み", "processing": "発送準備中", "shipped": "発送済み",
           "out_for_delivery": "配達中", "delivered": "配達済み", "cancelled": "キャンセル済み",
           "returned": "返品済み"},
}
NOT_YET = {"en": {"date": "not known yet", "tracking": "not assigned yet"},
           "ja": {"date": "未定", "tracking": "未発行"}}


def format_date(day: dt.date | None, language: str = "en") -> str:
    """Format a date the way customers read it: ``Tuesday, 24 November``; ``11月24日（火）``."""
    if day is None:
        return NOT_YET[_known(language)]["date"]
    if _known(language) == "ja":
        return f"{day.month}月{day.day}日（{JA_WEEKDAYS[day.weekday()]}）"
    return f"{day:%A}, {day.day} {day:%B}"


def _known(language: str | None) -> str:
    return language if language in NOT_YET else "en"


def shown(text: str, limit: int = 40) -> str:
    """Shorten what a customer typed before quoting it back to them."""
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def order_values(order: Order, language: str | None = "en") -> dict[str, Any]:
    """The values any order response may use, written for a reply in ``language`` (``en``, ``ja``)."""
    lang = _known(language)
    return {
        "order_number": order.order_number,
        "status": STATUS_WORDS[lang].get(order.status, order.status.replace("_", " ")),
        "carrier": order.carrier,
        "tracking_number": order.tracking_number or NOT_YET[lang]["tracking"],
        "placed_on": format_date(order.placed_on, lang),
        "shipped_on": format_date(order.shipped_on, lang),
        "expected_delivery": format_date(order.expected_delivery, lang),
        "delivered_on": format_date(order.delivered_on, lang),
        "total": format_money(order.total_cents),
        "summary": order_summary(order.item_count, order.total_cents, lang),
    }


def status_reply(order: Order, language: str | None = "en") -> Reply:
    """What to say when a customer asks where an order is."""
    return f"utter_order_status_{order.status}", order_values(order, language)


# The status as anyone who names an order may hear it: no dates, carrier or tracking number.
BRIEF_STATUS = {
    "en": {"pending": "has been received and is waiting for payment confirmation",
           "processing": "is being prepared for shipping", "shipped": "has shipped and is on its way",
           "out_for_delivery": "is out for delivery", "delivered": "has been delivered",
           "cancelled": "was cancelled", "returned": "was returned"},
    "ja": {"pending": "ご入金の確認をお待ちしております", "processing": "発送の準備を進めております",
           "shipped": "発送済みで、お届けに向かっております", "out_for_delivery": "本日配達中でございます",
           "delivered": "お届け済みでございます", "cancelled": "キャンセル済みでございます",
           "returned": "返品済みでございます"},
}


def brief_status_reply(order: Order, language: str | None = "en") -> Reply:
    """What anyone who names an order hears before proving to be its owner."""
    words = BRIEF_STATUS[_known(language)]
    return "utter_order_status_brief", {"order_number": order.order_number,
                                        "brief_status": words.get(order.status, order.status.replace("_", " "))}


def not_changeable_reply(order: Order, language: str | None = "en") -> Reply:
    """Why an order can no longer be cancelled or redirected."""
    response = "utter_cannot_change_shipped" if order.status in SHIPPED_STATUSES else "utter_cannot_change_closed"
    return response, order_values(order, language)
