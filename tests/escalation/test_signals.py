"""Every signal on its own: what fires it, what must not."""

from __future__ import annotations

import pytest

from escalation import lexicon
from escalation.signals import explicit_request, frustration, message_features, noisy_or, sensitive, unresolved
from escalation.turns import Turn
from tests.escalation.helpers import action, bot, history, settings

S = settings()


def turns(*messages):
    return history(*messages).turns


# --- explicit request ----------------------------------------------------------

@pytest.mark.parametrize("text, intent, confidence", [
    ("agent", "request_human", 0.98),
    ("can I talk to a real person please", "faq", 0.41),
    ("operator", "nlu_fallback", 0.3),
    ("get me a representative", "out_of_scope", 0.6),
    ("is there someone real I can speak to?", "faq", 0.5),
    ("HUMAN!!", "nlu_fallback", 0.2),
])
def test_asking_for_a_person_fires_whatever_the_nlu_made_of_it(text, intent, confidence):
    signal = explicit_request(turns((text, intent, confidence)), S)
    assert signal.score == 1.0
    assert signal.evidence[0].message


@pytest.mark.parametrize("text", ["where is my order", "my travel plans changed", "the person at the door was rude?"])
def test_ordinary_messages_do_not_ask_for_a_person(text):
    assert explicit_request(turns((text, "order_status", 0.9)), S).score == 0.0


def test_a_low_confidence_request_human_alone_is_not_enough():
    assert explicit_request(turns(("mmm", "request_human", 0.2)), S).score == 0.0


# --- sensitive topics ------------------------------------------------------------

@pytest.mark.parametrize("text, topic", [
    ("there are charges on my card I didn't make", "fraud"),
    ("someone hacked my account and ordered stuff", "fraud"),
    ("I'll sue you if this isn't fixed", "legal"),
    ("my lawyer will be in touch", "legal"),
    ("please delete all my data under GDPR", "data_protection"),
    ("I want a copy of the personal data you hold about me", "data_protection"),
])
def test_sensitive_topics_fire_by_their_words(text, topic):
    signal = sensitive(turns((text, "faq", 0.6)), S)
    assert signal.score == 1.0
    assert signal.evidence[0].feature == topic


def test_closing_an_account_is_sensitive_by_intent():
    assert sensitive(turns(("close my account", "close_account", 0.93)), S).score == 1.0


def test_only_the_latest_message_counts_for_sensitive_topics():
    assert sensitive(turns(("my lawyer says hi", "greet"), ("where is my order", "order_status")), S).score == 0.0


# --- frustration -----------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "not bad at all, thanks", "no worries", "no problem, take your time", "sorry to bother you",
    "damn that was quick, thanks!", "killer deal on the lamp", "crazy fast delivery", "I hate to ask but where is it?",
    "can't complain", "my address is 12 MAIN ST, NEW YORK NY", "ORD-100101",
])
def test_calm_messages_that_fool_naive_sentiment_stay_calm(text):
    assert frustration(turns((text, "inform", 0.9)), S).score < S.offer_threshold


def test_each_frustration_feature_fires_on_its_own():
    f = S.frustration
    assert message_features(Turn("this is a terrible experience"), f)["negative_sentiment"] > 0.3
    assert message_features(Turn("what the fuck"), f)["insult"] == 1.0
    assert message_features(Turn("WHERE IS MY PARCEL"), f)["shouting"] == 0.5
    assert message_features(Turn("where is my parcel??"), f)["punctuation"] == 0.6
    assert message_features(Turn("where is my parcel???? hello??"), f)["punctuation"] == 1.0
    assert message_features(Turn("you don't understand me"), f)["meta_complaint"] == 1.0
    assert message_features(Turn("I want to complain", "complaint", 0.9), f)["complaint_intent"] == 1.0


def test_acronyms_are_not_shouting_and_one_capital_word_is_not_either():
    assert lexicon.shouting("my USB-C cable from UPS") == 0.0
    assert lexicon.shouting("it is VERY late") == 0.0
    assert lexicon.shouting("THIS IS VERY LATE") == 0.5
    assert lexicon.shouting("WHERE IS MY PARCEL I ORDERED IT TWO WEEKS AGO") == 1.0


def test_frustration_builds_up_over_turns_and_the_evidence_says_how():
    one = frustration(turns(("this is taking ages, ugh", "order_status")), S)
    three = frustration(turns(("ugh, still not here", "order_status"), ("this is so annoying", "order_status"),
                              ("this is useless", "out_of_scope", 0.6)), S)
    assert three.score > one.score
    assert three.score >= S.handoff_threshold
    assert three.evidence[0].detail == "3 negative turns"
    assert any(e.message == "this is useless" for e in three.evidence)


