"""Review a batch of logged customer messages before they become training data.

A review file (YAML, one batch per file, written by the export step) lists
customer messages with the intent the assistant predicted, candidate agent
replies, and candidate stories. For each message a trainer decides: accept
the predicted intent, relabel it (to a known or a new intent), mark it out of
scope, or skip it; candidate replies are accepted or skipped. Stories are kept
as they are.

Decisions are made either in the terminal (:func:`interactive`, which saves
after every decision, so stopping at any point loses nothing and the next run
asks only what is still pending) or by editing the file by hand;
:meth:`Review.load` checks a hand-edited file and says which entry is wrong.

Only the decision fields (``status`` and ``label``) change; everything else in
the file, including keys this module does not know, is written back in the
same order, so the file stays easy to diff. (Comments are not kept, except a
block of comment lines at the very top of the file.)
"""

from __future__ import annotations

import datetime as _dt
import os
import re
import stat
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

VERSION = 1
STATUSES = ("pending", "accepted", "relabelled", "out_of_scope", "skipped")
RESPONSE_STATUSES = ("pending", "accepted", "skipped")
DECIDED = ("accepted", "relabelled", "out_of_scope")
OUT_OF_SCOPE = "out_of_scope"

# An intent name; the project's retrieval intents ("faq/shipping_times") are
# intent names too, so one "/sub_intent" part is allowed.
INTENT_PATTERN = re.compile(r"^[a-z][a-z0-9_]*(/[a-z][a-z0-9_]*)?$")


class ReviewError(ValueError):
    """A review file that cannot be used; the message says which entry and why."""


def valid_intent(name: Any) -> bool:
    """Whether ``name`` can be used as an intent name."""
    return isinstance(name, str) and bool(INTENT_PATTERN.match(name))


