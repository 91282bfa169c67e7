"""Customers and agents of the load-and-fault benchmark, and the ledger where every message is counted.

Real Socket.IO clients (``harness.clients``, a fresh one per socket) that behave like the
widget and the console under faults: every message carries a unique ``message_id`` and waits for the
bridge's acknowledgement; a client that gets no acknowledgement, an error, or loses its
socket reconnects (``session_request`` with its conversation id) and sends the same
``message_id`` again. Everything a client receives, live or in a ``history``/``claimed``
transcript, is merged by entry id and written to the ``Ledger``: when each message was
sent, acknowledged, answered and delivered, and how.

Times are wall-clock ``time.time()`` (the bridges stamp transcript entries with it, on the
same machine).
"""

from __future__ import annotations

import asyncio
import random
import re
import time
from collections import Counter
from collections.abc import Awaitable, Sequence
from dataclasses import dataclass, field
from typing import Any

import aiohttp
import socketio

from handoff import protocol, vocabulary
from harness.clients import Agent, Customer, Handler, SocketClient

# The bridge's own answers when Rasa cannot be reached (counted apart from the bot's).
UNAVAILABLE_TEXTS = frozenset(vocabulary.bridge_reply(key, language) for key in ("assistant_unavailable",
                                                                                 "unavailable_connecting")
                               for language in vocabulary.LANGUAGES)

SEND_TIMEOUT_S = 30.0  # an acknowledgement not received by then: reconnect and send again
GIVE_UP_S = 240.0  # a message still not acknowledged after this long is given up (and reported)
CONNECT_TIMEOUT_S = 20.0
# Refusals that a retry cannot change (the message itself is wrong): given up at once.
PERMANENT = frozenset({"malformed", "empty", "too_long", "bad_id", "bad_message_id", "not_your_conversation",
                       "not_yours", "unknown_conversation"})
TOKEN = re.compile(r"\[([A-Za-z0-9_.:-]{1,64})\]\s*$")  # agent texts end with their message id

# What customers say. Bot conversations are short scripts of real questions.
BOT_SCRIPTS: tuple[tuple[str, ...], ...] = (
    ("hi", "where is my order ORD-100101"),
    ("where is my order ORD-100202", "thanks"),
    ("what is your return policy",),
    ("hello", "how much is shipping", "do you ship to canada"),
    ("can I pay with paypal", "bye"),
    ("where is my order ORD-100303",),
    ("good morning", "what is your return policy", "thank you"),
    ("how long does delivery take",),
)
ASK_FOR_PERSON = "I want to talk to a human"
TO_AGENT = ("my parcel has not arrived yet", "it was supposed to come on Monday", "the order number is ORD-100101",
            "can you check with the courier?", "ok, thank you", "is there anything else I need to do?")
FROM_AGENT = ("Thanks, let me look into that for you.", "I can see the order here.",
              "I've asked the courier for an update.", "You'll get an e-mail as soon as it moves.",
              "Is there anything else I can help with?")


def now() -> float:
    return time.time()


# --------------------------------------------------------------------------- the ledger


@dataclass
class Sent:
    """One message a client sent, and what became of it."""

    mid: str
    conversation: str
    sender: str  # "customer" or "agent"
    expects: str  # who the sender meant it for: "bot", "agent" or "customer"
    text: str
    sent_at: float
    attempts: int = 0
    acked_at: float | None = None
    ack_status: str = ""  # ok or duplicate (the first attempt had finished)
    errors: list[str] = field(default_factory=list)  # error codes, "no_ack", "disconnected"
    gave_up: str = ""  # why the client stopped trying ("" while it has not)
    reply_at: float | None = None  # first bot answer the customer saw (bot turns)
    reply_via: str = ""
    unavailable: bool = False  # the answer was the bridge's "assistant unavailable"
    deliveries: dict[str, tuple[float, str]] = field(default_factory=dict)  # entry id → (first arrival, how)
    repeats: int = 0  # an entry received again (merged by id, so shown once)


@dataclass
class Reconnect:
    """A client that lost its socket and got its conversation back."""

    role: str
    lost_at: float
    back_at: float
    cause: str