def test_old_anger_fades():
    fresh = frustration(turns(("this is ridiculous!!", "complaint", 0.4)), S)
    faded = frustration(turns(("this is ridiculous!!", "complaint", 0.4), "ok", "fine", "thanks", "where is it"), S)
    assert faded.score < fresh.score * 0.5


def test_worsening_sentiment_adds_its_bonus():
    signal = frustration(turns(("hmm, ok", "affirm"), ("that's bad", "inform"), ("this is awful and horrible", "inform")), S)
    assert any(e.feature == "worsening" for e in signal.evidence)


def test_noisy_or_combines_and_clamps():
    assert noisy_or([]) == 0.0
    assert noisy_or([0.5, 0.5]) == pytest.approx(0.75)
    assert noisy_or([2.0]) == 1.0


# --- unresolved ------------------------------------------------------------------

def test_two_fallbacks_in_a_row():
    one = unresolved(turns(("asdf", "nlu_fallback", 0.3)), S)
    two = unresolved(history(("asdf", "nlu_fallback", 0.3), ("qwer", "nlu_fallback", 0.3),
                             after=[[action("utter_please_rephrase")]]).turns, S)
    assert one.score < S.offer_threshold
    assert two.score == 1.0
    assert two.evidence[0].feature == "consecutive_fallbacks"


def test_a_streak_of_low_confidence():
    signal = unresolved(turns(("hm", "faq", 0.5), ("the thing", "inform", 0.45), ("with the box", "inform", 0.5)), S)
    assert signal.score == 1.0
    assert "low_confidence_streak" in [e.feature for e in signal.evidence]


def test_the_same_intent_three_times_without_the_goal():
    stuck = turns(("where is my order", "order_status"), ("my order?", "order_status"), ("order status", "order_status"))
    assert unresolved(stuck, S).score == 1.0
    answered = history(("where is my order", "order_status"), ("and my other order?", "order_status"),
                       ("and the third one?", "order_status"),
                       after=[[action("action_check_order_status")], [action("action_check_order_status")]]).turns
    assert unresolved(answered, S).score < S.offer_threshold


def test_a_form_that_keeps_failing():
    failing = history(("cancel my order", "cancel_order"), ("123", "inform"), ("456", "inform"), ("789", "inform"),
                      after=[[action("cancel_order_form")], [bot("utter_invalid_order_number")],
                             [bot("utter_invalid_order_number")], [bot("utter_order_not_found")]]).turns
    signal = unresolved(failing, S)
    assert signal.score >= S.handoff_threshold
    assert "validation_failures" in [e.feature for e in signal.evidence]


def test_repeating_oneself():
    signal = unresolved(turns(("my parcel is missing", "faq"), ("my parcel is missing!", "faq"),
                              ("My parcel is missing.", "faq")), S)
    assert "repeated_message" in [e.feature for e in signal.evidence]
    assert signal.score == 1.0


def test_a_long_conversation_without_a_completed_task():
    questions = ["how long does shipping take", "can I return shoes I wore once", "do gift cards expire",
                 "where do I enter a voucher", "what size is a medium", "is the lamp available in blue",
                 "how long is the warranty on kettles", "can I get an invoice", "do you have a student discount",
                 "when are you open", "how do I unsubscribe from the newsletter", "can I share my wishlist"]
    messages = [(q, "faq", 0.9) for q in questions]
    signal = unresolved(history(*messages).turns, S)
    assert "long_conversation" in [e.feature for e in signal.evidence]
    done = history(*messages, after=[[action("utter_faq")]] * 12).turns
    assert unresolved(done, S).score < S.offer_threshold


def test_a_plain_conversation_is_not_unresolved():
    assert unresolved(turns(("hi", "greet"), ("where is my order", "order_status"), ("ORD-100101", "inform")), S).score == 0


def test_a_complaint_counts_by_the_nlus_confidence_unless_happy_or_negated():
    from escalation.signals import complaint_strength

    f = S.frustration
    assert complaint_strength(Turn("the parcel came late again", "complaint", 0.95), f) == 1.0
    assert complaint_strength(Turn("the parcel came late again", "complaint", 0.65), f) == pytest.approx(0.5)
    assert complaint_strength(Turn("the parcel came late again", "complaint", 0.45), f) == 0.0
    assert complaint_strength(Turn("that was dead easy, you guys are great", "complaint", 0.96), f) == 0.0
    assert complaint_strength(Turn("not complaining, just asking why shipping is 4.99", "complaint", 0.9), f) == 0.0
    assert complaint_strength(Turn("the parcel came late again", "order_status", 0.95), f) == 0.0


def test_short_answers_repeated_across_tasks_are_not_going_in_circles():
    yes = [("yes please", "affirm")] * 3
    assert unresolved(turns(*yes), S).score == 0.0
    assert unresolved(turns(*[("/affirm", "affirm")] * 3), S).score == 0.0
