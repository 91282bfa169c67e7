"""The login back-off's decisions (pure); its use against the real bridge is in test_security."""

from __future__ import annotations

from handoff.lockout import ADDRESS_BLOCK_S, CAP_S, PAIR_FREE, USER_FREE, backoff_s, waits


def test_free_tries_then_a_doubling_wait_capped():
    assert [backoff_s(n, 5) for n in range(1, 10)] == [0, 0, 0, 0, 0, 2, 4, 8, 16]
    assert backoff_s(10_000, 5) == CAP_S


def test_each_counter_has_its_rule():
    assert waits(PAIR_FREE, USER_FREE, 50) == waits(0, 0, 0) == waits(1, 1, 1)
    held = waits(PAIR_FREE + 1, USER_FREE + 3, 51)
    assert held.pair == 2 and held.user == 8 and held.address == ADDRESS_BLOCK_S
