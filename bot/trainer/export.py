"""Turn logged conversations into a review batch: redacted, de-duplicated customer messages with
their predicted intents, agent replies as candidate responses, handed-off conversations as candidate stories."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Mapping, Sequence
from typing import Any

from bot.trainer.conversations import Filters, Line, lines
from bot.trainer.nludata import normalised
from bot.trainer.redact import ConversationRedactor


def _digest(prefix: str, text: str, size: int = 10) -> str:
    return f"{prefix}-{hashlib.sha1(text.encode('utf-8')).hexdigest()[:size]}"


def pseudonym(conversation_id: str, secret: bytes = b"") -> str:
    """An id for a conversation that does not reveal the original (a REST sender id may be an e-mail address).

    Keyed by the batch's secret, so it cannot be found by hashing guesses.
    """
    import hmac

    return "c-" + hmac.new(secret, conversation_id.encode("utf-8"), hashlib.sha256).hexdigest()[:10]


def build_batch(
    conversations: Sequence[tuple[str, Sequence[Mapping[str, Any]]]],
    existing: Mapping[str, set[str]],
    batch: str,
    filters: Filters | None = None,
    now: dt.datetime | None = None,
) -> dict[str, Any]:
    """The review file's content for ``conversations`` (already filtered).

    ``existing`` maps normalised training examples to their intents: messages
    already in the training data are left out, as are repeats within the batch.
    """
    secret = secrets.token_bytes(16)  # this batch's fakes: consistent within it, not reversible
    examples: list[dict[str, Any]] = []
    responses: list[dict[str, Any]] = []
    stories: list[dict[str, Any]] = []
    seen: set[str] = set(existing)
    seen_responses: set[str] = set()
    for conversation_id, events in conversations:
        # One redactor per conversation: a name given once is replaced in every later line (山田太郎, then 山田様).
        redact = ConversationRedactor(secret=secret)
        pseudo = pseudonym(conversation_id, secret)
        transcript = lines(events)
        last_customer: Line | None = None
        handed_off = any(line.who == "system" and line.text.startswith("handed to a person") for line in transcript)
        steps: list[dict[str, Any]] = []
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
