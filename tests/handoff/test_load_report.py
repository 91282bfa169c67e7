"""The load-and-fault run's accounting reads a transcript right (pure: no servers)."""

from __future__ import annotations

from bench.load_report import read_transcript


def test_an_answer_of_the_bridge_while_rasa_is_down_counts_as_unavailable_not_as_the_bots() -> None:
    read = read_transcript([
        {"role": "customer", "message_id": "c1-1", "text": "where is my order"},
        {"role": "bot", "reply_to": "c1-1", "text": "Your order ...", "id": "1"},
        {"role": "customer", "message_id": "c1-2", "text": "I want to talk to a human"},
        {"role": "bot", "reply_to": "c1-2", "event": "assistant_unavailable", "source": "bridge", "id": "3"},
        {"role": "system", "event": "handoff"},
        {"role": "customer", "message_id": "c1-3", "text": "hello?"},
    ])
    assert read["c1-1"].answered and not read["c1-1"].unavailable
    assert read["c1-2"].unavailable and not read["c1-2"].answered
    assert read["c1-3"].mode == "queued" and not read["c1-3"].answered
