"""The order and account store: the only way actions reach shop data."""

from actions.store.repository import (
    Customer,
    Order,
    ShopStore,
    StoreError,
    get_store,
)

__all__ = ["Customer", "Order", "ShopStore", "StoreError", "get_store"]
