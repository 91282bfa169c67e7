"""The scripted customer of ``bench.turn_cost``: one long, calm conversation that never needs a person.

A customer who stays in the bot's normal flows for 200+ turns: a greeting, an order-status
question answered after the e-mail check, then the same seven-turn visit again and again
(FAQ, order status, FAQ, thanks, FAQ, order status, a greeting). Nothing in it may move the
escalation decision (docs/escalation.md), or the flow would change halfway:

* no message of three words or more is said twice: "the customer repeats themself" offers a
  person at the second time (``repeated_message``); the FAQ questions are the English training
  examples (they are understood), kept only when unlike every one kept before them, and each
  order question names one of the customer's orders in its own words;
* every few turns a task is done (an FAQ answered, an order looked up), so the conversation
  never "goes on without a completed task" (``long_conversation``);
* no frustration, no request for a person, no sensitive topic.

``check_calm`` replays the script through the real decision (intents as the NLU should read
them, the bot's goal actions after each turn) and says which turn would move it.

Pure: reading the training data is the only I/O.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import zip_longest
from pathlib import Path

import yaml

from bot.launcher import ROOT
from escalation.decision import NONE, decide
from escalation.settings import Settings
from escalation.signals import all_signals
from escalation.turns import History, Turn

FAQ_FILES = (ROOT / "data" / "nlu" / "en" / "faq.yml", ROOT / "data" / "nlu" / "en" / "faq_more.yml")
# "how do I reach a person" is one NLU slip away from asking for one: not in a calm script.
SKIPPED_FAQS = frozenset({"faq/contact_channels"})
EMAIL = "jane.doe@example.com"  # the seeded customer who owns ORDERS
ORDERS = ("ORD-100101", "ORD-100102", "ORD-100103")
ORDER_QUESTIONS = (
    "where is my order {n}?",
    "{n} status",
    "any tracking for {n}?",
    "has {n} been dispatched yet",
    "my order number is {n}, when will it come",
    "is order {n} out for delivery yet",
    "tracking number for {n} please",
    "check {n} please",
    "where is my parcel, order {n}",
    "could you check order {n} for me",
    "what's the status of order {n}",
    "has order {n} shipped yet",
    "could you look up order {n} please",
    "when will order {n} arrive",
    "status update on {n} please",
    "is {n} on its way",
    "I'd like an update on order {n}",
    "can you tell me where {n} is",
    "I was wondering if you could tell me when order {n} will be delivered",
    "what is happening with order {n}",
    "any news about {n}?",
)
GREETINGS = ("hi", "hello", "hey there", "good morning")
THANKS = ("thanks", "thank you", "cheers", "great, thanks")
OPENING = 3  # greeting, order question, e-mail: the e-mail check happens once per conversation
VISIT = 7  # turns of the repeated visit


def faq_examples(files: Sequence[Path] = FAQ_FILES) -> list[list[str]]:
    """The English FAQ training examples, one list per FAQ, without entity annotations."""
    by_faq: dict[str, list[str]] = {}
    for path in files:
        for block in yaml.safe_load(path.read_text(encoding="utf-8")).get("nlu", []):
            name = str(block.get("intent", ""))
            if not name.startswith("faq/") or name in SKIPPED_FAQS:
                continue
            lines = [line.strip()[2:].strip() for line in str(block.get("examples", "")).splitlines()]
            by_faq.setdefault(name, []).extend(line for line in lines if line and "[" not in line)
    return list(by_faq.values())


def _calm(text: str, settings: Settings) -> bool:
    """No signal fires on ``text`` alone (asked as an FAQ)."""
    return all(s.score == 0 for s in all_signals((Turn(text, "faq", 0.95, ("utter_faq",)),), settings).values())


def _repeats(earlier: Sequence[Turn], text: str, settings: Settings) -> bool:
    """``text`` after ``earlier`` counts as the customer saying something again."""
    signal = all_signals((*earlier, Turn(text, "faq", 0.95)), settings)["unresolved"]
    return any(e.feature == "repeated_message" for e in signal.evidence)


def faq_questions(count: int, settings: Settings, examples: Sequence[Sequence[str]] | None = None) -> list[str]:
    """``count`` FAQ questions taking turns between the FAQs, each unlike all the ones before it."""
    kept: list[Turn] = []
    for round_ in zip_longest(*(examples if examples is not None else faq_examples())):
        for text in round_:
            if text and _calm(text, settings) and not _repeats(kept, text, settings):
                kept.append(Turn(text, "faq", 0.95, ("utter_faq",)))
                if len(kept) == count:
                    return [t.text for t in kept]
    raise ValueError(f"only {len(kept)} distinct calm FAQ questions in the training data, {count} wanted")


def order_questions(count: int) -> list[str]:
    """``count`` order-status questions, every one worded differently (templates × orders)."""
    questions = [template.format(n=order) for template in ORDER_QUESTIONS for order in ORDERS]
    if count > len(questions):
        raise ValueError(f"only {len(questions)} distinct order questions, {count} wanted")
    return questions[:count]


def long_script(turns: int, settings: Settings) -> list[str]:
    """The customer's first ``turns`` messages (at least ``OPENING``)."""
    visits = max(0, -(-(turns - OPENING) // VISIT))
    faqs = iter(faq_questions(3 * visits, settings))
    orders = iter(order_questions(1 + 2 * visits))
    script = [GREETINGS[0], next(orders), EMAIL]
    for v in range(visits):
        script += [next(faqs), next(orders), next(faqs), THANKS[v % len(THANKS)], next(faqs), next(orders),
                   GREETINGS[(v + 1) % len(GREETINGS)]]
    return script[:turns]


def expected_turn(text: str) -> Turn:
    """The turn as the NLU should read ``text`` and the bot answer it (for ``check_calm``)."""
    if text in GREETINGS:
        return Turn(text, "greet", 0.95, ("utter_greet",))
    if text in THANKS:
        return Turn(text, "thank", 0.95, ("utter_you_are_welcome",))
    if text == EMAIL:
        return Turn(text, "inform", 0.95, ("action_check_order_status",))
    if any(order in text for order in ORDERS):
        return Turn(text, "order_status", 0.95, ("action_check_order_status",))
    return Turn(text, "faq", 0.95, ("utter_faq",))


def check_calm(script: Sequence[str], settings: Settings) -> list[tuple[int, str]]:
    """The turns (1-based, with the decision's summary) at which the decision would not be "none"
    with no reason; empty when the whole script stays calm."""
    moved: list[tuple[int, str]] = []
    turns: list[Turn] = []
    for number, text in enumerate(script, start=1):
        turns.append(expected_turn(text))
        decision = decide(History(tuple(turns)), settings)
        if decision.action != NONE or decision.score > 0:
            moved.append((number, decision.explain()))
    return moved
