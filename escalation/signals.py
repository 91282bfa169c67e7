"""The four escalation signals, each a pure function of the turns.

Every signal returns a ``Signal``: a score between 0 and 1 and the evidence
behind it (which feature, its value, the customer's words), so a decision can
be explained in one line to an agent and studied by a trainer.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import lru_cache
from re import Pattern

from escalation import lexicon, lexicon_ja
from escalation.settings import Frustration, Settings, Unresolved
from escalation.turns import Turn

QUOTE_CHARS = 80
# Answers that customers repeat naturally ("yes", "thanks", a button's payload).
_SHORT_ANSWER_INTENTS = frozenset({"affirm", "deny", "thank", "greet", "goodbye"})


@dataclass(frozen=True)
class Evidence:
    """One fact behind a signal: the feature, its value, and a short description."""

    feature: str
    value: float
    detail: str
    message: str = ""

    def as_dict(self) -> dict[str, object]:
        """JSON-ready form, stored with the decision."""
        out: dict[str, object] = {"feature": self.feature, "value": round(self.value, 3), "detail": self.detail}
        if self.message:
            out["message"] = self.message
        return out


@dataclass(frozen=True)
class Signal:
    """A signal's name, score (0..1) and the evidence behind it."""

    name: str
    score: float
    evidence: tuple[Evidence, ...] = field(default=())


def quote(text: str) -> str:
    """A customer message shortened for an explanation."""
    text = " ".join(text.split())
    return text if len(text) <= QUOTE_CHARS else text[: QUOTE_CHARS - 1] + "…"


def noisy_or(values: Iterable[float]) -> float:
    """Combine independent pieces of evidence: 1 - Π(1 - v)."""
    remaining = 1.0
    for value in values:
        remaining *= 1.0 - max(0.0, min(1.0, value))
    return round(1.0 - remaining, 9)  # one piece of 0.45 is 0.45, not 0.44999…: thresholds compare exactly


# --- explicit request and sensitive topics ----------------------------------

def _latest_message_signal(
    name: str, turns: Sequence[Turn], intents: frozenset[str], min_confidence: float,
    patterns: Iterable[tuple[str, Pattern[str]]],
) -> Signal:
    """1.0 when the latest message has one of ``intents`` or matches one of ``patterns`` (feature, pattern),
    read after NFKC (full-width letters, half-width katakana)."""
    if not turns:
        return Signal(name, 0.0)
    last = turns[-1]
    if last.intent in intents and last.confidence >= min_confidence:
        return Signal(name, 1.0, (
            Evidence("intent", last.confidence, f"intent {last.intent} ({last.confidence:.2f})", quote(last.text)),))
    text = lexicon_ja.normalised(last.text)
    for feature, pattern in patterns:
        match = pattern.search(text)
        if match:
            return Signal(name, 1.0, (
                Evidence(feature, 1.0, f"{feature.replace('_', ' ')}: {match.group(0)!r}", quote(last.text)),))
    return Signal(name, 0.0)


_ASKS_FOR_A_PERSON = (("asks for a person", lexicon.EXPLICIT_REQUEST), ("asks for a person", lexicon.EXPLICIT_REQUEST_JA))
_SENSITIVE_TOPICS = tuple(lexicon.SENSITIVE.items()) + tuple(lexicon_ja.SENSITIVE.items())


def explicit_request(turns: Sequence[Turn], settings: Settings) -> Signal:
    """The latest message asks for a person (by intent or by its words, in English or Japanese)."""
    return _latest_message_signal("explicit_request", turns, settings.explicit_intents,
                                  settings.explicit_min_confidence, _ASKS_FOR_A_PERSON)


def sensitive(turns: Sequence[Turn], settings: Settings) -> Signal:
    """The latest message raises a topic that always goes to a person (in English or Japanese)."""
    return _latest_message_signal("sensitive", turns, settings.sensitive_intents,
                                  settings.sensitive_min_confidence, _SENSITIVE_TOPICS)


# --- frustration -------------------------------------------------------------

@lru_cache(maxsize=8192)
def _text_features(text: str) -> tuple[float, float, float, float, float, float]:
    """The text-only features of a message (cached: each turn re-reads the recent messages).

    A message with Japanese in it is scored with the Japanese lexicon (``lexicon_ja``) on its NFKC
    form (！！ is !!), and its phrases are looked for next to the English ones.
    """
    japanese = lexicon_ja.is_japanese(text)
    if japanese:
        text = lexicon_ja.normalised(text)
    compound = lexicon_ja.sentiment(text) if japanese else lexicon.sentiment(text)
    runs = lexicon.REPEATED_PUNCTUATION.findall(text)

    def said(english: Pattern[str], in_japanese: Pattern[str]) -> bool:
        return bool(english.search(text) or (japanese and in_japanese.search(text)))

    return (
        max(0.0, -compound) if compound < -0.05 else 0.0,
        1.0 if (said(lexicon.INSULT, lexicon_ja.INSULT) or lexicon.ANGRY_EMOJI.search(text)) and compound < 0.3
        else 0.0,
        lexicon.shouting(text),
        # "!!" once is emphasis; "!!!!", "???" or several runs is anger (unless the message is happy).
        0.0 if not runs or compound >= 0.3 else (1.0 if len(runs) > 1 or max(map(len, runs)) > 2 else 0.6),
        1.0 if said(lexicon.IMPATIENCE, lexicon_ja.IMPATIENCE) else 0.0,
        1.0 if said(lexicon.META_COMPLAINT, lexicon_ja.META_COMPLAINT) else 0.0,
    )


