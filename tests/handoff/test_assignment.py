"""Choosing the agent for the next conversation (pure)."""

from __future__ import annotations

from handoff.assignment import AgentLoad, pick_agent


def test_the_least_busy_agent_with_room_is_picked() -> None:
    loads = [AgentLoad("alice", 2, 3), AgentLoad("bob", 1, 3), AgentLoad("carol", 0, 0)]
    assert pick_agent(loads) == "bob"  # carol has no room at all


def test_ties_go_to_whoever_was_assigned_least_recently() -> None:
    loads = [AgentLoad("alice", 1, 3, last_assigned=200.0), AgentLoad("bob", 1, 3, last_assigned=100.0)]
    assert pick_agent(loads) == "bob"
    assert pick_agent([AgentLoad("b", 0, 1), AgentLoad("a", 0, 1)]) == "a"  # full tie: a stable order


def test_nobody_is_picked_when_everyone_is_full_or_nobody_is_available() -> None:
    assert pick_agent([AgentLoad("alice", 3, 3), AgentLoad("bob", 4, 3)]) is None
    assert pick_agent([]) is None
