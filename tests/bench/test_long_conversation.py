"""The turn-cost benchmark's long customer (``bench.long_conversation``) stays in the bot's normal flows."""

from __future__ import annotations

from bench.long_conversation import EMAIL, OPENING, VISIT, check_calm, long_script
from escalation import settings as escalation_settings


def test_two_hundred_turns_never_move_the_escalation_decision():
    settings = escalation_settings.load()
    script = long_script(OPENING + 30 * VISIT, settings)
    assert len(script) == 213 and script[2] == EMAIL
    assert check_calm(script, settings) == []
    long_messages = [m for m in script if len(m.split()) >= 3]
    assert len(long_messages) == len(set(long_messages))  # nothing said twice


def test_check_calm_sees_a_customer_repeating_themself():
    settings = escalation_settings.load()
    script = long_script(10, settings)
    assert check_calm([*script, script[3]], settings)  # an FAQ asked a second time offers a person
