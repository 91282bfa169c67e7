"""Business hours, pure: is the desk open at an instant, when does it open next, and how many
open seconds lie between two instants (the clock SLA timers run on).

A ``Schedule`` is a time zone, opening periods per weekday (several a day) and closed dates
(public holidays, the year-end break). Times are Unix timestamps in, Unix timestamps out; the
time zone only decides which wall-clock periods they fall in. ``Schedule.always_open()`` is the
default when no desk file is given.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from handoff.vocabulary import opening_label  # the one home of what customers read

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_S = 86400
# How far ahead to look for an opening (a desk closed for longer is treated as never opening).
HORIZON_DAYS = 60


class ScheduleError(ValueError):
    """A schedule that cannot be read: an unknown weekday, a malformed period, an unknown zone."""


@dataclass(frozen=True)
class Period:
    """One opening period of a day, in minutes after midnight (``end`` may be 1440)."""

    start: int
    end: int

    @classmethod
    def parse(cls, text: str) -> Period:
        """``"09:00-12:30"``."""
        try:
            start, end = (part.strip() for part in text.split("-"))
            period = cls(_minutes(start), _minutes(end))
        except ValueError as e:
            raise ScheduleError(f"a period must look like 09:00-18:00, not {text!r}") from e
        if not 0 <= period.start < period.end <= 1440:
            raise ScheduleError(f"a period must start before it ends, within the day: {text!r}")
        return period

    def label(self) -> str:
        """``09:00-18:00``."""
        return f"{_clock(self.start)}-{_clock(self.end)}"


def _minutes(text: str) -> int:
    hours, minutes = text.split(":")
    if not (hours.isdigit() and minutes.isdigit() and len(minutes) == 2):
        raise ValueError(text)
    return int(hours) * 60 + int(minutes)


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


@dataclass(frozen=True)
class Schedule:
    """When the desk is staffed."""

    zone: str = "UTC"
    week: Mapping[int, tuple[Period, ...]] = field(default_factory=dict)  # weekday (0 = Monday) → periods
    closed_dates: frozenset[dt.date] = frozenset()
    all_hours: bool = False

    @classmethod
    def always_open(cls) -> Schedule:
        """Every hour of every day (the default without a desk file)."""
        return cls(all_hours=True)

    @classmethod
    def build(cls, zone: str, week: Mapping[str, Sequence[str]], closed_dates: Iterable[str | dt.date] = ()) -> Schedule:
        """From the desk file's shape: ``{"mon": ["09:00-12:00", "13:00-18:00"], ...}``, ISO dates."""
        try:
            ZoneInfo(zone)
        except Exception as e:  # ZoneInfoNotFoundError, ValueError for odd keys
            raise ScheduleError(f"unknown time zone {zone!r}") from e
        unknown = set(week) - set(WEEKDAYS)
        if unknown:
            raise ScheduleError(f"unknown weekday(s) {sorted(unknown)}: use {', '.join(WEEKDAYS)}")
        periods = {WEEKDAYS.index(day): tuple(sorted((Period.parse(p) for p in spans), key=lambda p: p.start))
                   for day, spans in week.items()}
        for spans in periods.values():
            if any(a.end > b.start for a, b in zip(spans, spans[1:])):
                raise ScheduleError("periods of one day must not overlap")
        try:
            dates = frozenset(d if isinstance(d, dt.date) else dt.date.fromisoformat(str(d)) for d in closed_dates)
        except ValueError as e:
            raise ScheduleError(f"closed dates must be YYYY-MM-DD: {e}") from e
        return cls(zone=zone, week=periods, closed_dates=dates)

    @property
    def tz(self) -> ZoneInfo:
        """The desk's time zone."""
        return ZoneInfo(self.zone)

    def is_open(self, at: float) -> bool:
        """Whether the desk is staffed at ``at``."""
        if self.all_hours:
            return True
        local = dt.datetime.fromtimestamp(at, self.tz)
        minute = local.hour * 60 + local.minute
        return any(p.start <= minute < p.end for p in self._periods(local.date()))

    def next_open(self, at: float) -> float | None:
        """The instant the desk next opens at or after ``at`` (``at`` itself when open); ``None`` if not
        within ``HORIZON_DAYS``."""
        if self.is_open(at):
            return at
        for start, _ in self._spans_from(at):
            if start >= at:
                return start
        return None

    def closes_at(self, at: float) -> float | None:
        """When the current opening period ends (``None`` when closed now, or for ``always_open``)."""
        if self.all_hours or not self.is_open(at):
            return None
        for start, end in self._spans_from(at):
            if start <= at < end:
                return end
        return None

    def open_seconds(self, start: float, end: float) -> float:
        """Seconds between ``start`` and ``end`` during which the desk was open."""
        if end <= start:
            return 0.0
        if self.all_hours:
            return end - start
        total = 0.0
        for span_start, span_end in self._spans_from(start, until=end):
            total += max(0.0, min(end, span_end) - max(start, span_start))
        return total

    def after_open_seconds(self, start: float, seconds: float) -> float | None:
        """The instant at which ``seconds`` of open time have passed since ``start`` (a deadline that
        pauses while the desk is closed); ``None`` if beyond the horizon."""
        if self.all_hours:
            return start + seconds
        left = seconds
        for span_start, span_end in self._spans_from(start):
            begin = max(start, span_start)
            if span_end <= begin:
                continue
            if begin + left <= span_end:
                return begin + left
            left -= span_end - begin
        return None

    def describe(self) -> dict[str, list[str]]:
        """The week as labels, for pages: ``{"mon": ["09:00-18:00"], ...}``."""
        return {WEEKDAYS[day]: [p.label() for p in self.week.get(day, ())] for day in range(7)}

    # --- internals ------------------------------------------------------------------------

    def _periods(self, day: dt.date) -> tuple[Period, ...]:
        if day in self.closed_dates:
            return ()
        return self.week.get(day.weekday(), ())

    def _spans_from(self, at: float, until: float | None = None) -> Iterable[tuple[float, float]]:
        """Opening spans (as timestamps) from the local day of ``at`` on, in order."""
        tz = self.tz
        first = dt.datetime.fromtimestamp(at, tz).date()
        for offset in range(HORIZON_DAYS + 1):
            day = first + dt.timedelta(days=offset)
            midnight = dt.datetime.combine(day, dt.time(), tz)
            if until is not None and midnight.timestamp() > until:
                return
            for period in self._periods(day):
                yield (_at(midnight, period.start), _at(midnight, period.end))


def _at(midnight: dt.datetime, minutes: int) -> float:
    """The timestamp ``minutes`` after a local midnight (wall-clock, so a DST day stays right)."""
    day = midnight.date() + dt.timedelta(days=minutes // 1440)
    wall = dt.datetime.combine(day, dt.time(minutes % 1440 // 60, minutes % 60), midnight.tzinfo)
    return wall.timestamp()


def desk_status(schedule: Schedule, at: float) -> dict[str, Any]:
    """What customers and the action server are told about the desk at ``at``: open or not, and when
    it next opens (with labels in both languages, from ``handoff.vocabulary``)."""
    opens_at = schedule.next_open(at)
    status: dict[str, Any] = {"open": schedule.is_open(at)}
    if not status["open"]:
        status["opens_at"] = opens_at
        status["opens"] = ({lang: opening_label(opens_at, schedule.zone, lang) for lang in ("en", "ja")}
                           if opens_at is not None else None)
    return status
