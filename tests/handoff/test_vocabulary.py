"""The desk's vocabulary and the error table (pure)."""

from __future__ import annotations

import re

from redis.exceptions import ConnectionError as RedisConnectionError

from handoff import errors, protocol, tracker, vocabulary
from handoff.state import IllegalMove, Move, State, transition


def test_status_lines_exist_in_both_languages_and_fill_their_params() -> None:
    for key, lines in vocabulary.STATUS_LINES.items():
        assert set(lines) == set(vocabulary.LANGUAGES), key
    assert vocabulary.status_line("joined", "ja", agent="Alice") == "サポートのAliceが参加しました"
    assert vocabulary.status_line("ticket", "en", ticket="T-1") == "Thanks, we'll reply by e-mail (ticket T-1)"
    assert vocabulary.status_line("closed", "fr") == "The conversation was closed"  # no French: English


def test_a_customer_status_entry_carries_key_params_and_the_english_text() -> None:
    assert vocabulary.customer_status("left", agent="Bob") == {
        "status": "left", "params": {"agent": "Bob"}, "public": "Bob left the chat"}
    shown = protocol.customer_transcript([{"role": "system", "text": "Bob left", "ts": 1.0, "event": "left",
                                           **vocabulary.customer_status("left", agent="Bob")},
                                          {"role": "system", "text": "internal only", "ts": 2.0}])
    assert shown == [{"role": "system", "text": "Bob left the chat", "ts": 1.0, "event": "left",
                      "status": "left", "params": {"agent": "Bob"}}]


def test_reasons_have_one_priority_and_labels_in_both_languages() -> None:
    sent = vocabulary.for_agents()
    codes = [reason["code"] for reason in sent["reasons"]]
    assert codes == ["explicit_request", "frustration", "unresolved", "sensitive"]
    assert all(set(reason["label"]) == {"en", "ja"} for reason in sent["reasons"])
    assert [item["code"] for item in sent["resolution_codes"]] == list(protocol.RESOLUTION_CODES)
    assert all(set(item["label"]) == {"en", "ja"} for item in sent["resolution_codes"])
    assert all(set(lines) == {"en", "ja"} for lines in sent["agent_lines"].values())


def test_agents_read_internal_lines_by_key_in_their_language() -> None:
    assert vocabulary.agent_line("joined", agent="Yuki") == "Yuki joined"
    assert vocabulary.agent_line("joined", "ja", agent="Yuki") == "Yukiが対応を開始しました"
    assert vocabulary.agent_status("closed", resolution="answered") == {"line": "closed",
                                                                          "line_params": {"resolution": "answered"}}
    for key, lines in vocabulary.AGENT_LINES.items():
        assert re.findall(r"{(\w+)}", lines["en"]) == re.findall(r"{(\w+)}", lines["ja"]), key
    assert vocabulary.priority_for("frustration") == 2 and vocabulary.priority_for("no-such-reason") == 0


def test_one_table_names_every_failure_for_sockets_and_http() -> None:
    try:
        transition(State.BOT, Move.CLOSE)
    except IllegalMove as e:
        assert errors.describe(e) == errors.Failure("illegal_move", "cannot close a conversation that is bot", 409)
    unknown = errors.describe(errors.UnknownConversation("abc"))
    assert unknown is not None and unknown.http_status == 404
    assert errors.describe(errors.NotAllowed("not_yours", "no")) == errors.Failure("not_yours", "no", 409)
    bad = errors.describe(protocol.BadPayload("empty", "message is empty"))
    assert bad is not None and bad.http_status == 400
    assert errors.describe(RedisConnectionError("down")) is errors.UNAVAILABLE
    assert errors.describe(KeyError("x")) is None


def test_tracker_events_of_a_human_turn() -> None:
    events = tracker.customer_turn("hello", {}, "with_agent", "m-1", now=5.0)
    assert events[0] == {"event": "action", "name": "action_listen", "timestamp": 5.0}
    assert events[1]["parse_data"]["intent"] == {"name": "nlu_fallback", "confidence": 0.0}
    assert events[1]["metadata"] == {"handoff": "with_agent", "message_id": "m-1"}
    parsed = {"intent": {"name": "greet", "confidence": 0.9}, "entities": []}
    assert tracker.customer_turn("hi", parsed, "queued", None, now=1.0)[1]["parse_data"] == parsed
    assert tracker.satisfaction(4, "", now=2.0)[1] == {"event": "slot", "name": "satisfaction_comment",
                                                       "value": None, "timestamp": 2.0}
