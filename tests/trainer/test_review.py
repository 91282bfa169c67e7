"""Reviewing a batch: the review file (load, check, save) and the terminal review, on real files."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

import pytest
import yaml

from bot.trainer.review import STATUSES, Review, ReviewError, interactive

SAMPLE = """\
version: 1
batch: "2026-11-22-1030"
created: "2026-11-22T10:30:00+00:00"
filters: {handed_off: true}
examples:
  - id: "e-1"
    text: "where is my order [ORD-123456](order_number)"
    predicted: {intent: order_status, confidence: 0.42}
    conversation: "c-7d1e"
    status: pending
    label: null
  - id: "e-2"
    text: "my invoice is wrong"
    predicted: {intent: complaint, confidence: 0.31}
    conversation: "c-7d1e"
    status: pending
    label: null
  - id: "e-3"
    text: "what's the weather like"
    predicted: {intent: faq, confidence: 0.2}
    conversation: "c-8a2b"
    status: pending
    label: null
  - id: "e-4"
    text: "asdf"
    predicted: {intent: greet, confidence: 0.12}
    conversation: "c-8a2b"
    status: pending
    label: null
responses:
  - id: "r-1"
    text: "I've asked DHL to check, you'll hear back today."
    agent: "Alice"
    after: "my parcel seems stuck"
    conversation: "c-7d1e"
    status: pending
stories:
  - id: "s-1"
    conversation: "c-7d1e"
    reason: frustration
    steps: [{customer: "my parcel seems stuck"}, {agent: "on it"}]
"""

KNOWN = ["greet", "order_status", "cancel_order", "change_email", "change_phone", "complaint", "out_of_scope", "faq"]


class Script:
    """A scripted ``read``: answers in order, EOFError when they run out; records the prompts."""

    def __init__(self, answers: Iterable[str]) -> None:
        self.answers: list[str] = list(answers)
        self.prompts: list[str] = []

    def __call__(self, prompt: str) -> str:
        self.prompts.append(prompt)
        if not self.answers:
            raise EOFError
        return self.answers.pop(0)

    @property
    def unused(self) -> list[str]:
        return self.answers


class Screen:
    """A ``write`` that keeps what was shown."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def __call__(self, text: str) -> None:
        self.lines.append(text)

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


@pytest.fixture
def review_file(tmp_path: Path) -> Path:
    path = tmp_path / "2026-11-22-1030.yml"
    path.write_text(SAMPLE, encoding="utf-8")
    return path


