"""The model history: every candidate and promoted model with its data fingerprint, metrics and dates.

Kept in ``models/registry.json``. The promoted model is also the newest file in
``models/``, so ``make run`` (``rasa run --model models``) starts with it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from bot.launcher import ROOT

REGISTRY = "registry.json"
CANDIDATES = "candidates"


def fingerprint(data: Path = ROOT / "data", domain: Path = ROOT / "domain.yml",
                config: Path = ROOT / "config.yml") -> str:
    """sha256 over the training data, domain and config: what a model was trained from."""
    digest = hashlib.sha256()
    for path in sorted(data.rglob("*.yml")):
        digest.update(str(path.relative_to(data)).encode())
        digest.update(path.read_bytes())
    for path in (domain, config):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


@dataclass
class Entry:
    """One model."""

    name: str
    path: str                      # relative to the models folder
    fingerprint: str
    trained_at: str
    config: str = "config.yml"
    status: str = "candidate"      # candidate | promoted | retired | rejected
    metrics: dict[str, Any] = field(default_factory=dict)
    report: str = ""
    events: list[dict[str, str]] = field(default_factory=list)  # {at, what}

    def note(self, what: str) -> None:
        self.events.append({"at": now(), "what": what})


class RegistryError(ValueError):
    """An unknown model, or an action the history does not allow."""


@dataclass
class Registry:
    """The history of models in one models folder."""

    folder: Path
    entries: list[Entry] = field(default_factory=list)
    current: str | None = None
    served: list[str] = field(default_factory=list)  # models in the order they were promoted (rollbacks pop)

    @classmethod
    def load(cls, folder: Path) -> Registry:
        path = folder / REGISTRY
        if not path.exists():
            return cls(folder)
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            return cls(folder, [Entry(**e) for e in raw.get("entries", [])], raw.get("current"),
                       list(raw.get("served") or []))
        except (ValueError, TypeError) as e:
            raise RegistryError(f"{path} is damaged ({e}); restore it from a backup or move it away") from e

    def save(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        tmp = self.folder / (REGISTRY + ".tmp")
        tmp.write_text(json.dumps({"current": self.current, "served": self.served,
                                   "entries": [asdict(e) for e in self.entries]}, indent=2) + "\n",
                       encoding="utf-8")
        os.replace(tmp, self.folder / REGISTRY)

    def get(self, name: str) -> Entry:
        for entry in self.entries:
            if entry.name == name:
                return entry
        raise RegistryError(f"no model named {name!r} in {self.folder / REGISTRY} "
                            f"(known: {', '.join(e.name for e in self.entries) or 'none'})")

    def add(self, entry: Entry) -> Entry:
        if any(e.name == entry.name for e in self.entries):
            raise RegistryError(f"a model named {entry.name!r} is already registered")
        entry.note(f"registered as {entry.status}")
        self.entries.append(entry)
        return entry

    def model_file(self, entry: Entry) -> Path:
        return self.folder / entry.path

    def current_entry(self) -> Entry | None:
        return self.get(self.current) if self.current else None

    def latest_candidate(self) -> Entry:
        candidates = [e for e in self.entries if e.status == "candidate"]
        if not candidates:
            raise RegistryError("no candidate model: train one with `python -m bot.trainer train`")
        return candidates[-1]

    def adopt_running(self, model: Path) -> Entry:
        """Register the model the assistant runs today (before the trainer managed any) as the baseline."""
        rel = os.path.relpath(model, self.folder)
        for entry in self.entries:
            if entry.path == rel:
                return entry
        entry = self.add(Entry(name=model.name.replace(".tar.gz", ""), path=rel, fingerprint="unknown",
                               trained_at=dt.datetime.fromtimestamp(model.stat().st_mtime, dt.timezone.utc)
                               .isoformat(timespec="seconds"), status="promoted"))
        self.current = entry.name
        self.served = [entry.name]
        return entry

    def install(self, entry: Entry) -> Path:
        """Make ``entry`` the newest model in the folder (what ``rasa run --model models`` loads)."""
        source = self.model_file(entry)
        target = self.folder / f"{entry.name}.tar.gz"
        if source.resolve() != target.resolve():
            shutil.copy2(source, target)
        os.utime(target, None)
        return target

    def promote(self, name: str, why: str) -> Entry:
        entry = self.get(name)
        previous = self.current_entry()
        if previous is not None and previous.name != name:
            previous.status = "retired"
            previous.note(f"retired: {name} promoted")
        entry.status = "promoted"
        entry.note(f"promoted ({why})")
        self.current = name
        if why == "rollback":
            while self.served and self.served[-1] != name:
                self.served.pop()
        if not self.served or self.served[-1] != name:
            self.served.append(name)
        return entry

    def rollback_target(self, name: str | None) -> Entry:
        """The model to go back to: ``name``, or the one served before the current one."""
        if name:
            entry = self.get(name)
        else:
            earlier = [n for n in self.served[:-1] if n != self.current]
            if not earlier:
                raise RegistryError("no earlier promoted model to roll back to")
            entry = self.get(earlier[-1])
        if not self.model_file(entry).exists():
            raise RegistryError(f"{entry.name}'s model file {self.model_file(entry)} is gone")
        return entry
