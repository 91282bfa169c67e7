"""What the assistant does with a decision: the next action, or nothing to add.

Used by the dialogue policy ``bot.policies.escalation.EscalationPolicy`` on the
Rasa side and by the evaluation; pure, so both behave the same.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from escalation.decision import HANDOFF, OFFER

ESCALATE_ACTION = "action_escalate"
OFFER_ACTION = "action_offer_human"
DECLINED_ACTION = "action_offer_declined"
# Intents whose own rules always hand over (with their own words first). A
# complaint is not one: its rule only acknowledges it, and the decision hands
# over (it scores as frustration), unless the customer just declined a person.
RULE_HANDLED_INTENTS = frozenset({"request_human", "close_account"})
ACCEPT_INTENTS = frozenset({"affirm", "request_human"})
DECLINE_INTENTS = frozenset({"deny"})


def next_action(
    decision: Mapping[str, Any] | None,
    intent: str,
    offer_pending: bool,
) -> str | None:
    """The action to run after the customer's message, or ``None`` to leave it to the other policies.

    ``decision`` is this turn's decision (``Decision.as_dict()``), ``intent``
    the message's intent, ``offer_pending`` whether a person was offered
    right before this message.
    """
    if offer_pending:
        if intent in ACCEPT_INTENTS:
            return ESCALATE_ACTION
        if intent in DECLINE_INTENTS:
            return DECLINED_ACTION
    if not decision or intent in RULE_HANDLED_INTENTS:
        return None
    action = decision.get("action")
    if action == HANDOFF:
        return ESCALATE_ACTION
    if action == OFFER:
        return OFFER_ACTION
    return None


def action_after_recheck(decision: Mapping[str, Any] | None) -> str | None:
    """After a form rejected the customer's answer and the check ran again: hand over, offer, or nothing.

    The check after the customer's message runs before the form validates it;
    a rejection is news that can make the conversation "unresolved" now rather
    than one message later.
    """
    action = (decision or {}).get("action")
    if action == HANDOFF:
        return ESCALATE_ACTION
    if action == OFFER:
        return OFFER_ACTION
    return None
