"""Create the shop store and fill it with demo customers and orders.

    python -m actions.store.seed              # migrate (actions.store.migrate) and fill if empty
    python -m actions.store.seed --reset      # drop everything, start again
    python -m actions.store.seed --db-url postgresql+asyncpg://...

The first customers are fixed (the README's examples and the tests use them);
the rest are generated from a fixed random seed, so every run gives the same
shop. Dates are relative to the day of seeding, so expected deliveries stay
in the near future.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, insert, select, text
from sqlalchemy.ext.asyncio import create_async_engine

from actions.config import shop_db_url
from actions.store import schema
from actions.store.migrate import shown, upgrade

CARRIERS = ("UPS", "DHL", "FedEx", "USPS")
PRODUCTS = (
    ("Linen shirt", 4900), ("Canvas tote", 2400), ("Merino sweater", 8900), ("Running shoes", 11900),
    ("Wool socks (3 pack)", 1800), ("Ceramic mug set", 3400), ("Denim jacket", 9800), ("Rain boots", 6900),
    ("Cotton bedsheet set", 7900), ("Leather belt", 3900), ("Scented candle", 1900), ("Chino trousers", 5900),
)
FIRST_NAMES = ("Alex", "Sam", "Priya", "Liam", "Emma", "Noah", "Olivia", "Yuki", "Lucas", "Sofia", "Omar",
               "Chloe", "Mateo", "Aisha", "Ben", "Hana", "Leo", "Mia", "Ivan", "Zoe")
LAST_NAMES = ("Smith", "Johnson", "Brown", "Tanaka", "Müller", "Rossi", "Dubois", "Kim", "Nguyen", "Silva",
              "Cohen", "Patel", "Novak", "Larsen", "O'Brien")
STREETS = ("Oak Street", "Maple Avenue", "High Street", "Elm Road", "Station Road", "Park Lane", "Mill Lane")
CITIES = (("Springfield", "62701", "USA"), ("London", "SW1A 1AA", "UK"), ("Berlin", "10115", "Germany"),
          ("Toronto", "M5H 2N2", "Canada"), ("Osaka", "530-0001", "Japan"), ("Austin", "73301", "USA"))


@dataclass(frozen=True)
class DemoOrder:
    """An order of a fixed demo customer: number, status, days since it was placed."""

    number: str
    status: str
    age_days: int


@dataclass(frozen=True)
class DemoCustomer:
    """A fixed demo customer that examples and tests rely on."""

    id: str
    name: str
    email: str
    phone: str
    address: str
    orders: Sequence[DemoOrder]


FIXED_CUSTOMERS = (
    DemoCustomer("C1001", "Jane Doe", "jane.doe@example.com", "+14155550134",
                 "12 Oak Street, 62701 Springfield, USA",
                 (DemoOrder("ORD-100101", "shipped", 3), DemoOrder("ORD-100102", "processing", 1),
                  DemoOrder("ORD-100103", "delivered", 20))),
    DemoCustomer("C1002", "Kenji Sato", "kenji.sato@example.jp", "+819012345678",
                 "3-1 Umeda, 530-0001 Osaka, Japan",
                 (DemoOrder("ORD-100201", "pending", 0), DemoOrder("ORD-100202", "out_for_delivery", 4))),
    DemoCustomer("C1003", "Maria Garcia", "maria.garcia@example.com", "+447700900123",
                 "5 High Street, SW1A 1AA London, UK",
                 (DemoOrder("ORD-100301", "cancelled", 9), DemoOrder("ORD-100302", "returned", 40),
                  DemoOrder("ORD-100303", "processing", 2))),
)
GENERATED_CUSTOMERS = 40


def _order_row(
    number: str, customer_id: str, status: str, placed_on: dt.date, address: str, rng: random.Random
) -> dict[str, Any]:
    picks = rng.sample(PRODUCTS, rng.randint(1, 3))
    carrier = rng.choice(CARRIERS)
    shipped = status in {"shipped", "out_for_delivery", "delivered", "returned"}
    shipped_on = placed_on + dt.timedelta(days=1) if shipped else None
    expected = placed_on + dt.timedelta(days=5)
    return {
        "order_number": number,
        "customer_id": customer_id,
        "status": status,
        "placed_on": placed_on,
        "item_count": len(picks),
        "total_cents": sum(price for _, price in picks),
        "items": "; ".join(name for name, _ in picks),
        "delivery_address": address,
        "carrier": carrier,
        "tracking_number": f"{carrier[:2].upper()}{rng.randint(10**9, 10**10 - 1)}" if shipped else None,
        "shipped_on": shipped_on,
        "expected_delivery": expected,
        "delivered_on": placed_on + dt.timedelta(days=4) if status in {"delivered", "returned"} else None,
    }


def demo_rows(today: dt.date, seed: int = 42) -> dict[str, list[dict[str, Any]]]:
    """Build the demo shop as rows per table (pure: same input, same rows)."""
    rng = random.Random(seed)
    now = dt.datetime.combine(today, dt.time(9, 0))
    customers: list[dict[str, Any]] = []
    orders: list[dict[str, Any]] = []
    for c in FIXED_CUSTOMERS:
        customers.append({"id": c.id, "name": c.name, "email": c.email, "phone": c.phone,
                          "address": c.address, "created_at": now - dt.timedelta(days=400)})
        for o in c.orders:
            orders.append(_order_row(o.number, c.id, o.status, today - dt.timedelta(days=o.age_days),
                                     c.address, rng))
    statuses = ("pending", "processing", "shipped", "out_for_delivery", "delivered", "delivered", "cancelled")
    numbers = order_numbers(random.Random(seed + 1), taken={o["order_number"] for o in orders})
    for i in range(GENERATED_CUSTOMERS):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        city, postcode, country = rng.choice(CITIES)
        address = f"{rng.randint(1, 220)} {rng.choice(STREETS)}, {postcode} {city}, {country}"
        customer_id = f"C{2000 + i}"
        local = f"{first}.{last}".lower().replace("'", "").replace("ü", "u")
        customers.append({"id": customer_id, "name": f"{first} {last}", "email": f"{local}{i}@example.org",
                          "phone": f"+1415555{1000 + i:04d}", "address": address,
                          "created_at": now - dt.timedelta(days=rng.randint(30, 900))})
        for _ in range(rng.randint(1, 4)):
            status = rng.choice(statuses)
            age = {"pending": 0, "processing": 1, "shipped": 3, "out_for_delivery": 4}.get(status, rng.randint(8, 60))
            orders.append(_order_row(next(numbers), customer_id, status, today - dt.timedelta(days=age),
                                     address, rng))
    return {"customers": customers, "orders": orders}


def order_numbers(rng: random.Random, taken: set[str]) -> Iterator[str]:
    """Order numbers spread over the whole six-digit range, none twice: knowing one order's number
    says nothing about the next (sequential numbers let anyone walk from theirs to others')."""
    while True:
        number = f"ORD-{rng.randint(100000, 999999)}"
        if number not in taken:
            taken.add(number)
            yield number


async def seed(url: str, reset: bool = False, today: dt.date | None = None) -> int:
    """Bring the schema up to date (the migrations) and fill the tables if empty.
    Returns the number of orders added."""
    engine = create_async_engine(url, future=True)
    try:
        if reset:
            async with engine.begin() as conn:
                await conn.run_sync(schema.metadata.drop_all)
                await conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
        await upgrade(url)
        async with engine.begin() as conn:
            existing = (await conn.execute(select(func.count()).select_from(schema.customers))).scalar_one()
            if existing:
                return 0
            rows = demo_rows(today or dt.date.today())
            await conn.execute(insert(schema.customers), rows["customers"])
            await conn.execute(insert(schema.orders), rows["orders"])
            return len(rows["orders"])
    finally:
        await engine.dispose()


def main(argv: Sequence[str] | None = None) -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db-url", default=None, help="SQLAlchemy URL (default: SHOP_DB_URL or var/shop.sqlite3)")
    parser.add_argument("--reset", action="store_true", help="drop all tables first")
    args = parser.parse_args(argv)
    url = args.db_url or shop_db_url()
    if url.startswith("sqlite"):
        from pathlib import Path

        Path(url.split(":///", 1)[1]).parent.mkdir(parents=True, exist_ok=True)
    added = asyncio.run(seed(url, reset=args.reset))
    where = shown(url)  # never the password
    print(f"shop store ready at {where} ({added} demo orders added)" if added else f"shop store at {where} already filled")


if __name__ == "__main__":
    main()
