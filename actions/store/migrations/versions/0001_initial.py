"""The shop store as it was before migrations: customers, orders, mail, e-mail changes, audit, requests.

A database that ``metadata.create_all`` made before this revision existed holds exactly these
tables; ``actions.store.migrate`` stamps such a database with this revision instead of creating
anything.

Revision ID: 0001
Revises:
Created: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "customers",
        sa.Column("id", sa.String(16), primary_key=True),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("email", sa.String(254), nullable=False, unique=True),
        sa.Column("phone", sa.String(20), nullable=False),
        sa.Column("address", sa.String(200), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "orders",
        sa.Column("order_number", sa.String(16), primary_key=True),
        sa.Column("customer_id", sa.String(16), sa.ForeignKey("customers.id"), nullable=False, index=True),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("placed_on", sa.Date, nullable=False),
        sa.Column("item_count", sa.Integer, nullable=False),
        sa.Column("total_cents", sa.Integer, nullable=False),
        sa.Column("items", sa.Text, nullable=False),
        sa.Column("delivery_address", sa.String(200), nullable=False),
        sa.Column("carrier", sa.String(40), nullable=False),
        sa.Column("tracking_number", sa.String(40)),
        sa.Column("shipped_on", sa.Date),
        sa.Column("expected_delivery", sa.Date, nullable=False),
        sa.Column("delivered_on", sa.Date),
    )
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("recipient", sa.String(254), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("subject", sa.String(200), nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "email_changes",
        sa.Column("token_hash", sa.String(64), primary_key=True),
        sa.Column("customer_id", sa.String(16), sa.ForeignKey("customers.id"), nullable=False, index=True),
        sa.Column("new_email", sa.String(254), nullable=False),
        sa.Column("conversation_id", sa.String(128)),
        sa.Column("expires_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "account_changes",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("customer_id", sa.String(16), nullable=False, index=True),
        sa.Column("subject", sa.String(40), nullable=False),
        sa.Column("old_value", sa.String(254)),
        sa.Column("new_value", sa.String(254)),
        sa.Column("conversation_id", sa.String(128)),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "support_requests",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("reference", sa.String(16), nullable=False, unique=True),
        sa.Column("conversation_id", sa.String(128), nullable=False, index=True),
        sa.Column("reason", sa.String(40), nullable=False),
        sa.Column("last_message", sa.Text),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )


def downgrade() -> None:
    for table in ("support_requests", "account_changes", "email_changes", "outbox", "orders", "customers"):
        op.drop_table(table)
