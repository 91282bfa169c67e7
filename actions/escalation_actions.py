"""What the bot does with an escalation decision: offer a person, hear a no, hand over.

The decision itself (the ``escalation`` package) is made after every customer
message by the dialogue policy ``bot.policies.escalation.EscalationPolicy``,
which stores it in the ``escalation`` slot and predicts these actions.
"""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.base import ShopAction
from actions.handoff import hand_over, latest_decision, this_turns_decision

logger = logging.getLogger(__name__)

def _leave_form(tracker: Tracker) -> list[EventType]:
    """Stop the active form, if any (a handoff or an offer interrupts it)."""
    return [ActiveLoop(None), SlotSet("requested_slot", None)] if tracker.active_loop.get("name") else []


class ActionOfferHuman(Action):
    """Acknowledge the customer's frustration and offer a person (yes/no buttons)."""

    def name(self) -> str:
        return "action_offer_human"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        decision = this_turns_decision(tracker) or {}
        reason = decision.get("reason") or "frustration"
        dispatcher.utter_message(response=f"utter_empathy_{reason}")
        dispatcher.utter_message(response="utter_offer_human")
        return _leave_form(tracker)


class ActionOfferDeclined(Action):
    """The customer would rather go on with the bot: say so, and don't ask again for a while."""

    def name(self) -> str:
        return "action_offer_declined"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        dispatcher.utter_message(response="utter_offer_declined")
        return []


class ActionEscalate(ShopAction):
    """Hand over because the check decided so, or because the customer accepted an offer."""

    def name(self) -> str:
        return "action_escalate"

    async def handle(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        decision: dict[str, Any] | None = this_turns_decision(tracker)
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