def on_disk(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def decisions(path: Path) -> dict:
    """``id -> (status, label)`` of the examples in the file as it is on disk."""
    return {e["id"]: (e["status"], e["label"]) for e in on_disk(path)["examples"]}


def run(path: Path, answers: Iterable[str], known=KNOWN):
    script, screen = Script(answers), Screen()
    counts = interactive(Review.load(path), known, read=script, write=screen)
    return counts, script, screen


# --- loading ---------------------------------------------------------------------------------------------------------


def test_load_reads_the_sample(review_file):
    review = Review.load(review_file)
    assert review.batch == "2026-11-22-1030"
    assert review.created == "2026-11-22T10:30:00+00:00"
    assert review.filters == {"handed_off": True}
    assert [e.id for e in review.examples] == ["e-1", "e-2", "e-3", "e-4"]
    first = review.examples[0]
    assert (first.text, first.predicted_intent, first.confidence, first.conversation) == (
        "where is my order [ORD-123456](order_number)", "order_status", 0.42, "c-7d1e")
    assert (first.status, first.label) == ("pending", None)
    assert review.responses[0].agent == "Alice" and review.responses[0].after == "my parcel seems stuck"
    assert review.stories[0]["reason"] == "frustration"
    assert review.progress() == {status: (4 if status == "pending" else 0) for status in STATUSES}
    assert review.decided() == []


def test_the_api_decides_and_counts(review_file):
    review = Review.load(review_file)
    review.accept("e-1")
    review.relabel("e-2", "billing_question")
    review.out_of_scope("e-3")
    review.skip("e-4")
    review.accept_response("r-1")
    assert [(e.status, e.label) for e in review.examples] == [
        ("accepted", "order_status"), ("relabelled", "billing_question"),
        ("out_of_scope", "out_of_scope"), ("skipped", None)]
    assert [e.id for e in review.decided()] == ["e-1", "e-2", "e-3"]
    assert review.pending() == []
    assert review.progress() == {"pending": 0, "accepted": 1, "relabelled": 1, "out_of_scope": 1, "skipped": 1}
    assert review.responses[0].status == "accepted"
    with pytest.raises(ValueError):
        review.relabel("e-2", "Billing Question")
    with pytest.raises(KeyError):
        review.accept("e-404")


def edited(path: Path, change) -> Path:
    document = yaml.safe_load(SAMPLE)
    change(document)
    path.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    return path


def test_hand_edited_accepted_without_label_gets_the_predicted_intent(tmp_path):
    def change(document):
        document["examples"][0]["status"] = "accepted"
        del document["examples"][0]["label"]
        document["examples"][1]["status"] = "relabelled"
        document["examples"][1]["label"] = "billing_question"
        document["examples"][2]["status"] = "out_of_scope"
        document["examples"][2]["label"] = "out_of_scope"

    path = edited(tmp_path / "review.yml", change)
    review = Review.load(path)
    assert [(e.status, e.label) for e in review.examples] == [
        ("accepted", "order_status"), ("relabelled", "billing_question"),
        ("out_of_scope", "out_of_scope"), ("pending", None)]
    review.save()
    assert decisions(path)["e-1"] == ("accepted", "order_status")


@pytest.mark.parametrize("change, entry, problem", [
    (lambda d: d["examples"][1].update(status="done"), "e-2", "unknown status 'done'"),
    (lambda d: d["examples"][2].update(id="e-1"), "e-1", "duplicate id"),
    (lambda d: d["examples"][3].update(status="relabelled"), "e-4", "needs a label"),
    (lambda d: d["examples"][3].update(status="relabelled", label=""), "e-4", "needs a label"),
    (lambda d: d["examples"][1].update(status="relabelled", label="Billing Question"), "e-2", "not a valid intent"),
    (lambda d: d["examples"][0].update(status="accepted", label="complaint"), "e-1", "differs from the predicted"),
    (lambda d: d["examples"][0].update(status="out_of_scope", label="greet"), "e-1", "out_of_scope"),
    (lambda d: d["examples"][0].update(label="complaint"), "e-1", "label 'complaint' is set"),
    (lambda d: d["responses"][0].update(status="relabelled"), "r-1", "unknown status 'relabelled'"),
    (lambda d: d["responses"].append(dict(d["responses"][0])), "r-1", "duplicate id"),
])
def test_a_bad_file_is_refused_naming_the_entry(tmp_path, change, entry, problem):
    path = edited(tmp_path / "review.yml", change)
    with pytest.raises(ReviewError) as caught:
        Review.load(path)
    assert repr(entry) in str(caught.value)
    assert problem in str(caught.value)


def test_not_a_review_file_is_refused(tmp_path):
    path = tmp_path / "review.yml"
    path.write_text("- just\n- a list\n", encoding="utf-8")
    with pytest.raises(ReviewError):
        Review.load(path)
    path.write_text("version: 1\nbatch: b\nexamples: [\n", encoding="utf-8")
    with pytest.raises(ReviewError, match="not valid YAML"):
        Review.load(path)
    with pytest.raises(ReviewError, match="cannot read"):
        Review.load(tmp_path / "missing.yml")


# --- saving ----------------------------------------------------------------------------------------------------------


def test_save_is_atomic_and_round_trips(review_file):
    before = on_disk(review_file)
    review = Review.load(review_file)
    review.save()
    assert sorted(p.name for p in review_file.parent.iterdir()) == [review_file.name]  # no temporary file left
    assert on_disk(review_file) == before  # nothing changed but the layout
    saved = review_file.read_text(encoding="utf-8")
    # the same shape and key order as the file it came from
    assert list(on_disk(review_file)) == ["version", "batch", "created", "filters", "examples", "responses", "stories"]
    assert list(on_disk(review_file)["examples"][0]) == ["id", "text", "predicted", "conversation", "status", "label"]
    assert "created: '2026-11-22T10:30:00+00:00'" in saved  # still a string, not a timestamp

    review.relabel("e-2", "billing_question")
    review.save()
    again = Review.load(review_file)
    assert again == review  # every field round-trips
    review.save()
    assert review_file.read_text(encoding="utf-8") == Review.load(review_file).dumps()  # saving is stable
    assert sorted(p.name for p in review_file.parent.iterdir()) == [review_file.name]


def test_save_keeps_unknown_keys_and_the_mode(tmp_path):
    def change(document):
        document["exported_by"] = "bot.trainer export"
        document["examples"][0]["note"] = "from the night shift"
        document["examples"][0]["predicted"]["ranking"] = ["order_status", "cancel_order"]

    path = edited(tmp_path / "review.yml", change)
    os.chmod(path, 0o640)
    review = Review.load(path)
    review.accept("e-1")
    review.save()
    document = on_disk(path)
    assert document["exported_by"] == "bot.trainer export"
    assert document["examples"][0]["note"] == "from the night shift"
    assert document["examples"][0]["predicted"]["ranking"] == ["order_status", "cancel_order"]
    assert (document["examples"][0]["status"], document["examples"][0]["label"]) == ("accepted", "order_status")
    assert oct(os.stat(path).st_mode & 0o777) == oct(0o640)


def test_a_failed_save_leaves_the_old_file_and_no_temporary_file(review_file, monkeypatch):
    original = review_file.read_text(encoding="utf-8")
    review = Review.load(review_file)
    review.accept("e-1")

    def broken_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        review.save()
    assert review_file.read_text(encoding="utf-8") == original
    assert sorted(p.name for p in review_file.parent.iterdir()) == [review_file.name]


# --- the terminal review ---------------------------------------------------------------------------------------------


class Watching:
    """A scripted ``read`` that also records, before each answer, the decisions saved on disk."""

    def __init__(self, path: Path, answers: Iterable[str]) -> None:
        self.path, self.answers, self.seen = path, list(answers), []

    def __call__(self, prompt: str) -> str:
        self.seen.append(decisions(self.path))
        if not self.answers:
            raise EOFError
        return self.answers.pop(0)


def test_every_decision_is_on_disk_before_the_next_question(review_file):
    read = Watching(review_file, ["a", "r", "billing_question", "y", "o", "s", "a"])
    counts = interactive(Review.load(review_file), KNOWN, read=read, write=Screen())
    pending = ("pending", None)
    assert read.seen == [
        {"e-1": pending, "e-2": pending, "e-3": pending, "e-4": pending},
        {"e-1": ("accepted", "order_status"), "e-2": pending, "e-3": pending, "e-4": pending},
        {"e-1": ("accepted", "order_status"), "e-2": pending, "e-3": pending, "e-4": pending},  # intent?
        {"e-1": ("accepted", "order_status"), "e-2": pending, "e-3": pending, "e-4": pending},  # new intent?
        {"e-1": ("accepted", "order_status"), "e-2": ("relabelled", "billing_question"),
         "e-3": pending, "e-4": pending},
        {"e-1": ("accepted", "order_status"), "e-2": ("relabelled", "billing_question"),
         "e-3": ("out_of_scope", "out_of_scope"), "e-4": pending},
        # the response's question
        {"e-1": ("accepted", "order_status"), "e-2": ("relabelled", "billing_question"),
         "e-3": ("out_of_scope", "out_of_scope"), "e-4": ("skipped", None)},
    ]
    assert counts == {"pending": 0, "accepted": 1, "relabelled": 1, "out_of_scope": 1, "skipped": 1}
    assert on_disk(review_file)["responses"][0]["status"] == "accepted"
    assert on_disk(review_file)["stories"] == yaml.safe_load(SAMPLE)["stories"]


def test_the_question_shows_progress_text_prediction_and_keys(review_file):
    counts, script, screen = run(review_file, ["a", "q"])
    assert "1/4  e-1  (conversation c-7d1e)" in screen.lines
    assert "  where is my order [ORD-123456](order_number)" in screen.lines
    assert "  predicted: order_status (0.42)" in screen.lines
    assert "2/4  e-2  (conversation c-7d1e)" in screen.lines
    for key in ("[a]ccept", "[r]elabel", "[o]ut of scope", "[s]kip", "[u]ndo last", "[q]uit"):
        assert key in script.prompts[0]
    assert counts["accepted"] == 1 and counts["pending"] == 3


def test_quit_halfway_and_resume_asks_only_what_is_left(review_file):
    counts, script, screen = run(review_file, ["a", "s", "q", "a"])
    assert script.unused == ["a"]  # nothing was asked after quit
    assert decisions(review_file) == {
        "e-1": ("accepted", "order_status"), "e-2": ("skipped", None),
        "e-3": ("pending", None), "e-4": ("pending", None)}
    assert counts == {"pending": 2, "accepted": 1, "relabelled": 0, "out_of_scope": 0, "skipped": 1}

    counts, script, screen = run(review_file, ["o", "r", "greet", "s"])
    assert "e-1" not in screen.text and "e-2" not in screen.text  # decided last time: not asked again
    assert "3/4  e-3  (conversation c-8a2b)" in screen.lines
    assert "4/4  e-4  (conversation c-8a2b)" in screen.lines
    assert "response 1/1  r-1  (conversation c-7d1e)" in screen.lines
    assert "  customer: my parcel seems stuck" in screen.lines
    assert "  Alice: I've asked DHL to check, you'll hear back today." in screen.lines
    assert decisions(review_file) == {
        "e-1": ("accepted", "order_status"), "e-2": ("skipped", None),
        "e-3": ("out_of_scope", "out_of_scope"), "e-4": ("accepted", "greet")}  # relabelled to the prediction
    assert on_disk(review_file)["responses"][0]["status"] == "skipped"
    assert counts == {"pending": 0, "accepted": 2, "relabelled": 0, "out_of_scope": 1, "skipped": 1}

    counts, script, screen = run(review_file, ["a"])
    assert script.prompts == []  # nothing pending: nothing asked
    assert "nothing left to review" in screen.lines


def test_undo_reverts_the_last_decision_and_asks_it_again(review_file):
    read = Watching(review_file, ["a", "o", "u", "s", "u", "u", "u", "r", "cancel", "q"])
    interactive(Review.load(review_file), KNOWN, read=read, write=(screen := Screen()))
    after_undo = read.seen[3]
    assert after_undo["e-1"] == ("accepted", "order_status") and after_undo["e-2"] == ("pending", None)  # saved
    assert "undone: example e-2 is pending again" in screen.lines
    assert screen.lines.count("2/4  e-2  (conversation c-7d1e)") == 4  # first, after both undos of e-2, after e-1
    assert "undone: example e-1 is pending again" in screen.lines
    assert "nothing to undo" in screen.lines
    assert decisions(review_file) == {
        "e-1": ("relabelled", "cancel_order"), "e-2": ("pending", None),
        "e-3": ("pending", None), "e-4": ("pending", None)}


def test_undo_from_the_responses_goes_back_to_the_last_example(review_file):
    review = Review.load(review_file)
    for example_id in ("e-1", "e-2", "e-3"):
        review.accept(example_id)
    review.save()
    counts, script, screen = run(review_file, ["s", "u", "o", "a"])
    assert decisions(review_file)["e-4"] == ("out_of_scope", "out_of_scope")
    assert on_disk(review_file)["responses"][0]["status"] == "accepted"
    assert "undone: example e-4 is pending again" in screen.lines
    assert screen.lines.count("4/4  e-4  (conversation c-8a2b)") == 2  # asked again after the undo
    assert screen.lines.count("response 1/1  r-1  (conversation c-7d1e)") == 2
    assert script.prompts[0].startswith("[a]ccept") and script.prompts[-1].startswith("[a]ccept  [s]kip")


def test_relabel_completes_a_unique_prefix(review_file):
    counts, script, screen = run(review_file, ["r", "canc", "r", "change_e", "q"])
    assert "-> cancel_order" in screen.lines and "-> change_email" in screen.lines
    assert decisions(review_file)["e-1"] == ("relabelled", "cancel_order")
    assert decisions(review_file)["e-2"] == ("relabelled", "change_email")


def test_an_ambiguous_prefix_lists_the_candidates_and_asks_again(review_file):
    counts, script, screen = run(review_file, ["r", "change", "?", "change_p", "q"])
    assert "'change' could be: change_email, change_phone" in screen.lines
    assert any(line.startswith("known intents: greet, order_status") for line in screen.lines)
    assert decisions(review_file)["e-1"] == ("relabelled", "change_phone")


def test_a_new_intent_needs_confirmation(review_file):
    counts, script, screen = run(review_file, ["r", "billing", "n", "billing_question", "yes", "r", "billing", "q"])
    assert script.prompts.count("new intent 'billing'? [y/N] ") == 1
    assert script.prompts.count("new intent 'billing_question'? [y/N] ") == 1
    # the new intent is known from then on: a prefix completes it, no second confirmation
    assert "-> billing_question" in screen.lines
    assert decisions(review_file)["e-1"] == ("relabelled", "billing_question")
    assert decisions(review_file)["e-2"] == ("relabelled", "billing_question")


def test_an_invalid_intent_name_is_refused_and_asked_again(review_file):
    answers = ["r", "Billing Question", "billing-question", "", "r", "billing_q", "y", "q"]
    counts, script, screen = run(review_file, answers)
    refusals = [line for line in screen.lines if "is not a valid intent name" in line]
    assert len(refusals) == 2 and refusals[0].startswith("'Billing Question'")
    assert not any("new intent 'Billing" in prompt for prompt in script.prompts)
    assert "relabel cancelled" in screen.lines  # an empty answer goes back to the keys
    assert decisions(review_file)["e-1"] == ("relabelled", "billing_q")


def test_relabel_to_out_of_scope_marks_it_out_of_scope(review_file):
    run(review_file, ["r", "out", "q"])
    assert decisions(review_file)["e-1"] == ("out_of_scope", "out_of_scope")


def test_unknown_keys_show_help_and_ask_again(review_file):
    counts, script, screen = run(review_file, ["x", "", "accept", "q"])
    help_lines = [line for line in screen.lines if line.startswith("a = accept")]
    assert len(help_lines) == 2
    assert [prompt.startswith("[a]ccept") for prompt in script.prompts] == [True] * 4
    assert decisions(review_file)["e-1"] == ("accepted", "order_status")
    assert decisions(review_file)["e-2"] == ("pending", None)


def test_responses_take_only_their_keys(review_file):
    review = Review.load(review_file)
    for example_id in ("e-1", "e-2", "e-3", "e-4"):
        review.skip(example_id)
    review.save()
    counts, script, screen = run(review_file, ["r", "o", "s"])
    assert len([line for line in screen.lines if line.startswith("a = accept this reply")]) == 2
    assert on_disk(review_file)["responses"][0]["status"] == "skipped"


def test_eof_saves_and_stops_cleanly(review_file):
    counts, script, screen = run(review_file, ["a", "r"])  # EOF at the intent question
    assert "stopped; progress is saved" in screen.lines
    assert decisions(review_file)["e-1"] == ("accepted", "order_status")
    assert decisions(review_file)["e-2"] == ("pending", None)
    assert counts == {"pending": 3, "accepted": 1, "relabelled": 0, "out_of_scope": 0, "skipped": 0}
    assert sorted(p.name for p in review_file.parent.iterdir()) == [review_file.name]

    counts, script, screen = run(review_file, [])  # EOF at once
    assert counts["accepted"] == 1 and counts["pending"] == 3
    assert Review.load(review_file).progress() == counts


def test_ctrl_c_saves_and_stops_cleanly(review_file):
    answers = iter(["s"])

    def read(prompt: str) -> str:
        try:
            return next(answers)
        except StopIteration:
            raise KeyboardInterrupt from None

    counts = interactive(Review.load(review_file), KNOWN, read=read, write=Screen())
    assert counts["skipped"] == 1
    assert decisions(review_file)["e-1"] == ("skipped", None)


def test_an_example_without_a_prediction_cannot_be_accepted(tmp_path):
    nothing = {"intent": None, "confidence": None}
    path = edited(tmp_path / "review.yml", lambda d: d["examples"][0].update(predicted=nothing))
    counts, script, screen = run(path, ["a", "r", "order_status", "q"])
    assert "  predicted: (nothing)" in screen.lines
    assert "nothing was predicted to accept; relabel it instead" in screen.lines
    assert decisions(path)["e-1"] == ("relabelled", "order_status")
