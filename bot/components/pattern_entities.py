"""Order numbers, e-mail addresses and phone numbers by pattern, in either language.

These entities have a fixed shape, so patterns (:mod:`bot.language.entities`)
find them more reliably than a trained extractor, inside Japanese sentences
and in full-width characters too, and give their canonical value
(``ＯＲＤ－１００１０１`` → ``ORD-100101``).
"""

from __future__ import annotations

from typing import Any, Dict, List

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import (
    ENTITIES,
    ENTITY_ATTRIBUTE_END,
    ENTITY_ATTRIBUTE_START,
    ENTITY_ATTRIBUTE_TYPE,
    ENTITY_ATTRIBUTE_VALUE,
    EXTRACTOR,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message

from bot.language.entities import find_entities


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False)
class PatternEntityExtractor(GraphComponent, EntityExtractorMixin):
    """Adds every order number, e-mail address and phone number with its canonical value."""

    @classmethod
    def create(cls, config: Dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> PatternEntityExtractor:
        """Build the extractor (it has no options)."""
        return cls()

    def process(self, messages: List[Message]) -> List[Message]:
        """Append the entities found in each message's text."""
        for message in messages:
            text = message.get(TEXT)
            if not isinstance(text, str) or not text:
                continue
            found = [{ENTITY_ATTRIBUTE_TYPE: f.entity, ENTITY_ATTRIBUTE_START: f.start,
                      ENTITY_ATTRIBUTE_END: f.end, ENTITY_ATTRIBUTE_VALUE: f.value,
                      EXTRACTOR: self.__class__.__name__}
                     for f in find_entities(text)]
            message.set(ENTITIES, message.get(ENTITIES, []) + found, add_to_output=True)
        return messages
