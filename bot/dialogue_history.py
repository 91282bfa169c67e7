"""Rasa's per-turn reading of the whole dialogue made incremental, with exactly Rasa's results.

Every prediction Rasa 3.6 rebuilds the conversation from its first event: ``applied_events()``
walks every event (and copies the list at each undo), and ``past_states()`` replays them all
into a fresh tracker to rebuild the dialogue state before every action, for each policy, for
each prediction of the turn (about eight times a turn). At turn 200 of one conversation that was
most of the turn (docs/benchmarks.md, "A turn's cost as the conversation grows").

Both are functions of the events alone, and a turn only appends events. This module keeps, per
conversation, what the last computation saw and continues it over the new events:

- ``applied_events``: the events seen, the names of the loops among them, and the result. A
  tracker whose events start with exactly those event objects (compared by identity) continues
  from there; anything else (a shorter or different history, a loop name not seen before, which
  changes how earlier events count) computes from the start as Rasa does.
- ``past_states``: per conversation and argument set, the applied events replayed, the replay
  tracker after them, the states yielded so far and the loop's own variables. New applied events
  are replayed into that tracker and their states appended; the last state (the tracker as it is
  now) is computed afresh each call, as Rasa does. One event mutates an earlier one in place:
  ``DefinePrevUserUtteredFeaturization`` changes the latest ``UserUttered``; if a state built
  after that message is already kept, the computation starts again from the beginning.

``RulePolicy`` then matches its rules against the end of the states: a rule of n states only ever
looks at the last n (``RulePolicy._is_rule_applicable``), so it is given the last (longest rule +
1) states; the answer is the same and no longer depends on the conversation's length.

``install()`` patches these into Rasa (``bot.serve`` calls it before the server starts). Kept
apart from training: ``rasa train`` never installs it. ``tests/bot/test_dialogue_history.py``
compares every piece with Rasa's own on real conversations and the trained model.
"""

from __future__ import annotations

