"""Reading tracker events into the turns that count."""

from __future__ import annotations

from escalation.turns import read_history
from tests.escalation.helpers import action, bot, events_for, user


def test_each_message_keeps_its_intent_confidence_and_what_the_bot_did():
    events = events_for([("where is my order", "order_status", 0.91), ("ORD-12", "inform", 0.8)],
                        after=[[action("order_status_form")], [bot("utter_invalid_order_number")]])
    turns = read_history(events).turns
    assert [(t.text, t.intent, t.confidence) for t in turns] == [
        ("where is my order", "order_status", 0.91), ("ORD-12", "inform", 0.8)]
    assert turns[0].bot == ("order_status_form",)
    assert turns[1].bot == ("utter_invalid_order_number",)


def test_a_handoff_a_resume_and_a_new_session_each_start_afresh():
    for reset in (action("action_handoff"), action("action_escalate"), {"event": "resume"}, action("action_session_start")):
        events = [user("this is useless", "complaint"), reset, action("action_listen"), user("hello", "greet")]
        history = read_history(events)
        assert [t.text for t in history.turns] == ["hello"]
        assert history.after_decline is False


def test_a_decline_starts_afresh_and_is_remembered():
    events = [user("ugh"), action("action_offer_human"), action("action_listen"), user("no", "deny"),
              action("action_offer_declined"), action("action_listen"), user("where is my order", "order_status")]
    history = read_history(events)
    assert [t.text for t in history.turns] == ["where is my order"]
    assert history.after_decline is True


def test_an_offer_is_pending_only_for_the_message_right_after_it():
    events = [user("ugh"), action("action_offer_human"), action("action_listen"), user("yes", "affirm")]
    assert read_history(events).offer_pending is True
    events += [action("action_listen"), user("hello", "greet")]
    history = read_history(events)
    assert history.offer_pending is False
    assert history.last_offer == 0


def test_broken_events_do_not_crash_the_reading():
    events = [{"event": "user"}, {"event": "user", "text": "hi", "parse_data": {"intent": {"confidence": "high"}}},
              {"event": "bot"}, {"event": "action"}, {}]
    turns = read_history(events).turns
    assert [(t.text, t.intent, t.confidence) for t in turns] == [("", "", 0.0), ("hi", "", 0.0)]

