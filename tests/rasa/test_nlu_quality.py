"""NLU quality on the held-out test set in tests/nlu/ (never used for training)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Dict

import pytest

from tests.rasa.cli import REPORTS, ROOT, latest_model, rasa

pytestmark = pytest.mark.rasa

MIN_MACRO_F1 = 0.90
OUT = REPORTS / "nlu"


@pytest.fixture(scope="module")
def nlu_reports() -> Dict[str, dict]:
    """Run `rasa test nlu` once and load its reports."""
    result = rasa("test", "nlu", "--nlu", "tests/nlu", "--model", str(latest_model()), "--out", str(OUT))
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]
    reports = {
        "intent": json.loads((OUT / "intent_report.json").read_text()),
        "response": json.loads((OUT / "response_selection_report.json").read_text()),
        "entity": json.loads((OUT / "DIETClassifier_report.json").read_text()),
    }
    _write_summary(reports)
    return reports


def _table(report: dict) -> str:
    rows = ["| label | precision | recall | F1 | support |", "|---|---|---|---|---|"]
    for label, scores in sorted(report.items()):
        if isinstance(scores, dict) and "f1-score" in scores:
            rows.append(
                f"| {label} | {scores['precision']:.3f} | {scores['recall']:.3f} | "
                f"{scores['f1-score']:.3f} | {scores['support']} |"
            )
    return "\n".join(rows)


def _write_summary(reports: Dict[str, dict]) -> None:
    parts = ["# NLU evaluation on tests/nlu/ (held out)", ""]
    for name, report in reports.items():
        parts += [f"## {name}", "", _table(report), ""]
    (OUT / "summary.md").write_text("\n".join(parts))


def test_held_out_set_shares_no_sentence_with_training_data():
    import yaml

    def sentences(folder: Path) -> set:
        found = set()
        for path in folder.glob("*.yml"):
            for block in yaml.safe_load(path.read_text()).get("nlu", []):
                for line in (block.get("examples") or "").splitlines():
                    found.add(line.lstrip("- ").strip().lower())
        return found - {""}

    assert sentences(ROOT / "data" / "nlu") & sentences(ROOT / "tests" / "nlu") == set()


def test_intent_macro_f1(nlu_reports):
    assert nlu_reports["intent"]["macro avg"]["f1-score"] >= MIN_MACRO_F1, (OUT / "summary.md").read_text()


def test_every_intent_is_recognised(nlu_reports):
    weak = {k: v["f1-score"] for k, v in nlu_reports["intent"].items() if isinstance(v, dict) and "f1-score" in v
            and k not in ("accuracy", "macro avg", "weighted avg", "micro avg") and v["f1-score"] < 0.75}
    assert weak == {}


def test_faq_response_selection_macro_f1(nlu_reports):
    assert nlu_reports["response"]["macro avg"]["f1-score"] >= MIN_MACRO_F1


def test_entity_macro_f1(nlu_reports):
    assert nlu_reports["entity"]["macro avg"]["f1-score"] >= MIN_MACRO_F1
