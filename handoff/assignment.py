"""Who gets the next conversation: the least busy available agent with room (pure).

Ties go to whoever was assigned least recently, so work spreads evenly.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class AgentLoad:
    """An available agent's current load, capacity and when they last got a conversation."""

    agent_id: str
    load: int
    capacity: int
    last_assigned: float = 0.0

    @property
    def has_room(self) -> bool:
        """Whether the agent can take one more conversation."""
        return self.load < self.capacity


def pick_agent(loads: Iterable[AgentLoad]) -> str | None:
    """The agent to assign next, or ``None`` if every available agent is full."""
    candidates = [load for load in loads if load.has_room]
    if not candidates:
        return None
    return min(candidates, key=lambda load: (load.load, load.last_assigned, load.agent_id)).agent_id
