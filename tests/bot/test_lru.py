"""``bot.lru.BoundedLru``: bounded by entries and by weight, least recently used out first."""

from __future__ import annotations

from bot.lru import BoundedLru


def test_the_least_recently_used_go_first_within_both_bounds():
    cache = BoundedLru(entries=3, weight=10, weigh=len)
    for key in "abc":
        cache.put(key, [0] * 3)
    cache.get("a")  # used: now the newest
    cache.put("d", [0] * 3)
    assert "b" not in cache and {"a", "c", "d"} == {k for k in "abcd" if k in cache}
    cache.put("e", [0] * 4)  # 3 + 3 + 3 + 4 > 10: the oldest goes
    assert len(cache) == 3 and cache.total == 10 and "c" not in cache
    assert all(key in cache for key in "ade")


def test_a_value_heavier_than_the_bound_is_still_kept_alone():
    cache = BoundedLru(entries=3, weight=5, weigh=len)
    cache.put("a", [0])
    cache.put("big", [0] * 9)
    assert len(cache) == 1 and cache.get("big") == [0] * 9 and cache.total == 9


def test_putting_again_reweighs_and_pop_forgets():
    cache = BoundedLru(entries=3, weight=100, weigh=len)
    grown = [0]
    cache.put("a", grown)
    grown.extend([0] * 4)  # grown in place, as the history caches do, then put again
    cache.put("a", grown)
    assert cache.total == 5
    assert cache.pop("a") == grown and cache.total == 0 and cache.pop("a") is None
