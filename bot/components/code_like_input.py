"""Treat text that looks like code or an attack (SQL, markup, templates) as out of scope.

Intent classifiers are trained on what customers say; a string such as
``'; DROP TABLE orders; --`` is far from all of it, yet the classifier must
pick some intent, and it may pick one with high confidence (a common question
about *orders*, say). This component runs after the classifiers and turns
such messages into ``out_of_scope``, so the assistant answers them the way it
answers anything it cannot help with, and forms refuse them as answers.
"""

from __future__ import annotations

import re
from typing import Any, Dict, List, Optional

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

OUT_OF_SCOPE = "out_of_scope"

_PATTERNS = [
    re.compile(r"(?i)\b(select|insert|update|delete|drop|union|exec|alter|truncate)\b[^.?!]{0,60}"
               r"\b(from|into|table|set|select|database|xp_\w+|where)\b"),
    re.compile(r"(?i)['\"]\s*(or|and)\s+['\"]?\w+['\"]?\s*=\s*['\"]?\w+"),  # ' OR '1'='1
    re.compile(r";\s*--|--\s*$|/\*.*\*/"),  # statement ends and SQL comments
    re.compile(r"<\s*/?\s*[a-zA-Z][\w-]*(\s[^<>]*)?>"),  # markup tags
    re.compile(r"\{\{.*\}\}|\$\{.*\}|<%.*%>"),  # template expressions
    re.compile(r"(\.\./){2,}|\b(etc/passwd|cmd\.exe|/bin/sh)\b"),  # paths and shells
]


def looks_like_code(text: Optional[str]) -> bool:
    """Whether ``text`` looks like code or an injection attempt rather than a customer's words."""
    return bool(text) and any(p.search(text) for p in _PATTERNS)  # type: ignore[arg-type]


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class CodeLikeInputClassifier(GraphComponent):
    """Overrides the intent of code-like messages with ``out_of_scope`` (confidence 1.0)."""

    @classmethod
    def create(
        cls, config: Dict[str, Any], model_storage: ModelStorage, resource: Resource,
        execution_context: ExecutionContext,
    ) -> CodeLikeInputClassifier:
        return cls()

    def process(self, messages: List[Message]) -> List[Message]:
        """Mark code-like messages as out of scope."""
        for message in messages:
            if looks_like_code(message.get(TEXT)):
                intent = {"name": OUT_OF_SCOPE, "confidence": 1.0}
                message.set(INTENT, intent, add_to_output=True)
                message.set(INTENT_RANKING_KEY, [intent], add_to_output=True)
        return messages
