"""The trainer's command line: from last week's conversations to a better model in production.

    python -m bot.trainer list      [filters]          conversations, a line each
    python -m bot.trainer show ID                      one conversation as a readable transcript
    python -m bot.trainer export    [filters]          a review batch: reviews/<batch>.yml (redacted)
    python -m bot.trainer review    FILE               review it in the terminal (or edit the file)
    python -m bot.trainer merge     FILE               accepted examples → data/nlu/reviewed.yml
    python -m bot.trainer train     [--config FILE]    a candidate model (models/candidates/)
    python -m bot.trainer evaluate                     candidate vs current on the same held-out data
    python -m bot.trainer promote   [--force]          load the candidate into the running server
    python -m bot.trainer rollback  [--to NAME]        back to an earlier model
    python -m bot.trainer history                      every model with fingerprint, metrics and dates
    python -m bot.trainer retention --days 90          delete conversations last active before then (cron it)
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import yaml

from bot.launcher import RASA, ROOT, latest_model, rasa, rasa_env
from bot.trainer import conversations as logs
from bot.trainer.evaluation import EvaluationFailed, evaluate_model, regressions, report
from bot.trainer.export import build_batch
from bot.trainer.merge import MergeRefused, known_intents, merge
from bot.trainer.nludata import REVIEWED_FILE, labels_by_text
from bot.trainer.rasa_server import ServerError, load_model, server_token, server_url
from bot.trainer.registry import CANDIDATES, Entry, Registry, RegistryError, fingerprint, now
from bot.trainer.review import Review, ReviewError, interactive


class Refused(Exception):
    """A command that cannot go on; its message is for the trainer (exit status 2)."""


# --------------------------------------------------------------------------- helpers

def _date(text: str) -> float:
    try:
        return dt.datetime.fromisoformat(text).replace(tzinfo=dt.timezone.utc).timestamp()
    except ValueError as e:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from e


def _filters(args: argparse.Namespace) -> logs.Filters:
    handed = True if args.handed_off else (False if args.not_handed_off else None)
    return logs.Filters(handed_off=handed, reason=args.reason, with_fallbacks=args.with_fallbacks,
                        low_confidence=args.low_confidence, intent=args.intent, since=args.since,
                        until=args.until + 86400 if args.until is not None else None,
                        satisfaction_at_most=args.satisfaction_at_most)


def _log(url: str | None) -> logs.TrackerLog:
    url = url or logs.tracker_db_url()
    if url.startswith("sqlite:///") and not Path(url[len("sqlite:///"):]).exists():
        raise Refused(f"no tracker store at {url}: run the assistant first (make run), or pass --tracker-db")
    log = logs.TrackerLog(url)
    try:
        log.conversation_ids()
    except Exception as e:
        raise Refused(f"cannot read conversations from {url}: {e}") from e
    return log


def _selected(args: argparse.Namespace) -> list[tuple]:
    log = _log(args.tracker_db)
    filters = _filters(args)
    chosen = []
    for conversation_id, events in log.all():
        summary = logs.summarise(conversation_id, events, args.low_confidence_below)
        if logs.matches(summary, filters):
            chosen.append((conversation_id, events, summary))
    return chosen


def _when(ts: float) -> str:
    return dt.datetime.fromtimestamp(ts, dt.timezone.utc).strftime("%Y-%m-%d %H:%M") if ts else "-"


def _registry(args: argparse.Namespace) -> Registry:
    return Registry.load(Path(args.models))


# --------------------------------------------------------------------------- commands

def cmd_list(args: argparse.Namespace) -> int:
    rows = _selected(args)
    if args.json:
        print(json.dumps([s.__dict__ for _, _, s in rows], default=list, indent=1))
        return 0
    print(f"{'conversation':<34} {'started (UTC)':<17} {'turns':>5} {'fallb':>5} {'lowc':>4}  {'handoff':<22} top intents")
    for _, _, s in rows:
        top = ", ".join(sorted(set(s.intents), key=s.intents.count, reverse=True)[:3])
        handoff = ",".join(s.reasons) if s.handed_off else "-"
        print(f"{s.id[:34]:<34} {_when(s.started):<17} {s.customer_turns:>5} {s.fallbacks:>5} {s.low_confidence:>4}  "
              f"{handoff[:22]:<22} {top}")
    print(f"{len(rows)} conversation(s)")
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    events = _log(args.tracker_db).events(args.conversation)
    if not events:
        raise Refused(f"no conversation {args.conversation!r} in the tracker store")
    for line in logs.lines(events):
        when = dt.datetime.fromtimestamp(line.ts, dt.timezone.utc).strftime("%H:%M:%S") if line.ts else "--:--:--"
        if line.who == "customer":
            about = f"   [{line.intent} {line.confidence:.2f}]" if line.confidence is not None and not line.human_mode else ""
            print(f"{when}  customer: {line.text}{about}")
        elif line.who == "agent":
            print(f"{when}  agent {line.agent}: {line.text}")
        elif line.who == "bot":
            print(f"{when}  bot: {line.text}")
        else:
            print(f"{when}  -- {line.text}" + (f" ({line.detail})" if line.detail else ""))
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    rows = _selected(args)
    batch = args.batch or dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d-%H%M%S")
    content = build_batch([(cid, events) for cid, events, _ in rows], labels_by_text(Path(args.data) / "nlu"),
                          batch, _filters(args))
    out = Path(args.out) / f"{batch}.yml"
    if out.exists():
        raise Refused(f"{out} exists: choose another --batch, or review that one")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(yaml.safe_dump(content, sort_keys=False, allow_unicode=True, width=120), encoding="utf-8")
    print(f"{len(rows)} conversation(s) → {out}: {len(content['examples'])} new customer message(s), "
          f"{len(content['responses'])} agent reply(ies), {len(content['stories'])} handed-off conversation(s)")
    print("personal data was replaced by fake values (e-mails, phones, order numbers, names) or [card number]")
    return 0


def _intents_for_review(domain: Path) -> list[str]:
    intents, retrieval = known_intents(domain)
    return sorted(intents | retrieval)


def cmd_review(args: argparse.Namespace) -> int:
    review = Review.load(Path(args.file))
    interactive(review, _intents_for_review(Path(args.domain)))
    return 0


def _validate(data: Path, domain: Path) -> str | None:
    done = rasa("data", "validate", "--domain", str(domain), "--data", str(data), "--config", "config.yml")
    output = done.stdout + done.stderr
    return None if done.returncode == 0 else output[-3000:]


def cmd_merge(args: argparse.Namespace) -> int:
    review = Review.load(Path(args.file))
    decided = [(e.id, e.text, e.label) for e in review.decided()]
    if not decided:
        raise Refused(f"nothing accepted in {args.file} yet: review it first")
    data, domain = Path(args.data), Path(args.domain)
    target = data / "nlu" / REVIEWED_FILE
    before = target.read_text(encoding="utf-8") if target.exists() else None
    try:
        result = merge(decided, data, domain)
    except MergeRefused as e:
        raise Refused(str(e)) from e
    if not args.no_validate and result.total:
        problem = _validate(data, domain)
        if problem:
            if before is None:
                target.unlink()
            else:
                target.write_text(before, encoding="utf-8")
            raise Refused(f"`rasa data validate` failed after the merge, so it was undone:\n{problem}")
    added = ", ".join(f"{intent} +{n}" for intent, n in sorted(result.added.items())) or "nothing new"
    print(f"merged into {result.path}: {added} ({result.already_there} already there)")
    return 0


def cmd_train(args: argparse.Namespace) -> int:
    registry = _registry(args)
    name = args.name or "candidate-" + dt.datetime.now(dt.timezone.utc).strftime("%Y%m%d-%H%M%S")
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]{0,80}", name) or ".." in name:
        raise Refused(f"bad model name {name!r}: letters, digits, '.', '_' and '-' only")
    if any(e.name == name for e in registry.entries):
        raise Refused(f"a model named {name!r} exists already (python -m bot.trainer history)")
    out = Path(args.models) / CANDIDATES
    out.mkdir(parents=True, exist_ok=True)
    print(f"==> training {name} with {args.config} (Rasa shows each component and epoch)", flush=True)
    command = [RASA, "train", "--domain", args.domain, "--data", args.data, "--config", args.config,
               "--out", str(out), "--fixed-model-name", name]
    done = subprocess.run(command, cwd=ROOT, env=rasa_env())
    model = out / f"{name}.tar.gz"
    if done.returncode != 0 or not model.exists():
        raise Refused(f"training failed (exit {done.returncode}); see the output above")
    print_ = fingerprint(Path(args.data), Path(args.domain), Path(args.config))
    registry.add(Entry(name=name, path=str(model.relative_to(Path(args.models))), fingerprint=print_,
                       trained_at=now(), config=args.config))
    registry.save()
    print(f"==> candidate {name}: {model} (data fingerprint {print_})")
    return 0


def _current(registry: Registry, args: argparse.Namespace) -> Entry:
    entry = registry.current_entry()
    if entry is None:
        running = [p for p in Path(args.models).glob("*.tar.gz")]
        if not running:
            raise Refused("no current model: run `make setup` (trains one) first")
        entry = registry.adopt_running(latest_model(Path(args.models)))
        registry.save()
    return entry


def cmd_evaluate(args: argparse.Namespace) -> int:
    registry = _registry(args)
    candidate = registry.get(args.candidate) if args.candidate else registry.latest_candidate()
    current = registry.get(args.against) if args.against else _current(registry, args)
    reports = Path(args.reports)
    results = {}
    for entry in (current, candidate):
        folder = reports / entry.name
        if entry.metrics and (folder / "metrics.json").exists() and not args.again:
            print(f"==> {entry.name}: evaluated before (use --again to redo)")
        else:
            print(f"==> evaluating {entry.name}", flush=True)
            entry.metrics = evaluate_model(registry.model_file(entry), folder)
            entry.note("evaluated")
        results[entry.name] = (entry.name, entry.metrics, folder)
    path = report(results[candidate.name], results[current.name], reports / f"{candidate.name}-vs-{current.name}")
    candidate.report = str(path)
    registry.save()
    worse = regressions(candidate.metrics, current.metrics)
    print(f"==> report: {path}")
    print("verdict: " + ("not worse on the agreed metrics" if not worse else "worse on " + "; ".join(worse)))
    return 0


def _load_into_server(registry: Registry, entry: Entry, args: argparse.Namespace) -> None:
    previous = registry.current_entry()
    installed = registry.install(entry)
    if args.no_reload:
        print(f"installed {installed} (the next `make run` starts with it)")
        return
    try:
        loaded = load_model(installed, server_url(args.rasa_url), server_token(args.token))
    except ServerError as e:
        if previous is not None and registry.model_file(previous).exists():
            registry.install(previous)  # the next `make run` keeps serving what the registry calls current
        raise Refused(f"{e}\nnothing changed: the running server and the next start keep {getattr(previous, 'name', 'the old model')}") from e
    print(f"the running Rasa server now serves {loaded}")


def cmd_promote(args: argparse.Namespace) -> int:
    registry = _registry(args)
    candidate = registry.get(args.candidate) if args.candidate else registry.latest_candidate()
    current = _current(registry, args)
    if not candidate.metrics or not current.metrics:
        raise Refused(f"evaluate first: python -m bot.trainer evaluate --candidate {candidate.name}")
    worse = regressions(candidate.metrics, current.metrics)
    if worse and not args.force:
        raise Refused(f"{candidate.name} is worse than {current.name} on: " + "; ".join(worse) +
                      f"\nreport: {candidate.report}\npromote anyway with --force")
    _load_into_server(registry, candidate, args)
    registry.promote(candidate.name, "forced over: " + "; ".join(worse) if worse else "not worse")
    registry.save()
    print(f"promoted {candidate.name} (was {current.name})")
    return 0


def cmd_rollback(args: argparse.Namespace) -> int:
    registry = _registry(args)
    target = registry.rollback_target(args.to)
    _load_into_server(registry, target, args)
    registry.promote(target.name, "rollback")
    registry.save()
    print(f"rolled back to {target.name}")
    return 0


def cmd_retention(args: argparse.Namespace) -> int:
    """Delete the conversations of Rasa's tracker store that were last active over ``--days`` ago."""
    if args.days <= 0:
        raise Refused("--days must be more than 0")
    cutoff = time.time() - args.days * 86400
    gone = _log(args.tracker_db).forget_before(cutoff, dry_run=args.dry_run)
    verb = "would delete" if args.dry_run else "deleted"
    print(f"{verb} {len(gone)} conversation(s) last active before "
          f"{time.strftime('%Y-%m-%d %H:%M', time.gmtime(cutoff))} UTC ({args.days:g} days)")
    return 0


