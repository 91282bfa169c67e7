"""Service-level targets, pure: how long a customer may wait for a person, by the handoff's reason.

Three timers run on a conversation a person owns or will own:

- ``first_response``: from the handoff until an agent's first message;
- ``next_response``: from a customer message an agent has not answered yet until they do;
- ``resolution``: from the handoff until the conversation is closed (or handed back).

Targets are minutes of *open desk time* (``handoff.schedule``): a timer started at 17:55 with a
10-minute target is due at 09:05 the next working day. Each reason maps to a priority, each
priority has its targets (a legal threat or fraud, ``sensitive``, is ``urgent``; a password
question is ``normal``). A timer is ``ok``, ``amber`` once ``amber_share`` of its target has passed,
``breached`` at its deadline, or ``met`` / ``missed`` once stopped.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from handoff.schedule import Schedule

KINDS = ("first_response", "next_response", "resolution")


@dataclass(frozen=True)
class Targets:
    """Minutes of open time allowed for each timer."""

    first_response: float
    next_response: float
    resolution: float

    def of(self, kind: str) -> float:
        """The target of ``kind``, in seconds."""
        return float(getattr(self, kind)) * 60


DEFAULT_PRIORITIES: Mapping[str, Targets] = {
    "urgent": Targets(first_response=2, next_response=3, resolution=30),
    "high": Targets(first_response=5, next_response=5, resolution=60),
    "normal": Targets(first_response=10, next_response=10, resolution=240),
}
DEFAULT_REASONS: Mapping[str, str] = {"sensitive": "urgent", "frustration": "high", "unresolved": "normal",
                                      "explicit_request": "normal"}


@dataclass(frozen=True)
class SlaPolicy:
    """Targets by priority, priorities by reason."""

    priorities: Mapping[str, Targets] = field(default_factory=lambda: dict(DEFAULT_PRIORITIES))
    reasons: Mapping[str, str] = field(default_factory=lambda: dict(DEFAULT_REASONS))
    default_priority: str = "normal"
    amber_share: float = 0.75

    def priority_of(self, reason: str | None) -> str:
        """The priority a handoff reason is served at."""
        return self.reasons.get(reason or "", self.default_priority)

    def targets_for(self, reason: str | None) -> Targets:
        """The targets of a handoff reason."""
        return self.priorities.get(self.priority_of(reason)) or self.priorities[self.default_priority]


@dataclass(frozen=True)
class Timer:
    """One running or stopped timer."""

    kind: str
    started_at: float
    target_s: float
    due_at: float | None  # None: not within the schedule's horizon
    amber_at: float | None
    stopped_at: float | None = None

    def state(self, now: float) -> str:
        """``ok``, ``amber``, ``breached``; once stopped ``met`` or ``missed``."""
        if self.stopped_at is not None:
            return "met" if self.due_at is None or self.stopped_at <= self.due_at else "missed"
        if self.due_at is not None and now >= self.due_at:
            return "breached"
        if self.amber_at is not None and now >= self.amber_at:
            return "amber"
        return "ok"

    def as_dict(self, now: float) -> dict[str, Any]:
        """For the console: it counts down to ``due_at`` and colours by ``amber_at`` itself."""
        return {"kind": self.kind, "started_at": self.started_at, "target_s": self.target_s,
                "due_at": self.due_at, "amber_at": self.amber_at, "stopped_at": self.stopped_at,
                "state": self.state(now)}


def timer(kind: str, started_at: float, reason: str | None, policy: SlaPolicy, schedule: Schedule,
          stopped_at: float | None = None) -> Timer:
    """A timer of ``kind`` started at ``started_at`` for a handoff of ``reason``."""
    target = policy.targets_for(reason).of(kind)
    return Timer(kind=kind, started_at=started_at, target_s=target,
                 due_at=schedule.after_open_seconds(started_at, target),
                 amber_at=schedule.after_open_seconds(started_at, target * policy.amber_share),
                 stopped_at=stopped_at)


def timers(fields: Mapping[str, str | None], policy: SlaPolicy, schedule: Schedule) -> list[Timer]:
    """The timers of a conversation from its stored fields (``state``, ``reason``, ``queued_at``,
    ``first_response_at``, ``last_customer_at``, ``last_agent_at``, ``closed_at``): those that apply
    to its current handoff."""
    state, reason = fields.get("state"), fields.get("reason")
    queued_at = _number(fields.get("queued_at"))
    if not queued_at or state not in ("queued", "with_agent"):
        return []
    first = _number(fields.get("first_response_at"))
    found = [timer("first_response", queued_at, reason, policy, schedule, stopped_at=first or None),
             timer("resolution", queued_at, reason, policy, schedule)]
    customer_at, agent_at = _number(fields.get("last_customer_at")), _number(fields.get("last_agent_at"))
    if state == "with_agent" and first and customer_at > max(agent_at, first):
        found.insert(1, timer("next_response", customer_at, reason, policy, schedule))
    return found


def _number(value: object) -> float:
    try:
        return float(value or 0)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return 0.0


def policy_from(raw: Mapping[str, Any]) -> SlaPolicy:
    """An ``SlaPolicy`` from the desk file's ``[sla]`` table (missing parts keep their defaults)."""
    base = SlaPolicy()
    priorities = dict(base.priorities)
    for name, values in (raw.get("priorities") or {}).items():
        if not isinstance(values, Mapping):
            raise ValueError(f"sla.priorities.{name} must be a table of minutes")
        known = priorities.get(name) or priorities[base.default_priority]
        minutes = {kind: values.get(kind, getattr(known, kind)) for kind in KINDS}
        if any(not isinstance(v, int | float) or v <= 0 for v in minutes.values()):
            raise ValueError(f"sla.priorities.{name}: targets are minutes above 0")
        priorities[str(name)] = Targets(**{k: float(v) for k, v in minutes.items()})
    reasons = {**base.reasons, **{str(k): str(v) for k, v in (raw.get("reasons") or {}).items()}}
    unknown = sorted(set(reasons.values()) - set(priorities))
    if unknown:
        raise ValueError(f"sla.reasons name priorities that have no targets: {unknown}")
    amber = raw.get("amber_share", base.amber_share)
    if not isinstance(amber, int | float) or not 0 < amber < 1:
        raise ValueError("sla.amber_share must be between 0 and 1")
    return SlaPolicy(priorities=priorities, reasons=reasons, amber_share=float(amber))
