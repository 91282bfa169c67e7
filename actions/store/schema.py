"""Tables of the order and account store (SQLAlchemy Core, SQLite or PostgreSQL).

What the queries are written against. The database is made and changed only by the versioned
migrations in ``migrations/versions`` (``actions.store.migrate``); a change here goes with a
new revision there (the tests compare the two on both databases).
"""

from __future__ import annotations

from sqlalchemy import (
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    func,
)

metadata = MetaData()

customers = Table(
    "customers",
    metadata,
    Column("id", String(16), primary_key=True),  # "C1001"
    Column("name", String(120), nullable=False),
    Column("email", String(254), nullable=False, unique=True),
    Column("phone", String(20), nullable=False),
    Column("address", String(200), nullable=False),
    Column("created_at", DateTime, nullable=False),
)
# Customers are found by e-mail case-insensitively (revision 0002).
Index("ix_customers_email_lower", func.lower(customers.c.email))

orders = Table(
    "orders",
    metadata,
    Column("order_number", String(16), primary_key=True),  # "ORD-104233"
    Column("customer_id", String(16), ForeignKey("customers.id"), nullable=False, index=True),
    # pending, processing, shipped, out_for_delivery, delivered, cancelled, returned
    Column("status", String(20), nullable=False),
    Column("placed_on", Date, nullable=False),
    Column("item_count", Integer, nullable=False),
    Column("total_cents", Integer, nullable=False),
    Column("items", Text, nullable=False),  # "Linen shirt (M); Canvas tote"
    Column("delivery_address", String(200), nullable=False),
    Column("carrier", String(40), nullable=False),
    Column("tracking_number", String(40)),
    Column("shipped_on", Date),
    Column("expected_delivery", Date, nullable=False),
    Column("delivered_on", Date),
)

# Mail the shop would send (password resets, change notices). No mail server:
# the outbox is the record, and tests read it.
outbox = Table(
    "outbox",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("recipient", String(254), nullable=False),
    Column("kind", String(40), nullable=False),  # password_reset, email_change_confirm, email_in_use_notice, email_changed
    Column("subject", String(200), nullable=False),
    Column("body", Text, nullable=False),
    Column("created_at", DateTime, nullable=False),
)

# A requested change of e-mail, waiting for its owner to open the link sent to the new
# address. Only the link token's SHA-256 is kept.
email_changes = Table(
    "email_changes",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("customer_id", String(16), ForeignKey("customers.id"), nullable=False, index=True),
    Column("new_email", String(254), nullable=False),
    Column("conversation_id", String(128)),
    Column("expires_at", DateTime, nullable=False),
)

# Every change made through the assistant, for support staff and audits.
account_changes = Table(
    "account_changes",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("customer_id", String(16), nullable=False, index=True),
    Column("subject", String(40), nullable=False),  # email, phone, address, order:ORD-...
    Column("old_value", String(254)),
    Column("new_value", String(254)),
    Column("conversation_id", String(128)),
    Column("created_at", DateTime, nullable=False),
)

# Requests for a person, recorded until the handoff bridge takes them live.
support_requests = Table(
    "support_requests",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("reference", String(16), nullable=False, unique=True),
    Column("conversation_id", String(128), nullable=False, index=True),
    Column("reason", String(40), nullable=False),
    Column("last_message", Text),
    Column("created_at", DateTime, nullable=False),
)
