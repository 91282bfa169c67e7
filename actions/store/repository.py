"""Async access to the order and account store.

``ShopStore`` owns one SQLAlchemy async engine; actions get it from
``get_store()``, which opens it on first use (never at import time) and keeps
one per database URL for the life of the process.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from actions.config import shop_db_url
from actions.store import schema

CHANGEABLE_STATUSES = frozenset({"pending", "processing"})
EMAIL_CHANGE_VALID = dt.timedelta(hours=24)


class StoreError(Exception):
    """Base of everything the store raises."""


class StoreUnavailable(StoreError):
    """The database could not be reached or failed."""


class OrderNotFound(StoreError):
    """No order has that number."""


class OrderNotChangeable(StoreError):
    """The order has shipped or is closed, so it can no longer be changed."""

    def __init__(self, order: Order) -> None:
        super().__init__(f"{order.order_number} is {order.status}")
        self.order = order


class LinkInvalid(StoreError):
    """A confirmation link that is unknown, used or expired."""


class EmailInUse(StoreError):
    """Another customer already uses that e-mail address."""


@dataclass(frozen=True)
class Customer:
    """A shop customer as stored."""

    id: str
    name: str
    email: str
    phone: str
    address: str


@dataclass(frozen=True)
class Order:
    """An order as stored."""

    order_number: str
    customer_id: str
    status: str
    placed_on: dt.date
    item_count: int
    total_cents: int
    items: str
    delivery_address: str
    carrier: str
    tracking_number: str | None
    shipped_on: dt.date | None
    expected_delivery: dt.date
    delivered_on: dt.date | None

    @property
    def changeable(self) -> bool:
        """Whether the order can still be cancelled or redirected."""
        return self.status in CHANGEABLE_STATUSES


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


class ShopStore:
    """Queries and changes of shop data; every method is one transaction."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    @classmethod
    def from_url(cls, url: str) -> ShopStore:
        """Build a store on a new engine for ``url`` (no connection is opened yet).

        Each connection is checked as it leaves the pool (``pool_pre_ping``): after a database
        restart the stale ones are replaced instead of failing a customer's request.
        """
        return cls(create_async_engine(url, future=True, pool_pre_ping=True))

    async def close(self) -> None:
        """Dispose of the engine's connections."""
        await self._engine.dispose()

    # --- reading ---------------------------------------------------------

    async def get_order(self, order_number: str) -> Order | None:
        """Return the order with that number, or ``None``."""
        row = await self._one(select(schema.orders).where(schema.orders.c.order_number == order_number))
        return Order(**row) if row else None

    async def get_customer(self, customer_id: str) -> Customer | None:
        """Return the customer with that id, or ``None``."""
        row = await self._one(select(schema.customers).where(schema.customers.c.id == customer_id))
        return _customer(row) if row else None

    async def find_customer_by_email(self, email: str) -> Customer | None:
        """Return the customer whose e-mail is ``email`` (case-insensitive), or ``None``."""
        row = await self._one(
            select(schema.customers).where(func.lower(schema.customers.c.email) == email.lower())
        )
        return _customer(row) if row else None

    async def orders_of(self, customer_id: str) -> list[Order]:
        """Return a customer's orders, newest first."""
        rows = await self._all(
            select(schema.orders)
            .where(schema.orders.c.customer_id == customer_id)
            .order_by(schema.orders.c.placed_on.desc())
        )
        return [Order(**row) for row in rows]

    async def verify(self, email: str, order_number: str) -> Customer | None:
        """Return the customer if ``email`` is on file for the owner of the order."""
        customer = await self.find_customer_by_email(email)
        order = await self.get_order(order_number)
        if customer and order and order.customer_id == customer.id:
            return customer
        return None

    async def outbox_for(self, recipient: str) -> list[dict[str, Any]]:
        """Return the mail written for ``recipient``, oldest first."""
        return await self._all(
            select(schema.outbox).where(schema.outbox.c.recipient == recipient).order_by(schema.outbox.c.id)
        )

    async def changes_of(self, customer_id: str) -> list[dict[str, Any]]:
        """Return the audit trail of a customer's changes, oldest first."""
        return await self._all(
            select(schema.account_changes)
            .where(schema.account_changes.c.customer_id == customer_id)
            .order_by(schema.account_changes.c.id)
        )

    async def support_requests(self, conversation_id: str) -> list[dict[str, Any]]:
        """Return the requests for a person recorded for a conversation."""
        return await self._all(
            select(schema.support_requests)
            .where(schema.support_requests.c.conversation_id == conversation_id)
            .order_by(schema.support_requests.c.id)
        )

    # --- changing --------------------------------------------------------

    async def cancel_order(self, order_number: str, conversation_id: str) -> Order:
        """Cancel an order that has not shipped yet.

        Raises:
            OrderNotFound: no such order.
            OrderNotChangeable: it has shipped or is closed (checked in the
                same UPDATE, so a concurrent shipment cannot slip through).
        """
        return await self._change_order(order_number, {"status": "cancelled"}, "order_status", conversation_id)

    async def change_delivery_address(self, order_number: str, address: str, conversation_id: str) -> Order:
        """Redirect an order that has not shipped yet to ``address``."""
        return await self._change_order(
            order_number, {"delivery_address": address}, "delivery_address", conversation_id
        )

    async def change_email(self, customer_id: str, new_email: str, conversation_id: str) -> Customer:
        """Change a customer's e-mail and tell the old address in the outbox.

        Raises:
            EmailInUse: another customer has that address.
        """
        old = await self._require_customer(customer_id)
        try:
            async with self._engine.begin() as conn:
                taken = await conn.execute(
                    select(schema.customers.c.id).where(
                        func.lower(schema.customers.c.email) == new_email.lower(),
                        schema.customers.c.id != customer_id,
                    )
                )
                if taken.first():
                    raise EmailInUse(new_email)
                await conn.execute(
                    update(schema.customers).where(schema.customers.c.id == customer_id).values(email=new_email)
                )
                await self._audit(conn, customer_id, "email", old.email, new_email, conversation_id)
                await conn.execute(
                    insert(schema.outbox).values(
                        recipient=old.email,
                        kind="email_changed",
                        subject="Your Northwind Goods e-mail address was changed",
                        body=f"The e-mail address of your account was changed to {new_email}. "
                        "If this wasn't you, contact support@northwind.example.",
                        created_at=_now(),
                    )
                )
        except IntegrityError as e:
            raise EmailInUse(new_email) from e
        except SQLAlchemyError as e:
            raise StoreUnavailable(str(e)) from e
        return await self._require_customer(customer_id)

    async def request_email_change(
        self, customer_id: str, new_email: str, conversation_id: str,
        base_url: str = "https://shop.example/account/confirm-email",
    ) -> None:
        """Ask the owner of ``new_email`` to confirm it: a link to the new address, or, when another
        account already has that address, a notice to it and no change.

        The caller hears the same either way, so the chat cannot be used to learn which addresses
        have accounts; the address's owner learns what happened from the mail.
        """
        await self._require_customer(customer_id)
        other = await self.find_customer_by_email(new_email)
        if other is not None and other.id != customer_id:
            await self._execute(insert(schema.outbox).values(
                recipient=other.email, kind="email_in_use_notice",
                subject="Someone asked to use your e-mail address at Northwind Goods",
                body="Someone asked to move another Northwind Goods account to this address. This address "
                     "already has an account, so nothing was changed. If it was you, sign in with this address; "
                     "if not, you need do nothing.",
                created_at=_now()))
            return
        token = secrets.token_urlsafe(24)
        try:
            async with self._engine.begin() as conn:
                await conn.execute(insert(schema.email_changes).values(
                    token_hash=_token_hash(token), customer_id=customer_id, new_email=new_email,
                    conversation_id=conversation_id, expires_at=_now() + EMAIL_CHANGE_VALID))
                await conn.execute(insert(schema.outbox).values(
                    recipient=new_email, kind="email_change_confirm",
                    subject="Confirm your new Northwind Goods e-mail address",
                    body=f"Open {base_url}?token={token} within 24 hours to use this address for your account.",
                    created_at=_now()))
        except SQLAlchemyError as e:
            raise StoreUnavailable(str(e)) from e

    async def confirm_email_change(self, token: str, now: dt.datetime | None = None) -> Customer:
        """Apply the e-mail change behind a confirmation link (what the shop's account page calls).

        Raises:
            LinkInvalid: unknown, already used or expired.
            EmailInUse: another account took the address in the meantime.
        """
        row = await self._one(select(schema.email_changes).where(schema.email_changes.c.token_hash == _token_hash(token)))
        if row is None or row["expires_at"] < (now or _now()):
            raise LinkInvalid("unknown or expired link")
        await self._execute(delete(schema.email_changes).where(schema.email_changes.c.token_hash == row["token_hash"]))
        return await self.change_email(row["customer_id"], row["new_email"], row["conversation_id"] or "")

    async def change_phone(self, customer_id: str, new_phone: str, conversation_id: str) -> Customer:
        """Change a customer's phone number."""
        return await self._change_customer(customer_id, "phone", new_phone, conversation_id)

    async def change_address(self, customer_id: str, new_address: str, conversation_id: str) -> Customer:
        """Change a customer's saved address (orders keep theirs)."""
        return await self._change_customer(customer_id, "address", new_address, conversation_id)

    async def request_password_reset(self, email: str, base_url: str = "https://shop.example/reset") -> bool:
        """Write a password-reset link to the outbox if ``email`` has an account.

        Returns:
            Whether an account exists. The assistant does not tell the customer,
            so the chat cannot be used to probe which addresses have accounts.
        """
        customer = await self.find_customer_by_email(email)
        if customer is None:
            return False
        token = secrets.token_urlsafe(24)
        await self._execute(
            insert(schema.outbox).values(
                recipient=customer.email,
                kind="password_reset",
                subject="Reset your Northwind Goods password",
                body=f"Open {base_url}?token={token} within one hour to choose a new password.",
                created_at=_now(),
            )
        )
        return True

    async def record_support_request(self, conversation_id: str, reason: str, last_message: str) -> str:
        """Record that a conversation needs a person; return its reference (``SR-XXXXXX``)."""
        reference = "SR-" + secrets.token_hex(3).upper()
        await self._execute(
            insert(schema.support_requests).values(
                reference=reference,
                conversation_id=conversation_id,
                reason=reason,
                last_message=last_message[:2000],
                created_at=_now(),
            )
        )
        return reference

    # --- helpers ---------------------------------------------------------

    async def _change_order(
        self, order_number: str, values: dict[str, Any], subject: str, conversation_id: str
    ) -> Order:
        try:
            async with self._engine.begin() as conn:
                before = (
                    await conn.execute(
                        select(schema.orders).where(schema.orders.c.order_number == order_number)
                    )
                ).mappings().first()
                if before is None:
                    raise OrderNotFound(order_number)
                result = await conn.execute(
                    update(schema.orders)
                    .where(
                        schema.orders.c.order_number == order_number,
                        schema.orders.c.status.in_(CHANGEABLE_STATUSES),
                    )
                    .values(**values)
                )
                if result.rowcount != 1:
                    raise OrderNotChangeable(Order(**before))
                field = next(iter(values))
                await self._audit(
                    conn,
                    before["customer_id"],
                    f"order:{order_number}:{subject}",
                    str(before[field]),
                    str(values[field]),
                    conversation_id,
                )
        except SQLAlchemyError as e:
            raise StoreUnavailable(str(e)) from e
        order = await self.get_order(order_number)
        assert order is not None
        return order

    async def _change_customer(self, customer_id: str, field: str, value: str, conversation_id: str) -> Customer:
        old = await self._require_customer(customer_id)
        try:
            async with self._engine.begin() as conn:
                await conn.execute(
                    update(schema.customers).where(schema.customers.c.id == customer_id).values({field: value})
                )
                await self._audit(conn, customer_id, field, getattr(old, field), value, conversation_id)
        except SQLAlchemyError as e:
            raise StoreUnavailable(str(e)) from e
        return await self._require_customer(customer_id)

    async def _require_customer(self, customer_id: str) -> Customer:
        customer = await self.get_customer(customer_id)
        if customer is None:
            raise StoreError(f"no customer {customer_id}")
        return customer

    @staticmethod
    async def _audit(conn: Any, customer_id: str, subject: str, old: str, new: str, conversation_id: str) -> None:
        await conn.execute(
            insert(schema.account_changes).values(
                customer_id=customer_id,
                subject=subject,
                old_value=old,
                new_value=new,
                conversation_id=conversation_id,
                created_at=_now(),
            )
        )

    async def _one(self, statement: Any) -> dict[str, Any] | None:
        rows = await self._all(statement)
        return rows[0] if rows else None

    async def _all(self, statement: Any) -> list[dict[str, Any]]:
        try:
            async with self._engine.connect() as conn:
                result = await conn.execute(statement)
                return [dict(row) for row in result.mappings().all()]
        except SQLAlchemyError as e:
            raise StoreUnavailable(str(e)) from e

    async def _execute(self, statement: Any) -> None:
        try:
            async with self._engine.begin() as conn:
                await conn.execute(statement)
        except SQLAlchemyError as e:
            raise StoreUnavailable(str(e)) from e


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _customer(row: dict[str, Any]) -> Customer:
    return Customer(
        id=row["id"], name=row["name"], email=row["email"], phone=row["phone"], address=row["address"]
    )


_stores: dict[str, ShopStore] = {}


def get_store(url: str | None = None) -> ShopStore:
    """Return the process's store for ``url`` (default: ``SHOP_DB_URL``), opening it lazily."""
    url = url or shop_db_url()
    store = _stores.get(url)
    if store is None:
        store = _stores[url] = ShopStore.from_url(url)
    return store


async def close_stores() -> None:
    """Dispose of every store this process opened (at shutdown, and between tests)."""
    while _stores:
        _, store = _stores.popitem()
        await store.close()
