"""The tracker's events go to the action server once; each later call sends only what is new.

Rasa 3.6 sends the whole tracker, every event of the session as JSON, with every custom action
call (``RemoteAction._action_call_format``); at turn 200 of one conversation that is 1,800 events
serialised, sent and parsed again for each of a turn's several calls (docs/benchmarks.md, "A
turn's cost as the conversation grows"). Here each side keeps the conversation's events as last
sent, under a generation id, and a call carries only the difference:

    body["tracker"]["events"] = the events from ``keep`` on
    body[KEY] = {"base": <the generation these continue, or None>, "keep": k, "generation": <new>}

The action server (``Receiver``, in ``bot.action_server``'s middleware) puts its first ``keep``
events of generation ``base`` in front and hands rasa-sdk the body Rasa would have sent. An
action server that does not know ``base`` (restarted, another one behind a balancer) answers 409,
and the Rasa server (``Sender``) sends the same call with every event.

What counts as unchanged: the same event objects in the same order (identity), each with the same
``metadata`` and ``timestamp`` as when sent. Rasa changes exactly those two on events it already
made (a tracker with a model id gives each event new metadata as it is added; ``update_with_events``
gives prediction events a new timestamp when they join the tracker), and otherwise keeps an event
as it was made. An event whose marks differ is sent again with all after it.
``tests/bot/test_action_events.py`` compares every body against Rasa's own on real conversations.

Off when ``COMPRESS_ACTION_SERVER_REQUEST`` is on (Rasa then sends deflated bytes): Rasa's own body.
"""

from __future__ import annotations

import operator
import secrets
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bot.lru import BoundedLru

if TYPE_CHECKING:  # the action server imports this module too: no Rasa at its start
    from rasa.shared.core.events import Event

KEY = "nwsupport_events"
# Conversations each side remembers, and events in all; past either the least recently used starts
# again with every event (an event's dict is a few hundred bytes).
CACHED_CONVERSATIONS = 2000
CACHED_EVENTS = 100_000
_MARKS = operator.attrgetter("metadata", "timestamp")
# How calls went ("sent: new events only", "sent: every event", "sent again whole"): tests, benchmarks.
stats: Counter[str] = Counter()


@dataclass
class _Sent:
    """What the Rasa server last sent of a conversation: the events, their marks and their dicts."""

    generation: str
    events: list[Event]
    marks: list[tuple[Any, Any]]
    dicts: list[dict[str, Any]]


def _first_false(flags: list[bool]) -> int:
    return flags.index(False) if False in flags else len(flags)


def unchanged_prefix(events: list[Event], sent: _Sent | None) -> int:
    """How many of ``events``, from the first, are the events sent before and unchanged since (pure).

    A form's validation call sees events in the order of its own temporary tracker, so what was sent
    may end differently from what the conversation keeps: only the common beginning counts.
    """
    if sent is None:
        return 0
    same = _first_false(list(map(operator.is_, events, sent.events)))
    return _first_false(list(map(operator.eq, map(_MARKS, events[:same]), sent.marks[:same])))


class Sender:
    """The Rasa server's side: the body for a call, with only the events the action server lacks."""

    def __init__(self, size: int = CACHED_CONVERSATIONS, events: int = CACHED_EVENTS) -> None:
        self._sent = BoundedLru(size, events, lambda sent: len(sent.events))

    def body(self, body: dict[str, Any], events: list[Event]) -> dict[str, Any]:
        """``body`` (Rasa's, without events) with ``events``' new part and the generation they continue."""
        sender = str(body["sender_id"])
        sent = self._sent.get(sender)
        keep = unchanged_prefix(events, sent)
        dicts = (sent.dicts[:keep] if sent is not None and keep else []) + [e.as_dict() for e in events[keep:]]
        generation = secrets.token_hex(8)
        self._sent.put(sender, _Sent(generation, list(events), list(map(_MARKS, events)), dicts))
        base = sent.generation if sent is not None and keep else None
        stats["sent: new events only" if base else "sent: every event"] += 1
        stats["events: sent"] += len(events) - (keep if base else 0)
        stats["events: in the calls' trackers"] += len(events)
        return {**body, "tracker": {**body["tracker"], "events": dicts[keep:]},
                KEY: {"base": base, "keep": keep if base else 0, "generation": generation}}

    def full(self, body: dict[str, Any]) -> dict[str, Any]:
        """The call ``body`` again with every event (after the action server did not know its base)."""
        sent = self._sent.get(str(body["sender_id"]))
        if sent is None or sent.generation != body[KEY]["generation"]:
            raise LookupError("the events of this call are no longer kept")
        return {**body, "tracker": {**body["tracker"], "events": list(sent.dicts)},
                KEY: {"base": None, "keep": 0, "generation": sent.generation}}


