"""The escalation check on every customer turn, and what the bot does with it.

``action_check_escalation`` is a custom slot mapping of the ``escalation``
slot, so Rasa runs it after every customer message, inside forms too, before
choosing what to do: it reads the turns since the last fresh start, decides
(``actions.escalation.decision``) and stores the decision in the slot. The
dialogue policy ``bot.policies.escalation.EscalationPolicy`` then predicts
``action_escalate`` or ``action_offer_human`` when the decision says so.
"""

from __future__ import annotations

import logging
import os
import time
from typing import Any, Dict, List, Optional, Text, Tuple

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.base import ShopAction
from actions.escalation import settings as escalation_settings
from actions.escalation.decision import decide
from actions.escalation.turns import read_history
from actions.handoff import DECISION_SLOT, hand_over, latest_decision, this_turns_decision

logger = logging.getLogger(__name__)

_cache: Dict[str, Tuple[float, escalation_settings.Settings]] = {}


def current_settings() -> escalation_settings.Settings:
    """The settings file, re-read when it changes (a manager's edit applies without a restart).

    A broken edit is logged and the last good settings stay in force.
    """
    path = str(os.environ.get("ESCALATION_CONFIG") or escalation_settings.DEFAULT_PATH)
    try:
        mtime = os.stat(path).st_mtime
    except OSError:
        mtime = -1.0
    cached = _cache.get(path)
    if cached and cached[0] == mtime:
        return cached[1]
    try:
        loaded = escalation_settings.load(path)  # type: ignore[arg-type]
    except escalation_settings.SettingsError:
        if cached:
            logger.exception("escalation settings not reloaded; keeping the previous ones")
            return cached[1]
        raise
    _cache[path] = (mtime, loaded)
    return loaded


class ActionCheckEscalation(Action):
    """Judge the latest customer turn; store the decision in the ``escalation`` slot."""

    def name(self) -> Text:
        return "action_check_escalation"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Dict[Text, Any]]:
        started = time.perf_counter()
        decision = decide(read_history(tracker.events), current_settings())
        elapsed_ms = (time.perf_counter() - started) * 1000
        if decision.action != "none":
            logger.info("escalation %s for %s: %s (%.1f ms)", decision.action, tracker.sender_id,
                        decision.explain(), elapsed_ms)
        else:
            logger.debug("escalation none for %s: %s (%.1f ms)", tracker.sender_id, decision.explain(), elapsed_ms)
        return [SlotSet(DECISION_SLOT, decision.as_dict())]


def _leave_form(tracker: Tracker) -> List[EventType]:
    """Stop the active form, if any (a handoff or an offer interrupts it)."""
    return [ActiveLoop(None), SlotSet("requested_slot", None)] if tracker.active_loop.get("name") else []


class ActionOfferHuman(Action):
    """Acknowledge the customer's frustration and offer a person (yes/no buttons)."""

    def name(self) -> Text:
        return "action_offer_human"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Dict[Text, Any]]:
        decision = this_turns_decision(tracker) or {}
        reason = decision.get("reason") or "frustration"
        dispatcher.utter_message(response=f"utter_empathy_{reason}")
        dispatcher.utter_message(response="utter_offer_human")
        return _leave_form(tracker)


class ActionOfferDeclined(Action):
    """The customer would rather go on with the bot: say so, and don't ask again for a while."""

    def name(self) -> Text:
        return "action_offer_declined"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Dict[Text, Any]]:
        dispatcher.utter_message(response="utter_offer_declined")
        return []


class ActionEscalate(ShopAction):
    """Hand over because the check decided so, or because the customer accepted an offer."""

    def name(self) -> Text:
        return "action_escalate"

    async def handle(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        decision: Optional[Dict[str, Any]] = this_turns_decision(tracker)
        accepted = not decision or decision.get("action") != "handoff"
        if accepted:
            offered = latest_decision(tracker.events, ("offer",))
            decision = dict(offered or decision or {})
            if decision:
                decision["note"] = "the customer accepted the offer of a person"
                decision["summary"] = f"{decision.get('summary', '')} (accepted the offer of a person)".strip()
            dispatcher.utter_message(response="utter_escalate_accepted")
        else:
            dispatcher.utter_message(response=f"utter_escalate_{decision['reason']}")
        return _leave_form(tracker) + await hand_over(dispatcher, tracker, decision)