class Ledger:
    """Every message of the run, every reconnect, and counters of the unexpected."""

    def __init__(self) -> None:
        self.messages: dict[str, Sent] = {}
        self.reconnects: list[Reconnect] = []
        self.counts: Counter = Counter()
        self.phase = "live"  # "final" during the closing reload: deliveries found then are marked so

    def new(self, mid: str, conversation: str, sender: str, expects: str, text: str) -> Sent:
        sent = Sent(mid, conversation, sender, expects, text, now())
        self.messages[mid] = sent
        return sent

    def delivered(self, mid: str | None, entry_id: str | None, via: str) -> None:
        """The receiver saw message ``mid`` (as transcript entry ``entry_id``)."""
        sent = self.messages.get(mid or "")
        if sent is None:
            self.counts["delivery_of_unknown_message"] += 1
            return
        key = entry_id or f"no-id:{via}"
        if key in sent.deliveries:
            sent.repeats += 1
        else:
            sent.deliveries[key] = (now(), via if self.phase == "live" else "final reload")

    def replied(self, sent: Sent | None, via: str, unavailable: bool = False) -> None:
        """The customer saw the bot's first answer to ``sent``."""
        if sent is not None and sent.reply_at is None:
            sent.reply_at, sent.unavailable = now(), unavailable
            sent.reply_via = via if self.phase == "live" else "final reload"

    def reconnected(self, role: str, lost_at: float, cause: str) -> None:
        self.reconnects.append(Reconnect(role, lost_at, now(), cause))


# --------------------------------------------------------------------------- shared client machinery


async def _first(events: Sequence[asyncio.Event], timeout: float) -> bool:
    """Wait until any of ``events`` is set (``False`` on timeout)."""
    if any(e.is_set() for e in events):
        return True
    waiters = [asyncio.ensure_future(e.wait()) for e in events]
    try:
        done, _ = await asyncio.wait(waiters, timeout=max(0.0, timeout), return_when=asyncio.FIRST_COMPLETED)
        return bool(done)
    finally:
        for waiter in waiters:
            waiter.cancel()


