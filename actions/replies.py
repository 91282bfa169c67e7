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


def format_date(day: dt.date | None) -> str:
    """Format a date the way customers read it: ``Tuesday, 24 November``."""
    return f"{day:%A}, {day.day} {day:%B}" if day else "not known yet"


def shown(text: str, limit: int = 40) -> str:
    """Shorten what a customer typed before quoting it back to them."""
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def order_values(order: Order) -> dict[str, Any]:
    """The values any order response may use."""
    return {
        "order_number": order.order_number,
        "status": order.status.replace("_", " "),
        "carrier": order.carrier,
        "tracking_number": order.tracking_number or "not assigned yet",
        "placed_on": format_date(order.placed_on),
        "shipped_on": format_date(order.shipped_on),
        "expected_delivery": format_date(order.expected_delivery),
        "delivered_on": format_date(order.delivered_on),
        "total": format_money(order.total_cents),
        "summary": order_summary(order.item_count, order.total_cents),
    }


def status_reply(order: Order) -> Reply:
    """What to say when a customer asks where an order is."""
    return f"utter_order_status_{order.status}", order_values(order)


def not_changeable_reply(order: Order) -> Reply:
    """Why an order can no longer be cancelled or redirected."""
    response = "utter_cannot_change_shipped" if order.status in SHIPPED_STATUSES else "utter_cannot_change_closed"
    return response, order_values(order)
