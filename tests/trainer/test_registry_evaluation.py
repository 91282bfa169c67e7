"""The model history, the promotion rule and the comparison report (pure, files in tmp_path)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.trainer.evaluation import regressions, report
from bot.trainer.registry import Entry, Registry, RegistryError, fingerprint

ROOT = Path(__file__).resolve().parents[2]
GOOD = {"intent_macro_f1": 0.95, "intent_accuracy": 0.96, "entity_macro_f1": 1.0, "faq_macro_f1": 0.94,
        "stories_correct": 15, "stories_total": 15, "escalation_f1": 0.9, "escalation_calm_false_handoffs": 0.0,
        "per_intent": {"greet": {"precision": 1.0, "recall": 1.0, "f1": 1.0, "support": 10},
                       "order_status": {"precision": 0.9, "recall": 0.8, "f1": 0.847, "support": 20}}}


def test_not_worse_within_tolerance_may_be_promoted():
    assert regressions({**GOOD, "intent_macro_f1": 0.947}, GOOD) == []
    worse = regressions({**GOOD, "intent_macro_f1": 0.90, "stories_correct": 14,
                         "escalation_calm_false_handoffs": 0.02}, GOOD)
    assert [w.split(":")[0] for w in worse] == ["intent_macro_f1", "stories_correct", "escalation_calm_false_handoffs"]


def test_the_report_shows_changes_per_intent_and_the_verdict(tmp_path):
    for name in ("old", "new"):
        (tmp_path / name / "rasa").mkdir(parents=True)
        (tmp_path / name / "rasa" / "intent_confusion_matrix.png").write_bytes(b"\x89PNG fake")
    candidate = {**GOOD, "per_intent": {**GOOD["per_intent"],
                                        "order_status": {"precision": 1.0, "recall": 0.9, "f1": 0.947, "support": 20}}}
    path = report(("new", candidate, tmp_path / "new"), ("old", GOOD, tmp_path / "old"), tmp_path / "cmp")
    text = path.read_text()
    assert "| order_status | 0.900 → 1.000 | 0.800 → 0.900 | 0.847 → 0.947 | +0.100 | 20 |" in text
    assert "Better: order_status. Worse: none." in text
    assert "may be promoted" in text
    assert (tmp_path / "cmp" / "confusion-old.png").exists() and "![confusion matrix of new](confusion-new.png)" in text
    worse = report(("new", {**GOOD, "entity_macro_f1": 0.5}, tmp_path / "new"), ("old", GOOD, tmp_path / "old"),
                   tmp_path / "cmp2").read_text()
    assert "promote only with --force" in worse and "entity_macro_f1: 1.0 → 0.5" in worse


def test_history_promote_and_rollback(tmp_path):
    (tmp_path / "candidates").mkdir()
    for name in ("base", "c1", "c2"):
        (tmp_path / ("candidates" if name != "base" else "") / f"{name}.tar.gz").write_bytes(name.encode())
    registry = Registry(tmp_path)
    registry.adopt_running(tmp_path / "base.tar.gz")
    for name in ("c1", "c2"):
        registry.add(Entry(name=name, path=f"candidates/{name}.tar.gz", fingerprint="f", trained_at="t"))
    registry.promote("c1", "not worse")
    registry.install(registry.get("c1"))
    registry.save()
    loaded = Registry.load(tmp_path)
    assert loaded.current == "c1" and loaded.get("base").status == "retired"
    assert max(tmp_path.glob("*.tar.gz"), key=lambda p: p.stat().st_mtime).name == "c1.tar.gz"
    assert loaded.latest_candidate().name == "c2"
    assert loaded.rollback_target(None).name == "base"
    loaded.promote("c2", "not worse")
    assert loaded.rollback_target(None).name == "c1"
    loaded.promote("c1", "rollback")
    assert loaded.rollback_target(None).name == "base"  # not back and forth between c1 and c2
    with pytest.raises(RegistryError, match="no model named 'nope'"):
        loaded.get("nope")
    with pytest.raises(RegistryError, match="already registered"):
        loaded.add(Entry(name="c1", path="x", fingerprint="f", trained_at="t"))
    assert json.loads((tmp_path / "registry.json").read_text())["current"] == "c1"


def test_the_fingerprint_follows_the_data(tmp_path):
    import shutil

    shutil.copytree(ROOT / "data", tmp_path / "data")
    before = fingerprint(tmp_path / "data", ROOT / "domain.yml", ROOT / "config.yml")
    assert before == fingerprint(tmp_path / "data", ROOT / "domain.yml", ROOT / "config.yml")
    (tmp_path / "data" / "nlu" / "reviewed.yml").write_text('version: "3.1"\nnlu: []\n')
    assert fingerprint(tmp_path / "data", ROOT / "domain.yml", ROOT / "config.yml") != before