def message_features(turn: Turn, config: Frustration) -> dict[str, float]:
    """The frustration features of one message, each 0..1 (before weighting)."""
    negative, insult, shouting, punctuation, impatience, meta = _text_features(turn.text)
    return {
        "negative_sentiment": negative,
        "insult": insult,
        "shouting": shouting,
        "punctuation": punctuation,
        "impatience": impatience,
        "meta_complaint": meta,
        "complaint_intent": complaint_strength(turn, config),
    }


def complaint_strength(turn: Turn, config: Frustration) -> float:
    """How surely the message is a complaint: the NLU's confidence from 0.5 (0) to 0.8 (1).

    The complaint intent also catches happy or negated messages ("you guys are
    killing it", "not complaining, just asking"): positive sentiment or a
    negated complaint cancels it.
    """
    if turn.intent not in config.complaint_intents:
        return 0.0
    if lexicon_ja.is_japanese(turn.text):
        text = lexicon_ja.normalised(turn.text)
        if lexicon_ja.sentiment(text) >= 0.3 or lexicon_ja.NOT_COMPLAINING.search(text):
            return 0.0
    elif lexicon.warmth(turn.text) >= 0.3 or lexicon.NOT_COMPLAINING.search(turn.text):
        return 0.0
    return max(0.0, min(1.0, (turn.confidence - 0.5) / 0.3))


def message_score(features: dict[str, float], config: Frustration) -> float:
    """One message's frustration: its weighted features combined."""
    return noisy_or(config.features.get(name, 0.0) * value for name, value in features.items())


_FEATURE_WORDS = {
    "negative_sentiment": "negative",
    "insult": "insult/profanity",
    "shouting": "shouting",
    "punctuation": "'!!'/'??'",
    "impatience": "impatient",
    "meta_complaint": "complains about the bot",
    "complaint_intent": "complaint",
}


def frustration(turns: Sequence[Turn], settings: Settings) -> Signal:
    """Frustration over the recent messages, newest counting most, plus a worsening trend."""
    config = settings.frustration
    recent = list(turns[-config.window:])
    if not recent:
        return Signal("frustration", 0.0)
    scored: list[tuple[Turn, dict[str, float], float]] = []
    for turn in recent:
        features = message_features(turn, config)
        scored.append((turn, features, message_score(features, config)))
    newest = len(scored) - 1
    decayed = [score * config.decay ** (newest - i) for i, (_, _, score) in enumerate(scored)]
    total = noisy_or(decayed)
    evidence: list[Evidence] = []
    negative_turns = [(turn, features, score) for turn, features, score in scored if score >= 0.15]
    if negative_turns:
        evidence.append(Evidence("negative_turns", float(len(negative_turns)),
                                 f"{len(negative_turns)} negative turn{'s' if len(negative_turns) > 1 else ''}"))
    for turn, features, score in sorted(negative_turns, key=lambda item: -item[2])[:3]:
        fired = [_FEATURE_WORDS[name] for name, value in features.items() if value > 0 and name in _FEATURE_WORDS]
        evidence.append(Evidence("message", score, ", ".join(fired), quote(turn.text)))
    sentiments = [lexicon_ja.sentiment(turn.text) if lexicon_ja.is_japanese(turn.text) else lexicon.sentiment(turn.text)
                  for turn, _, _ in scored[-3:]]
    if len(sentiments) == 3 and sentiments[0] > sentiments[1] > sentiments[2] and sentiments[2] < -0.3:
        total = min(1.0, total + config.worsening_bonus)
        evidence.append(Evidence("worsening", config.worsening_bonus,
                                 "getting worse: " + " → ".join(f"{s:+.2f}" for s in sentiments)))
    return Signal("frustration", total, tuple(evidence))


# --- unresolved --------------------------------------------------------------

def _since_goal(turns: Sequence[Turn], config: Unresolved) -> list[Turn]:
    """The turns after the last one in which a task was completed."""
    for i in range(len(turns) - 1, -1, -1):
        if config.goal_actions.intersection(turns[i].bot):
            return list(turns[i + 1:])
    return list(turns)


def _trailing(turns: Sequence[Turn], test) -> list[Turn]:  # type: ignore[no-untyped-def]
    """The longest run of turns at the end for which ``test`` holds."""
    run: list[Turn] = []
    for turn in reversed(turns):
        if not test(turn):
            break
        run.append(turn)
    return list(reversed(run))


