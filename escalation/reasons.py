"""Why a conversation goes to a person: the reason codes, and the reason of each intent that asks for one.

The one home of these codes for the Rasa side (decision, actions, evaluation)
and the handoff bridge: standard library only, Python 3.8 and later (the annotations
are not evaluated: ``from __future__ import annotations``).
"""

from __future__ import annotations

SENSITIVE = "sensitive"
EXPLICIT_REQUEST = "explicit_request"
FRUSTRATION = "frustration"
UNRESOLVED = "unresolved"
# Every reason, in the default order that breaks a tie between two signals
# (``reason_order`` in escalation.yml).
REASONS: tuple[str, ...] = (SENSITIVE, EXPLICIT_REQUEST, FRUSTRATION, UNRESOLVED)

# The reason of a handoff by the intent of the message that led to it, when no
# escalation decision gives one (a rule handed over, or the action server restarted).
REASON_BY_INTENT: dict[str, str] = {
    "request_human": EXPLICIT_REQUEST,
    "complaint": FRUSTRATION,
    "close_account": SENSITIVE,
}
# The reason when neither a decision nor the intent gives one.
DEFAULT_REASON = EXPLICIT_REQUEST


def reason_for_intent(intent: str | None) -> str:
    """The handoff reason for a message's intent (``DEFAULT_REASON`` for any other intent)."""
    return REASON_BY_INTENT.get(intent or "", DEFAULT_REASON)