class Receiver:
    """The action server's side: the body Rasa would have sent, from the last one and the new part."""

    def __init__(self, size: int = CACHED_CONVERSATIONS, events: int = CACHED_EVENTS) -> None:
        self._known = BoundedLru(size, events, lambda known: len(known[1]))

    def expand(self, body: dict[str, Any]) -> dict[str, Any] | None:
        """``body`` with every event and without ``KEY``; None when its base is not known here."""
        delta, tracker = body.get(KEY), body.get("tracker")
        if not isinstance(delta, dict) or not isinstance(tracker, dict) or not isinstance(tracker.get("events"), list):
            return None
        sender, base, keep = str(body.get("sender_id")), delta.get("base"), delta.get("keep")
        if base is None:
            events = list(tracker["events"])
        else:
            known = self._known.get(sender)
            if known is None or known[0] != base or not isinstance(keep, int) or not 0 <= keep <= len(known[1]):
                return None
            events = known[1][:keep] + tracker["events"]
        self._known.put(sender, (str(delta.get("generation")), events))
        full = {k: v for k, v in body.items() if k != KEY}
        full["tracker"] = {**tracker, "events": list(events)}
        return full


# --------------------------------------------------------------------------- in the Rasa server

_SENDER = Sender()
_ORIGINAL: dict[str, Any] = {}


class _WithoutEvents:
    """What ``RemoteAction._action_call_format`` reads of a tracker, with the events left out."""

    def __init__(self, tracker: Any) -> None:
        self.sender_id = tracker.sender_id
        self._tracker = tracker

    def current_state(self, event_verbosity: Any = None) -> dict[str, Any]:
        from rasa.shared.core.trackers import EventVerbosity

        return dict(self._tracker.current_state(EventVerbosity.NONE))


def _action_call_format(self: Any, tracker: Any, domain: Any) -> dict[str, Any]:
    """Rasa's body for the action server, its events sent as the difference from the last call."""
    from rasa.core.constants import COMPRESS_ACTION_SERVER_REQUEST_ENV_NAME, DEFAULT_COMPRESS_ACTION_SERVER_REQUEST
    from rasa.utils.common import get_bool_env_variable

    if get_bool_env_variable(COMPRESS_ACTION_SERVER_REQUEST_ENV_NAME, DEFAULT_COMPRESS_ACTION_SERVER_REQUEST):
        return _ORIGINAL["format"](self, tracker, domain)
    body = _ORIGINAL["format"](self, _WithoutEvents(tracker), domain)
    return _SENDER.body(body, list(tracker.events))


async def _request(self: Any, *args: Any, **kwargs: Any) -> Any:
    """``EndpointConfig.request``; a call whose events the action server did not know goes again whole."""
    from rasa.utils.endpoints import ClientResponseError

    body = kwargs.get("json")
    try:
        return await _ORIGINAL["request"](self, *args, **kwargs)
    except ClientResponseError as error:
        if error.status != 409 or not isinstance(body, dict) or not isinstance(body.get(KEY), dict) \
                or body[KEY].get("base") is None:
            raise
        stats["sent again whole"] += 1
        return await _ORIGINAL["request"](self, *args, **{**kwargs, "json": _SENDER.full(body)})


def install() -> None:
    """Patch Rasa's remote actions to send events as differences (idempotent)."""
    from rasa.core.actions.action import RemoteAction
    from rasa.utils.endpoints import EndpointConfig

    if _ORIGINAL:
        return
    _ORIGINAL["format"] = RemoteAction._action_call_format
    _ORIGINAL["request"] = EndpointConfig.request
    RemoteAction._action_call_format = _action_call_format  # type: ignore[method-assign]
    EndpointConfig.request = _request  # type: ignore[method-assign]


def uninstall() -> None:
    """Rasa's own methods back (tests)."""
    from rasa.core.actions.action import RemoteAction
    from rasa.utils.endpoints import EndpointConfig

    if not _ORIGINAL:
        return
    RemoteAction._action_call_format = _ORIGINAL.pop("format")  # type: ignore[method-assign]
    EndpointConfig.request = _ORIGINAL.pop("request")  # type: ignore[method-assign]
    _SENDER._sent.clear()
    stats.clear()