@lru_cache(maxsize=8192)
def _normalised(text: str) -> str:
    text = lexicon_ja.normalised(text)
    return " ".join("".join(c.lower() if c.isalnum() else " " for c in text).split())


def _words(text: str) -> set[str]:
    """A normalised message's words; Japanese, written without spaces, by pairs of characters."""
    if lexicon_ja.is_japanese(text):
        joined = text.replace(" ", "")
        return {joined[i:i + 2] for i in range(max(1, len(joined) - 1))}
    return set(text.split())


def _long_enough_to_repeat(text: str) -> bool:
    """Three words or more (six characters of Japanese): shorter answers repeat naturally."""
    return len(text.replace(" ", "")) >= 6 if lexicon_ja.is_japanese(text) else len(text.split()) >= 3


# In a normalised message: what is left of an e-mail address (its "com"/"jp" ending) or a number.
_IDENTIFIER = re.compile(r"\b(com|net|org|jp|co)\b|\d{4,}")


@lru_cache(maxsize=8192)
def _similar(a: str, b: str, threshold: float) -> bool:
    """Near-duplicates: close as strings and sharing most of their words.

    Both, because short messages with one word changed ("a question about
    returns" / "… about vouchers") are close as strings but say different things.
    The word check is cheap and runs first.
    """
    if not a or not b:
        return False
    if _IDENTIFIER.search(a) or _IDENTIFIER.search(b):
        # An e-mail address, an order or phone number: the same only when it is the same value
        # (jane.doe@ and jane.new@ are two answers, not one said twice).
        return a == b
    words_a, words_b = _words(a), _words(b)
    shared = len(words_a & words_b) / len(words_a | words_b)
    return shared >= 0.6 and SequenceMatcher(None, a, b).ratio() >= threshold


def unresolved(turns: Sequence[Turn], settings: Settings) -> Signal:
    """The conversation goes in circles: fallbacks, low confidence, repeats, failing forms, length."""
    config = settings.unresolved
    if not turns:
        return Signal("unresolved", 0.0)
    open_turns = _since_goal(turns, config)
    evidence: list[Evidence] = []

    def fallback(turn: Turn) -> bool:
        return turn.intent in config.fallback_intents or bool(config.fallback_responses.intersection(turn.bot))

    fallbacks = _trailing(turns, fallback)
    if fallbacks:
        value = config.consecutive_fallbacks.score(len(fallbacks))
        evidence.append(Evidence("consecutive_fallbacks", value, f"{len(fallbacks)} fallback(s) in a row",
                                 quote(fallbacks[-1].text)))

    low = _trailing(turns, lambda t: t.confidence < config.low_confidence_below)
    if low:
        value = config.low_confidence_streak.score(len(low))
        evidence.append(Evidence("low_confidence_streak", value,
                                 f"{len(low)} turn(s) below {config.low_confidence_below:.2f} confidence",
                                 quote(low[-1].text)))

    counts: dict[str, int] = {}
    for turn in open_turns:
        if turn.intent and turn.intent not in config.ignore_repeated_intents:
            counts[turn.intent] = counts.get(turn.intent, 0) + 1
    if counts:
        intent, count = max(counts.items(), key=lambda item: item[1])
        if count > 1:
            evidence.append(Evidence("same_intent_repeated", config.same_intent_repeated.score(count),
                                     f"{intent} asked {count} times without an answer"))

    failures = [t for t in open_turns if config.validation_failure_responses.intersection(t.bot)]
    if failures:
        evidence.append(Evidence("validation_failures", config.validation_failures.score(len(failures)),
                                 f"{len(failures)} answer(s) rejected by a form", quote(failures[-1].text)))

    latest = _normalised(turns[-1].text)
    repeats = 1
    if _long_enough_to_repeat(latest) and turns[-1].intent not in _SHORT_ANSWER_INTENTS:
        # short answers repeat naturally: "yes" to three cancellations in a row is not going in circles
        repeats += sum(1 for t in turns[:-1] if _similar(_normalised(t.text), latest, config.repeated_similarity))
    if repeats > 1:
        evidence.append(Evidence("repeated_message", config.repeated_message.score(repeats),
                                 f"said {repeats} times", quote(turns[-1].text)))

    if len(open_turns) >= config.long_conversation.partial:
        evidence.append(Evidence("long_conversation", config.long_conversation.score(len(open_turns)),
                                 f"{len(open_turns)} turns without a completed task"))

    kept = tuple(e for e in evidence if e.value > 0)
    return Signal("unresolved", noisy_or(e.value for e in kept), kept)


SIGNALS = (explicit_request, sensitive, frustration, unresolved)


def all_signals(turns: Sequence[Turn], settings: Settings) -> dict[str, Signal]:
    """Every signal on the same turns, by name."""
    return {signal.name: signal for signal in (compute(turns, settings) for compute in SIGNALS)}
