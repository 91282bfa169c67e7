"""``bot.dialogue_history`` gives exactly what Rasa's own methods give, continuing where it can.

Pure part: a hand-made conversation with every event that changes how the history counts (a
form with an unhappy path, a rejected action, a reverted user message and action, a featurization
change, a loop name first seen late, a restart), read at every one of its lengths: Rasa's own
results first, then the incremental ones on equal but separate events, compared.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from rasa.core.featurizers.tracker_featurizers import MaxHistoryTrackerFeaturizer
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    ActionExecutionRejected,
    ActionReverted,
    ActiveLoop,
    BotUttered,
    DefinePrevUserUtteredFeaturization,
    Event,
    FollowupAction,
    Restarted,
    SessionStarted,
    SlotSet,
    UserUtteranceReverted,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

from bot import action_events, dialogue_history

ROOT = Path(__file__).resolve().parents[2]
RULE_ONLY = {"slots": ["requested_slot"], "loops": ["cancel_order_form"]}


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.load(ROOT / "domain.yml")


@pytest.fixture
def patched() -> Iterator[None]:
    dialogue_history.install()
    try:
        yield
    finally:
        dialogue_history.uninstall()


def said(text: str, intent: str, entities: list[dict[str, Any]] | None = None) -> UserUttered:
    return UserUttered(text, {"name": intent, "confidence": 0.97}, entities or [])


def conversation() -> list[Event]:
    """New event objects of one conversation that exercises every way the history can change."""
    order = [{"entity": "order_number", "value": "ORD-100101", "start": 0, "end": 10}]
    return [
        ActionExecuted("action_session_start"), SessionStarted(), ActionExecuted("action_listen"),
        said("hi", "greet"), DefinePrevUserUtteredFeaturization(False),
        ActionExecuted("utter_greet", policy="RulePolicy", confidence=1.0), BotUttered("Hello!"),
        ActionExecuted("action_listen"),
        said("where is my order", "order_status"), DefinePrevUserUtteredFeaturization(False),
        ActionExecuted("order_status_form"), ActiveLoop("order_status_form"),
        SlotSet("requested_slot", "order_number"), BotUttered("Which order?"),
        ActionExecuted("action_listen"),
        said("how much is shipping", "faq"), DefinePrevUserUtteredFeaturization(False),
        ActionExecutionRejected("order_status_form"),
        ActionExecuted("utter_faq"), BotUttered("Shipping is free."),
        ActionExecuted("order_status_form"), BotUttered("Which order?"),
        ActionExecuted("action_listen"),
        said("ORD-100101", "inform", order), DefinePrevUserUtteredFeaturization(True),
        ActionExecuted("order_status_form"), SlotSet("order_number", "ORD-100101"),
        SlotSet("requested_slot", "verify_email"),
        ActionExecuted("action_listen"),
        said("jane.doe@example.com", "inform"), DefinePrevUserUtteredFeaturization(False),
        ActionExecuted("order_status_form"), SlotSet("verify_email", "jane.doe@example.com"),
        ActiveLoop(None), SlotSet("requested_slot", None),
        ActionExecuted("action_check_order_status"), BotUttered("It ships tomorrow."),
        ActionExecuted("action_listen"),
        said("qwfp zxcv", "nlu_fallback"), DefinePrevUserUtteredFeaturization(False),
        ActionExecuted("action_default_fallback"), UserUtteranceReverted(),
        ActionExecuted("action_listen"),
        said("thanks", "thank"), DefinePrevUserUtteredFeaturization(False),
        ActionExecuted("utter_you_are_welcome"), BotUttered("You're welcome."), ActionReverted(),
        ActionExecuted("utter_you_are_welcome"), BotUttered("You're welcome."),
        ActionExecuted("action_listen"),
        said("cancel my order", "cancel_order"), DefinePrevUserUtteredFeaturization(False),
        ActionExecuted("cancel_order_form"), ActiveLoop("cancel_order_form"),  # a loop name seen late
        SlotSet("requested_slot", "order_number"), FollowupAction("action_listen"),
        ActionExecuted("action_listen"),
        said("never mind", "deny"), DefinePrevUserUtteredFeaturization(False),
        ActionExecuted("cancel_order_form"), ActiveLoop(None),
        ActionExecuted("action_listen"),
        Restarted(), ActionExecuted("action_listen"),
        said("hello again", "greet"), DefinePrevUserUtteredFeaturization(False),
        ActionExecuted("utter_greet"), BotUttered("Hello!"), ActionExecuted("action_listen"),
    ]


def plain(events: list[Event]) -> list[dict[str, Any]]:
    """Events as data without their timestamps (the two runs' objects are made apart)."""
    return [{k: v for k, v in e.as_dict().items() if k != "timestamp"} for e in events]


def readings(domain: Domain, tracker: DialogueStateTracker) -> dict[str, Any]:
    """What the policies read of a tracker, as plain data."""
    featurizer = MaxHistoryTrackerFeaturizer(max_history=None)
    out: dict[str, Any] = {"applied": plain(tracker.applied_events())}
    for omit in (False, True):
        out[f"states omit={omit}"] = tracker.past_states(domain, omit_unset_slots=omit)
    out["states ml"] = tracker.past_states(domain, ignore_rule_only_turns=True, rule_only_data=RULE_ONLY)
    for text in (True, False):  # as the policies read them: the last input and user text chosen in place
        out[f"prediction text={text}"] = featurizer.prediction_states(
            [tracker], domain, use_text_for_last_user_input=text, ignore_rule_only_turns=True,
            rule_only_data=RULE_ONLY)
        out[f"rule prediction text={text}"] = featurizer.prediction_states(
            [tracker], domain, use_text_for_last_user_input=text)
    return out


def every_length(domain: Domain, sender: str) -> list[dict[str, Any]]:
    """``readings`` of the conversation cut at each length, each a new tracker on the same events."""
    events = conversation()
    return [readings(domain, DialogueStateTracker.from_events(sender, events[:n], domain.slots))
            for n in range(1, len(events) + 1)]


def test_the_history_read_incrementally_is_rasas_at_every_length(domain: Domain):
    expected = every_length(domain, "reference")
    dialogue_history.install()
    try:
        got = every_length(domain, "incremental")
        stats = dict(dialogue_history.stats)
    finally:
        dialogue_history.uninstall()
    for n, (want, have) in enumerate(zip(expected, got), start=1):
        for name in want:
            assert have[name] == want[name], f"{name} differs at length {n}"
    assert stats["states: continued"] > stats["states: from the start"] > 0, stats
    assert stats["applied: continued"] > stats["applied: from the start"] > 1, stats  # the late loop name


def test_one_tracker_grown_event_by_event_reads_as_rasa(domain: Domain, patched: None):
    """The processor's way: one tracker, events appended between predictions."""
    events = conversation()
    tracker = DialogueStateTracker("grown", domain.slots)
    dialogue_history.uninstall()
    reference = [readings(domain, DialogueStateTracker.from_events("r", conversation()[:n], domain.slots))
                 for n in range(1, len(events) + 1)]
    dialogue_history.install()
    for n, event in enumerate(events, start=1):
        tracker.update(event)
        assert readings(domain, tracker) == reference[n - 1], f"length {n}"


def test_a_feature_change_after_a_state_built_from_its_message_starts_again(domain: Domain, patched: None):
    events = conversation()[:7]  # ... greet, define, utter_greet (a state built after "hi")
    tracker = DialogueStateTracker.from_events("late-define", events, domain.slots)
    tracker.past_states(domain)
    late = DefinePrevUserUtteredFeaturization(True)
    tracker.update(late)
    got = tracker.past_states(domain)
    stats = dict(dialogue_history.stats)
    dialogue_history.uninstall()
    assert got == tracker.past_states(domain)
    assert stats["states: Rasa's own"] == 1, stats


def attributes(tracker: DialogueStateTracker) -> dict[str, Any]:
    """A tracker's whole state, the slots' and the active loop's included, as comparable data."""
    out = {k: v for k, v in vars(tracker).items() if k not in {"events", "slots", "active_loop"}}
    out["events"] = [id(e) for e in tracker.events]
    out["slots"] = {name: vars(slot) for name, slot in tracker.slots.items()}
    out["active_loop"] = vars(tracker.active_loop) if tracker.active_loop is not None else None
    return out


def test_a_copy_is_rasas_copy_without_the_replay(domain: Domain):
    events = conversation()
    for n in range(1, len(events) + 1):
        tracker = DialogueStateTracker.from_events("copied", events[:n], domain.slots)
        tracker.model_id, tracker.assistant_id, tracker.sender_source = "model", "assistant", "file.yml"
        fast, rasa = dialogue_history.copy_tracker(tracker), tracker.travel_back_in_time(float("inf"))
        assert attributes(fast) == attributes(rasa), f"length {n}"
        fast.update(SlotSet("order_number", "ORD-999999"))
        fast.update(ActionExecutionRejected("order_status_form"))
        assert attributes(tracker)["events"] == [id(e) for e in events[:n]]  # the original is untouched
        assert tracker.get_slot("order_number") == rasa.get_slot("order_number")
        assert tracker.active_loop == rasa.active_loop


def test_trackers_that_keep_only_their_last_events_get_rasas_copy(domain: Domain):
    tracker = DialogueStateTracker.from_events("short", conversation(), domain.slots, max_event_history=5)
    assert attributes(dialogue_history.copy_tracker(tracker)) == attributes(tracker.travel_back_in_time(float("inf")))


# --------------------------------------------------------------------------- with the trained model

def _script() -> list[str]:
    """Calm visits, then a form with a question in the middle, gibberish and Japanese, then more visits."""
    from bench.long_conversation import long_script
    from escalation import settings as escalation_settings

    extra = ["I want to check an order", "how much is shipping", "ORD-100102", "jane.doe@example.com",
             "qwfp zxcv arst", "注文の状況を教えてください", "ORD-100103", "ありがとうございます"]
    calm = long_script(3 + 7 * 6, escalation_settings.load())
    return calm[:24] + extra + calm[24:]


def _what_happened(tracker: DialogueStateTracker) -> list[tuple[Any, ...]]:
    """The conversation as the policies and actions shaped it (bot texts vary: variations are random)."""
    out: list[tuple[Any, ...]] = []
    for event in tracker.events:
        data = event.as_dict()
        if isinstance(event, ActionExecuted):
            out.append(("action", event.action_name, event.policy, round(event.confidence or 0, 5)))
        elif isinstance(event, UserUttered):
            out.append(("user", event.text, event.intent_name))
        elif isinstance(event, SlotSet) and event.key != "escalation":
            out.append(("slot", event.key, str(event.value)))
        elif not isinstance(event, BotUttered):
            out.append((data["event"], data.get("name")))
        else:
            out.append(("bot",))
    return out


def test_the_models_predictions_are_rasas_turn_by_turn(domain: Domain, tmp_path: Path):
    """The trained model holds one conversation twice: on Rasa's own methods and store, then patched
    (the history read incrementally, the action server sent only new events) and on our store; every
    action, its policy and confidence, every slot must be the same. The action server restarts halfway."""
    import asyncio
    import secrets

    from rasa.core.agent import load_agent
    from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
    from rasa.core.tracker_store import SQLTrackerStore
    from rasa.core.utils import AvailableEndpoints
    from rasa.utils.endpoints import EndpointConfig

    from actions.store.seed import seed
    from bot.launcher import latest_model
    from bot.tracker_store import CheckedSQLTrackerStore
    from harness.ports import HOST, free_port
    from harness.rasa import action_server, sqlite_url, stack_env

    shop = sqlite_url(tmp_path / "shop.sqlite3", asynchronous=True)
    asyncio.run(seed(shop))
    port, token = free_port(), secrets.token_urlsafe(16)
    actions = action_server(port, stack_env(port, tmp_path / "trackers.sqlite3", shop, token), tmp_path / "actions.log")
    actions.spawn()
    script = _script()

    agents: list[Any] = []

    async def hold(store: Any, sender: str) -> list[tuple[Any, ...]]:
        endpoints = AvailableEndpoints(action=EndpointConfig(
            url=f"http://{HOST}:{port}/webhook", headers={"Authorization": f"Bearer {token}"},
            enable_selective_domain=True))
        agent = await load_agent(model_path=str(latest_model()), endpoints=endpoints)
        store.domain = agent.domain
        agent.tracker_store = agent.processor.tracker_store = store
        for n, message in enumerate(script):
            if n == len(script) // 2:  # a restarted action server knows none of the events sent before
                actions.stop()
                actions.spawn()
                actions.wait_ready()
            await agent.handle_message(UserMessage(message, CollectingOutputChannel(), sender))
        tracker = await store.retrieve(sender)
        agents.append((agent, tracker))
        return _what_happened(tracker)

    try:
        actions.wait_ready()
        dialogue_history.uninstall()
        rasa = asyncio.run(hold(SQLTrackerStore(domain, host=sqlite_url(tmp_path / "rasa.sqlite3")), "c-1"))
        dialogue_history.install()
        action_events.install()
        ours = asyncio.run(hold(CheckedSQLTrackerStore(domain, host=sqlite_url(tmp_path / "ours.sqlite3")), "c-1"))
        stats = {**dialogue_history.stats, **action_events.stats}
    finally:
        dialogue_history.uninstall()
        action_events.uninstall()
        actions.stop()
    assert len(rasa) > 8 * len(script)
    assert ours == rasa
    seen = {entry[:2] for entry in rasa}
    assert {("active_loop", "order_status_form"), ("action", "action_check_order_status"),
            ("user_featurization", None), ("slot", "verified_customer_id")} <= seen, seen
    assert stats["states: continued"] > 10 * stats["states: from the start"], stats
    assert stats["copy: without replay"] >= len(script), stats
    assert stats["sent: new events only"] > stats["sent: every event"] > 0, stats
    assert 5 * stats["events: sent"] < stats["events: in the calls' trackers"], stats
    assert stats["sent again whole"] == 1, stats  # the first call after the restart
    _windows_decide_as_the_whole_history(*agents[-1])


def _windows_decide_as_the_whole_history(agent: Any, tracker: DialogueStateTracker) -> None:
    """The model's RulePolicy finds the same applicable rules in its window as in the whole history,
    and MemoizationPolicy recalls the same (nothing, past its stories' length), before every action."""
    from rasa.core.policies.memoization import MemoizationPolicy
    from rasa.core.policies.policy import Policy
    from rasa.core.policies.rule_policy import RULES, RULES_FOR_LOOP_UNHAPPY_PATH, RulePolicy

    nodes = agent.processor.graph_runner._instantiated_nodes.values()
    policies = [n._component for n in nodes if type(getattr(n, "_component", None)) in (RulePolicy, MemoizationPolicy)]
    assert {type(p) for p in policies} == {RulePolicy, MemoizationPolicy}
    rule = next(p for p in policies if type(p) is RulePolicy)
    memo = next(p for p in policies if type(p) is MemoizationPolicy)
    longest = max(len(rule._rule_key_to_state(k)) for k in [*rule.lookup[RULES], *rule.lookup[RULES_FOR_LOOP_UNHAPPY_PATH]])
    assert dialogue_history.history_window(rule) == longest + 1
    domain, events, checked = agent.domain, list(tracker.events), 0
    for n, event in enumerate(events):
        if not isinstance(event, ActionExecuted):
            continue
        prefix = DialogueStateTracker.from_events(tracker.sender_id, events[:n], domain.slots)
        if len(prefix.past_states(domain)) <= dialogue_history.history_window(rule):
            continue
        for text in (True, False):
            whole = Policy._prediction_states(rule, prefix, domain, text, rule._get_rule_only_data())
            window = dialogue_history.windowed_prediction_states(rule, prefix, domain, text, rule._get_rule_only_data())
            assert len(window) < len(whole)
            for lookup in (RULES, RULES_FOR_LOOP_UNHAPPY_PATH):
                assert rule._get_possible_keys(rule.lookup[lookup], window) == rule._get_possible_keys(
                    rule.lookup[lookup], whole), (n, text, lookup)
        whole = Policy._prediction_states(memo, prefix, domain)
        window = dialogue_history.windowed_prediction_states(memo, prefix, domain)
        assert memo.recall(window, prefix, domain, None) == memo.recall(whole, prefix, domain, None)
        checked += 1
    assert checked > 50
