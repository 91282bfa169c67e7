"""A bounded least-recently-used mapping: by entries and by a total weight (events, states).

The per-conversation caches of the Rasa and action servers (``bot.dialogue_history``,
``bot.action_events``) hold something proportional to each conversation's length; a bound on the
number of conversations alone would let a few thousand long ones take gigabytes.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any


class BoundedLru:
    """At most ``entries`` values and ``weight`` in all (``weigh(value)`` each); the least recently
    used go first, always keeping the newest one."""

    def __init__(self, entries: int, weight: int, weigh: Callable[[Any], int]) -> None:
        self.entries, self.weight, self._weigh = entries, weight, weigh
        self._items: OrderedDict[Hashable, tuple[Any, int]] = OrderedDict()
        self.total = 0  # the weight held

    def __len__(self) -> int:
        return len(self._items)

    def __contains__(self, key: Hashable) -> bool:
        return key in self._items

    def get(self, key: Hashable) -> Any:
        """The value for ``key`` (None), marked as just used."""
        item = self._items.get(key)
        if item is None:
            return None
        self._items.move_to_end(key)
        return item[0]

    def put(self, key: Hashable, value: Any) -> None:
        """Keep ``value`` for ``key`` (weighed now), forgetting the oldest beyond the bounds."""
        self.pop(key)
        weight = self._weigh(value)
        self._items[key] = (value, weight)
        self.total += weight
        while len(self._items) > 1 and (len(self._items) > self.entries or self.total > self.weight):
            _, (_, dropped) = self._items.popitem(last=False)
            self.total -= dropped

    def pop(self, key: Hashable) -> Any:
        """Forget ``key``; its value (None)."""
        item = self._items.pop(key, None)
        if item is None:
            return None
        self.total -= item[1]
        return item[0]

    def clear(self) -> None:
        """Forget everything."""
        self._items.clear()
        self.total = 0
