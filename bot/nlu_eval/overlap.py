"""Which sentences of an evaluation set also occur in the training data.

Two sentences are the same when they are equal after NFKC, lower-casing and
dropping entity markup, spaces and punctuation ("Thanks!" = "thanks").

    python -m bot.nlu_eval.overlap tests/nlu/heldout/en.yml   # lists the set's lines found in data/nlu
    python -m bot.nlu_eval.overlap tests/nlu/dev/ja.yml --against tests/nlu/heldout   # ... or there

It prints only the evaluation set's own lines, never the training data, so a
writer who must not read the training data can use it.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def plain(text: str) -> str:
    """The comparison form of one example."""
    text = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", text)
    return re.sub(r"[\s\W_]+", "", unicodedata.normalize("NFKC", text).lower())


def examples(path: Path) -> Iterator[str]:
    """Every example line of one Rasa NLU YAML file (or of every file under a folder)."""
    paths = sorted(path.rglob("*.yml")) if path.is_dir() else [path]
    for file in paths:
        for block in (yaml.safe_load(file.read_text()) or {}).get("nlu", []):
            for line in (block.get("examples") or "").splitlines():
                line = line.strip()
                if line.startswith("- "):
                    yield line[2:]


def sentences(path: Path) -> set[str]:
    """The comparison forms of every example under ``path``."""
    return {plain(e) for e in examples(path)} - {""}


def shared(evaluation: Path, training: Path = ROOT / "data" / "nlu") -> list[str]:
    """The lines of ``evaluation`` whose comparison form occurs in ``training``."""
    seen = sentences(training)
    return [e for e in examples(evaluation) if plain(e) in seen]


def main(argv: list[str] | None = None) -> int:
    """Print the shared lines of each file; exit 1 when there are any."""
    args = list(argv if argv is not None else sys.argv[1:])
    against = [ROOT / "data" / "nlu"]
    if "--against" in args:
        at = args.index("--against")
        against.append(Path(args[at + 1]))
        del args[at:at + 2]
    found = 0
    for name in args:
        for line in sorted({line for folder in against for line in shared(Path(name), folder)}):
            print(f"{name}: {line}")
            found += 1
    print(f"{found} line(s) also in {', '.join(map(str, against))}", file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
