"""Who gets the next conversation: an available agent who speaks its language, the least busy with room (pure).

Language first: when any available agent speaks the conversation's language, only those
agents serve it (it waits for one of them rather than going to someone who cannot read
the customer); when none does, everyone available may. Among them the least busy agent
with room; at the same load an agent with fewer languages (the bilingual ones are kept for the
customers only they can serve); then whoever was assigned least recently, so work spreads evenly.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class AgentLoad:
    """An available agent's current load, capacity, languages and when they last got a conversation."""

    agent_id: str
    load: int
    capacity: int
    last_assigned: float = 0.0
    languages: frozenset[str] = frozenset({"en"})

    @property
    def has_room(self) -> bool:
        """Whether the agent can take one more conversation."""
        return self.load < self.capacity

    def speaks(self, language: str | None) -> bool:
        """Whether the agent serves customers in ``language`` (any agent, when it is not known)."""
        return not language or language in self.languages


def serving(loads: Iterable[AgentLoad], language: str | None) -> list[AgentLoad]:
    """The available agents who serve a conversation in ``language``: those who speak it, else everyone."""
    loads = list(loads)
    return [load for load in loads if load.speaks(language)] or loads


def pick_agent(loads: Iterable[AgentLoad], language: str | None = None) -> str | None:
    """The agent to assign a conversation in ``language`` to next, or ``None`` if those who would serve
    it are all full."""
    candidates = [load for load in serving(loads, language) if load.has_room]
    if not candidates:
        return None
    # At the same load, an agent with fewer languages first: a bilingual agent is kept for the
    # customers only they can serve.
    return min(candidates, key=lambda load: (load.load, len(load.languages), load.last_assigned,
                                             load.agent_id)).agent_id


def places(loads: Iterable[AgentLoad], languages: Sequence[str]) -> list[tuple[int, int]]:
    """For each waiting conversation in serving order (``languages``: theirs), the conversations that
    count ahead of it, itself included (those an agent who would serve it would also serve), and the
    available agents who would serve it: the two numbers its wait estimate is made of."""
    loads = list(loads)
    teams = [frozenset(load.agent_id for load in serving(loads, language)) for language in languages]
    return [(1 + sum(1 for earlier in teams[:i] if earlier & team), len(team)) for i, team in enumerate(teams)]
