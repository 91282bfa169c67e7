"""The erasure's pure parts: what is left of a tracker, and who may erase (the whole erasure against the
real Rasa and Redis is in test_security)."""

from __future__ import annotations

from handoff.accounts import Account
from handoff.erasure import may_erase
from handoff.state import State
from handoff.tracker import ERASED, erased


def test_no_word_or_value_of_the_customer_is_left_but_the_shape_is():
    events = [
        {"event": "session_started", "metadata": {"page": "/shop/"}, "timestamp": 1},
        {"event": "user", "text": "I'm Jane, jane@example.com", "timestamp": 2, "metadata": {"language": "en"},
         "parse_data": {"intent": {"name": "request_human", "confidence": 0.9},
                        "entities": [{"entity": "email", "value": "jane@example.com"}], "text": "I'm Jane"}},
        {"event": "slot", "name": "verify_email", "value": "jane@example.com", "timestamp": 3},
        {"event": "bot", "text": "Shipping to 1-2-3 Shibuya", "data": {"buttons": []}, "metadata": {"x": 1},
         "timestamp": 4},
        {"event": "action", "name": "action_listen", "timestamp": 5},
    ]
    left = erased(events)
    assert "jane" not in str(left).lower() and "Shibuya" not in str(left) and "/shop/" not in str(left)
    assert [e["event"] for e in left] == [e["event"] for e in events]
    assert [e["timestamp"] for e in left] == [1, 2, 3, 4, 5]
    assert left[1]["text"] == ERASED and left[1]["parse_data"]["intent"]["name"] == "request_human"
    assert left[2] == {"event": "slot", "name": "verify_email", "value": None, "timestamp": 3}
    assert left[4] == events[4]
    assert str(events[1]["text"]).startswith("I'm Jane")  # the input is not changed


def test_the_holder_or_a_supervisor_erases():
    alice, bob = Account("alice", "Alice", ""), Account("bob", "Bob", "")
    boss = Account("supervisor", "Sam", "", role="supervisor")
    assert may_erase(alice, State.WITH_AGENT, "alice")
    assert not may_erase(bob, State.WITH_AGENT, "alice")
    assert not may_erase(alice, State.CLOSED, "alice")  # after the close: a supervisor's job
    assert may_erase(boss, State.CLOSED, "") and may_erase(boss, State.WITH_AGENT, "alice")
