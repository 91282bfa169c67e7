"""Building trackers and running actions the way the action server does."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, SlotSet, UserUttered
from rasa_sdk.executor import CollectingDispatcher

SENDER = "test-conversation"


def tracker(
    slots: dict[str, Any] | None = None,
    *,
    intent: str = "inform",
    text: str = "",
    new_slots: dict[str, Any] | None = None,
    active_loop: str | None = None,
) -> Tracker:
    """A tracker whose latest turn is ``text`` with ``intent``.

    ``new_slots`` are the slot candidates the form extracted from that turn
    (they end the event list, which is where validation actions look). ``slots`` were
    set earlier in the session, each by a slot event before the turn.
    """
    slots = dict(slots or {})
    new_slots = dict(new_slots or {})
    message = {"intent": {"name": intent, "confidence": 0.99}, "entities": [], "text": text}
    events = [SlotSet(name, value) for name, value in slots.items()]
    events += [ActionExecuted("action_listen"), UserUttered(text, parse_data=message)]
    events += [SlotSet(name, value) for name, value in new_slots.items()]
    return Tracker(
        sender_id=SENDER,
        slots={**slots, **new_slots},
        latest_message=message,
        events=events,
        paused=False,
        followup_action=None,
        active_loop={"name": active_loop} if active_loop else {},
        latest_action_name="action_listen",
    )


async def run(action: Action, trk: Tracker, domain: dict[str, Any]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Run an action; return its events and the messages it sent."""
    dispatcher = CollectingDispatcher()
    events = await action.run(dispatcher, trk, domain)
    return list(events), dispatcher.messages


def responses(messages: list[dict[str, Any]]) -> list[str]:
    """The names of the domain responses in a list of messages."""
    return [m.get("response") for m in messages]


def slot_events(events: list[dict[str, Any]]) -> dict[str, Any]:
    """The slots an action set, by name."""
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
