"""The conversation state machine."""

from __future__ import annotations

import pytest

from handoff.state import IllegalMove, Move, State, human_owned, transition


@pytest.mark.parametrize(
    "state, move, expected",
    [
        (State.BOT, Move.HANDOFF, State.QUEUED),
        (State.QUEUED, Move.CLAIM, State.WITH_AGENT),
        (State.WITH_AGENT, Move.HAND_BACK, State.BOT),
        (State.WITH_AGENT, Move.CLOSE, State.CLOSED),
        (State.WITH_AGENT, Move.REQUEUE, State.QUEUED),
        (State.WITH_AGENT, Move.TRANSFER, State.WITH_AGENT),
        (State.QUEUED, Move.LEAVE_MESSAGE, State.CLOSED),
        (State.CLOSED, Move.REOPEN, State.BOT),
        (State.CLOSED, Move.HANDOFF, State.QUEUED),
    ],
)
def test_legal_moves(state, move, expected):
    assert transition(state, move) is expected


@pytest.mark.parametrize(
    "state, move",
    [
        (State.BOT, Move.CLAIM),
        (State.BOT, Move.CLOSE),
        (State.QUEUED, Move.HANDOFF),
        (State.WITH_AGENT, Move.HANDOFF),
        (State.WITH_AGENT, Move.CLAIM),
        (State.CLOSED, Move.CLAIM),
        (State.BOT, Move.HAND_BACK),
    ],
)
def test_illegal_moves_are_refused(state, move):
    with pytest.raises(IllegalMove):
        transition(state, move)


def test_rasa_is_silent_only_while_a_person_owns_the_conversation():
    assert [s for s in State if human_owned(s)] == [State.QUEUED, State.WITH_AGENT]
