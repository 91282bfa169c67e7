"""The support manager's file (``desk.toml``): business hours, idle rules and service-level targets,
read once at start.

    DESK_FILE=desk.toml python -m handoff

Without a file the desk is always open and the idle rules and targets are their defaults
(``IdlePolicy``, ``SlaPolicy``). A file
that cannot be read stops the bridge with the reason (a desk that silently ignored its hours
would promise customers a person at midnight).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from handoff.idle import IdlePolicy
from handoff.schedule import Schedule, ScheduleError
from handoff.sla import SlaPolicy, policy_from


class DeskFileError(ValueError):
    """The desk file is missing, not TOML, or says something impossible."""


@dataclass(frozen=True)
class DeskPolicy:
    """The desk's hours, idle rules and targets."""

    schedule: Schedule = field(default_factory=Schedule.always_open)
    idle: IdlePolicy = field(default_factory=IdlePolicy)
    sla: SlaPolicy = field(default_factory=SlaPolicy)
    # A survey still unanswered this long after an agent closed the conversation gets a reminder by mail
    # (to an address the customer gave or proved); 0: none.
    survey_reminder_s: float = 3600.0


def load(path: Path | None) -> DeskPolicy:
    """Read ``path`` (``None``: the defaults)."""
    if path is None:
        return DeskPolicy()
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as e:
        raise DeskFileError(f"DESK_FILE {path} does not exist") from e
    except tomllib.TOMLDecodeError as e:
        raise DeskFileError(f"DESK_FILE {path} is not valid TOML: {e}") from e
    try:
        return DeskPolicy(schedule=_schedule(raw.get("hours")), idle=_idle(raw.get("auto_resolve") or {}),
                          sla=policy_from(raw.get("sla") or {}), survey_reminder_s=_reminder(raw.get("follow_up") or {}))
    except (ScheduleError, TypeError, ValueError) as e:
        raise DeskFileError(f"DESK_FILE {path}: {e}") from e


def _schedule(hours: Any) -> Schedule:
    if hours is None:
        return Schedule.always_open()
    if not isinstance(hours, dict):
        raise ScheduleError("[hours] must be a table")
    week = hours.get("week") or {}
    if not isinstance(week, dict) or not all(isinstance(v, list) for v in week.values()):
        raise ScheduleError("[hours.week] maps weekdays to lists of periods, e.g. mon = [\"09:00-18:00\"]")
    closed = [str(day) for day in hours.get("closed_dates") or []]
    return Schedule.build(str(hours.get("time_zone") or "UTC"), week, closed)


def _reminder(rules: dict[str, Any]) -> float:
    value = rules.get("survey_reminder_minutes", DeskPolicy.survey_reminder_s / 60)
    if not isinstance(value, int | float) or value < 0:
        raise ValueError("follow_up.survey_reminder_minutes must be a number of minutes (0 turns it off)")
    return float(value) * 60


def _idle(rules: dict[str, Any]) -> IdlePolicy:
    base = IdlePolicy()

    def minutes(name: str, default_s: float) -> float:
        value = rules.get(name)
        if value is None:
            return default_s
        if not isinstance(value, int | float) or value < 0:
            raise ValueError(f"auto_resolve.{name} must be a number of minutes (0 turns it off)")
        return float(value) * 60

    return IdlePolicy(warn_after_s=minutes("customer_silent_minutes", base.warn_after_s),
                      close_after_s=minutes("close_after_warning_minutes", base.close_after_s),
                      bot_idle_s=minutes("bot_idle_minutes", base.bot_idle_s),
                      queued_idle_s=minutes("queued_idle_minutes", base.queued_idle_s))


def main() -> None:
    """``python -m handoff.desk_policy [FILE]``: say whether the desk is open now, and until or from when."""
    import sys
    import time

    from handoff.schedule import desk_status
    from handoff.vocabulary import opening_label

    path = Path(sys.argv[1]) if len(sys.argv) > 1 and sys.argv[1] else None
    try:
        policy = load(path)
    except DeskFileError as e:
        sys.exit(str(e))
    now = time.time()
    status, closes = desk_status(policy.schedule, now), policy.schedule.closes_at(now)
    if policy.schedule.all_hours:
        print("always open (no hours set)")
    elif status["open"]:
        until = opening_label(closes, policy.schedule.zone) if closes else "the end of the day"
        print(f"open now, until {until}")
    else:
        opens = status.get("opens") or {}
        print(f"closed now; opens {opens.get('en', 'not within 60 days')} (requests for a person become messages)")


if __name__ == "__main__":
    main()