def cmd_history(args: argparse.Namespace) -> int:
    registry = _registry(args)
    if not registry.entries:
        print("no models registered yet")
        return 0
    print(f"{'model':<32} {'status':<9} {'trained (UTC)':<25} {'fingerprint':<16} {'intent F1':>9} {'esc. F1':>7}")
    for e in registry.entries:
        marker = "*" if e.name == registry.current else " "
        print(f"{marker}{e.name:<31} {e.status:<9} {e.trained_at:<25} {e.fingerprint:<16} "
              f"{e.metrics.get('intent_macro_f1', '-')!s:>9} {e.metrics.get('escalation_f1', '-')!s:>7}")
        for event in e.events:
            print(f"    {event['at']}  {event['what']}")
    return 0


# --------------------------------------------------------------------------- parser

def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m bot.trainer", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--models", default=str(ROOT / "models"), help="models folder (default models/)")
    p.add_argument("--data", default=str(ROOT / "data"), help="training data folder (default data/)")
    p.add_argument("--domain", default=str(ROOT / "domain.yml"))
    sub = p.add_subparsers(dest="command", required=True)

    def with_filters(s: argparse.ArgumentParser) -> None:
        s.add_argument("--tracker-db", default=None, help="SQLAlchemy URL of Rasa's tracker store "
                       "(default TRACKER_DB_URL, or sqlite:///var/trackers.sqlite3)")
        g = s.add_mutually_exclusive_group()
        g.add_argument("--handed-off", action="store_true", help="only conversations handed to a person")
        g.add_argument("--not-handed-off", action="store_true", help="only conversations the bot finished")
        s.add_argument("--reason", choices=["explicit_request", "frustration", "unresolved", "sensitive"],
                       help="only handoffs for this reason")
        s.add_argument("--with-fallbacks", action="store_true", help="only conversations with a fallback")
        s.add_argument("--low-confidence", action="store_true", help="only conversations with a low-confidence turn")
        s.add_argument("--low-confidence-below", type=float, default=0.5, help="what low means (default 0.5)")
        s.add_argument("--intent", help="only conversations with this intent (faq matches faq/…)")
        s.add_argument("--since", type=_date, help="only conversations active on or after this day (YYYY-MM-DD)")
        s.add_argument("--until", type=_date, help="only conversations started on or before this day")
        s.add_argument("--satisfaction-at-most", type=int, help="only conversations rated at most this (1-5)")

    s = sub.add_parser("list", help="list conversations, a line each")
    with_filters(s)
    s.add_argument("--json", action="store_true")
    s.set_defaults(run=cmd_list)
    s = sub.add_parser("show", help="one conversation as a transcript")
    s.add_argument("conversation")
    s.add_argument("--tracker-db", default=None)
    s.set_defaults(run=cmd_show)
    s = sub.add_parser("export", help="write a review batch")
    with_filters(s)
    s.add_argument("--batch", help="batch name (default: the date and time)")
    s.add_argument("--out", default=str(ROOT / "reviews"), help="folder for review files (default reviews/)")
    s.set_defaults(run=cmd_export)
    s = sub.add_parser("review", help="review a batch in the terminal")
    s.add_argument("file")
    s.set_defaults(run=cmd_review)
    s = sub.add_parser("merge", help="merge a reviewed batch into the training data")
    s.add_argument("file")
    s.add_argument("--no-validate", action="store_true", help="skip `rasa data validate` afterwards")
    s.set_defaults(run=cmd_merge)
    s = sub.add_parser("train", help="train a candidate model")
    s.add_argument("--config", default="config.yml")
    s.add_argument("--name")
    s.set_defaults(run=cmd_train)
    s = sub.add_parser("evaluate", help="candidate vs current model, with a report")
    s.add_argument("--candidate")
    s.add_argument("--against", help="compare with this model instead of the current one")
    s.add_argument("--reports", default=str(ROOT / "reports" / "trainer"))
    s.add_argument("--again", action="store_true", help="re-run evaluations done before")
    s.set_defaults(run=cmd_evaluate)
    for name, helptext, run in (("promote", "make the candidate the served model", cmd_promote),
                                ("rollback", "go back to an earlier model", cmd_rollback)):
        s = sub.add_parser(name, help=helptext)
        if name == "promote":
            s.add_argument("--candidate")
            s.add_argument("--force", action="store_true", help="promote even if worse on some metric")
        else:
            s.add_argument("--to", help="model name (default: the one promoted before the current one)")
        s.add_argument("--rasa-url", help="running Rasa server (default RASA_URL or 127.0.0.1:5005)")
        s.add_argument("--token", help="its API token (default RASA_AUTH_TOKEN or var/rasa-auth-token)")
        s.add_argument("--no-reload", action="store_true", help="only install it for the next start")
        s.set_defaults(run=run)
    s = sub.add_parser("retention", help="delete conversations last active more than --days ago (cron it)")
    s.add_argument("--days", type=float, default=90.0, help="the tracker store's retention period (default 90)")
    s.add_argument("--dry-run", action="store_true", help="only say how many would go")
    s.add_argument("--tracker-db", default=None)
    s.set_defaults(run=cmd_retention)
    s = sub.add_parser("history", help="every model, with fingerprint, metrics and what happened")
    s.set_defaults(run=cmd_history)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return int(args.run(args) or 0)
    except (Refused, ReviewError, RegistryError, EvaluationFailed) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("\nstopped", file=sys.stderr)
        return 130
