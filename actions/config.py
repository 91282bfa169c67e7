"""Settings of the action server, read from the environment once per use.

``SHOP_DB_URL``   SQLAlchemy URL of the order and account store. Default: an
                  SQLite file at ``var/shop.sqlite3`` (``sqlite+aiosqlite``);
                  PostgreSQL through ``postgresql+asyncpg://user:pw@host/db``.
"""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB_PATH = PROJECT_ROOT / "var" / "shop.sqlite3"


def shop_db_url() -> str:
    """Return the store's database URL (``SHOP_DB_URL`` or the SQLite default)."""
    return os.environ.get("SHOP_DB_URL") or f"sqlite+aiosqlite:///{DEFAULT_DB_PATH}"
