"""Evaluate a model on the held-out data, compare two models, decide whether a candidate may be promoted.

Per model: ``rasa test nlu`` on ``tests/nlu/heldout`` (intents, entities, FAQ
responses), ``rasa test core`` on ``tests/test_stories.yml``, and the
escalation sets of ``tests/escalation`` replayed with this model's own NLU
(each customer message parsed by the model instead of the labelled intent).
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from bot.launcher import ROOT, rasa

# How much worse a candidate may be on each metric and still be promoted (noise between trainings).
TOLERANCE = {"intent_macro_f1": 0.005, "entity_macro_f1": 0.01, "faq_macro_f1": 0.01, "escalation_f1": 0.01,
             "stories_correct": 0}
HEADLINE = (
    ("intent_macro_f1", "intent macro F1"),
    ("intent_accuracy", "intent accuracy"),
    ("entity_macro_f1", "entity macro F1"),
    ("faq_macro_f1", "FAQ response macro F1"),
    ("stories_correct", "test stories passed"),
    ("escalation_f1", "escalation F1 (labelled set, this model's NLU)"),
    ("escalation_calm_false_handoffs", "false handoffs on calm conversations"),
)


# The pipeline's entity extractor first; DIET for models trained before it.
ENTITY_EXTRACTORS = ("PatternEntityExtractor", "DIETClassifier")


class EvaluationFailed(RuntimeError):
    """A Rasa evaluation command failed; the message holds its output's end."""


def _run(*args: str) -> None:
    done = rasa(*args, timeout=1800)
    if done.returncode != 0:
        raise EvaluationFailed(f"rasa {' '.join(args)} failed:\n{(done.stdout + done.stderr)[-3000:]}")


def _scores(report: Mapping[str, Any]) -> dict[str, dict[str, float]]:
    return {label: {"precision": s["precision"], "recall": s["recall"], "f1": s["f1-score"], "support": s["support"]}
            for label, s in report.items()
            if isinstance(s, dict) and "f1-score" in s and label not in ("macro avg", "weighted avg", "micro avg")}


def escalation_with_model(model: Path, root: Path = ROOT) -> dict[str, float]:
    """Escalation F1 and calm false handoffs on the labelled set, with this model's intents and confidences."""
    from escalation import settings as escalation_settings
    from escalation.evaluation import evaluate as escalation

    conversations = escalation.load_set(root / "tests" / "escalation" / "conversations.yml")
    relabelled = escalation.with_model_intents(conversations, model)
    m = escalation.metrics(escalation.run(relabelled, escalation_settings.load()))
    return {"escalation_f1": round(m.f1, 4), "escalation_calm_false_handoffs": round(m.false_handoff_rate_calm, 4)}


def evaluate_model(model: Path, out: Path, root: Path = ROOT) -> dict[str, Any]:
    """Run every evaluation of ``model`` into ``out``; return its metrics (``per_intent`` included)."""
    if out.exists():
        shutil.rmtree(out)
    nlu = core = out / "rasa"
    print(f"  rasa test: tests/nlu/heldout and tests/test_stories.yml → {nlu}", flush=True)
    _run("test", "--nlu", str(root / "tests" / "nlu" / "heldout"), "--stories", str(root / "tests" / "test_stories.yml"),
         "--model", str(model), "--out", str(nlu))
    intent = json.loads((nlu / "intent_report.json").read_text())
    entity_paths = [nlu / f"{name}_report.json" for name in ENTITY_EXTRACTORS]
    entity = next((json.loads(p.read_text()) for p in entity_paths if p.exists()), {})
    faq_path = nlu / "response_selection_report.json"
    faq = json.loads(faq_path.read_text()) if faq_path.exists() else {}
    stories = json.loads((core / "story_report.json").read_text())["conversation_accuracy"]
    print("  escalation set with this model's NLU", flush=True)
    metrics: dict[str, Any] = {
        "intent_macro_f1": round(intent["macro avg"]["f1-score"], 4),
        "intent_weighted_f1": round(intent["weighted avg"]["f1-score"], 4),
        "intent_accuracy": round(intent["accuracy"], 4),
        "entity_macro_f1": round(entity["macro avg"]["f1-score"], 4) if "macro avg" in entity else None,
        "faq_macro_f1": round(faq["macro avg"]["f1-score"], 4) if "macro avg" in faq else None,
        "stories_correct": int(stories["correct"]),
        "stories_total": int(stories["total"]),
        **escalation_with_model(model, root),
        "per_intent": _scores(intent),
    }
    (out / "metrics.json").write_text(json.dumps(metrics, indent=2) + "\n")
    return metrics


