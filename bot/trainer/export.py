"""Turn logged conversations into a review batch: redacted, de-duplicated customer messages with
their predicted intents, agent replies as candidate responses, handed-off conversations as candidate stories."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any, Dict, List, Mapping, Optional, Sequence, Set, Tuple

from bot.trainer.conversations import Filters, Line, lines
from bot.trainer.nludata import normalised
from bot.trainer.redact import redact as redact_text


def _digest(prefix: str, text: str, size: int = 10) -> str:
    return f"{prefix}-{hashlib.sha1(text.encode('utf-8')).hexdigest()[:size]}"


def pseudonym(conversation_id: str, secret: bytes = b"") -> str:
    """An id for a conversation that does not reveal the original (a REST sender id may be an e-mail address).

    Keyed by the batch's secret, so it cannot be found by hashing guesses.
    """
    import hmac

    return "c-" + hmac.new(secret, conversation_id.encode("utf-8"), hashlib.sha256).hexdigest()[:10]


def build_batch(
    conversations: Sequence[Tuple[str, Sequence[Mapping[str, Any]]]],
    existing: Mapping[str, Set[str]],
    batch: str,
    filters: Optional[Filters] = None,
    now: Optional[dt.datetime] = None,
) -> Dict[str, Any]:
    """The review file's content for ``conversations`` (already filtered).

    ``existing`` maps normalised training examples to their intents: messages
    already in the training data are left out, as are repeats within the batch.
    """
    secret = secrets.token_bytes(16)  # this batch's fakes: consistent within it, not reversible

    def redact(text: str):  # type: ignore[no-untyped-def]
        return redact_text(text, secret=secret)

    examples: List[Dict[str, Any]] = []
    responses: List[Dict[str, Any]] = []
    stories: List[Dict[str, Any]] = []
    seen: Set[str] = set(existing)
    seen_responses: Set[str] = set()
    for conversation_id, events in conversations:
        pseudo = pseudonym(conversation_id, secret)
        transcript = lines(events)
        last_customer: Optional[Line] = None
        handed_off = any(line.who == "system" and line.text.startswith("handed to a person") for line in transcript)
        steps: List[Dict[str, Any]] = []
        for line in transcript:
            if line.who == "customer":
                if line.text.startswith("/"):
                    continue  # a button's payload, not the customer's words
                redacted = redact(line.text)
                key = normalised(redacted.text)
                if key and key not in seen:
                    seen.add(key)
                    examples.append({
                        "id": _digest("e", key),
                        "text": redacted.annotated(),
                        "predicted": {"intent": line.intent or None,
                                      "confidence": None if line.confidence is None else round(line.confidence, 3)},
                        "conversation": pseudo,
                        "status": "pending",
                        "label": None,
                    })
                last_customer = line
                steps.append({"customer": redacted.annotated(), "intent": line.intent or None})
            elif line.who == "agent":
                text = redact(line.text).text
                if normalised(text) not in seen_responses:
                    seen_responses.add(normalised(text))
                    responses.append({
                        "id": _digest("r", f"{pseudo}:{text}"),
                        "text": text,
                        "agent": line.agent,
                        "after": redact(last_customer.text).text if last_customer else "",
                        "conversation": pseudo,
                        "status": "pending",
                    })
                steps.append({"agent": text})
            elif line.who == "bot":
                steps.append({"bot": redact(line.text).text})
            else:
                steps.append({"note": line.text})
        if handed_off:
            reasons = [s["note"] for s in steps if "note" in s and s["note"].startswith("escalation handoff")]
            stories.append({"id": _digest("s", pseudo, 8), "conversation": pseudo,
                            "reason": reasons[-1] if reasons else "", "steps": steps})
    return {
        "version": 1,
        "batch": batch,
        "created": (now or dt.datetime.now(dt.timezone.utc)).isoformat(timespec="seconds"),
        "filters": (filters or Filters()).as_dict(),
        "examples": examples,
        "responses": responses,
        "stories": stories,
    }
