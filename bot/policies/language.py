"""The conversation's language, chosen in the Rasa server's process on every customer message.

After each customer message this policy sets the ``language`` slot (as an event of its
prediction: Rasa applies every policy's events before the next action runs, whichever
policy wins) by ``bot.language.choice.answer_language``: the language the message is
written in, else the widget's ``customData.language`` (the message's metadata, which the
bridge forwards), else the conversation's so far. The slot picks each response's Japanese
or English variation in ``domain.yml``. It predicts no action.

Why a policy and not ``action_validate_slot_mappings`` (a custom action Rasa runs after
every message): measured side by side (bench/bridge.py), that action call made every turn
~50 ms slower at one conversation and cut throughput by a third at 50 (Rasa 3.6 validates
each action-server response against a JSON schema it rebuilds per call); in process the
choice takes microseconds.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional

from rasa.core.policies.policy import Policy, PolicyPrediction, SupportedData
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import Event, SlotSet
from rasa.shared.core.generator import TrackerWithCachedStates
from rasa.shared.core.trackers import DialogueStateTracker

from bot.language.choice import answer_language

SLOT = "language"


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=False
)
class LanguagePolicy(Policy):
    """Keeps the ``language`` slot up to date; never predicts an action."""

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        """The lowest priority: it abstains anyway."""
        return {"priority": 0}

    @staticmethod
    def supported_data() -> SupportedData:
        """It learns nothing from data."""
        return SupportedData.ML_DATA

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
        """All zeros (it abstains); the new language as an event when the customer's message changes it."""
        events: List[Event] = []
        message = tracker.latest_message
        if tracker.latest_action_name == ACTION_LISTEN_NAME and message is not None and SLOT in tracker.slots:
            current = tracker.get_slot(SLOT)
            metadata = message.metadata if isinstance(message.metadata, dict) else {}
            language = answer_language(message.text or "", metadata.get("language"), current)
            if language != current:
                events.append(SlotSet(SLOT, language))
        return self._prediction(self._default_predictions(domain), events=events)
