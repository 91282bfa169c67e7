"""The supervisor's figures from raw counters (pure), and what customers may see of a transcript."""

from __future__ import annotations

from typing import Any

import pytest

from handoff import protocol, queue, tracker
from handoff.stats import for_language, summarise


def test_summary_of_a_day_and_its_hours():
    raw = {"conversations": "10", "conversations@09": "6", "conversations@14": "4",
           "handed_off": "3", "handoffs": "4", "handoffs@09": "3", "handoffs@14": "1",
           "handoff:frustration": "3", "handoff:frustration@09": "3", "handoff:sensitive": "1",
           "claimed": "2", "wait_s": "90.5", "claimed@09": "2", "wait_s@09": "90.5",
           "first_responses": "2", "first_response_s": "130", "ratings": "2", "rating_sum": "9",
           "ratings@14": "1", "rating_sum@14": "5", "closed": "2"}
    figures = summarise(raw, "2026-11-22")
    today = figures["today"]
    assert today["containment"] == 0.7  # 7 of 10 finished with the assistant alone
    assert today["handoffs_by_reason"] == {"frustration": 3, "sensitive": 1}
    assert today["average_wait_s"] == 45.2 and today["first_response_s"] == 65.0
    assert today["satisfaction"] == {"average": 4.5, "count": 2}
    hours = figures["hours"]
    assert len(hours) == 24 and hours[9]["conversations"] == 6 and hours[9]["handoffs"] == 3
    assert hours[9]["average_wait_s"] == 45.2 and hours[14]["satisfaction"] == 5.0
    assert hours[3] == {"hour": 3, "conversations": 0, "handoffs": 0, "average_wait_s": None,
                        "first_response_s": None, "satisfaction": None}


def test_the_figures_of_one_language_are_its_own_counters():
    raw = {"conversations": "10", "ja|conversations": "4", "ja|conversations@09": "4", "en|conversations": "5",
           "handed_off": "3", "ja|handed_off": "2", "handoff:frustration": "3", "ja|handoff:frustration": "2",
           "ja|handoffs@09": "2"}
    japanese = summarise(for_language(raw, "ja"), "2026-11-22")
    assert japanese["today"]["conversations"] == 4 and japanese["today"]["containment"] == 0.5
    assert japanese["today"]["handoffs_by_reason"] == {"frustration": 2}
    assert japanese["hours"][9]["conversations"] == 4 and japanese["hours"][9]["handoffs"] == 2
    overall = summarise(for_language(raw, None), "2026-11-22")["today"]
    assert overall["conversations"] == 10 and overall["handoffs_by_reason"] == {"frustration": 3}
    assert summarise(for_language(raw, "fr"), "2026-11-22")["today"]["conversations"] == 0


def test_an_empty_day_has_no_made_up_figures():
    today = summarise({}, "2026-11-22")["today"]
    assert today["containment"] is None and today["average_wait_s"] is None
    assert today["satisfaction"] == {"average": None, "count": 0}


def test_broken_counters_count_as_zero():
    assert summarise({"conversations": "lots", "handed_off": "1"}, "d")["today"]["containment"] is None


def test_customers_never_see_notes_or_internal_status_lines():
    entries = [{"role": "customer", "text": "hi", "ts": 1},
               {"role": "system", "text": "handed off (frustration)", "ts": 2, "event": "handoff",
                "public": "Connecting you to a person"},
               {"role": "note", "text": "angry VIP", "ts": 3, "agent": {"id": "a", "name": "A"}},
               {"role": "system", "text": "rated 2/5: meh", "ts": 4},
               {"role": "agent", "text": "Hello", "ts": 5, "agent": {"id": "a", "name": "A"}}]
    shown = protocol.customer_transcript(entries)
    assert [(e["role"], e["text"]) for e in shown] == [
        ("customer", "hi"), ("system", "Connecting you to a person"), ("agent", "Hello")]


@pytest.mark.parametrize("value", [0, 6, -1, "3", 2.0, True, None])
def test_ratings_are_whole_numbers_from_one_to_five(value):
    with pytest.raises(protocol.BadPayload):
        protocol.rating(value)


def test_resolution_codes_and_queue_scores():
    assert protocol.resolution_code(None) == "resolved"
    assert protocol.resolution_code("refund_issued") == "refund_issued"
    with pytest.raises(protocol.BadPayload):
        protocol.resolution_code("<script>")
    assert queue.strongest_signal({"evidence": [{"score": 0.61}, {"score": 0.824}, {"score": "x"}]}) == 0.82
    assert queue.strongest_signal({"evidence": [{"signal": "explicit_request"}]}) is None
    assert queue.strongest_signal({}) is None


def test_the_replies_of_a_turn_are_found_again_by_the_message_id():
    events: list[dict[str, Any]] = [{"event": "user", "text": "hi", "metadata": {"message_id": "m1"}},
              {"event": "action", "name": "utter_greet"},
              {"event": "bot", "text": "Hello!", "data": {"buttons": [{"title": "Orders", "payload": "/order"}]}},
              {"event": "action", "name": "action_listen"},
              {"event": "user", "text": "where is my order", "metadata": {"message_id": "m2"}},
              {"event": "bot", "text": "Which order?", "data": {}},
              {"event": "bot", "text": None, "data": {"image": "https://x/y.png"}}]
    assert tracker.turn_replies(events, "m1") == [{"text": "Hello!", "buttons": [{"title": "Orders",
                                                                                   "payload": "/order"}]}]
    assert tracker.turn_replies(events, "m2") == [{"text": "Which order?"}, {"image": "https://x/y.png"}]
    assert tracker.turn_replies(events, "m3") is None  # Rasa never saw it: safe to send


def test_new_conversation_ids_never_look_like_options():
    ids = [protocol.new_conversation_id() for _ in range(2000)]
    assert all(i[0].isalnum() and len(i) == 24 and protocol.conversation_id(i) == i for i in ids)
    assert len(set(ids)) == len(ids)
