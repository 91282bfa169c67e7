"""The escalation settings a support manager edits: ``escalation.yml``."""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from escalation.reasons import REASONS

logger = logging.getLogger(__name__)
DEFAULT_PATH = Path(__file__).resolve().parents[1] / "escalation.yml"


class SettingsError(ValueError):
    """The settings file is missing something or holds a wrong value."""


@dataclass(frozen=True)
class Growth:
    """A count that scores ``partial_score`` from ``partial`` on and 1.0 from ``full`` on."""

    partial: int
    full: int
    partial_score: float

    def score(self, count: int) -> float:
        """The score of ``count`` occurrences."""
        if count >= self.full:
            return 1.0
        if count >= self.partial:
            return self.partial_score
        return 0.0


@dataclass(frozen=True)
class Unresolved:
    """How "going in circles" is recognised."""

    consecutive_fallbacks: Growth
    low_confidence_streak: Growth
    low_confidence_below: float
    same_intent_repeated: Growth
    validation_failures: Growth
    repeated_message: Growth
    repeated_similarity: float
    long_conversation: Growth
    fallback_intents: frozenset[str]
    fallback_responses: frozenset[str]
    validation_failure_responses: frozenset[str]
    goal_actions: frozenset[str]
    ignore_repeated_intents: frozenset[str]


@dataclass(frozen=True)
class Frustration:
    """How frustration is scored from single messages and their trend."""

    features: Mapping[str, float]
    complaint_intents: frozenset[str]
    decay: float
    window: int
    worsening_bonus: float


@dataclass(frozen=True)
class Settings:
    """Thresholds, weights and signal settings: see ``escalation.yml``."""

    handoff_threshold: float
    offer_threshold: float
    weights: Mapping[str, float]
    reason_order: tuple[str, ...]
    quiet_turns_after_decline: int
    turns_between_offers: int
    explicit_intents: frozenset[str]
    explicit_min_confidence: float
    sensitive_intents: frozenset[str]
    sensitive_min_confidence: float
    frustration: Frustration
    unresolved: Unresolved
    source: str = field(default="", compare=False)


def _growth(raw: Mapping[str, Any], name: str) -> Growth:
    try:
        growth = Growth(int(raw["partial"]), int(raw["full"]), float(raw["partial_score"]))
    except (KeyError, TypeError, ValueError) as e:
        raise SettingsError(f"unresolved.{name} needs partial, full and partial_score: {e}") from e
    if not 0 < growth.partial <= growth.full or not 0 <= growth.partial_score <= 1:
        raise SettingsError(f"unresolved.{name}: need 0 < partial <= full and 0 <= partial_score <= 1")
    return growth


def _fraction(value: Any, name: str) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError) as e:
        raise SettingsError(f"{name} must be a number between 0 and 1, not {value!r}") from e
    if not 0.0 <= number <= 1.0:
        raise SettingsError(f"{name} must be between 0 and 1, not {number}")
    return number


