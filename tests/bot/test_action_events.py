"""``bot.action_events``: what the action server rebuilds is the body Rasa would have sent.

Pure part: one conversation's trackers at every length, with what Rasa changes on events it made
(metadata given by a tracker with a model id, timestamps renewed), through a ``Sender`` and a
``Receiver``; Rasa's own ``RemoteAction._action_call_format`` is the reference. The model test in
``test_dialogue_history.py`` holds a whole conversation through the real action server with it on.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from rasa.core.actions.action import RemoteAction
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import SlotSet
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from bot import action_events
from bot.action_events import KEY, Receiver, Sender, unchanged_prefix
from tests.bot.test_dialogue_history import conversation

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.load(ROOT / "domain.yml")


def rasas_body(tracker: DialogueStateTracker, domain: Domain) -> dict[str, Any]:
    action = RemoteAction("action_check_order_status", EndpointConfig("http://127.0.0.1:1/webhook"))
    return RemoteAction._action_call_format(action, tracker, domain)


def ours(sender: Sender, tracker: DialogueStateTracker, domain: Domain) -> dict[str, Any]:
    action_events.install()
    try:
        action = RemoteAction("action_check_order_status", EndpointConfig("http://127.0.0.1:1/webhook"))
        without = action_events._WithoutEvents(tracker)
        body = action_events._ORIGINAL["format"](action, without, domain)
    finally:
        action_events.uninstall()
    return sender.body(body, list(tracker.events))


def test_every_call_is_rebuilt_into_rasas_body(domain: Domain):
    events = conversation()
    sender, receiver, sizes = Sender(), Receiver(), []
    tracker = DialogueStateTracker("c-1", domain.slots)
    tracker.model_id = "model-1"
    for n, event in enumerate(events, start=1):
        tracker.update(event)
        if n % 3:
            continue
        # what Rasa does to events it made: a prediction event joins with a new timestamp
        if n % 9 == 0:
            tracker.events[-1].timestamp += 1.0
        body = ours(sender, tracker, domain)
        sizes.append(len(body["tracker"]["events"]))
        assert receiver.expand(body) == rasas_body(tracker, domain), f"length {n}"
    assert max(sizes[1:]) < len(events) // 4  # each call carried only a few events
    assert sum(sizes) < 2 * len(events)


def test_a_changed_event_is_sent_again_with_all_after_it(domain: Domain):
    tracker = DialogueStateTracker.from_events("c-2", conversation(), domain.slots)
    sender = Sender()
    first = ours(sender, tracker, domain)
    sent = sender._sent.get("c-2")
    assert unchanged_prefix(list(tracker.events), sent) == len(tracker.events)
    tracker.events[10].metadata = {**tracker.events[10].metadata, "model_id": "model-2"}
    assert unchanged_prefix(list(tracker.events), sent) == 10
    again = ours(sender, tracker, domain)
    assert again[KEY] == {"base": first[KEY]["generation"], "keep": 10, "generation": again[KEY]["generation"]}
    assert again["tracker"]["events"][0]["metadata"]["model_id"] == "model-2"


def test_an_unknown_base_is_refused_and_the_whole_call_is_sent_again(domain: Domain):
    tracker = DialogueStateTracker.from_events("c-3", conversation()[:20], domain.slots)
    sender = Sender()
    ours(sender, tracker, domain)
    tracker.update(SlotSet("order_number", "ORD-100101"))
    body = ours(sender, tracker, domain)
    assert body[KEY]["base"] is not None
    assert Receiver().expand(body) is None  # a restarted action server
    whole = sender.full(body)
    assert whole[KEY]["base"] is None
    assert Receiver().expand(whole) == rasas_body(tracker, domain)


def test_only_the_common_beginning_of_what_was_sent_is_kept(domain: Domain):
    events, sender, receiver = conversation(), Sender(), Receiver()
    receiver.expand(ours(sender, DialogueStateTracker.from_events("c-4", events, domain.slots), domain))
    reordered = events[:30] + events[31:33] + [events[30]]  # as a form's temporary tracker orders them
    tracker = DialogueStateTracker.from_events("c-4", reordered, domain.slots)
    body = ours(sender, tracker, domain)
    assert body[KEY]["keep"] == 30 and len(body["tracker"]["events"]) == 3
    assert receiver.expand(body) == rasas_body(tracker, domain)
    other = DialogueStateTracker.from_events("c-4", conversation()[:30], domain.slots)  # new objects
    body = ours(sender, other, domain)
    assert body[KEY]["base"] is None and len(body["tracker"]["events"]) == 30


@pytest.mark.parametrize("bad", [
    {"sender_id": "x", "tracker": {"events": []}, KEY: {"base": "nope", "keep": 0, "generation": "g"}},
    {"sender_id": "x", "tracker": {"events": "not a list"}, KEY: {"base": None, "keep": 0, "generation": "g"}},
    {"sender_id": "x", "tracker": {"events": []}, KEY: "not a dict"},
])
def test_malformed_or_unknown_calls_are_not_expanded(bad: dict[str, Any]):
    assert Receiver().expand(bad) is None


def test_a_keep_beyond_what_is_known_is_refused():
    receiver = Receiver()
    assert receiver.expand({"sender_id": "x", "tracker": {"events": [{"event": "action"}]},
                            KEY: {"base": None, "keep": 0, "generation": "g1"}}) is not None
    assert receiver.expand({"sender_id": "x", "tracker": {"events": []},
                            KEY: {"base": "g1", "keep": 5, "generation": "g2"}}) is None


def test_each_side_keeps_to_its_bound_of_events():
    sender, receiver = Sender(events=50), Receiver(events=50)
    for n in range(5):  # 20 events each: two conversations fit in 50
        body = {"sender_id": f"c-{n}", "tracker": {"events": None}}
        events = conversation()[:20]
        receiver.expand(sender.body(body, events))
    assert len(sender._sent) == len(receiver._known) == 2
    assert sender._sent.total == receiver._known.total == 40
    assert "c-4" in sender._sent and "c-0" not in receiver._known
