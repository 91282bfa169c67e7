"""Who the customer has proved to be, and for how long: pure decisions over the tracker.

A customer proves who they are with the e-mail on file plus the number of one of
their orders (``actions.validation``). The proof is ``verified_customer_id``; it holds

- only in the session it was given in (the domain carries no slot into a new session),
- only while the customer keeps writing: a gap of more than ``ACTIONS_VERIFICATION_IDLE_MINUTES``
  (default 15) between two of their messages since the proof ends it,
- only when the tracker shows the proof being given (a slot with no event behind it is not one).

``ACTIONS_VERIFICATION_ATTEMPTS`` (default 3) failed proofs in a session end the chance to
try again in that session: guessing e-mail addresses against an order number stops there.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet

VERIFIED_SLOT = "verified_customer_id"
FAILURES_SLOT = "verification_failures"
# Slots that hold the proof; cleared together when it ends.
PROOF_SLOTS = (VERIFIED_SLOT, "verify_email")


def idle_limit_s() -> float:
    """Seconds of silence after which a proof of identity ends."""
    return float(os.environ.get("ACTIONS_VERIFICATION_IDLE_MINUTES", "15")) * 60


def attempts_allowed() -> int:
    """Failed proofs allowed in one session."""
    return int(os.environ.get("ACTIONS_VERIFICATION_ATTEMPTS", "3"))


def proof_holds(customer_id: Any, events: Sequence[dict[str, Any]], idle_s: float) -> bool:
    """Whether ``customer_id`` (the slot's value) is backed by the events and still fresh.

    The last event that set the slot to that value starts the proof; every customer message
    after it must follow the one before (or the proof) within ``idle_s``. Events without a
    timestamp are taken as on time.
    """
    if not customer_id:
        return False
    start = None
    for index in range(len(events) - 1, -1, -1):
        event = events[index]
        if event.get("event") == "session_started":
            return False  # the slot's value came from before this session
        if event.get("event") == "slot" and event.get("name") == VERIFIED_SLOT:
            if event.get("value") != customer_id:
                return False
            start = index
            break
    if start is None:
        return False
    last = events[start].get("timestamp")
    for event in events[start + 1:]:
        if event.get("event") != "user":
            continue
        stamp = event.get("timestamp")
        if last is not None and stamp is not None and stamp - last > idle_s:
            return False
        last = stamp if stamp is not None else last
    return True


def current_customer(tracker: Tracker) -> str | None:
    """The id of the customer this conversation has proved to be right now, if any."""
    value = tracker.get_slot(VERIFIED_SLOT)
    return str(value) if proof_holds(value, tracker.events, idle_limit_s()) else None


def expired_proof(tracker: Tracker) -> list[EventType]:
    """Events that clear a proof the slots still hold but that no longer counts (else none)."""
    if tracker.get_slot(VERIFIED_SLOT) and current_customer(tracker) is None:
        return [SlotSet(slot, None) for slot in PROOF_SLOTS]
    return []


def failures(tracker: Tracker) -> int:
    """Failed proofs so far in this session."""
    return int(tracker.get_slot(FAILURES_SLOT) or 0)


def locked_out(tracker: Tracker) -> bool:
    """Whether this session has used up its attempts (and has no proof)."""
    return current_customer(tracker) is None and failures(tracker) >= attempts_allowed()


def one_more_failure(tracker: Tracker) -> dict[str, Any]:
    """The slot value that counts one more failed proof."""
    return {FAILURES_SLOT: float(failures(tracker) + 1)}
