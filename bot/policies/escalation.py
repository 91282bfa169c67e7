"""The escalation check on every customer turn, and acting on it, ahead of the other policies.

After each customer message this policy runs the escalation decision
(the ``escalation`` package: pure functions, settings from ``escalation.yml``) on
the conversation so far, stores it in the ``escalation`` slot (as an event of
its prediction, so it is in the tracker whichever policy wins), and predicts
``action_escalate`` (hand over) or ``action_offer_human`` (empathy and an offer
of a person) when the decision says so; it also handles the customer's answer
to an offer. When a form has just rejected an answer it decides once more, so a
form that keeps failing is noticed at the failure. Otherwise it predicts
nothing and the rules, memoization and TED decide as usual.

Why in the Rasa server's process and not as a custom action called every
turn: Rasa 3.6 validates every action-server response against a JSON schema it
rebuilds on each call, 16-17 ms on our 2-core machine, and measured whole turns
were ~30 ms slower with a per-turn action; in process the decision takes
~0.1 ms (docs/benchmarks.md). The actions that act on it (offer, decline,
escalate, handoff) are custom actions in ``actions/``.
"""

from __future__ import annotations

import logging
from typing import Any, Dict, FrozenSet, List, Optional

from rasa.core.policies.policy import Policy, PolicyPrediction, SupportedData
from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, Event, SlotSet, UserUttered
from rasa.shared.core.generator import TrackerWithCachedStates
from rasa.shared.core.trackers import DialogueStateTracker

from escalation import settings as escalation_settings
from escalation.decision import decide
from escalation.routing import (
    DECLINED_ACTION,
    ESCALATE_ACTION,
    OFFER_ACTION,
    action_after_recheck,
    next_action,
)
from escalation.turns import read_history

logger = logging.getLogger(__name__)
SLOT = "escalation"


def event_dicts(events: List[Event]) -> List[Dict[str, Any]]:
    """The few fields of Rasa's events the decision reads, shaped as the action server sees them."""
    out: List[Dict[str, Any]] = []
    for event in events:
        if isinstance(event, UserUttered):
            out.append({"event": "user", "text": event.text or "", "parse_data": {"intent": event.intent or {}}})
        elif isinstance(event, ActionExecuted):
            out.append({"event": "action", "name": event.action_name})
        elif isinstance(event, BotUttered):
            out.append({"event": "bot", "metadata": event.metadata or {}})
        else:
            out.append({"event": event.type_name})
    return out


def this_turn(tracker: DialogueStateTracker, rejections: FrozenSet[str]) -> Dict[str, Any]:
    """This turn so far: the message's intent, the newest decision, whether an offer came right
    before the message, and whether a form rejected an answer after the newest decision."""
    decision: Optional[Dict[str, Any]] = None
    previous_action: Optional[str] = None
    user_seen = rejected_since_decision = decided = False
    for event in reversed(tracker.events):
        if not user_seen:
            if isinstance(event, SlotSet) and event.key == SLOT and not decided:
                decided = True
                decision = event.value if isinstance(event.value, dict) else None
            elif isinstance(event, BotUttered) and (event.metadata or {}).get("utter_action") in rejections:
                rejected_since_decision = rejected_since_decision or not decided
            elif isinstance(event, UserUttered):
                user_seen = True
        elif isinstance(event, ActionExecuted) and event.action_name not in (ACTION_LISTEN_NAME, None):
            previous_action = event.action_name
            break
        elif isinstance(event, UserUttered):
            break
    intent = (tracker.latest_message.intent or {}).get("name") if tracker.latest_message else None
    return {"decision": decision, "decided": decided, "intent": intent or "",
            "offer_pending": previous_action == OFFER_ACTION, "rejected_since_decision": rejected_since_decision}


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=False
)
class EscalationPolicy(Policy):
    """Decides on escalation every turn; predicts handoffs and offers of a person."""

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        """Above RulePolicy (6), so a decision to hand over wins even inside a form."""
        return {"priority": 7}

    @staticmethod
    def supported_data() -> SupportedData:
        """It learns nothing from data."""
        return SupportedData.ML_DATA

    def __init__(
        self,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        featurizer: Any = None,
    ) -> None:
        super().__init__(config, model_storage, resource, execution_context, featurizer)
        escalation_settings.current()  # a broken settings file fails at load, not mid-conversation

    def train(self, training_trackers: List[TrackerWithCachedStates], domain: Domain, **kwargs: Any) -> Resource:
        """Nothing to learn."""
        return self._resource

    def predict_action_probabilities(
        self,
        tracker: DialogueStateTracker,
        domain: Domain,
        rule_only_data: Optional[Dict[str, Any]] = None,
        **kwargs: Any,
    ) -> PolicyPrediction:
        """Full confidence in the routed action, or all zeros to abstain; the new decision as an event."""
        settings = escalation_settings.current()
        latest = tracker.latest_action_name
        action: Optional[str] = None
        events: List[Event] = []
        failures = settings.unresolved.validation_failure_responses | settings.unresolved.fallback_responses
        if (latest == ACTION_LISTEN_NAME or (latest is not None and latest == tracker.active_loop_name)
                or latest in settings.unresolved.fallback_responses):
            # After the customer's message; after a form's turn; and right after the bot said it did not
            # understand (a failure is news: the second "please rephrase" in a row hands over then).
            turn = this_turn(tracker, failures)
            decision = turn["decision"]
            customer_just_spoke = latest == ACTION_LISTEN_NAME
            if not turn["decided"] or turn["rejected_since_decision"]:
                found = decide(read_history(event_dicts(list(tracker.events))), settings)
                decision = found.as_dict()
                events.append(SlotSet(SLOT, decision))
                if found.action != "none":
                    # reason and score only: the explanation quotes the customer's words
                    logger.info("escalation %s for %s: %s %.2f", found.action, tracker.sender_id, found.reason,
                                found.score)
                if not customer_just_spoke:
                    action = action_after_recheck(decision)
            if customer_just_spoke:
                action = next_action(decision, turn["intent"], turn["offer_pending"])
        elif latest in (OFFER_ACTION, DECLINED_ACTION, ESCALATE_ACTION):
            # The offer and the handoff end the bot's turn; after a decline too.
            action = ACTION_LISTEN_NAME
        probabilities = self._default_predictions(domain)
        if action is None or action not in domain.action_names_or_texts:
            return self._prediction(probabilities, events=events)
        probabilities[domain.index_for_action(action)] = 1.0
        # Marked like RulePolicy's form ("loop") predictions, which otherwise
        # overrule every other kind: with the higher priority, ours wins in a form.
        return self._prediction(probabilities, events=events, is_no_user_prediction=True)