def from_mapping(raw: Mapping[str, Any], source: str = "") -> Settings:
    """Settings from the parsed YAML, checked; ``SettingsError`` says what is wrong."""
    try:
        thresholds, weights = raw["thresholds"], raw["weights"]
        frustration, unresolved = raw["frustration"], raw["unresolved"]
        handoff = _fraction(thresholds["handoff"], "thresholds.handoff")
        offer = _fraction(thresholds["offer"], "thresholds.offer")
        if offer > handoff:
            raise SettingsError("thresholds.offer must not be above thresholds.handoff")
        checked_weights = {reason: _fraction(weights[reason], f"weights.{reason}") for reason in REASONS}
        order = tuple(raw.get("reason_order") or REASONS)
        if sorted(order) != sorted(REASONS):
            raise SettingsError(f"reason_order must list each of {', '.join(REASONS)} once")
        features = {k: _fraction(v, f"frustration.features.{k}") for k, v in frustration["features"].items()}
        if int(frustration["window"]) < 1:
            raise SettingsError("frustration.window must be at least 1")
        low = unresolved["low_confidence_streak"]
        repeated = unresolved["repeated_message"]
        return Settings(
            handoff_threshold=handoff,
            offer_threshold=offer,
            weights=checked_weights,
            reason_order=order,
            quiet_turns_after_decline=int(raw.get("quiet_turns_after_decline", 4)),
            turns_between_offers=int(raw.get("turns_between_offers", 4)),
            explicit_intents=frozenset(raw["explicit_request"]["intents"]),
            explicit_min_confidence=_fraction(raw["explicit_request"]["min_confidence"],
                                              "explicit_request.min_confidence"),
            sensitive_intents=frozenset(raw["sensitive"]["intents"]),
            sensitive_min_confidence=_fraction(raw["sensitive"]["min_confidence"], "sensitive.min_confidence"),
            frustration=Frustration(
                features=features,
                complaint_intents=frozenset(frustration.get("complaint_intents") or ()),
                decay=_fraction(frustration["decay"], "frustration.decay"),
                window=int(frustration["window"]),
                worsening_bonus=_fraction(frustration["worsening_bonus"], "frustration.worsening_bonus"),
            ),
            unresolved=Unresolved(
                consecutive_fallbacks=_growth(unresolved["consecutive_fallbacks"], "consecutive_fallbacks"),
                low_confidence_streak=_growth(low, "low_confidence_streak"),
                low_confidence_below=_fraction(low["below"], "unresolved.low_confidence_streak.below"),
                same_intent_repeated=_growth(unresolved["same_intent_repeated"], "same_intent_repeated"),
                validation_failures=_growth(unresolved["validation_failures"], "validation_failures"),
                repeated_message=_growth(repeated, "repeated_message"),
                repeated_similarity=_fraction(repeated["similarity"], "unresolved.repeated_message.similarity"),
                long_conversation=_growth(unresolved["long_conversation"], "long_conversation"),
                fallback_intents=frozenset(unresolved.get("fallback_intents") or ()),
                fallback_responses=frozenset(unresolved.get("fallback_responses") or ()),
                validation_failure_responses=frozenset(unresolved.get("validation_failure_responses") or ()),
                goal_actions=frozenset(unresolved.get("goal_actions") or ()),
                ignore_repeated_intents=frozenset(unresolved.get("ignore_repeated_intents") or ()),
            ),
            source=source,
        )
    except KeyError as e:
        raise SettingsError(f"{source or 'escalation settings'}: missing {e}") from e
    except (TypeError, ValueError, AttributeError) as e:
        raise SettingsError(f"{source or 'escalation settings'}: wrong value or shape ({e})") from e


def load(path: Path | None = None) -> Settings:
    """Read and check the settings file (``ESCALATION_CONFIG`` or ``escalation.yml``)."""
    path = Path(path or os.environ.get("ESCALATION_CONFIG") or DEFAULT_PATH)
    try:
        raw: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as e:
        raise SettingsError(f"cannot read {path}: {e}") from e
    return from_mapping(raw, source=str(path))


_cache: dict[str, tuple[float, Settings]] = {}


def current() -> Settings:
    """The settings file, re-read when it changes, so a manager's edit applies without a restart.

    A broken edit is logged and the last good settings stay in force.
    """
    path = str(os.environ.get("ESCALATION_CONFIG") or DEFAULT_PATH)
    try:
        mtime = os.stat(path).st_mtime
    except OSError:
        mtime = -1.0
    cached = _cache.get(path)
    if cached and cached[0] == mtime:
        return cached[1]
    try:
        loaded = load(Path(path))
    except SettingsError:
        if cached:
            logger.exception("escalation settings not reloaded; keeping the previous ones")
            return cached[1]
        raise
    _cache[path] = (mtime, loaded)
    return loaded
