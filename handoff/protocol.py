"""The wire protocol: event names, payload validation and message shaping (pure).

The customer side speaks Rasa's own socket.io protocol on the default namespace, so
existing Rasa widgets work unchanged: every ``bot_uttered`` has, key for key, the shape
Rasa's socketio channel sends (``{text}``, ``{text, quick_replies}``, ``{attachment}``,
custom payloads), and whatever is ours (the entry id, ``reply_to``, the agent) rides in
``metadata``, which Rasa widgets strip before they draw a message. A client that shows
the handoff itself (our widget) says so with ``capabilities: ["handoff_events"]`` in
``session_request`` and gets ``history`` and the ``handoff_*`` events; any other client
gets the handoff as plain bot messages (``plain_message``). Agents use ``/agent``.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

# Re-exported: the payload checks below raise BadPayload; resolution codes are part of the protocol.
from handoff.errors import BadPayload as BadPayload
from handoff.vocabulary import RESOLUTION_CODES as RESOLUTION_CODES
from handoff.vocabulary import status_line

# --- customer side: Rasa's socket.io protocol ------------------------------
SESSION_REQUEST = "session_request"  # {session_id, resume_token?, capabilities?: [HANDOFF_EVENTS], after?: entry id}
SESSION_CONFIRM = "session_confirm"
# Bridge → the socket that started a conversation, just before its session_confirm:
# {session_id, resume_token}; what joining it again takes (handoff.identity). Rasa widgets ignore it.
SESSION_SECRET = "session_secret"
# Bridge → a conversation's other sockets when a new one joins it: {session_id}.
SESSION_JOINED = "session_joined"
USER_UTTERED = "user_uttered"
BOT_UTTERED = "bot_uttered"
# --- customer side: extras an unaware widget ignores ------------------------
HISTORY = "history"  # the transcript so far (or after the entry ``after``), after session_confirm
# Both namespaces, bridge → client: this bridge may have missed live events (its Redis subscription
# was re-established); ask for what came after the last entry seen (session_request / resync).
RESYNC = "resync"
HANDOFF_QUEUED = "handoff_queued"  # {position, estimated_wait_s}
HANDOFF_NO_AGENT = "handoff_no_agent"  # {options: ["wait", "leave_message"]}
AGENT_JOINED = "agent_joined"  # {agent: {id, name}}
AGENT_LEFT = "agent_left"  # {agent}
HANDOFF_RETURNED = "handoff_returned"  # back with the assistant
HANDOFF_CLOSED = "handoff_closed"  # {resolution}
TYPING = "typing"  # {who: "bot"|"agent"|"customer", typing: bool}
LEAVE_MESSAGE = "leave_message"  # customer → {email, text}
TICKET_CREATED = "ticket_created"  # {ticket_id}
KEEP_WAITING = "keep_waiting"
SURVEY = "survey"  # customer → {rating: 1..5, comment}
SURVEY_SAVED = "survey_saved"  # {rating}
TRANSCRIPT_REQUEST = "transcript_request"  # customer → {email}: the conversation by e-mail (handoff.outbox)
TRANSCRIPT_SENT = "transcript_sent"  # {email}: it is in the outbox
ERROR = "error"  # {code, message, event}

# --- agent side (/agent) ------------------------------------------------------
AGENT_NAMESPACE = "/agent"
QUEUE = "queue"  # [{conversation_id, reason, priority, waiting_s, ...}]
SET_STATUS = "set_status"  # {status: "available"|"away"}
CLAIM = "claim"  # {conversation_id}
CLAIMED = "claimed"  # {conversation_id, transcript, context}
AGENT_MESSAGE = "agent_message"  # {conversation_id, text}
CUSTOMER_MESSAGE = "customer_message"  # {conversation_id, text, ts}
HAND_BACK = "hand_back"  # {conversation_id}
CLOSE = "close"  # {conversation_id, resolution}
TRANSFER = "transfer"  # {conversation_id, to_agent}
TICKETS = "tickets"  # [ticket]
CONVERSATION_ENDED = "conversation_ended"  # {conversation_id, how}
HELLO = "hello"  # {agent, status, resolution_codes, vocabulary, agents}: first event after connecting
AGENTS = "agents"  # [{id, name, status, load, capacity}]
STATUS = "status"  # {status}
SLA_BREACHED = "sla_breached"  # {conversation_id, kind, reason, due_at, agent_id}: a target was missed (handoff.sla)
ENTRY_ADDED = "entry_added"  # {conversation_id, entry}: agent message, note or status line recorded
# Agent → bridge, as ``resync``: {after: {conversation_id: last entry id seen}}; the bridge answers
# with the queue, the tickets, ``entries`` for every conversation the agent holds, and
# ``conversation_ended`` for one named that the agent no longer holds.
ENTRIES = "entries"  # {conversation_id, after, entries}: the entries after ``after``
NOTE = "note"  # {conversation_id, text}: internal, never shown to the customer
TICKET_HANDLED = "ticket_handled"  # {ticket_id}
TICKET_REPLY = "ticket_reply"  # agent → {ticket_id, text}: answered by e-mail (the outbox), then handled
CANNED = "canned"  # [{id, title, text}]
CANNED_SAVE = "canned_save"  # {id?, title, text}
CANNED_DELETE = "canned_delete"  # {id}
ERASE = "erase"  # {conversation_id}: the customer asked for their data to be deleted (handoff.erasure)

# What a client can announce in ``session_request``: it shows history and handoff events itself;
# it keeps resume tokens (``session_secret``; implied by ``HANDOFF_EVENTS``). A client that announces
# neither gets Rasa's events only, and resumes a conversation only in the id-only mode.
HANDOFF_EVENTS = "handoff_events"
RESUME_TOKENS = "resume_tokens"
CAPABILITIES = (HANDOFF_EVENTS, RESUME_TOKENS)

# Rooms: a customer's sockets join the room named by their conversation id (clients with
# ``HANDOFF_EVENTS``) or ``plain_room`` of it (any other Rasa widget); on ``/agent``:
AGENTS_ROOM = "agents"  # every agent socket


def agent_room(agent_id: str) -> str:
    """Room of all sockets of one agent (in the agent namespace)."""
    return f"agent:{agent_id}"


def plain_room(conversation_id: str) -> str:
    """Room of a conversation's sockets that speak only Rasa's protocol (no ``HANDOFF_EVENTS``)."""
    return f"plain:{conversation_id}"


AGENT_STATUSES = ("available", "away")

_CONVERSATION_ID = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_EMAIL = re.compile(r"^[^@\s<>]{1,64}@[^@\s<>]{1,190}\.[A-Za-z]{2,24}$")


def error_payload(code: str, message: str, event: str, retry_after_s: int | None = None) -> dict[str, Any]:
    """The ``error`` event a client receives: what went wrong, for which event (and, for
    ``rate_limited``, how many seconds to wait)."""
    payload: dict[str, Any] = {"code": code, "message": message, "event": event}
    if retry_after_s is not None:
        payload["retry_after_s"] = retry_after_s
    return payload


# What any event's payload may be (checked at the edge, before a handler sees it).
MAX_DEPTH = 6  # objects and lists inside each other
MAX_VALUES = 500  # every key, value and item counted
_SURROGATE = re.compile("[\ud800-\udfff]")  # a JSON "\\ud800" with no pair: not text, cannot be stored as UTF-8


def sane(data: Any) -> None:
    """Refuse a payload no handler should see: nested deeper than ``MAX_DEPTH``, more than
    ``MAX_VALUES`` values, or a string (or key) with an unpaired surrogate. Raises ``BadPayload``."""
    stack: list[tuple[Any, int]] = [(data, 0)]
    seen = 0
    while stack:
        value, depth = stack.pop()
        seen += 1
        if seen > MAX_VALUES:
            raise BadPayload("malformed", f"the payload has more than {MAX_VALUES} values")
        if isinstance(value, str):
            if _SURROGATE.search(value):
                raise BadPayload("malformed", "the payload is not valid Unicode text (an unpaired surrogate)")
        elif isinstance(value, (dict, list, tuple)):
            if depth >= MAX_DEPTH:
                raise BadPayload("malformed", f"the payload is nested more than {MAX_DEPTH} levels deep")
            items = list(value.items()) if isinstance(value, dict) else [(None, v) for v in value]
            for key, item in items:
                if key is not None:
                    stack.append((key, depth + 1))
                stack.append((item, depth + 1))


def require_mapping(data: Any) -> Mapping[str, Any]:
    """Payloads are JSON objects."""
    if not isinstance(data, Mapping):
        raise BadPayload("malformed", "the payload must be a JSON object")
    return data


def new_conversation_id() -> str:
    """An unguessable conversation id (24 URL-safe characters) that starts with a letter or digit,
    so command-line tools (the trainer's ``show <id>``) never mistake it for an option."""
    while True:
        candidate = secrets.token_urlsafe(18)
        if candidate[0].isalnum():
            return candidate


def conversation_id(value: Any, field: str = "session_id") -> str:
    """A conversation id as the bridge mints them (URL-safe, 8 to 64 characters)."""
    if not isinstance(value, str) or not _CONVERSATION_ID.match(value):
        raise BadPayload("bad_id", f"{field} must be 8-64 letters, digits, '-' or '_'")
    return value


def message_text(value: Any, max_chars: int) -> str:
    """Plain message text: a non-empty string, control characters removed, size-limited."""
    if not isinstance(value, str):
        raise BadPayload("malformed", "message must be a string")
    if _SURROGATE.search(value):
        raise BadPayload("malformed", "message is not valid Unicode text (an unpaired surrogate)")
    # NFC: one spelling of the same text (a decomposed が and a composed one are the same word);
    # full-width and half-width stay as typed (NFKC is the NLU's business, not the transcript's).
    text = unicodedata.normalize("NFC", _CONTROL.sub("", value)).strip()
    if not text:
        raise BadPayload("empty", "message is empty")
    if len(text) > max_chars:
        raise BadPayload("too_long", f"message is longer than {max_chars} characters")
    return text


def email_address(value: Any) -> str:
    """A plausible e-mail address for a left message."""
    if not isinstance(value, str) or not _EMAIL.match(value.strip()):
        raise BadPayload("bad_email", "email must look like name@example.com")
    return value.strip()


def rating(value: Any) -> int:
    """A satisfaction rating: a whole number from 1 to 5."""
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
        raise BadPayload("bad_rating", "rating must be a whole number from 1 to 5")
    return value


def optional_text(value: Any, max_chars: int) -> str:
    """Optional free text (a survey comment): absent or blank is ``""``."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return ""
    return message_text(value, max_chars)


def resolution_code(value: Any) -> str:
    """How an agent closed a conversation: one of ``RESOLUTION_CODES``."""
    if value in (None, ""):
        return "resolved"
    if value not in RESOLUTION_CODES:
        raise BadPayload("bad_resolution", f"resolution must be one of {', '.join(RESOLUTION_CODES)}")
    return str(value)


def customer_transcript(entries: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """What the customer may see of a transcript: no internal notes, no internal status lines.

    Status lines carry ``public`` text for customers (``None`` keeps them from the customer), and
    the ``status`` key and ``params`` the widget renders them from in its language
    (``vocabulary.STATUS_LINES``).
    """
    shown: list[dict[str, Any]] = []
    for entry in entries:
        role = entry.get("role")
        if role in ("customer", "bot"):
            shown.append({k: v for k, v in entry.items() if k != "public"})
        elif role == "agent":
            raw_agent = entry.get("agent")
            agent: Mapping[str, Any] = raw_agent if isinstance(raw_agent, Mapping) else {}
            shown.append({**{k: v for k, v in entry.items() if k != "public"},
                          "agent": public_agent(str(agent.get("id", "")), str(agent.get("name", "")))})
        elif role == "system" and entry.get("public"):
            shown.append({"role": "system", "text": entry["public"], "ts": entry.get("ts"),
                          "event": entry.get("event"), "status": entry.get("status"),
                          "params": entry.get("params") or {}})
    return shown


MAX_RESYNC_CONVERSATIONS = 200  # more than any agent holds


def resync_marks(value: Any) -> dict[str, str]:
    """An agent's ``resync`` marks: ``{conversation_id: last entry id seen}`` (``{}`` when absent)."""
    if value is None:
        return {}
    if not isinstance(value, dict) or len(value) > MAX_RESYNC_CONVERSATIONS or not all(
            isinstance(k, str) and isinstance(v, str) and 0 < len(k) <= 128 and len(v) <= 64
            for k, v in value.items()):
        raise BadPayload("malformed", f"after must map at most {MAX_RESYNC_CONVERSATIONS} conversation ids "
                                      "to the last entry id seen in each")
    return dict(value)


def capabilities(value: Any) -> frozenset[str]:
    """The capabilities a ``session_request`` announces (unknown ones are ignored)."""
    if not isinstance(value, (list, tuple)):
        return frozenset()
    return frozenset(item for item in value if item in CAPABILITIES)


def optional_message(value: Any, max_chars: int) -> str:
    """A ``user_uttered`` message as Rasa's channel reads it: absent is the empty message (a widget's
    init payload may have none); present, it is checked like any message."""
    return "" if value is None else message_text(value, max_chars)


# The ``customData`` keys passed on to Rasa (as the message's metadata), each a short string:
# the widget's language, and where on the shop the customer is. Others are dropped: they would
# reach the tracker (kept for months) and every trainer's export unchecked.
CUSTOM_DATA_KEYS = {"language": 16, "page": 500, "referrer": 500}


def custom_data(value: Any) -> dict[str, Any]:
    """The widget's ``customData`` as forwarded to Rasa: only ``CUSTOM_DATA_KEYS``, strings within
    their size; anything else is dropped. Absent is ``{}``; not an object is refused."""
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise BadPayload("malformed", "customData must be an object")
    kept: dict[str, Any] = {}
    for key, limit in CUSTOM_DATA_KEYS.items():
        item = value.get(key)
        if isinstance(item, str) and 0 < len(item) <= limit and not _SURROGATE.search(item):
            kept[key] = _CONTROL.sub("", item)
    return kept


def public_agent_id(account_id: str) -> str:
    """The id customers see for an agent: stable, but not the login name."""
    return "a-" + hashlib.blake2b(account_id.encode(), digest_size=5).hexdigest()


def public_agent(account_id: str, name: str) -> dict[str, str]:
    """An agent as customers see them: a public id and the display name."""
    return {"id": public_agent_id(account_id), "name": name}


@dataclass(frozen=True)
class AgentIdentity:
    """How an agent appears to a customer (``id`` is the public id, never the login name)."""

    id: str
    name: str

    @classmethod
    def of(cls, account_id: str, name: str) -> AgentIdentity:
        """The customer-facing identity of an account."""
        return cls(public_agent_id(account_id), name)

    def as_metadata(self) -> dict[str, Any]:
        """``metadata`` of an agent's ``bot_uttered``."""
        return {"agent": {"id": self.id, "name": self.name}, "sender": "agent"}


def absolute_src(src: str, base_url: str) -> str:
    """An image address a widget on any site can load: a path (``/shop/x.svg``) under ``base_url``."""
    if base_url and src.startswith("/") and not src.startswith("//"):
        return base_url.rstrip("/") + src
    return src


def bot_uttered_payloads(rasa_message: Mapping[str, Any], base_url: str = "") -> list[dict[str, Any]]:
    """Shape one REST-channel message like Rasa's socketio channel would emit it.

    Text is split on blank lines (one ``bot_uttered`` per part); buttons become
    ``quick_replies`` on the last part; images become attachments, an image path
    made an address under ``base_url`` (the bridge's public URL: the widget's page is
    on another site); ``custom`` is passed through.
    """
    payloads: list[dict[str, Any]] = []
    text = rasa_message.get("text")
    if isinstance(text, str) and text:
        parts = [p for p in text.split("\n\n") if p] or [text]
        payloads.extend({"text": part} for part in parts)
    buttons = rasa_message.get("buttons") or []
    if buttons:
        replies = [{"content_type": "text", "title": b.get("title", ""), "payload": b.get("payload", "")}
                   for b in buttons if isinstance(b, Mapping)]
        if payloads:
            payloads[-1]["quick_replies"] = replies
        else:
            payloads.append({"text": "", "quick_replies": replies})
    image = rasa_message.get("image")
    if isinstance(image, str) and image:
        payloads.append({"attachment": {"type": "image", "payload": {"src": absolute_src(image, base_url)}}})
    if rasa_message.get("attachment"):
        payloads.append({"attachment": rasa_message["attachment"]})
    if isinstance(rasa_message.get("custom"), Mapping):
        payloads.append(dict(rasa_message["custom"]))
    return payloads


def agent_uttered(text: str, agent: AgentIdentity, entry_id: str | None = None) -> dict[str, Any]:
    """An agent's message as the customer receives it: a ``bot_uttered`` with the agent (and the
    transcript entry's id) in metadata."""
    return with_metadata({"text": text}, **agent.as_metadata(), **({"id": entry_id} if entry_id else {}))


def with_metadata(payload: Mapping[str, Any], **ours: Any) -> dict[str, Any]:
    """A ``bot_uttered`` payload with our fields in its ``metadata`` (its Rasa keys unchanged)."""
    metadata = payload.get("metadata")
    return {**payload, "metadata": {**(metadata if isinstance(metadata, Mapping) else {}), **ours}}


# The events a client without ``HANDOFF_EVENTS`` is told of (``plain_message``).
PLAIN_EVENTS = frozenset({BOT_UTTERED, HANDOFF_QUEUED, AGENT_JOINED, AGENT_LEFT, HANDOFF_RETURNED, HANDOFF_CLOSED,
                          TICKET_CREATED, SESSION_JOINED})


def plain_message(event: str, payload: Mapping[str, Any], language: str = "en") -> dict[str, Any] | None:
    """What a client without ``HANDOFF_EVENTS`` is told of a handoff event: a plain bot message,
    or ``None`` for events it has no use for (typing, the survey, errors of another socket)."""
    agent = payload.get("agent") if isinstance(payload.get("agent"), Mapping) else {}
    name = str((agent or {}).get("name") or "")
    lines = {AGENT_JOINED: ("joined", {"agent": name}), AGENT_LEFT: ("left", {"agent": name}),
             HANDOFF_RETURNED: ("returned", {}), HANDOFF_CLOSED: ("closed", {}),
             TICKET_CREATED: ("ticket", {"ticket": str(payload.get("ticket_id") or "")}),
             SESSION_JOINED: ("joined_elsewhere", {})}
    if event not in PLAIN_EVENTS:
        return None
    if event == BOT_UTTERED:
        return dict(payload)
    if event == HANDOFF_QUEUED:
        if payload.get("after_hours"):
            opens = payload.get("opens") if isinstance(payload.get("opens"), Mapping) else {}
            return {"text": status_line("queue_after_hours", language,
                                        opens=str((opens or {}).get(language) or (opens or {}).get("en") or ""))}
        minutes = max(1, round(int(payload.get("estimated_wait_s") or 0) / 60))
        key = "queue_plain" if payload.get("agents_available") else "queue_no_agent"
        return {"text": status_line(key, language, position=str(payload.get("position") or 1),
                                    minutes=str(minutes))}
    if event in lines:
        key, params = lines[event]
        return {"text": status_line(key, language, **params)}
    return None

