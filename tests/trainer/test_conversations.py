"""Reading logged conversations: transcript lines, summaries and filters (pure)."""

from __future__ import annotations

from bot.trainer.conversations import Filters, lines, matches, summarise
from tests.trainer.events import T0, calm_conversation, handed_off_conversation


def test_the_transcript_shows_customer_bot_agent_and_the_handoff():
    rendered = [(line.who, line.text) for line in lines(handed_off_conversation())]
    assert ("agent", "I've asked DHL to check, call us on +1 415 555 0134 if needed.") in rendered
    assert ("system", "escalation handoff: frustration") in rendered  # no customer words: the summary stays in detail
    assert ("system", "handed to a person (action_escalate)") in rendered
    assert ("system", "back to the assistant") in rendered
    relayed = [line for line in lines(handed_off_conversation()) if line.human_mode]
    assert [line.text for line in relayed] == ["my card 4111 1111 1111 1111 was charged twice"]


def test_summary_of_a_handed_off_conversation():
    s = summarise("c1", handed_off_conversation())
    assert s.handed_off and s.reasons == ("frustration",)
    assert s.agent_turns == 1
    assert s.customer_turns == 3  # the message said to the agent is not judged by the bot
    assert s.fallbacks == 1 and s.low_confidence == 1
    assert s.started == T0 and s.ended == T0 + 51


def test_summary_uses_the_faq_topic_and_counts_fallbacks_once():
    s = summarise("c2", calm_conversation())
    assert s.intents == ("faq/shipping_times", "nlu_fallback", "complaint")
    assert s.fallbacks == 1
    assert s.low_confidence == 2
    assert not s.handed_off


def test_filters():
    angry, calm = summarise("c1", handed_off_conversation()), summarise("c2", calm_conversation())
    assert [matches(s, Filters(handed_off=True)) for s in (angry, calm)] == [True, False]
    assert [matches(s, Filters(reason="frustration")) for s in (angry, calm)] == [True, False]
    assert [matches(s, Filters(reason="sensitive")) for s in (angry, calm)] == [False, False]
    assert [matches(s, Filters(intent="faq")) for s in (angry, calm)] == [False, True]
    assert [matches(s, Filters(with_fallbacks=True)) for s in (angry, calm)] == [True, True]
    assert [matches(s, Filters(since=T0 + 86400)) for s in (angry, calm)] == [False, True]
    assert [matches(s, Filters(until=T0 + 3600)) for s in (angry, calm)] == [True, False]
    rated = summarise("c3", handed_off_conversation() + [{"event": "slot", "name": "satisfaction", "value": 2}])
    assert matches(rated, Filters(satisfaction_at_most=3)) and not matches(angry, Filters(satisfaction_at_most=3))