class Client:
    """A side of a conversation that keeps a socket: reconnects on its own after losing it, and sends
    with acknowledgements. Each socket is a fresh ``harness.clients`` client (``_new_socket``); events
    of an old socket that arrive late are ignored."""

    role = "client"

    def __init__(self, url: str, ledger: Ledger, rng: random.Random, http: aiohttp.ClientSession,
                 transports: Sequence[str]) -> None:
        self.url, self.ledger, self.rng, self.http = url, ledger, rng, http
        self.transports = list(transports)
        self.socket: SocketClient | None = None
        self.ready = asyncio.Event()  # connected and (customers) session confirmed
        self.lost = asyncio.Event()  # the current socket is gone
        self.closing = False
        self.dropping = False
        self.lost_at = 0.0
        self.inflight = 0  # messages being sent now (the run drains until none is left)
        self.stop = asyncio.Event()  # the run is over: start nothing new
        self._reconnecting: asyncio.Task | None = None
        self.tasks: set[asyncio.Task] = set()

    # subclasses: a new socket, what to do with its events, and its handshake
    def _new_socket(self) -> SocketClient:
        raise NotImplementedError

    def _handlers(self) -> dict[str, Handler]:
        raise NotImplementedError

    async def _handshake(self, socket: Any) -> None:
        raise NotImplementedError

    def spawn(self, coro: Awaitable[Any]) -> None:
        task = asyncio.ensure_future(coro)
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    async def connect(self) -> None:
        """A new socket (the old one, if any, is closed first)."""
        await self._close_socket()
        socket = self._new_socket()
        self.socket, self.lost = socket, asyncio.Event()
        for event, handler in self._handlers().items():
            socket.on(event, self._of(socket, handler))

        async def on_disconnect(*_: Any) -> None:
            if socket is not self.socket:
                return
            self.ready.clear()
            self.lost.set()
            if not self.closing and not self.dropping:
                self.lost_at = now()
                self.reconnect("disconnected")

        socket.sio.on("disconnect", on_disconnect, namespace=socket.namespace)
        try:
            await asyncio.wait_for(self._handshake(socket), CONNECT_TIMEOUT_S)
        except BaseException:
            await self._close_socket()
            raise
        self.ready.set()

    def _of(self, socket: SocketClient, handler: Handler) -> Handler:
        """``handler`` for the events of ``socket`` while it is the current one."""
        def current(data: Any) -> None:
            if socket is self.socket:
                handler(data)
        return current

    async def _close_socket(self) -> None:
        socket, self.socket = self.socket, None
        self.ready.clear()
        if socket is not None:
            await socket.close(timeout=5)

    def reconnect(self, cause: str) -> None:
        """Get a new socket in the background (one attempt loop at a time)."""
        if self._reconnecting is None or self._reconnecting.done():
            self._reconnecting = asyncio.ensure_future(self._reconnect(cause))

    async def _reconnect(self, cause: str) -> None:
        lost_at = self.lost_at or now()
        delay = self.rng.uniform(0.5, 1.5)  # like socket.io-client: about a second, randomised
        while not self.closing:
            await asyncio.sleep(delay)
            try:
                await self.connect()
            except Exception:  # noqa: BLE001 - counted, then tried again
                self.ledger.counts[f"{self.role}_reconnect_attempt_failed"] += 1
                delay = min(delay * 2, 5.0)
                continue
            self.ledger.reconnected(self.role, lost_at, cause)
            return

    async def call(self, event: str, data: Any) -> tuple[bool, Any]:
        """Emit with an acknowledgement: ``(True, ack)``, or ``(False, why)`` when none came."""
        socket, lost = self.socket, self.lost
        if socket is None or not self.ready.is_set():
            return False, "disconnected"
        call = asyncio.ensure_future(socket.sio.call(event, data, namespace=socket.namespace,
                                                     timeout=SEND_TIMEOUT_S))
        gone = asyncio.ensure_future(lost.wait())
        try:
            done, _ = await asyncio.wait({call, gone}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            gone.cancel()
        if call not in done:
            call.cancel()
            return False, "disconnected"
        try:
            return True, call.result()
        except socketio.exceptions.TimeoutError:
            return False, "no_ack"
        except Exception:  # noqa: BLE001 - the socket went away under the call
            return False, "disconnected"

    async def send(self, sent: Sent, event: str, payload: dict[str, Any]) -> Sent:
        """Send until acknowledged (``ok``/``duplicate``) or given up; the same ``message_id`` every time."""
        self.inflight += 1
        try:
            return await self._send(sent, event, payload)
        finally:
            self.inflight -= 1

    async def _send(self, sent: Sent, event: str, payload: dict[str, Any]) -> Sent:
        deadline = sent.sent_at + GIVE_UP_S
        backoff = 0.5
        while True:
            if now() > deadline:
                sent.gave_up = "no acknowledgement in time"
                return sent
            if not self.ready.is_set():
                if self.closing:
                    sent.gave_up = "run over"
                    return sent
                self.reconnect("needed to send")
                await _first([self.ready], deadline - now())
                continue
            sent.attempts += 1
            acked, answer = await self.call(event, payload)
            if not acked:  # no acknowledgement: reconnect, then the same message again
                sent.errors.append(answer)
                if answer == "no_ack":
                    self.lost_at = now()
                    await self._close_socket()
                    self.reconnect("no acknowledgement")
                continue
            status = answer.get("status") if isinstance(answer, dict) else None
            if status in ("ok", "duplicate"):
                sent.acked_at, sent.ack_status = now(), status
                return sent
            if status == "pending":  # the first attempt still runs somewhere
                sent.errors.append("pending")
                await asyncio.sleep(1.0)
                continue
            code = str(answer.get("code") or f"status {status}" if isinstance(answer, dict) else answer)
            sent.errors.append(code)
            if code in PERMANENT:
                sent.gave_up = f"refused: {code}"
                return sent
            if code == "no_session":
                await self._close_socket()
                self.reconnect("no session")
                continue
            await asyncio.sleep(backoff)
            backoff = min(backoff * 2, 4.0)

    async def close(self) -> None:
        self.closing = True
        if self._reconnecting is not None:
            self._reconnecting.cancel()
        for task in list(self.tasks):
            task.cancel()
        await self._close_socket()


# --------------------------------------------------------------------------- customers


class LoadCustomer(Client):
    """A widget: asks the bot, sometimes asks for a person and chats, sometimes drops and comes back."""

    role = "customer"

    def __init__(self, index: int, url: str, ledger: Ledger, rng: random.Random, http: aiohttp.ClientSession,
                 polling: bool = False) -> None:
        super().__init__(url, ledger, rng, http, ["polling", "websocket"] if polling else ["websocket"])
        self.index = index
        self.resume_token = ""  # of the conversation it started: what resuming it takes
        self.conversation_id = ""
        self.seen: set[str] = set()
        self.last_entry = ""  # the last transcript entry seen: a resync asks for what came after it
        self.current: Sent | None = None
        self.queued, self.with_agent, self.ended = asyncio.Event(), asyncio.Event(), asyncio.Event()
        self.agent_spoke = asyncio.Event()
        self.turn = asyncio.Lock()  # one message at a time: answers are attributed to the current one
        self._seq = 0

    def _new_socket(self) -> Customer:
        # An error before session_confirm is counted, and the handshake waits for its timeout.
        return Customer(self.url, self.http, self.transports, record=False, error_ends_handshake=False)

    def _handlers(self) -> dict[str, Handler]:
        return {
            protocol.HISTORY: self._on_history,
            protocol.BOT_UTTERED: self._on_bot_uttered,
            protocol.HANDOFF_QUEUED: lambda _: self._set_state("queued"),
            protocol.AGENT_JOINED: lambda _: self._set_state("with_agent"),
            protocol.HANDOFF_RETURNED: lambda _: self._set_state("bot"),
            protocol.HANDOFF_CLOSED: lambda _: self._set_state("closed"),
            protocol.RESYNC: lambda _: self.spawn(self._resync()),
            protocol.ERROR: lambda d: self.ledger.counts.update(
                [f"customer_error_event:{d.get('code') if isinstance(d, dict) else d}"]),
        }

    async def _resync(self) -> None:
        """The bridge may have missed live events: ask for the entries after the last one seen, as our widget does."""
        self.ledger.counts["customer_resync"] += 1
        socket = self.socket
        if socket is not None:
            await socket.sio.emit(protocol.SESSION_REQUEST, {
                "session_id": self.conversation_id, "capabilities": [protocol.HANDOFF_EVENTS],
                **({"after": self.last_entry} if self.last_entry else {})})

    async def _handshake(self, socket: Customer) -> None:
        confirmed = await socket.connect(self.conversation_id or None, CONNECT_TIMEOUT_S,
                                         resume_token=self.resume_token or None)
        if self.conversation_id and confirmed != self.conversation_id:
            self.ledger.counts["conversation_lost_on_reconnect"] += 1
        self.conversation_id = confirmed
        self.resume_token = socket.resume_token or self.resume_token  # what resuming it takes

    def _set_state(self, state: str) -> None:
        if state == "queued":
            self.queued.set()
        elif state == "with_agent":
            self.queued.clear()
            self.ended.clear()
            self.with_agent.set()
        else:
            if self.with_agent.is_set() or self.queued.is_set():
                self.ended.set()
            self.queued.clear()
            self.with_agent.clear()

    def _on_bot_uttered(self, data: Any) -> None:
        if not isinstance(data, dict):
            return
        entry_id = (data.get("metadata") or {}).get("id")
        agent = (data.get("metadata") or {}).get("agent")
        if entry_id:
            self.last_entry = str(entry_id)
        if agent:
            match = TOKEN.search(str(data.get("text", "")))
            self.ledger.delivered(match.group(1) if match else None, entry_id, "live")
            self.agent_spoke.set()
            if entry_id:
                self.seen.add(entry_id)
            return
        if entry_id in self.seen:
            self.ledger.counts["customer_live_repeat"] += 1
            return
        if entry_id:
            self.seen.add(entry_id)
        self.ledger.replied(self.current, "live", unavailable=data.get("text") in UNAVAILABLE_TEXTS)

    def _on_history(self, data: Any) -> None:
        """Merge the transcript by entry id; answers found here count as seen now, "via history"."""
        if not isinstance(data, dict):
            return
        self._set_state({"queued": "queued", "with_agent": "with_agent"}.get(str(data.get("state")), "bot"))
        last_customer: str | None = None
        for entry in data.get("transcript") or []:
            role, entry_id = entry.get("role"), entry.get("id")
            if entry_id:
                self.last_entry = str(entry_id)
            if role == "customer":
                last_customer = entry.get("message_id")
                continue
            if not entry_id or entry_id in self.seen:
                continue
            self.seen.add(entry_id)
            if role == "agent":
                self.ledger.delivered(entry.get("message_id"), entry_id, "history")
                self.agent_spoke.set()
            elif role == "bot":
                answered = str(entry.get("reply_to") or last_customer or "")  # reply_to: bridges that mark answers
                self.ledger.replied(self.ledger.messages.get(answered), "history",
                                    unavailable=entry.get("event") == "assistant_unavailable")

    async def say(self, text: str, expects: str) -> Sent:
        """One message, sent until acknowledged; bot turns then wait briefly for a late answer."""
        async with self.turn:
            return await self._say(text, expects)

    async def _say(self, text: str, expects: str) -> Sent:
        self._seq += 1
        sent = self.ledger.new(f"c{self.index}-{self._seq}", self.conversation_id, "customer", expects, text)
        self.current = sent
        await self.send(sent, protocol.USER_UTTERED,
                        {"message": text, "session_id": self.conversation_id, "message_id": sent.mid})
        if expects == "bot" and sent.acked_at and sent.reply_at is None:
            deadline = now() + 5
            while sent.reply_at is None and now() < deadline:  # an answer relayed through another bridge
                await asyncio.sleep(0.1)
        return sent

    # --- behaviour -----------------------------------------------------------------

    async def bot_episode(self) -> None:
        """A short scripted conversation with the bot, with think times of a few seconds."""
        for i, text in enumerate(self.rng.choice(BOT_SCRIPTS)):
            if i:
                await asyncio.sleep(self.rng.uniform(3, 9))
            if self.stop.is_set():
                return
            await self.say(text, "bot")
            if self.queued.is_set() or self.with_agent.is_set():  # the escalation check handed us over
                self.ledger.counts["unplanned_handoff"] += 1
                await self.chat_with_agent()
                return

    async def human_episode(self, hard_end: float) -> None:
        """Ask for a person, wait in the queue, chat until the agent hands back or closes."""
        await self.say(ASK_FOR_PERSON, "bot")
        if not await _first([self.queued, self.with_agent], 30):
            self.ledger.counts["handoff_not_reached"] += 1
            return
        self.ledger.counts["handoffs_asked"] += 1
        if not await _first([self.with_agent, self.stop], hard_end - now()) or not self.with_agent.is_set():
            self.ledger.counts["still_queued_at_end"] += 1
            return
        await self.chat_with_agent()

    async def chat_with_agent(self) -> None:
        if not await _first([self.with_agent, self.stop], 120) or not self.with_agent.is_set():
            self.ledger.counts["no_agent_within_120s"] += 1
            return
        for _ in range(self.rng.randint(4, 6)):  # more than agents answer before ending (2-4)
            await asyncio.sleep(self.rng.uniform(2, 5))
            if self.ended.is_set() or not self.with_agent.is_set() or self.stop.is_set():
                return
            self.agent_spoke.clear()
            await self.say(self.rng.choice(TO_AGENT), "agent")
            await _first([self.agent_spoke, self.ended, self.stop], 60)
        await _first([self.ended, self.stop], 90)

    async def drop_and_return(self) -> None:
        """Lose the connection (a closed laptop, a tunnel) and come back with a new socket and the same id."""
        self.dropping = True
        try:
            await self._close_socket()
            await asyncio.sleep(self.rng.uniform(1, 5))
            lost_at = now()
            await self.connect()
            self.ledger.reconnected(self.role, lost_at, "dropped on purpose")
        except Exception:  # noqa: BLE001 - the background reconnect takes over
            self.ledger.counts["customer_return_failed"] += 1
            self.dropping = False
            self.reconnect("return failed")
        finally:
            self.dropping = False

    async def reload(self) -> None:
        """A page reload at the end: a new socket, ``session_request``, the history merged."""
        self.dropping = True
        try:
            await self.connect()
        finally:
            self.dropping = False


# --------------------------------------------------------------------------- agents


@dataclass
class AgentChat:
    """One conversation an agent owns."""

    conversation_id: str
    wrap_up_after: int  # replies before handing back or closing
    inbox: asyncio.Queue[str] = field(default_factory=asyncio.Queue)
    answered: set[str] = field(default_factory=set)
    replies: int = 0
    greeted: bool = False
    last_entry: str = ""  # the last transcript entry seen: a resync asks for what came after it
    wrapping: bool = False
    worker: asyncio.Task | None = None


class LoadAgent(Client):
    """A console: claims from the queue up to capacity, answers every customer message, then wraps up."""

    role = "agent"

    def __init__(self, index: int, username: str, password: str, capacity: int, url: str, ledger: Ledger,
                 rng: random.Random, http: aiohttp.ClientSession) -> None:
        super().__init__(url, ledger, rng, http, ["websocket"])
        self.index, self.username, self.password, self.capacity = index, username, password, capacity
        self.token = ""
        self.queue: list[dict[str, Any]] = []
        self.queue_changed = asyncio.Event()
        self.chats: dict[str, AgentChat] = {}
        self.wrapped_up: Counter = Counter()
        self._seq = 0
        self.running = True

    def _new_socket(self) -> Agent:
        # The token of the first login is kept: a reconnect logs in again only if it has none.
        return Agent(self.url, self.username, self.password, self.http, record=False, token=self.token)

    def _handlers(self) -> dict[str, Handler]:
        return {
            protocol.QUEUE: self._on_queue,
            protocol.CLAIMED: self._on_claimed,
            protocol.ENTRIES: self._on_entries,
            protocol.RESYNC: lambda _: self.spawn(self._resync()),
            protocol.CUSTOMER_MESSAGE: self._on_customer_message,
            protocol.CONVERSATION_ENDED: self._on_ended,
            protocol.ERROR: lambda d: self.ledger.counts.update(
                [f"agent_error_event:{d.get('code') if isinstance(d, dict) else d}"]),
        }

    async def _handshake(self, socket: Agent) -> None:
        await socket.connect(CONNECT_TIMEOUT_S)
        self.token = socket.token

    def start(self) -> None:
        self.spawn(self._claim_loop())

    def busy(self) -> bool:
        """Still answering: a message being sent, or customer messages waiting for an answer."""
        return self.inflight > 0 or any(not c.inbox.empty() for c in self.chats.values())

    # --- events --------------------------------------------------------------------

    def _on_queue(self, data: Any) -> None:
        self.queue = [q for q in data if isinstance(q, dict)] if isinstance(data, list) else []
        self.queue_changed.set()

    def _chat(self, conversation_id: str) -> AgentChat:
        chat = self.chats.get(conversation_id)
        if chat is None:
            chat = self.chats[conversation_id] = AgentChat(conversation_id, self.rng.randint(2, 4))
            chat.worker = asyncio.ensure_future(self._serve(chat))
            self.tasks.add(chat.worker)
            chat.worker.add_done_callback(self.tasks.discard)
        return chat

    def _on_claimed(self, view: Any) -> None:
        if not isinstance(view, dict) or not view.get("conversation_id"):
            return
        chat = self._chat(view["conversation_id"])
        unanswered: list[str] = []
        for entry in view.get("transcript") or []:
            role = entry.get("role")
            if entry.get("id"):
                chat.last_entry = str(entry["id"])
            if role == "customer" and entry.get("message_id"):
                self.ledger.delivered(entry["message_id"], entry.get("id"), "claimed transcript")
                unanswered.append(entry["message_id"])
            elif role == "agent":
                unanswered.clear()
                if (entry.get("agent") or {}).get("id") == self.username:
                    chat.greeted = True
            elif role == "system" and entry.get("event") in ("joined", "requeued"):
                unanswered.clear()  # asked before this agent's time: the transcript shows it to them
        for mid in unanswered:
            chat.inbox.put_nowait(mid)
        if not chat.greeted:
            chat.inbox.put_nowait("")  # "" = the greeting

    def _on_customer_message(self, data: Any) -> None:
        if not isinstance(data, dict):
            return
        self.ledger.delivered(data.get("message_id"), data.get("id"), "live")
        chat = self.chats.get(str(data.get("conversation_id")))
        if chat is not None and data.get("id"):
            chat.last_entry = str(data["id"])
        if chat is not None and data.get("message_id"):
            chat.inbox.put_nowait(data["message_id"])

    async def _resync(self) -> None:
        """The bridge may have missed live events: ask for each conversation's entries after the last one seen."""
        self.ledger.counts["agent_resync"] += 1
        socket = self.socket
        if socket is not None:
            marks = {cid: chat.last_entry for cid, chat in self.chats.items() if chat.last_entry}
            await socket.sio.emit(protocol.RESYNC, {"after": marks}, namespace=socket.namespace)

    def _on_entries(self, data: Any) -> None:
        """What a conversation got since the last entry seen (a resync): customer lines not seen live are answered."""
        chat = self.chats.get(str(data.get("conversation_id"))) if isinstance(data, dict) else None
        if chat is None:
            return
        for entry in data.get("entries") or []:
            if entry.get("id"):
                chat.last_entry = str(entry["id"])
            if entry.get("role") == "customer" and entry.get("message_id"):
                self.ledger.delivered(entry["message_id"], entry.get("id"), "resync")
                chat.inbox.put_nowait(entry["message_id"])  # answered once: the worker skips answered ones

    def _on_ended(self, data: Any) -> None:
        chat = self.chats.pop(str((data or {}).get("conversation_id") if isinstance(data, dict) else ""), None)
        if chat is not None and chat.worker is not None and not chat.wrapping:
            chat.worker.cancel()  # ended by someone else (another agent, a requeue): stop answering

    # --- behaviour -------------------------------------------------------------------

    async def _claim_loop(self) -> None:
        while self.running:
            await self.queue_changed.wait()
            self.queue_changed.clear()
            await asyncio.sleep(self.rng.uniform(0.3, 2.0))  # a person reacting
            while self.running and len(self.chats) < self.capacity and self.ready.is_set():
                waiting = [q["conversation_id"] for q in self.queue[:5] if q.get("conversation_id") not in self.chats]
                if not waiting:
                    break
                target = self.rng.choice(waiting)
                acked, answer = await self.call(protocol.CLAIM, {"conversation_id": target})
                self.queue = [q for q in self.queue if q.get("conversation_id") != target]
                if acked and answer is None:
                    self.ledger.counts["claims"] += 1
                    self._chat(target)
                    await asyncio.sleep(0.2)
                else:
                    code = answer.get("code") if isinstance(answer, dict) else answer
                    self.ledger.counts[f"claim_failed:{code}"] += 1

    async def _serve(self, chat: AgentChat) -> None:
        """Answer the conversation's customer messages in order, then hand back or close."""
        while not self.stop.is_set():
            mid = await chat.inbox.get()
            if self.stop.is_set():  # the run is over: the closing reload must not start new answers
                return
            if mid and mid in chat.answered:
                continue
            if not mid and chat.greeted:
                continue
            await asyncio.sleep(self.rng.uniform(1, 3))  # reading and typing
            if chat.conversation_id not in self.chats or self.stop.is_set():
                return
            line = f"Hi, I'm {self.username}, I'm reading your conversation now." if not mid else \
                self.rng.choice(FROM_AGENT)
            sent = await self.message(chat.conversation_id, line)
            if not mid:
                chat.greeted = True
                continue
            chat.answered.add(mid)
            if sent.acked_at:
                chat.replies += 1
            if chat.replies >= chat.wrap_up_after and not self.closing:
                chat.wrapping = True
                await asyncio.sleep(self.rng.uniform(1, 2))
                await self.wrap_up(chat)
                return

    async def message(self, conversation_id: str, line: str) -> Sent:
        self._seq += 1
        mid = f"a{self.index}-{self._seq}"
        text = f"{line} [{mid}]"
        sent = self.ledger.new(mid, conversation_id, "agent", "customer", text)
        return await self.send(sent, protocol.AGENT_MESSAGE,
                               {"conversation_id": conversation_id, "text": text, "message_id": mid})

    async def wrap_up(self, chat: AgentChat) -> None:
        """Hand back (half the time) or close with a resolution code; retried while the bridge is unavailable."""
        if self.rng.random() < 0.5:
            event, payload, how = protocol.HAND_BACK, {"conversation_id": chat.conversation_id}, "hand_back"
        else:
            code = self.rng.choice(protocol.RESOLUTION_CODES[:5])
            event, payload, how = protocol.CLOSE, {"conversation_id": chat.conversation_id, "resolution": code}, "close"
        deadline = now() + 60
        while now() < deadline and not self.closing:
            if not self.ready.is_set():
                await _first([self.ready], deadline - now())
                continue
            acked, answer = await self.call(event, payload)
            if acked and answer is None:
                self.wrapped_up[how] += 1
                break
            code = str(answer.get("code") if isinstance(answer, dict) else answer)
            if code in ("not_yours", "illegal_move", "unknown_conversation"):
                self.ledger.counts[f"wrap_up_refused:{code}"] += 1
                break
            await asyncio.sleep(1)
        self.chats.pop(chat.conversation_id, None)

    async def close(self) -> None:
        self.running = False
        await super().close()
