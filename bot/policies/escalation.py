"""Acts on the escalation check's decision, ahead of the other policies.

Every customer turn, ``action_check_escalation`` (a custom slot-mapping action
that Rasa runs after each message) stores its decision in the ``escalation``
slot. This policy reads it and predicts ``action_escalate`` (hand over) or
``action_offer_human`` (empathy and an offer), and handles the customer's
answer to an offer; otherwise it predicts nothing and the rules, memoization
and TED decide as usual. It needs no training and no model files, works in
any form or story without extra rules, and costs a scan of this turn's events.
When a form has just rejected the customer's answer, it runs the check once
more, so a form that keeps failing is noticed at the failure itself.
The routing itself is ``actions.escalation.routing.next_action`` (pure, shared
with the evaluation).
"""

from __future__ import annotations

from typing import Any, Dict, FrozenSet, List, Optional, Text

from rasa.core.policies.policy import Policy, PolicyPrediction, SupportedData
from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered
from rasa.shared.core.generator import TrackerWithCachedStates
from rasa.shared.core.trackers import DialogueStateTracker

from actions.escalation import settings as escalation_settings
from actions.escalation.routing import (
    CHECK_ACTION,
    DECLINED_ACTION,
    ESCALATE_ACTION,
    OFFER_ACTION,
    action_after_recheck,
    needs_recheck,
    next_action,
)

SLOT = "escalation"


def _this_turn(tracker: DialogueStateTracker, rejections: FrozenSet[str]) -> Dict[str, Any]:
    """This turn so far: the message's intent, the newest decision, whether an offer came right
    before the message, whether a form rejected the answer, and whether the check ran again since."""
    decision: Optional[Dict[str, Any]] = None
    previous_action: Optional[str] = None
    user_seen = rejected = checked_again = False
    for event in reversed(tracker.events):
        if not user_seen:
            if isinstance(event, SlotSet) and event.key == SLOT and decision is None:
                decision = event.value if isinstance(event.value, dict) else None
            elif isinstance(event, BotUttered) and (event.metadata or {}).get("utter_action") in rejections:
                rejected = True
            elif isinstance(event, ActionExecuted) and event.action_name == CHECK_ACTION:
                checked_again = True
            elif isinstance(event, UserUttered):
                user_seen = True
        elif isinstance(event, ActionExecuted) and event.action_name not in (ACTION_LISTEN_NAME, None):
            previous_action = event.action_name
            break
        elif isinstance(event, UserUttered):
            break
    intent = (tracker.latest_message.intent or {}).get("name") if tracker.latest_message else None
    return {"decision": decision, "intent": intent or "", "offer_pending": previous_action == OFFER_ACTION,
            "rejected": rejected, "checked_again": checked_again}


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=False
)
class EscalationPolicy(Policy):
    """Predicts handoffs and offers of a person from the escalation check's decision."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        """Above RulePolicy (6), so a decision to hand over wins even inside a form."""
        return {"priority": 7}

    @staticmethod
    def supported_data() -> SupportedData:
        """It learns nothing from data."""
        return SupportedData.ML_DATA

    def __init__(
        self,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        featurizer: Any = None,
    ) -> None:
        super().__init__(config, model_storage, resource, execution_context, featurizer)
        try:
            self._rejections = escalation_settings.load().unresolved.validation_failure_responses
        except escalation_settings.SettingsError:
            self._rejections = frozenset()

    def train(self, training_trackers: List[TrackerWithCachedStates], domain: Domain, **kwargs: Any) -> Resource:
        """Nothing to learn."""
        return self._resource

    def predict_action_probabilities(
        self,
        tracker: DialogueStateTracker,
        domain: Domain,
        rule_only_data: Optional[Dict[Text, Any]] = None,
        **kwargs: Any,
    ) -> PolicyPrediction:
        """Full confidence in the routed action, or all zeros to abstain."""
        probabilities = self._default_predictions(domain)
        latest = tracker.latest_action_name
        action: Optional[str] = None
        if latest == ACTION_LISTEN_NAME:
            turn = _this_turn(tracker, self._rejections)
            action = next_action(turn["decision"], turn["intent"], turn["offer_pending"])
        elif latest == CHECK_ACTION:
            action = action_after_recheck(_this_turn(tracker, self._rejections)["decision"])
        elif latest is not None and latest == (tracker.active_loop_name or ""):
            turn = _this_turn(tracker, self._rejections)
            if needs_recheck(turn["rejected"], turn["checked_again"]):
                action = CHECK_ACTION
        elif latest in (OFFER_ACTION, DECLINED_ACTION, ESCALATE_ACTION):
            # The offer and the handoff end the bot's turn; after a decline too.
            action = ACTION_LISTEN_NAME
        if action is None or action not in domain.action_names_or_texts:
            return self._prediction(probabilities)
        probabilities[domain.index_for_action(action)] = 1.0
        # Marked like RulePolicy's form ("loop") predictions, which otherwise
        # overrule every other kind: with the higher priority, ours wins in a form.
        return self._prediction(probabilities, is_no_user_prediction=True)
