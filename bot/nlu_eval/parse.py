"""Run a trained model's NLU over examples, keeping what the thresholds need to be replayed."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

FALLBACK = "nlu_fallback"


@dataclass(frozen=True)
class Prediction:
    """What the model said about one message.

    ``label`` is the final intent (``faq/topic`` for FAQ answers, ``nlu_fallback``
    below the threshold); ``ranking`` is the classifier's own ranking without the
    fallback, so other thresholds can be replayed.
    """

    label: str
    confidence: float
    ranking: tuple[tuple[str, float], ...]
    faq_key: str
    entities: tuple[tuple[str, int, int, str], ...]


def prediction_from(result: dict[str, Any]) -> Prediction:
    """A :class:`Prediction` from a Rasa parse result."""
    intent = result.get("intent") or {}
    ranking = tuple((r["name"], float(r["confidence"])) for r in result.get("intent_ranking") or []
                    if r.get("name") != FALLBACK)
    faq = ((result.get("response_selector") or {}).get("faq") or {}).get("response") or {}
    faq_key = faq.get("intent_response_key") or ""
    name = intent.get("name") or FALLBACK
    label = faq_key if name == "faq" and faq_key else name
    entities = tuple((e["entity"], int(e["start"]), int(e["end"]), str(e.get("value")))
                     for e in result.get("entities") or [])
    return Prediction(label, float(intent.get("confidence") or 0.0), ranking, faq_key, entities)


def parse_all(model: Path, texts: Sequence[str]) -> list[Prediction]:
    """Load ``model`` once and parse every text with its NLU."""
    import logging

    import structlog
    from rasa.core.agent import Agent

    logging.getLogger("rasa").setLevel(logging.WARNING)
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING))

    async def run() -> list[Prediction]:
        agent = Agent.load(str(model))
        return [prediction_from(await agent.parse_message(text)) for text in texts]

    return asyncio.run(run())
