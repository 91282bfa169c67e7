"""The settings file a support manager edits."""

from __future__ import annotations

import os

import pytest

from escalation import settings as escalation_settings
from escalation.settings import DEFAULT_PATH, SettingsError, current, from_mapping, load


def test_the_shipped_file_loads():
    s = load()
    assert 0 < s.offer_threshold <= s.handoff_threshold <= 1
    assert set(s.weights) == set(escalation_settings.REASONS)


@pytest.mark.parametrize("change, message", [
    (lambda raw: raw["thresholds"].update(offer=0.9, handoff=0.5), "offer must not be above"),
    (lambda raw: raw["weights"].update(frustration=3), "weights.frustration must be between 0 and 1"),
    (lambda raw: raw["weights"].pop("sensitive"), "missing 'sensitive'"),
    (lambda raw: raw.update(reason_order=["sensitive"]), "reason_order must list"),
    (lambda raw: raw["unresolved"].update(consecutive_fallbacks={"partial": 3, "full": 2, "partial_score": 0.2}),
     "partial <= full"),
])
def test_a_wrong_value_is_refused_with_what_is_wrong(change, message):
    import yaml

    raw = yaml.safe_load(DEFAULT_PATH.read_text())
    change(raw)
    with pytest.raises(SettingsError, match=message):
        from_mapping(raw)


def test_edits_apply_without_a_restart_and_a_broken_edit_keeps_the_last_good_settings(tmp_path, monkeypatch):
    path = tmp_path / "escalation.yml"
    original = DEFAULT_PATH.read_text()
    path.write_text(original)
    monkeypatch.setenv("ESCALATION_CONFIG", str(path))
    assert current().handoff_threshold == 0.70
    path.write_text(original.replace("handoff: 0.70", "handoff: 0.95"))
    os.utime(path, (1, 1))
    assert current().handoff_threshold == 0.95
    path.write_text("thresholds: [broken")
    os.utime(path, (2, 2))
    assert current().handoff_threshold == 0.95


def test_an_unreadable_file_says_so(tmp_path):
    with pytest.raises(SettingsError, match="cannot read"):
        load(tmp_path / "missing.yml")
