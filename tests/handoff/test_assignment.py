"""Choosing the agent for the next conversation (pure)."""

from __future__ import annotations

from handoff.assignment import AgentLoad, pick_agent, places, serving


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


EN, JA, BOTH = frozenset({"en"}), frozenset({"ja"}), frozenset({"en", "ja"})


def test_a_conversation_goes_to_an_agent_who_speaks_its_language_even_a_busier_one() -> None:
    loads = [AgentLoad("alice", 0, 3, languages=EN), AgentLoad("yuki", 2, 3, languages=BOTH)]
    assert pick_agent(loads, "ja") == "yuki"
    assert pick_agent(loads, "en") == "alice"  # the least busy of those who speak English
    assert pick_agent(loads) == "alice"  # language not known: anyone


def test_it_waits_for_its_languages_agents_when_they_are_full_and_goes_to_anyone_when_none_is_there() -> None:
    full_japanese = [AgentLoad("alice", 0, 3, languages=EN), AgentLoad("yuki", 3, 3, languages=JA)]
    assert pick_agent(full_japanese, "ja") is None  # not to someone who cannot read the customer
    assert pick_agent([AgentLoad("alice", 1, 3, languages=EN)], "ja") == "alice"  # nobody speaks it: overflow


def test_the_agents_who_would_serve_a_language_are_those_the_wait_estimate_counts() -> None:
    loads = [AgentLoad("alice", 0, 3, languages=EN), AgentLoad("bob", 0, 2, languages=EN),
             AgentLoad("yuki", 3, 3, languages=BOTH)]
    assert [a.agent_id for a in serving(loads, "ja")] == ["yuki"]
    assert [a.agent_id for a in serving(loads, "en")] == ["alice", "bob", "yuki"]
    assert [a.agent_id for a in serving(loads[:2], "ja")] == ["alice", "bob"]
    assert serving([], "ja") == []


def test_at_the_same_load_the_agent_with_fewer_languages_takes_the_common_one() -> None:
    loads = [AgentLoad("yuki", 0, 3, languages=BOTH), AgentLoad("alice", 0, 3, languages=EN)]
    assert pick_agent(loads, "en") == "alice"  # Yuki is kept for the Japanese customers
    assert pick_agent(loads, "ja") == "yuki"


def test_the_wait_counts_only_the_conversations_the_same_agents_would_serve() -> None:
    loads = [AgentLoad("alice", 0, 3, languages=EN), AgentLoad("bob", 0, 3, languages=EN),
             AgentLoad("yuki", 3, 3, languages=JA)]
    # Five English customers, then a Japanese one: Yuki alone serves her, none of the English ones.
    counted = places(loads, ["en"] * 5 + ["ja"])
    assert counted[-1] == (1, 1)
    assert counted[:5] == [(1, 2), (2, 2), (3, 2), (4, 2), (5, 2)]
    # Nobody available speaks Japanese: she is served by everyone, behind everyone.
    assert places(loads[:2], ["en", "en", "ja"])[-1] == (3, 2)
