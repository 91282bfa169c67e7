"""Dense sentence features from a multilingual sentence encoder (:mod:`bot.language.encoder`).

DIET and the ResponseSelector combine them with the sparse word and character
n-gram features: the sparse ones carry the shop's own words and ids, the dense
ones carry meaning across phrasings and across languages (a Japanese and an
English sentence with the same meaning lie close together).
"""

from __future__ import annotations

from typing import Any, Dict, List

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.featurizers.dense_featurizer.dense_featurizer import DenseFeaturizer
from rasa.nlu.tokenizers.tokenizer import Tokenizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.language.encoder import build_encoder
from bot.language.normalize import normalize_text


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False)
class SentenceEncoderFeaturizer(DenseFeaturizer, GraphComponent):
    """Adds one sentence feature vector per message text (no sequence features)."""

    @classmethod
    def required_components(cls) -> List[type]:
        """Runs after a tokenizer, like every featurizer."""
        return [Tokenizer]

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        """The encoder's registry name, BLAS threads and batch size."""
        return {**DenseFeaturizer.get_default_config(), "encoder": "use-multilingual-v3",
                "threads": 1, "batch_size": 64}

    def __init__(self, config: Dict[str, Any], name: str) -> None:
        """Create the featurizer; the encoder loads on first use."""
        super().__init__(name, config)
        self._encoder = build_encoder(config["encoder"], threads=config["threads"],
                                      batch_size=config["batch_size"])

    @classmethod
    def create(cls, config: Dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> SentenceEncoderFeaturizer:
        """Build the featurizer and load the encoder now, so the first customer does not wait for it (~2 s)."""
        featurizer = cls(config, execution_context.node_name)
        featurizer._encoder.encode(["warm-up"])
        return featurizer

    @classmethod
    def validate_config(cls, config: Dict[str, Any]) -> None:
        """The encoder must be a known one."""
        build_encoder(config["encoder"])

    def _featurize(self, messages: List[Message]) -> None:
        with_text = [m for m in messages if isinstance(m.get(TEXT), str) and m.get(TEXT)]
        if not with_text:
            return
        vectors = self._encoder.encode([normalize_text(m.get(TEXT)) for m in with_text])
        for message, vector in zip(with_text, vectors):
            self.add_features_to_message(None, np.expand_dims(vector, 0), TEXT, message)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """Featurize every training example's text."""
        self._featurize(training_data.training_examples)
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        """Featurize incoming messages."""
        self._featurize(messages)
        return messages
