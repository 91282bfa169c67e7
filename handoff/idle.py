"""Auto-resolve, pure: what to do with a conversation nobody has written in for a while.

- With an agent, once it is the customer's turn (the agent wrote last) and the customer stays
  silent for ``warn_after_s``: a gentle "are you still there?"; ``close_after_s`` after that
  warning, with still no word from the customer, the conversation closes as ``auto_resolved``.
  A customer who writes again takes the warning back.
- With the assistant only, ``bot_idle_s`` after the last message of anyone: closed as
  ``auto_resolved`` too, so "open" counts mean something and the conversation's retention period
  starts. A customer who comes back reopens it (``Move.REOPEN``) and starts fresh.
- Waiting in the queue with nobody writing for ``queued_idle_s`` (3 days: longer than a closed weekend):
  closed as ``auto_resolved`` and taken out of the queue, so no conversation stays open forever (the
  wait has its own offer to leave a message long before, ``MAX_WAIT_S``).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from handoff.state import State

AUTO_RESOLVED = "auto_resolved"


class IdleAction(str, Enum):
    """What the sweep does with one conversation."""

    NONE = "none"
    WARN = "warn"
    CLOSE = "close"


@dataclass(frozen=True)
class IdlePolicy:
    """The desk's idle rules (seconds; 0 turns a rule off)."""

    warn_after_s: float = 10 * 60
    close_after_s: float = 5 * 60
    bot_idle_s: float = 60 * 60
    queued_idle_s: float = 3 * 24 * 3600

    @property
    def shortest_s(self) -> float:
        """The least idle time any rule acts on (what the sweep looks for)."""
        values = [v for v in (self.warn_after_s, self.bot_idle_s, self.queued_idle_s) if v > 0]
        return min(values) if values else 0.0


@dataclass(frozen=True)
class Activity:
    """When each side last wrote, and when the customer was last warned (timestamps; 0: never)."""

    state: State
    customer_at: float = 0.0
    agent_at: float = 0.0
    any_at: float = 0.0
    warned_at: float = 0.0


def decide(activity: Activity, now: float, policy: IdlePolicy) -> IdleAction:
    """What to do now with a conversation in this state of activity."""
    if activity.state is State.WITH_AGENT:
        return _with_agent(activity, now, policy)
    limit = {State.BOT: policy.bot_idle_s, State.QUEUED: policy.queued_idle_s}.get(activity.state, 0.0)
    if limit > 0 and activity.any_at:
        return IdleAction.CLOSE if now - activity.any_at >= limit else IdleAction.NONE
    return IdleAction.NONE


def _with_agent(activity: Activity, now: float, policy: IdlePolicy) -> IdleAction:
    if policy.warn_after_s <= 0 or activity.agent_at <= activity.customer_at:
        return IdleAction.NONE  # the agent's turn (or the rule is off): the customer is not the one silent
    if activity.warned_at > activity.customer_at:  # warned since the customer last wrote
        return IdleAction.CLOSE if now - activity.warned_at >= policy.close_after_s else IdleAction.NONE
    return IdleAction.WARN if now - activity.agent_at >= policy.warn_after_s else IdleAction.NONE
