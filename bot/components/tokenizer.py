"""Rasa tokenizer for messages in Japanese, English or both (see :mod:`bot.language.tokens`)."""

from __future__ import annotations

from typing import Any, Dict, List, Optional

from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.tokenizers.tokenizer import Token, Tokenizer
from rasa.shared.nlu.training_data.message import Message

from bot.language.tokens import MixedScriptSplitter


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=False)
class MixedScriptTokenizer(Tokenizer):
    """Normalizes, then splits Japanese runs with Janome and Latin runs by whitespace.

    Tokens carry the normalized word as ``text``, its dictionary form as
    ``lemma`` (the CountVectorsFeaturizer counts lemmas) and offsets into the
    text as the customer typed it, so entity annotations stay aligned.
    """

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        """Rasa's tokenizer options; intents are not split."""
        return {"intent_tokenization_flag": False, "intent_split_symbol": "_",
                "token_pattern": None, "prefix_separator_symbol": None}

    @staticmethod
    def supported_languages() -> Optional[List[str]]:
        """Japanese, English, and the mix of both."""
        return None

    @staticmethod
    def required_packages() -> List[str]:
        """Janome, with its dictionary inside the wheel."""
        return ["janome"]

    def __init__(self, config: Dict[str, Any]) -> None:
        """Create the tokenizer; the Janome dictionary loads on the first message."""
        super().__init__(config)
        self._splitter = MixedScriptSplitter()

    @classmethod
    def create(cls, config: Dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> MixedScriptTokenizer:
        """Build the tokenizer and load Janome's dictionary now rather than on the first message."""
        tokenizer = cls(config)
        tokenizer._splitter.split("準備")
        return tokenizer

    def tokenize(self, message: Message, attribute: str) -> List[Token]:
        """The message's words as Rasa tokens."""
        text = message.get(attribute) or ""
        tokens = [Token(word.text, word.start, end=word.end, lemma=word.lemma)
                  for word in self._splitter.split(text)]
        if not tokens and text.strip():
            # Only punctuation or symbols: one token, so every message has features.
            stripped = text.strip()
            start = text.index(stripped)
            tokens = [Token(stripped, start, end=start + len(stripped))]
        return self._apply_token_pattern(tokens)