def _merge(source: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
    """``values`` laid out in ``source``'s key order; keys only in ``source`` are kept,
    keys only in ``values`` go at the end."""
    values = dict(values)
    merged = {key: values.pop(key, value) for key, value in source.items()}
    merged.update(values)
    return merged


@dataclass
class Example:
    """One customer message to label."""

    id: str
    text: str
    predicted_intent: str | None
    confidence: float | None
    conversation: str | None
    status: str = "pending"
    label: str | None = None
    # The entry as it was read (key order, keys this module does not know).
    source: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def to_dict(self) -> dict[str, Any]:
        predicted_source = self.source.get("predicted")
        predicted = _merge(
            predicted_source if isinstance(predicted_source, dict) else {},
            {"intent": self.predicted_intent, "confidence": self.confidence},
        )
        return _merge(self.source, {
            "id": self.id, "text": self.text, "predicted": predicted, "conversation": self.conversation,
            "status": self.status, "label": self.label,
        })


@dataclass
class Response:
    """One candidate agent reply (from a conversation a human agent handled)."""

    id: str
    text: str
    agent: str | None
    after: str | None
    conversation: str | None
    status: str = "pending"
    source: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def to_dict(self) -> dict[str, Any]:
        return _merge(self.source, {
            "id": self.id, "text": self.text, "agent": self.agent, "after": self.after,
            "conversation": self.conversation, "status": self.status,
        })


# --- reading and checking a file -------------------------------------------------------------------------------------


def _entry_name(kind: str, index: int, raw: Any) -> str:
    if isinstance(raw, dict) and isinstance(raw.get("id"), str) and raw["id"]:
        return f"{kind} {raw['id']!r}"
    return f"{kind} #{index + 1}"


def _text_field(raw: dict[str, Any], key: str, where: str, optional: bool = False) -> str | None:
    value = raw.get(key)
    if value is None and optional:
        return None
    if not isinstance(value, str):
        raise ReviewError(f"{where}: {key!r} must be a string, got {value!r}")
    return value


def _label(value: Any, where: str) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if not valid_intent(value):
        raise ReviewError(
            f"{where}: label {value!r} is not a valid intent name "
            "(lower-case letters, digits and _, starting with a letter)"
        )
    return value


def _read_example(index: int, raw: Any, path: Path) -> Example:
    where = f"{path}: {_entry_name('example', index, raw)}"
    if not isinstance(raw, dict):
        raise ReviewError(f"{where}: must be a mapping, got {raw!r}")
    example_id = raw.get("id")
    if not isinstance(example_id, str) or not example_id:
        raise ReviewError(f"{where}: needs an 'id' (a non-empty string)")
    text = _text_field(raw, "text", where)
    conversation = _text_field(raw, "conversation", where, optional=True)

    predicted = raw.get("predicted")
    if predicted is None:
        predicted = {}
    if not isinstance(predicted, dict):
        raise ReviewError(f"{where}: 'predicted' must be a mapping with 'intent' and 'confidence'")
    predicted_intent = predicted.get("intent")
    if predicted_intent is not None and not valid_intent(predicted_intent):
        raise ReviewError(f"{where}: predicted intent {predicted_intent!r} is not a valid intent name")
    confidence = predicted.get("confidence")
    if confidence is not None and (isinstance(confidence, bool) or not isinstance(confidence, (int, float))):
        raise ReviewError(f"{where}: predicted confidence must be a number, got {confidence!r}")

    status = raw.get("status", "pending")
    if status is None:
        status = "pending"
    if status not in STATUSES:
        raise ReviewError(f"{where}: unknown status {status!r} (expected one of: {', '.join(STATUSES)})")
    label = _label(raw.get("label"), where)

    if status == "accepted":
        if predicted_intent is None:
            raise ReviewError(f"{where}: status accepted, but nothing was predicted; use relabelled with a label")
        if label is None:
            label = predicted_intent  # hand-edited: accepting means the predicted intent
        elif label != predicted_intent:
            raise ReviewError(
                f"{where}: status accepted, but label {label!r} differs from the predicted intent "
                f"{predicted_intent!r}; use status relabelled for another intent"
            )
    elif status == "relabelled":
        if label is None:
            raise ReviewError(f"{where}: status relabelled needs a label (the intent to use)")
        if label == OUT_OF_SCOPE:
            status = OUT_OF_SCOPE
        elif label == predicted_intent:
            status = "accepted"
    elif status == OUT_OF_SCOPE:
        if label is None:
            label = OUT_OF_SCOPE
        elif label != OUT_OF_SCOPE:
            raise ReviewError(
                f"{where}: status out_of_scope, but label is {label!r}; "
                f"leave the label empty or use status relabelled"
            )
    elif label is not None:
        raise ReviewError(
            f"{where}: status {status}, but label {label!r} is set; "
            "use status relabelled (or accepted) for a label, or remove the label"
        )
    return Example(example_id, text, predicted_intent, confidence, conversation, status, label, source=raw)


def _read_response(index: int, raw: Any, path: Path) -> Response:
    where = f"{path}: {_entry_name('response', index, raw)}"
    if not isinstance(raw, dict):
        raise ReviewError(f"{where}: must be a mapping, got {raw!r}")
    response_id = raw.get("id")
    if not isinstance(response_id, str) or not response_id:
        raise ReviewError(f"{where}: needs an 'id' (a non-empty string)")
    status = raw.get("status", "pending")
    if status is None:
        status = "pending"
    if status not in RESPONSE_STATUSES:
        raise ReviewError(
            f"{where}: unknown status {status!r} for a response (expected one of: {', '.join(RESPONSE_STATUSES)})"
        )
    return Response(
        response_id,
        _text_field(raw, "text", where),  # type: ignore[arg-type]
        _text_field(raw, "agent", where, optional=True),
        _text_field(raw, "after", where, optional=True),
        _text_field(raw, "conversation", where, optional=True),
        status,
        source=raw,
    )


def _list(document: dict[str, Any], key: str, path: Path) -> list[Any]:
    value = document.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise ReviewError(f"{path}: {key!r} must be a list")
    return value


def _check_unique(entries: Sequence[Example | Response], kind: str, path: Path) -> None:
    seen = set()
    for entry in entries:
        if entry.id in seen:
            raise ReviewError(f"{path}: {kind} {entry.id!r}: duplicate id")
        seen.add(entry.id)


def _header(text: str) -> str:
    """The block of comment lines at the top of a file (kept when saving)."""
    lines = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        lines.append(line + "\n")
    return "".join(lines)


# --- the review -----------------------------------------------------------------------------------------------------


@dataclass
class Review:
    """A review file in memory. Decisions change it; :meth:`save` writes it back."""

    path: Path
    batch: str
    created: str
    filters: dict[str, Any]
    examples: list[Example]
    responses: list[Response]
    stories: list[dict[str, Any]]
    source: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)
    header: str = field(default="", repr=False, compare=False)

    @classmethod
    def load(cls, path: str | Path) -> Review:
        """Read and check a review file; raises ReviewError naming the entry and the problem."""
        path = Path(path)
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise ReviewError(f"{path}: cannot read the review file: {error}") from error
        try:
            document = yaml.safe_load(text)
        except yaml.YAMLError as error:
            raise ReviewError(f"{path}: not valid YAML: {error}") from error
        if not isinstance(document, dict):
            raise ReviewError(f"{path}: not a review file (expected a mapping with 'examples')")
        version = document.get("version")
        if version != VERSION:
            raise ReviewError(f"{path}: unsupported review file version {version!r} (expected {VERSION})")

        batch = document.get("batch")
        if isinstance(batch, (int, _dt.date)) and not isinstance(batch, bool):
            batch = str(batch)
        if not isinstance(batch, str) or not batch:
            raise ReviewError(f"{path}: 'batch' must be a non-empty string")
        created = document.get("created")
        if isinstance(created, (_dt.date, _dt.datetime)):
            created = created.isoformat()  # an unquoted timestamp in a hand-edited file
        if created is None:
            created = ""
        if not isinstance(created, str):
            raise ReviewError(f"{path}: 'created' must be a string")
        filters = document.get("filters")
        if filters is None:
            filters = {}
        if not isinstance(filters, dict):
            raise ReviewError(f"{path}: 'filters' must be a mapping")

        examples = [_read_example(i, raw, path) for i, raw in enumerate(_list(document, "examples", path))]
        responses = [_read_response(i, raw, path) for i, raw in enumerate(_list(document, "responses", path))]
        stories = _list(document, "stories", path)
        _check_unique(examples, "example", path)
        _check_unique(responses, "response", path)
        return cls(path, batch, created, filters, examples, responses, stories, source=document, header=_header(text))

    def to_dict(self) -> dict[str, Any]:
        return _merge(self.source, {
            "version": VERSION, "batch": self.batch, "created": self.created, "filters": self.filters,
            "examples": [example.to_dict() for example in self.examples],
            "responses": [response.to_dict() for response in self.responses],
            "stories": self.stories,
        })

    def dumps(self) -> str:
        body = yaml.safe_dump(
            self.to_dict(), sort_keys=False, allow_unicode=True, default_flow_style=False, width=1 << 20
        )
        return self.header + body

    def save(self) -> None:
        """Write the file atomically: a temporary file in the same folder, fsync, then rename over the old one."""
        path = Path(self.path)
        content = self.dumps()
        descriptor, temporary = tempfile.mkstemp(dir=str(path.parent), prefix=f".{path.name}.", suffix=".tmp")
        try:
            with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
                handle.write(content)
                handle.flush()
                os.fsync(handle.fileno())
            try:
                mode = stat.S_IMODE(os.stat(path).st_mode)
            except FileNotFoundError:
                umask = os.umask(0)
                os.umask(umask)
                mode = 0o666 & ~umask
            os.chmod(temporary, mode)
            os.replace(temporary, path)
        except BaseException:
            try:
                os.unlink(temporary)
            except FileNotFoundError:
                pass
            raise
        _fsync_folder(path.parent)

    # --- looking up -------------------------------------------------------------------------------------------------

    def example(self, example_id: str) -> Example:
        for example in self.examples:
            if example.id == example_id:
                return example
        raise KeyError(f"no example with id {example_id!r}")

    def response(self, response_id: str) -> Response:
        for response in self.responses:
            if response.id == response_id:
                return response
        raise KeyError(f"no response with id {response_id!r}")

    # --- decisions (in memory; call save() to keep them) ------------------------------------------------------------

    def accept(self, example_id: str) -> None:
        """Keep the predicted intent."""
        example = self.example(example_id)
        if example.predicted_intent is None:
            raise ValueError(f"example {example_id!r}: nothing was predicted to accept; relabel it instead")
        example.status, example.label = "accepted", example.predicted_intent

    def relabel(self, example_id: str, intent: str) -> None:
        """Use another intent (known or new). The predicted intent means accept; out_of_scope means out of scope."""
        example = self.example(example_id)
        if not valid_intent(intent):
            raise ValueError(
                f"{intent!r} is not a valid intent name (lower-case letters, digits and _, starting with a letter)"
            )
        if intent == OUT_OF_SCOPE:
            self.out_of_scope(example_id)
        elif intent == example.predicted_intent:
            self.accept(example_id)
        else:
            example.status, example.label = "relabelled", intent

    def out_of_scope(self, example_id: str) -> None:
        example = self.example(example_id)
        example.status, example.label = OUT_OF_SCOPE, OUT_OF_SCOPE

    def skip(self, example_id: str) -> None:
        example = self.example(example_id)
        example.status, example.label = "skipped", None

    def reset(self, example_id: str) -> None:
        """Back to pending (undo)."""
        example = self.example(example_id)
        example.status, example.label = "pending", None

    def accept_response(self, response_id: str) -> None:
        self.response(response_id).status = "accepted"

    def skip_response(self, response_id: str) -> None:
        self.response(response_id).status = "skipped"

    def reset_response(self, response_id: str) -> None:
        self.response(response_id).status = "pending"

    # --- where the review stands ------------------------------------------------------------------------------------

    def pending(self) -> list[Example]:
        return [example for example in self.examples if example.status == "pending"]

    def pending_responses(self) -> list[Response]:
        return [response for response in self.responses if response.status == "pending"]

    def decided(self) -> list[Example]:
        """The examples to merge into the training data: accepted, relabelled and out of scope."""
        return [example for example in self.examples if example.status in DECIDED]

    def progress(self) -> dict[str, int]:
        """How many examples have each status (every status is listed)."""
        counts = {status: 0 for status in STATUSES}
        for example in self.examples:
            counts[example.status] += 1
        return counts

    def response_progress(self) -> dict[str, int]:
        counts = {status: 0 for status in RESPONSE_STATUSES}
        for response in self.responses:
            counts[response.status] += 1
        return counts


