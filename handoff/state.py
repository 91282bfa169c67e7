"""The conversation state machine: one transition function that refuses illegal moves."""

from __future__ import annotations

from enum import Enum

from handoff.errors import IllegalMove


class State(str, Enum):
    """Who owns a conversation."""

    BOT = "bot"  # the assistant answers
    QUEUED = "queued"  # handed off, waiting for an agent
    WITH_AGENT = "with_agent"  # a person answers; Rasa is paused
    CLOSED = "closed"  # ended by an agent, by leaving a message, or auto-resolved when nobody wrote


class Move(str, Enum):
    """What can happen to a conversation."""

    HANDOFF = "handoff"
    CLAIM = "claim"
    TRANSFER = "transfer"
    REQUEUE = "requeue"
    HAND_BACK = "hand_back"
    CLOSE = "close"
    LEAVE_MESSAGE = "leave_message"
    REOPEN = "reopen"
    AUTO_RESOLVE = "auto_resolve"  # nobody wrote for a while (handoff.idle)


_TRANSITIONS: dict[tuple[State, Move], State] = {
    (State.BOT, Move.HANDOFF): State.QUEUED,
    (State.CLOSED, Move.HANDOFF): State.QUEUED,
    (State.QUEUED, Move.CLAIM): State.WITH_AGENT,
    (State.QUEUED, Move.LEAVE_MESSAGE): State.CLOSED,
    (State.QUEUED, Move.HAND_BACK): State.BOT,  # the customer stops waiting
    (State.WITH_AGENT, Move.TRANSFER): State.WITH_AGENT,
    (State.WITH_AGENT, Move.REQUEUE): State.QUEUED,
    (State.WITH_AGENT, Move.HAND_BACK): State.BOT,
    (State.WITH_AGENT, Move.CLOSE): State.CLOSED,
    (State.CLOSED, Move.REOPEN): State.BOT,
    (State.BOT, Move.AUTO_RESOLVE): State.CLOSED,
    (State.WITH_AGENT, Move.AUTO_RESOLVE): State.CLOSED,
    (State.QUEUED, Move.AUTO_RESOLVE): State.CLOSED,  # abandoned in the queue for days
}


def transition(state: State, move: Move) -> State:
    """Return the state after ``move``.

    Raises:
        IllegalMove: ``move`` is not allowed from ``state``.
    """
    try:
        return _TRANSITIONS[(state, move)]
    except KeyError:
        raise IllegalMove(state.value, move.value) from None


def human_owned(state: State) -> bool:
    """Whether Rasa must stay silent (a person owns or will own the conversation)."""
    return state in (State.QUEUED, State.WITH_AGENT)


__all__ = ["IllegalMove", "Move", "State", "human_owned", "transition"]
