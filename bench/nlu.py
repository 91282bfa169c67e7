"""What the bilingual understanding layer costs and buys, against the pipeline before it, in one run.

Three pipelines are trained from scratch:

* ``before``: the assistant before this layer: its pipeline
  (``bench/configs/nlu-before.yml``: whitespace tokenizer, sparse features, DIET
  with entities) and its English-only training data (``data/`` at commit
  ``1998e9a``, taken with ``git archive``);
* ``after``: ``config.yml`` (normalization, Janome + whitespace tokenizer, sparse
  features, the multilingual sentence encoder, pattern entities);
* ``after, no encoder``: ``config.yml`` without the sentence encoder (the
  alternative of keeping only sparse features).

``after`` and ``after, no encoder`` train on today's ``data/``.

For each: wall-clock training time (``rasa train --force``, NLU and dialogue),
model size, the Rasa server's resident memory after loading the model and after
the load, ``/model/parse`` latency (p50 / p95 / mean over every held-out
message, one request at a time, the servers taking turns so drift hits all
alike), and the held-out figures per language. Writes its section of
docs/benchmarks.md.

    python -m bench.nlu [--out docs/benchmarks.md] [--rounds 1] [--keep DIR]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bench.machine import read_machine
from bench.report import replace_section
from bench.stats import mean, percentile
from bot.launcher import RASA, ROOT, latest_model, rasa_env
from bot.nlu_eval.__main__ import scores_of
from bot.nlu_eval.parse import Prediction, prediction_from
from bot.nlu_eval.sets import load_sets
from harness.ports import free_port
from harness.processes import stop_together
from harness.rasa import rasa_server
from harness.resources import rss_bytes

BEFORE_COMMIT = "1998e9a"
START = "<!-- nlu-cost:start -->"
END = "<!-- nlu-cost:end -->"
ENCODER = "bot.components.sentence_encoder.SentenceEncoderFeaturizer"


@dataclass
class Variant:
    """One pipeline and what was measured of it."""

    name: str
    config: Path
    data: Path = ROOT / "data"
    train_s: float = 0.0
    model: Path | None = None
    rss_loaded: int = 0
    rss_after: int = 0
    latencies_ms: list[float] = field(default_factory=list)
    predictions: list[Prediction] = field(default_factory=list)


def log(message: str) -> None:
    """Progress on stderr."""
    print(f"[bench.nlu] {message}", file=sys.stderr, flush=True)


def without_encoder(config: Path, out: Path) -> Path:
    """A copy of ``config`` without the sentence encoder."""
    data = yaml.safe_load(config.read_text())
    data["pipeline"] = [c for c in data["pipeline"] if c.get("name") != ENCODER]
    out.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
    return out


def data_at(commit: str, workdir: Path) -> Path:
    """``data/`` as it was at ``commit``, extracted into ``workdir``."""
    out = workdir / f"data-{commit}"
    out.mkdir(exist_ok=True)
    archive = subprocess.run(["git", "archive", commit, "data"], cwd=ROOT, capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(out)], input=archive, check=True)
    return out / "data"


def train(variant: Variant, workdir: Path) -> None:
    """Train ``variant`` from scratch and time it."""
    out = workdir / variant.name.replace(" ", "-").replace(",", "")
    out.mkdir(parents=True, exist_ok=True)
    log(f"training {variant.name} ({variant.config.name}); log: {out / 'train.log'}")
    started = time.perf_counter()
    with (out / "train.log").open("w") as output:
        done = subprocess.run([RASA, "train", "--force", "--out", str(out), "--domain", "domain.yml",
                               "--data", str(variant.data), "--config", str(variant.config)],
                              cwd=ROOT, env=rasa_env(), stdout=output, stderr=subprocess.STDOUT)
    variant.train_s = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"training {variant.name} failed: see {out / 'train.log'}")
    variant.model = latest_model(out)
    log(f"  {variant.train_s:.0f} s, {variant.model.stat().st_size / 1e6:.1f} MB")


def parse(url: str, text: str) -> tuple:
    """POST /model/parse; return (milliseconds, result)."""
    request = urllib.request.Request(f"{url}/model/parse", data=json.dumps({"text": text}).encode(),
                                     headers={"Content-Type": "application/json"})
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=60) as response:
        result = json.loads(response.read())
    return (time.perf_counter() - started) * 1000, result


def measure(variants: Sequence[Variant], texts: Sequence[str], workdir: Path, rounds: int) -> None:
    """Serve every variant at once and send each text to each server in turn."""
    servers = []
    endpoints = workdir / "endpoints.yml"  # no tracker store, no action server: only /model/parse is used
    endpoints.write_text("{}\n")
    try:
        for variant in variants:
            port = free_port()
            server = rasa_server(port, variant.model, rasa_env(), workdir / f"server-{port}.log", name=variant.name,
                                 endpoints=endpoints, credentials=None, start_timeout_s=240)
            server.spawn()
            servers.append((variant, server, f"http://127.0.0.1:{port}"))
        for variant, server, url in servers:
            server.wait_ready()
            parse(url, "hello")  # warm-up: the first parse loads lazily built parts
            variant.rss_loaded = rss_bytes(server.pid)
        log(f"parsing {len(texts)} messages x {rounds} on {len(servers)} servers")
        for round_ in range(rounds):
            for text in texts:
                for variant, _, url in servers:
                    ms, result = parse(url, text)
                    variant.latencies_ms.append(ms)
                    if round_ == 0:
                        variant.predictions.append(prediction_from(result))
        for variant, server, _ in servers:
            variant.rss_after = rss_bytes(server.pid)
    finally:
        stop_together([server for _, server, _ in servers], timeout_s=30)


def render(variants: Sequence[Variant], sets: dict[str, list], argv: Sequence[str]) -> str:
    """The Markdown section."""
    machine = read_machine()
    rows = ["| | " + " | ".join(v.name for v in variants) + " |", "|---|" + "---|" * len(variants)]

    def row(label: str, cells: Sequence[str]) -> None:
        rows.append(f"| {label} | " + " | ".join(cells) + " |")

    row("training from scratch (NLU + dialogue)", [f"{v.train_s / 60:.1f} min" for v in variants])
    row("model size", [f"{v.model.stat().st_size / 1e6:.1f} MB" for v in variants])
    row("Rasa server RSS, model loaded", [f"{v.rss_loaded / 1e6:.0f} MB" for v in variants])
    row("Rasa server RSS, after the parses", [f"{v.rss_after / 1e6:.0f} MB" for v in variants])
    row("/model/parse p50", [f"{percentile(v.latencies_ms, 50):.1f} ms" for v in variants])
    row("/model/parse p95", [f"{percentile(v.latencies_ms, 95):.1f} ms" for v in variants])
    row("/model/parse mean", [f"{mean(v.latencies_ms):.1f} ms" for v in variants])
    offset = 0
    for language, examples in sets.items():
        cells_f1, cells_oos, cells_act = [], [], []
        for v in variants:
            predictions = v.predictions[offset:offset + len(examples)]
            s = scores_of(examples, [p.label for p in predictions], predictions)
            cells_f1.append(f"{s.macro_f1:.3f}")
            cells_oos.append(f"{s.oos_recall * 100:.1f} %")
            cells_act.append(f"{s.oos_false_accept_acting * 100:.1f} %")
        offset += len(examples)
        row(f"{language}: held-out intent macro-F1", cells_f1)
        row(f"{language}: out-of-scope recall", cells_oos)
        row(f"{language}: out-of-scope → acting intent", cells_act)
    today = dt.date.today().isoformat()
    return "\n".join([
        START, "## NLU pipeline: cost and quality, before and after the bilingual layer", "",
        f"`python -m bench.nlu {' '.join(argv)}` on {today}, {machine.cpu} ({machine.cores} cores), "
        f"{machine.os}. `before` is the previous pipeline on its English-only data (commit {BEFORE_COMMIT}); "
        f"the other two train on today's data. The three servers ran side by side "
        f"and took turns on every held-out message ({len(variants[0].latencies_ms)} parses each).", "",
        *rows, "", END])


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and write its section."""
    parser = argparse.ArgumentParser(prog="python -m bench.nlu", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "benchmarks.md")
    parser.add_argument("--rounds", type=int, default=1, help="times every held-out message is parsed")
    parser.add_argument("--keep", type=Path, help="train into this folder and keep the models (default: a temporary one)")
    args = parser.parse_args(argv)
    sets = load_sets(ROOT / "tests" / "nlu" / "heldout")
    texts = [e.text for examples in sets.values() for e in examples]
    with tempfile.TemporaryDirectory(prefix="bench-nlu-") as tmp:
        workdir = args.keep or Path(tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        variants = [Variant("before", ROOT / "bench" / "configs" / "nlu-before.yml",
                            data_at(BEFORE_COMMIT, workdir)),
                    Variant("after", ROOT / "config.yml"),
                    Variant("after, no encoder", without_encoder(ROOT / "config.yml", workdir / "no-encoder.yml"))]
        for variant in variants:
            train(variant, workdir)
        measure(variants, texts, workdir, args.rounds)
        section = render(variants, sets, argv if argv is not None else sys.argv[1:])
    existing = args.out.read_text() if args.out.exists() else None
    args.out.write_text(replace_section(existing, section, START, END))
    print(section)
    return 0


if __name__ == "__main__":
    sys.exit(main())