def regressions(candidate: Mapping[str, Any], current: Mapping[str, Any]) -> list[str]:
    """Where the candidate is worse than the current model beyond the tolerance (empty: may be promoted)."""
    worse = []
    for key, tolerance in TOLERANCE.items():
        new, old = candidate.get(key), current.get(key)
        if new is None or old is None:
            continue
        if new < old - tolerance:
            worse.append(f"{key}: {old} → {new}")
    if (candidate.get("escalation_calm_false_handoffs") or 0) > (current.get("escalation_calm_false_handoffs") or 0):
        worse.append(f"escalation_calm_false_handoffs: {current.get('escalation_calm_false_handoffs')} → "
                     f"{candidate.get('escalation_calm_false_handoffs')}")
    return worse


def _fmt(value: Any) -> str:
    if value is None:
        return "–"
    return f"{value:.3f}" if isinstance(value, float) else str(value)


def _delta(new: Any, old: Any) -> str:
    if not isinstance(new, (int, float)) or not isinstance(old, (int, float)):
        return ""
    diff = new - old
    return "±0" if abs(diff) < 1e-9 else (f"{diff:+.3f}" if isinstance(diff, float) else f"{diff:+d}")


def report(candidate: tuple[str, Mapping[str, Any], Path], current: tuple[str, Mapping[str, Any], Path],
           out: Path) -> Path:
    """Write ``out/report.md`` comparing the two models, with both intent confusion matrices as images."""
    (cname, cm, cdir), (oname, om, odir) = candidate, current
    out.mkdir(parents=True, exist_ok=True)
    images = []
    for name, folder in ((oname, odir), (cname, cdir)):
        source = folder / "rasa" / "intent_confusion_matrix.png"
        if source.exists():
            target = out / f"confusion-{name}.png"
            shutil.copy2(source, target)
            images.append((name, target.name))
    worse = regressions(cm, om)
    lines = [f"# Candidate `{cname}` against current `{oname}`", "",
             "Same held-out data for both: `tests/nlu/heldout` (intents, entities, FAQ answers), `tests/test_stories.yml`, "
             "and the escalation set replayed with each model's own NLU.", "",
             "| metric | current | candidate | change |", "|---|---|---|---|"]
    for key, label in HEADLINE:
        new, old = cm.get(key), om.get(key)
        if key == "stories_correct":
            lines.append(f"| {label} | {old}/{om.get('stories_total')} | {new}/{cm.get('stories_total')} | "
                         f"{_delta(new, old)} |")
        else:
            lines.append(f"| {label} | {_fmt(old)} | {_fmt(new)} | {_delta(new, old)} |")
    lines += ["", "**Verdict:** " + ("not worse on the agreed metrics: may be promoted." if not worse else
                                       "worse on " + "; ".join(worse) + " — promote only with --force."), ""]
    old_intents, new_intents = om.get("per_intent", {}), cm.get("per_intent", {})
    rows = []
    for intent in sorted(set(old_intents) | set(new_intents)):
        o, n = old_intents.get(intent, {}), new_intents.get(intent, {})
        change = (n.get("f1", 0.0) - o.get("f1", 0.0))
        rows.append((abs(change), intent, o, n, change))
    rows.sort(key=lambda r: (-r[0], r[1]))
    lines += ["## Per intent (largest changes first)", "",
              "| intent | precision | recall | F1 | ΔF1 | support |", "|---|---|---|---|---|---|"]
    for _, intent, o, n, change in rows:
        lines.append(f"| {intent} | {_fmt(o.get('precision'))} → {_fmt(n.get('precision'))} | "
                     f"{_fmt(o.get('recall'))} → {_fmt(n.get('recall'))} | {_fmt(o.get('f1'))} → {_fmt(n.get('f1'))} "
                     f"| {change:+.3f} | {n.get('support', o.get('support', ''))} |")
    better = [r[1] for r in rows if r[4] > 0.005]
    worse_intents = [r[1] for r in rows if r[4] < -0.005]
    lines += ["", f"Better: {', '.join(better) or 'none'}. Worse: {', '.join(worse_intents) or 'none'}.", ""]
    if images:
        lines += ["## Intent confusion matrices", ""]
        lines += [f"**{name}**\n\n![confusion matrix of {name}]({image})\n" for name, image in images]
    path = out / "report.md"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
