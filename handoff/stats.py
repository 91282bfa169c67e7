"""The supervisor's figures: counters per day and hour in Redis, summarised by a pure function.

Counters (``handoff.keys.stats_day``), each also per hour as ``name@HH``:
``conversations`` (started), ``handed_off`` (conversations handed over at
least once), ``handoffs`` and ``handoff:<reason>``, ``claimed`` with
``wait_s`` (queued → claimed), ``first_responses`` with ``first_response_s``
(queued → the first agent message), ``closed``, ``ratings`` with
``rating_sum``, ``auto_resolved``; service-level targets (``handoff.sla_watch``):
``sla:<kind>:<met|missed>`` with ``sla:<kind>:reason=<r>:...`` and ``sla:<kind>:agent=<id>:...``,
and ``sla_breach:<kind>``. Each is also kept per customer language as ``<language>|name``
(``ja|handoffs@14``): the supervisor's figures split by language (``for_language``);
a conversation is counted in its language when its customer first writes.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from typing import Any

from redis.asyncio import Redis
from redis.exceptions import RedisError

from handoff import keys

logger = logging.getLogger(__name__)

RETENTION_S = 90 * 24 * 3600


def day_and_hour(ts: float) -> tuple[str, int]:
    """``("YYYY-MM-DD", HH)`` of a timestamp in the server's local time."""
    local = time.localtime(ts)
    return time.strftime("%Y-%m-%d", local), local.tm_hour


class Stats:
    """Writes the counters (one pipeline per event; failures are the caller's to log)."""

    def __init__(self, redis: Redis) -> None:
        self.redis = redis

    async def add(self, amounts: Mapping[str, float], ts: float | None = None, language: str | None = None,
                  overall: bool = True) -> None:
        """Add ``amounts`` to today's counters and to this hour's, overall (unless not ``overall``) and
        for the customer's ``language`` when given."""
        day, hour = day_and_hour(time.time() if ts is None else ts)
        key = keys.stats_day(day)
        prefixes = ([""] if overall else []) + ([f"{language}|"] if language else [])
        async with self.redis.pipeline(transaction=False) as pipe:
            for name, amount in amounts.items():
                for field in (f"{prefix}{name}{suffix}" for prefix in prefixes for suffix in ("", f"@{hour:02d}")):
                    # Counts are ints, durations floats: a field never changes kind (HINCRBY on a
                    # field holding "12.5" fails).
                    if isinstance(amount, int):
                        pipe.hincrby(key, field, amount)
                    else:
                        pipe.hincrbyfloat(key, field, float(amount))
            pipe.expire(key, RETENTION_S)
            await pipe.execute()

    async def count(self, amounts: Mapping[str, float], language: str | None = None, overall: bool = True) -> None:
        """``add``, for callers whose own operation must go on when the figures cannot be written."""
        try:
            await self.add(amounts, language=language, overall=overall)
        except RedisError as e:
            logger.warning("could not update the figures %s: %s", sorted(amounts), e)

    async def day(self, day: str) -> dict[str, str]:
        """The raw counters of one day."""
        return {str(k): str(v) for k, v in (await self.redis.hgetall(keys.stats_day(day))).items()}


def _number(raw: Mapping[str, Any], name: str) -> float:
    try:
        return float(raw.get(name) or 0)
    except (TypeError, ValueError):
        return 0.0


def _mean(raw: Mapping[str, Any], total: str, count: str) -> float | None:
    n = _number(raw, count)
    return round(_number(raw, total) / n, 1) if n else None


def for_language(raw: Mapping[str, Any], language: str | None) -> dict[str, Any]:
    """The counters of one customer language, named as the overall ones (all of them for ``None``) (pure)."""
    if not language:
        return {name: value for name, value in raw.items() if "|" not in name}
    prefix = f"{language}|"
    return {name[len(prefix):]: value for name, value in raw.items() if name.startswith(prefix)}


def summarise(raw: Mapping[str, Any], day: str) -> dict[str, Any]:
    """The day's figures and its 24 hours, from the raw counters (pure)."""
    conversations = int(_number(raw, "conversations"))
    handed_off = int(_number(raw, "handed_off"))
    reasons = {field.split(":", 1)[1]: int(_number(raw, field)) for field in raw
               if field.startswith("handoff:") and "@" not in field}
    ratings = int(_number(raw, "ratings"))
    today = {
        "date": day,
        "conversations": conversations,
        "handed_off": handed_off,
        # The share of conversations the assistant finished without a person.
        "containment": round(1 - min(handed_off, conversations) / conversations, 3) if conversations else None,
        "handoffs_by_reason": dict(sorted(reasons.items(), key=lambda item: -item[1])),
        "average_wait_s": _mean(raw, "wait_s", "claimed"),
        "first_response_s": _mean(raw, "first_response_s", "first_responses"),
        "satisfaction": {"average": round(_number(raw, "rating_sum") / ratings, 2) if ratings else None,
                         "count": ratings},
        "closed": int(_number(raw, "closed")),
        "auto_resolved": int(_number(raw, "auto_resolved")),
        "sla": sla_figures(raw),
    }
    hours: list[dict[str, Any]] = []
    for hour in range(24):
        suffix = f"@{hour:02d}"
        hour_raw = {name[:-3]: value for name, value in raw.items() if name.endswith(suffix)}
        rated = _number(hour_raw, "ratings")
        hours.append({
            "hour": hour,
            "conversations": int(_number(hour_raw, "conversations")),
            "handoffs": int(_number(hour_raw, "handoffs")),
            "average_wait_s": _mean(hour_raw, "wait_s", "claimed"),
            "first_response_s": _mean(hour_raw, "first_response_s", "first_responses"),
            "satisfaction": round(_number(hour_raw, "rating_sum") / rated, 2) if rated else None,
        })
    return {"today": today, "hours": hours}


SLA_KINDS = ("first_response", "next_response", "resolution")


def _share(met: float, missed: float) -> dict[str, Any]:
    total = met + missed
    return {"met": int(met), "missed": int(missed), "share": round(met / total, 3) if total else None}


def sla_figures(raw: Mapping[str, Any]) -> dict[str, Any]:
    """The day's share of timers stopped within their target, per kind, overall, by reason and by agent,
    and the breaches noticed while they ran (pure)."""
    figures: dict[str, Any] = {}
    for kind in SLA_KINDS:
        groups: dict[str, dict[str, dict[str, float]]] = {"reason": {}, "agent": {}}
        prefix = f"sla:{kind}:"
        for name in raw:
            if not name.startswith(prefix) or "@" in name:
                continue
            rest = name[len(prefix):]
            group, _, outcome = rest.rpartition(":")
            if outcome not in ("met", "missed") or "=" not in group:
                continue
            by, _, key = group.partition("=")
            if by in groups:
                groups[by].setdefault(key, {"met": 0.0, "missed": 0.0})[outcome] += _number(raw, name)
        figures[kind] = {**_share(_number(raw, f"{prefix}met"), _number(raw, f"{prefix}missed")),
                         "breaches": int(_number(raw, f"sla_breach:{kind}")),
                         "by_reason": {k: _share(v["met"], v["missed"]) for k, v in sorted(groups["reason"].items())},
                         "by_agent": {k: _share(v["met"], v["missed"]) for k, v in sorted(groups["agent"].items())}}
    return figures
