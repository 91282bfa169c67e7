"""``python -m bot.nlu_eval``: score a model on the held-out sets, or tune its thresholds on the dev set.

    python -m bot.nlu_eval --model models/X.tar.gz                      # report on tests/nlu/heldout
    python -m bot.nlu_eval --model models/X.tar.gz --markdown docs/nlu.md --plots docs
    python -m bot.nlu_eval --model models/X.tar.gz --sets tests/nlu/dev --tune
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict
from pathlib import Path

from bench.report import replace_section
from bot.launcher import ROOT, latest_model
from bot.nlu_eval.metrics import Scores, score
from bot.nlu_eval.parse import Prediction, parse_all
from bot.nlu_eval.report import markdown, plot_confusion
from bot.nlu_eval.sets import Example, load_sets
from bot.nlu_eval.tuning import relabel_all

MARK_START = "<!-- nlu-report:start -->"
MARK_END = "<!-- nlu-report:end -->"


def evaluate(model: Path, folder: Path) -> dict[str, tuple]:
    """``{language: (examples, predictions)}`` for each set in ``folder``."""
    sets = load_sets(folder)
    every: list[Example] = [e for examples in sets.values() for e in examples]
    print(f"parsing {len(every)} messages with {model.name} ...", file=sys.stderr, flush=True)
    predictions = parse_all(model, [e.text for e in every])
    out, i = {}, 0
    for language, examples in sets.items():
        out[language] = (examples, predictions[i:i + len(examples)])
        i += len(examples)
    return out


def scores_of(examples: list[Example], labels: list[str], predictions: list[Prediction]) -> Scores:
    """Score one language with the given final labels."""
    return score([e.label for e in examples], labels, [list(e.entities) for e in examples],
                 [[p[:3] for p in pr.entities] for pr in predictions])


def tune(results: dict[str, tuple]) -> str:
    """A table of the headline figures under other fallback thresholds."""
    rows = ["| threshold | ambiguity | " + " | ".join(f"{lang} macro-F1 | {lang} OOS→acting | {lang} fallback"
                                                   for lang in results) + " |",
            "|---|---|" + "---|---|---|" * len(results)]
    for threshold in (0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8):
        for ambiguity in (0.0, 0.05, 0.1, 0.2):
            cells = []
            for examples, predictions in results.values():
                s = scores_of(examples, relabel_all(predictions, threshold, ambiguity), predictions)
                cells.append(f"{s.macro_f1:.3f} | {s.oos_false_accept_acting * 100:.1f} % | "
                             f"{s.fallback_rate_in_scope * 100:.1f} %")
            rows.append(f"| {threshold} | {ambiguity} | " + " | ".join(cells) + " |")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    """Run the command; exit 0."""
    parser = argparse.ArgumentParser(prog="python -m bot.nlu_eval", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", type=Path, help="a trained model (default: the newest in models/)")
    parser.add_argument("--sets", type=Path, default=ROOT / "tests" / "nlu" / "heldout")
    parser.add_argument("--json", type=Path, help="write the scores as JSON here")
    parser.add_argument("--markdown", type=Path, help="write the report between markers in this file")
    parser.add_argument("--plots", type=Path, help="write confusion-matrix PNGs into this folder")
    parser.add_argument("--tune", action="store_true", help="print scores under other fallback thresholds")
    args = parser.parse_args(argv)
    model = args.model or latest_model()
    results = evaluate(model, args.sets)
    scores = {lang: scores_of(ex, [p.label for p in pr], pr) for lang, (ex, pr) in results.items()}
    if args.tune:
        print(tune(results))
    plots: dict[str, str] = {}
    if args.plots:
        for language, s in scores.items():
            path = args.plots / f"nlu-confusion-{language}.png"
            plot_confusion(s, f"{language}: {args.sets.name} set, {s.examples} messages", path)
            plots[language] = path.name if args.markdown and args.markdown.parent == args.plots else str(path)
    body = markdown(scores, model.name, str(args.sets.relative_to(ROOT)) if args.sets.is_relative_to(ROOT)
                    else str(args.sets), plots)
    if args.markdown:
        existing = args.markdown.read_text() if args.markdown.exists() else None
        args.markdown.write_text(replace_section(existing, f"{MARK_START}\n{body}\n{MARK_END}", MARK_START, MARK_END))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({lang: {k: v for k, v in asdict(s).items() if k != "confusion"}
                                         for lang, s in scores.items()}, indent=2, ensure_ascii=False) + "\n")
    print(body)
    return 0


if __name__ == "__main__":
    sys.exit(main())