import base64
import copy
import json
import operator
import zlib
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from rasa.core.policies.memoization import MemoizationPolicy
from rasa.core.policies.policy import Policy, SupportedData
from rasa.core.policies.rule_policy import RULES, RULES_FOR_LOOP_UNHAPPY_PATH, RulePolicy
from rasa.shared.core.domain import Domain, State
from rasa.shared.core.events import (
    ActionExecuted,
    ActionReverted,
    ActiveLoop,
    DefinePrevUserUtteredFeaturization,
    Event,
    Restarted,
    SessionStarted,
    UserUtteranceReverted,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

from bot.lru import BoundedLru

# Conversations (and argument sets) remembered, and events (and states) in all: the least recently
# used are dropped first (a few hundred bytes a state; the events themselves are the tracker store's).
CACHED_HISTORIES = 3000
CACHED_EVENTS = 100_000

_ORIGINAL: dict[str, Callable[..., Any]] = {}


@dataclass
class _Applied:
    """``applied_events()`` of ``events``: ``loops`` are the loop names among them."""

    events: list[Event]
    loops: frozenset[str]
    applied: list[Event]


@dataclass
class _States:
    """``past_states`` over the applied events ``applied``, up to (not with) the last state.

    ``replay``: the tracker with ``applied`` replayed (owned here, advanced in place);
    ``states``: the states yielded at each ``ActionExecuted``; ``last_ml_action`` and
    ``turn_was_hidden``: the loop's variables; ``since_user``: a kept state was built after the
    latest ``UserUttered``.
    """

    applied: list[Event]
    replay: DialogueStateTracker
    states: list[State]
    last_ml_action: Any
    turn_was_hidden: bool
    since_user: bool


# How each call went ("applied: continued", "states: from the start", ...): tests and benchmarks read it.
stats: Counter[str] = Counter()

_applied_cache = BoundedLru(CACHED_HISTORIES, CACHED_EVENTS, lambda known: len(known.events))
_states_cache = BoundedLru(CACHED_HISTORIES, CACHED_EVENTS, lambda kept: len(kept.applied) + len(kept.states))


def clear() -> None:
    """Forget everything kept (tests; nothing else needs it)."""
    _applied_cache.clear()
    _states_cache.clear()
    stats.clear()


def starts_with(items: Sequence[Any], prefix: Sequence[Any]) -> bool:
    """Whether ``items`` begins with the very objects of ``prefix`` (identity, not equality)."""
    return len(items) >= len(prefix) and all(map(operator.is_, items, prefix))


def _loop_names(events: Sequence[Event]) -> frozenset[str]:
    return frozenset(e.name for e in events if isinstance(e, ActiveLoop) and e.name)


def _apply(tracker: DialogueStateTracker, events: Sequence[Event], loops: frozenset[str],
           applied: list[Event]) -> None:
    """Rasa's ``applied_events`` loop over ``events``, continuing ``applied`` in place."""
    for event in events:
        if isinstance(event, (Restarted, SessionStarted)):
            applied.clear()
        elif isinstance(event, ActionReverted):
            tracker._undo_till_previous(ActionExecuted, applied)
        elif isinstance(event, UserUtteranceReverted):
            tracker._undo_till_previous(UserUttered, applied)
            tracker._undo_till_previous(ActionExecuted, applied)
        elif (isinstance(event, ActionExecuted) and event.action_name in loops
              and not tracker._first_loop_execution_or_unhappy_path(event.action_name, applied)):
            tracker._undo_till_previous_loop_execution(event.action_name, applied)
        else:
            applied.append(event)


def applied_events(self: DialogueStateTracker) -> list[Event]:
    """``DialogueStateTracker.applied_events``, continued from the conversation's last call."""
    if type(self) is not DialogueStateTracker:
        return _ORIGINAL["applied_events"](self)
    events = list(self.events)
    known: _Applied | None = _applied_cache.get(self.sender_id)
    if known is not None and starts_with(events, known.events):
        new = events[len(known.events):]
        if not new:
            stats["applied: unchanged"] += 1
            return list(known.applied)
        if _loop_names(new) <= known.loops:
            applied = list(known.applied)
            _apply(self, new, known.loops, applied)
            stats["applied: continued"] += 1
            _applied_cache.put(self.sender_id, _Applied(events, known.loops, applied))
            return list(applied)
    stats["applied: from the start"] += 1
    loops = _loop_names(events)
    applied = []
    _apply(self, events, loops, applied)
    _applied_cache.put(self.sender_id, _Applied(events, loops, applied))
    return list(applied)


def _rule_only_key(rule_only_data: dict[str, Any] | None) -> str:
    return json.dumps(rule_only_data, sort_keys=True, default=str) if rule_only_data else ""


def _advance(domain: Domain, kept: _States, new: Sequence[Event], omit_unset_slots: bool,
             ignore_rule_only_turns: bool, rule_only_data: dict[str, Any] | None) -> bool:
    """Replay ``new`` applied events into ``kept`` as Rasa's ``states_for_tracker_history`` does
    (every state but the last); False if an event changed a message a kept state was built from."""
    replay = kept.replay
    for event in new:
        if isinstance(event, UserUttered):
            kept.since_user = False
        elif isinstance(event, DefinePrevUserUtteredFeaturization) and kept.since_user:
            return False
        if isinstance(event, ActionExecuted):
            _yield_state(domain, kept, event.hide_rule_turn, omit_unset_slots, ignore_rule_only_turns,
                         rule_only_data, kept.states)
            kept.since_user = True
        replay.update(event)
        kept.applied.append(event)
    return True


def _yield_state(domain: Domain, kept: _States, hide_rule_turn: bool, omit_unset_slots: bool,
                 ignore_rule_only_turns: bool, rule_only_data: dict[str, Any] | None,
                 states: list[State]) -> None:
    """The body of Rasa's ``states_for_tracker_history`` loop for one prior tracker (``kept.replay``)."""
    tr = kept.replay
    if ignore_rule_only_turns:
        if not kept.turn_was_hidden:
            kept.last_ml_action = domain._get_prev_action_sub_state(tr)
        if not tr.followup_action and not tr.latest_action_name == tr.active_loop_name:
            kept.turn_was_hidden = hide_rule_turn
        if kept.turn_was_hidden:
            return
    state = domain.get_active_state(tr, omit_unset_slots=omit_unset_slots)
    if ignore_rule_only_turns:
        domain._remove_rule_only_features(state, rule_only_data)
        if states:
            domain._substitute_rule_only_user_input(state, states[-1])
        if kept.last_ml_action:
            state["prev_action"] = kept.last_ml_action
    states.append(domain._clean_state(state))


def past_states(self: DialogueStateTracker, domain: Domain, omit_unset_slots: bool = False,
                ignore_rule_only_turns: bool = False,
                rule_only_data: dict[str, Any] | None = None) -> list[State]:
    """``DialogueStateTracker.past_states``, continued from the conversation's last call."""
    if type(self) is not DialogueStateTracker:
        return _ORIGINAL["past_states"](self, domain, omit_unset_slots, ignore_rule_only_turns, rule_only_data)
    applied = self.applied_events()
    key = (self.sender_id, id(domain), omit_unset_slots, ignore_rule_only_turns, _rule_only_key(rule_only_data))
    kept: _States | None = _states_cache.get(key)
    advanced = False
    if kept is not None and starts_with(applied, kept.applied):
        advanced = _advance(domain, kept, applied[len(kept.applied):], omit_unset_slots, ignore_rule_only_turns,
                            rule_only_data)
    stats["states: continued" if advanced else "states: from the start"] += 1
    if not advanced:
        kept = _States([], self.init_copy(), [], None, False, False)
        if not _advance(domain, kept, applied, omit_unset_slots, ignore_rule_only_turns, rule_only_data):
            # A feature change after a state already built from the same message: Rasa's own loop.
            _states_cache.pop(key)
            stats["states: Rasa's own"] += 1
            return _ORIGINAL["past_states"](self, domain, omit_unset_slots, ignore_rule_only_turns, rule_only_data)
    assert kept is not None
    _states_cache.put(key, kept)
    states = list(kept.states)
    # The last state, the tracker as it is now: the loop's variables are the kept ones' copies.
    last = _States(kept.applied, kept.replay, states, kept.last_ml_action, kept.turn_was_hidden, kept.since_user)
    _yield_state(domain, last, False, omit_unset_slots, ignore_rule_only_turns, rule_only_data, states)
    return states


def _key_states_bound(key: str, compressed: bool) -> int:
    """At least the number of states in a memorised key: each state is a ``{...}`` of its own."""
    text = zlib.decompress(base64.b64decode(key)).decode("utf-8") if compressed else key
    return text.count("{")


def history_window(policy: MemoizationPolicy) -> int:
    """How many of the last states can decide the policy's answer (computed once per policy).

    ``RulePolicy``: a rule of n states is applicable whatever lies more than n states back
    (``RulePolicy._is_rule_applicable``): the longest rule's states + 1. ``MemoizationPolicy``
    looks the states up as one key: more states than any memorised key has can match none, so
    (an upper bound of) the longest key's states + 1 give the same answer, no match.
    """
    window = policy.__dict__.get("_history_window")
    if window is None:
        if isinstance(policy, RulePolicy):
            keys = [*policy.lookup.get(RULES, {}), *policy.lookup.get(RULES_FOR_LOOP_UNHAPPY_PATH, {})]
            longest = max((len(policy._rule_key_to_state(key)) for key in keys), default=0)
        else:
            compressed = bool(policy.config.get("enable_feature_string_compression"))
            longest = max((_key_states_bound(key, compressed) for key in policy.lookup), default=0)
        window = longest + 1
        own = getattr(policy.featurizer, "max_history", None)
        window = window if own is None else min(own, window)
        policy.__dict__["_history_window"] = window
    return int(window)


def windowed_prediction_states(self: MemoizationPolicy, tracker: DialogueStateTracker, domain: Domain,
                               use_text_for_last_user_input: bool = False,
                               rule_only_data: dict[str, Any] | None = None) -> list[State]:
    """``Policy._prediction_states`` for the last ``history_window`` states only (``RulePolicy``,
    ``MemoizationPolicy``; any subclass of theirs gets Rasa's own)."""
    if type(self) not in (RulePolicy, MemoizationPolicy):
        return _ORIGINAL["prediction_states"](self, tracker, domain, use_text_for_last_user_input, rule_only_data)
    featurizer = self.__dict__.get("_window_featurizer")
    if featurizer is None:
        featurizer = copy.copy(self.featurizer)
        featurizer.max_history = history_window(self)
        self.__dict__["_window_featurizer"] = featurizer
    ml_data = self.supported_data() == SupportedData.ML_DATA
    return featurizer.prediction_states(
        [tracker], domain, use_text_for_last_user_input=use_text_for_last_user_input,
        ignore_rule_only_turns=ml_data, rule_only_data=rule_only_data,
        ignore_action_unlikely_intent=ml_data)[0]


def copy_tracker(self: DialogueStateTracker) -> DialogueStateTracker:
    """``DialogueStateTracker.copy`` without replaying every event.

    Rasa's copy is a new tracker (``init_copy``: no sender source, model or assistant id) with all
    the events replayed into it (``travel_back_in_time``), once for every action the processor
    runs. A tracker's state is what its events made it, so the copy takes the state as it is: the
    same event objects in a new deque, copies of the slots, of the active loop and of the latest
    action. Trackers that keep only their last events (``max_event_history``: the state came from
    events no longer there) or are rule trackers get Rasa's own copy.
    """
    if (type(self) is not DialogueStateTracker or self._max_event_history is not None
            or self.is_rule_tracker or type(self.slots) is not dict):
        return self.travel_back_in_time(float("inf"))  # what Rasa's copy is
    new = DialogueStateTracker.__new__(DialogueStateTracker)
    new.__dict__.update(vars(self))
    new.events = self._create_events(list(self.events))
    new.slots = {name: copy.copy(slot) for name, slot in self.slots.items()}
    new.active_loop = copy.copy(self.active_loop)
    new.latest_action = dict(self.latest_action) if self.latest_action is not None else None
    new.sender_source = None
    new.model_id = None
    new.assistant_id = None
    stats["copy: without replay"] += 1
    return new


def install() -> None:
    """Patch Rasa's tracker and ``RulePolicy`` with the incremental versions (idempotent)."""
    if _ORIGINAL:
        return
    _ORIGINAL["applied_events"] = DialogueStateTracker.applied_events
    _ORIGINAL["past_states"] = DialogueStateTracker.past_states
    _ORIGINAL["prediction_states"] = Policy._prediction_states
    _ORIGINAL["copy"] = DialogueStateTracker.copy
    DialogueStateTracker.copy = copy_tracker  # type: ignore[method-assign]
    DialogueStateTracker.applied_events = applied_events  # type: ignore[method-assign]
    DialogueStateTracker.past_states = past_states  # type: ignore[method-assign]
    MemoizationPolicy._prediction_states = windowed_prediction_states  # type: ignore[method-assign]


def uninstall() -> None:
    """Rasa's own methods back (tests compare the two)."""
    if not _ORIGINAL:
        return
    DialogueStateTracker.applied_events = _ORIGINAL.pop("applied_events")  # type: ignore[method-assign]
    DialogueStateTracker.past_states = _ORIGINAL.pop("past_states")  # type: ignore[method-assign]
    DialogueStateTracker.copy = _ORIGINAL.pop("copy")  # type: ignore[method-assign]
    del MemoizationPolicy._prediction_states  # back to Policy's
    _ORIGINAL.pop("prediction_states")
    clear()