def _fsync_folder(folder: Path) -> None:
    """Make the rename itself durable (where the platform allows it)."""
    try:
        descriptor = os.open(str(folder), os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


# --- the terminal review --------------------------------------------------------------------------------------------


class _Stop(Exception):
    """Quit, end of input, or Ctrl-C."""


EXAMPLE_KEYS = "[a]ccept  [r]elabel  [o]ut of scope  [s]kip  [u]ndo last  [q]uit > "
RESPONSE_KEYS = "[a]ccept  [s]kip  [u]ndo last  [q]uit > "
EXAMPLE_HELP = (
    "a = accept the predicted intent, r = relabel to another intent, o = out of scope, "
    "s = skip (decide later or never), u = undo the last decision, q = quit (everything is saved)"
)
RESPONSE_HELP = "a = accept this reply, s = skip it, u = undo the last decision, q = quit (everything is saved)"
INTENT_PROMPT = "intent (a unique prefix completes, ? lists, empty cancels): "

_ACTIONS = {
    "a": "accept", "accept": "accept",
    "r": "relabel", "relabel": "relabel",
    "o": "out_of_scope", "oos": "out_of_scope", "out_of_scope": "out_of_scope",
    "s": "skip", "skip": "skip",
    "u": "undo", "undo": "undo",
    "q": "quit", "quit": "quit",
}


def interactive(
    review: Review,
    known_intents: Sequence[str],
    read: Callable[[str], str] = input,
    write: Callable[[str], None] = print,
) -> dict[str, int]:
    """Ask about every pending example, then every pending response; save after each decision.

    Stops when nothing is pending, on [q]uit, at the end of input or on Ctrl-C (the file is saved in
    every case). Returns the counts per status of the examples.
    """
    known: list[str] = list(dict.fromkeys(known_intents))
    history: list[tuple[str, str]] = []  # ("example" | "response", id), this session's decisions

    def ask(prompt: str) -> str:
        try:
            return read(prompt)
        except (EOFError, KeyboardInterrupt):
            raise _Stop() from None

    def decided(kind: str, entry_id: str) -> None:
        history.append((kind, entry_id))
        review.save()

    def undo() -> bool:
        if not history:
            write("nothing to undo")
            return False
        kind, entry_id = history.pop()
        if kind == "example":
            review.reset(entry_id)
        else:
            review.reset_response(entry_id)
        review.save()
        write(f"undone: {kind} {entry_id} is pending again")
        return True

    def ask_intent(example: Example) -> str | None:
        while True:
            answer = ask(INTENT_PROMPT).strip()
            if not answer:
                write("relabel cancelled")
                return None
            if answer == "?":
                write("known intents: " + (", ".join(known) or "(none)"))
                continue
            if answer in known:
                return answer
            matches = [intent for intent in known if intent.startswith(answer)]
            if len(matches) == 1:
                write(f"-> {matches[0]}")
                return matches[0]
            if matches:
                write(f"{answer!r} could be: {', '.join(matches)}")
                continue
            if not valid_intent(answer):
                write(
                    f"{answer!r} is not a valid intent name: lower-case letters, digits and _, "
                    "starting with a letter"
                )
                continue
            if ask(f"new intent {answer!r}? [y/N] ").strip().lower() in ("y", "yes"):
                known.append(answer)
                return answer

    def review_example(example: Example) -> None:
        done = sum(1 for e in review.examples if e.status != "pending")
        write("")
        write(f"{done + 1}/{len(review.examples)}  {example.id}  (conversation {example.conversation})")
        write(f"  {example.text}")
        if example.predicted_intent is None:
            write("  predicted: (nothing)")
        elif example.confidence is None:
            write(f"  predicted: {example.predicted_intent}")
        else:
            write(f"  predicted: {example.predicted_intent} ({example.confidence:.2f})")
        while True:
            action = _ACTIONS.get(ask(EXAMPLE_KEYS).strip().lower())
            if action == "accept":
                if example.predicted_intent is None:
                    write("nothing was predicted to accept; relabel it instead")
                    continue
                review.accept(example.id)
            elif action == "relabel":
                intent = ask_intent(example)
                if intent is None:
                    continue
                review.relabel(example.id, intent)
                if example.status == "accepted":
                    write(f"{intent} is the predicted intent: accepted")
                elif example.status == OUT_OF_SCOPE:
                    write("marked out of scope")
            elif action == "out_of_scope":
                review.out_of_scope(example.id)
            elif action == "skip":
                review.skip(example.id)
            elif action == "undo":
                if undo():
                    return
                continue
            elif action == "quit":
                raise _Stop()
            else:
                write(EXAMPLE_HELP)
                continue
            decided("example", example.id)
            return

    def review_response(response: Response) -> None:
        done = sum(1 for r in review.responses if r.status != "pending")
        write("")
        write(f"response {done + 1}/{len(review.responses)}  {response.id}  (conversation {response.conversation})")
        if response.after is not None:
            write(f"  customer: {response.after}")
        write(f"  {response.agent or 'agent'}: {response.text}")
        while True:
            action = _ACTIONS.get(ask(RESPONSE_KEYS).strip().lower())
            if action == "accept":
                review.accept_response(response.id)
            elif action == "skip":
                review.skip_response(response.id)
            elif action == "undo":
                if undo():
                    return
                continue
            elif action == "quit":
                raise _Stop()
            else:
                write(RESPONSE_HELP)
                continue
            decided("response", response.id)
            return

    try:
        while True:
            # Always the first pending item: after an undo that is the item undone.
            examples = review.pending()
            if examples:
                review_example(examples[0])
                continue
            responses = review.pending_responses()
            if responses:
                review_response(responses[0])
                continue
            break
        write("")
        write("nothing left to review")
    except _Stop:
        write("")
        write("stopped; progress is saved")
    review.save()
    counts = review.progress()
    write("examples: " + ", ".join(f"{status} {count}" for status, count in counts.items()))
    if review.responses:
        write("responses: " + ", ".join(f"{status} {count}" for status, count in review.response_progress().items()))
    return counts
