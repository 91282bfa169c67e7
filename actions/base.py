"""Base of the shop's actions: store failures become a clear message, a lapsed proof of identity is cleared."""

from __future__ import annotations

import copy
import logging
from abc import ABC, abstractmethod
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.store.repository import StoreUnavailable
from actions.verification import expired_proof

logger = logging.getLogger(__name__)


def slots_copy(tracker: Tracker) -> Tracker:
    """A copy of ``tracker`` whose slots (and latest message) may change without touching it.

    rasa-sdk's ``Tracker.copy`` deep-copies every event too: 40 ms at 1,800 events, on every form
    validation (docs/benchmarks.md). The events are only read here, so the copy has its own list of
    the same event dicts (``add_slots`` appends to it).
    """
    return Tracker(tracker.sender_id, copy.deepcopy(tracker.slots), copy.deepcopy(tracker.latest_message),
                   list(tracker.events), tracker._paused, tracker.followup_action, tracker.active_loop,
                   tracker.latest_action_name)


def without_lapsed_proof(tracker: Tracker) -> tuple[Tracker, list[EventType]]:
    """The tracker as the action should see it, and the events that clear a proof of identity
    that no longer holds (see ``actions.verification``). The slots change, not the events, so
    a form does not take the cleared slots for new answers to validate."""
    cleared = expired_proof(tracker)
    if not cleared:
        return tracker, []
    seen = slots_copy(tracker)
    seen.slots.update({event["name"]: None for event in cleared})
    return seen, cleared


class ShopAction(Action, ABC):
    """An action that uses the store; if the store is down the customer is told."""

    @abstractmethod
    async def handle(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Do the action's work (``run`` wraps it)."""

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        tracker, cleared = without_lapsed_proof(tracker)
        try:
            return cleared + await self.handle(dispatcher, tracker, domain)
        except StoreUnavailable:
            logger.exception("store unavailable in %s for %s", self.name(), tracker.sender_id)
            dispatcher.utter_message(response="utter_store_unavailable")
            return cleared


class ShopFormValidation(FormValidationAction, ABC):
    """A form validation that uses the store; if the store is down the customer is told."""

    @abstractmethod
    def name(self) -> str:
        """The action's name in the domain (``validate_<form>``)."""

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        tracker, cleared = without_lapsed_proof(tracker)
        try:
            return cleared + list(await super().run(dispatcher, tracker, domain))
        except StoreUnavailable:
            logger.exception("store unavailable in %s for %s", self.name(), tracker.sender_id)
            dispatcher.utter_message(response="utter_store_unavailable")
            return cleared
