"""The customer side: Rasa's socket.io protocol on the default namespace."""

from __future__ import annotations

import time
from typing import Any

import socketio

from handoff import delivery, identity, keys, peers, protocol
from handoff.bridge import Bridge
from handoff.errors import UnknownConversation
from handoff.limits import RateLimited
from handoff.outbox import transcript_text
from handoff.reporting import malformed_packet, reported


class CustomerNamespace(socketio.AsyncNamespace):
    """Handlers of the widget's events. A socket speaks only for its own conversation."""

    def __init__(self, bridge: Bridge) -> None:
        super().__init__("/")
        self.bridge = bridge

    async def _conversation_of(self, sid: str, data: Any) -> str:
        """The socket's conversation; a payload naming another one is refused."""
        session = await self.get_session(sid)
        conversation_id = session.get("conversation_id")
        if not conversation_id:
            raise protocol.BadPayload("no_session", "send session_request first")
        claimed = data.get("session_id") if isinstance(data, dict) else None
        if claimed not in (None, "", conversation_id):
            raise protocol.BadPayload("not_your_conversation", "session_id does not match this connection")
        return str(conversation_id)

    async def on_malformed_packet(self, sid: str, why: Any = None) -> None:
        """A packet python-socketio could not read (``handoff.packets``)."""
        await malformed_packet(self, sid, why)

    @reported(protocol.SESSION_REQUEST)
    async def on_session_request(self, sid: str, data: Any = None) -> None:
        """``{session_id, resume_token?, capabilities?, after?}`` → ``session_confirm <id>``: the same id if it
        exists and the socket may resume it (``handoff.identity``), else a new unguessable one, whose resume
        token comes first in ``session_secret``. With ``capabilities: ["handoff_events"]`` the socket also gets ``history``
        (only the entries after ``after``, the last entry id it saw, when given: a reconnect or a
        ``resync``) and the handoff events; without, it is a plain Rasa widget and gets the handoff as
        bot messages."""
        payload = data if isinstance(data, dict) else {}
        old = await self.get_session(sid)
        conversation_id = await self.bridge.existing_session(payload.get("session_id"))
        key = self.bridge.settings.resume_key
        if conversation_id is not None and not identity.may_resume(
                key, conversation_id, held_by_socket=old.get("conversation_id"),
                supplied_token=payload.get("resume_token"), cookie=old.get("cookie"),
                id_only=self.bridge.settings.resume_by_id):
            conversation_id = None  # the id alone shows nothing: a new conversation, as for an unknown id
        joined = conversation_id is not None and old.get("conversation_id") != conversation_id
        announced = protocol.capabilities(payload.get("capabilities"))
        aware = protocol.HANDOFF_EVENTS in announced
        if conversation_id is None:
            now = time.monotonic()
            self.bridge.limiter.check("conversations_per_socket", sid, now, "new conversations on this connection")
            self.bridge.limiter.check("conversations_per_address", str(old.get("address", "")), now,
                                      "new conversations from your address")
            conversation_id = await self.bridge.new_session()
            if aware or protocol.RESUME_TOKENS in announced:  # a plain Rasa widget gets Rasa's events only
                await self.emit(protocol.SESSION_SECRET, {
                    "session_id": conversation_id, "resume_token": identity.resume_token(key, conversation_id)},
                    to=sid)
        room = conversation_id if aware else protocol.plain_room(conversation_id)
        if old.get("room") and old.get("room") != room:
            await self.leave_room(sid, old["room"])
        if joined:
            # Another socket (another window or device, or this one reconnecting, whose old socket is
            # gone by then): the conversation's other sockets are told, on every bridge.
            await self.bridge.notify.customer(conversation_id, protocol.SESSION_JOINED,
                                              {"session_id": conversation_id}, skip_sid=sid)
        await self.save_session(sid, {**old, "conversation_id": conversation_id, "room": room})
        await self.enter_room(sid, room)
        await self.emit(protocol.SESSION_CONFIRM, conversation_id, to=sid)
        after = payload.get("after")
        view = await self.bridge.views.customer(conversation_id, after if isinstance(after, str) else None)
        if aware:
            await self.emit(protocol.HISTORY, view, to=sid)
        if view["state"] == "queued":
            await self.bridge.queue.tell_position(conversation_id)

    async def on_connect(self, sid: str, environ: Any, auth: Any = None) -> None:
        """Count the socket (a customer says who they are with ``session_request``); too many
        connections from one address are refused with ``{code: rate_limited, retry_after_s}``."""
        address = peers.of_environ(environ, self.bridge.settings.trusted_proxies)
        try:
            self.bridge.limiter.check("connections_per_address", address, time.monotonic(), "connections")
        except RateLimited as e:
            self.bridge.metrics.error(e.code)
            # The client's connect_error gets {message, data: {code, retry_after_s}}.
            raise socketio.exceptions.ConnectionRefusedError(
                str(e), {"code": e.code, "retry_after_s": e.retry_after_s}) from e
        await self.save_session(sid, {"address": address, "cookie": identity.from_cookie(environ.get("HTTP_COOKIE"))})
        self.bridge.metrics.connect("customer", 1)

    async def on_disconnect(self, sid: str, reason: Any = None) -> None:
        """Count the socket out."""
        self.bridge.limiter.forget_socket(sid)
        self.bridge.metrics.connect("customer", -1)

    def _limit_messages(self, sid: str) -> None:
        self.bridge.limiter.check("messages_per_socket", sid, time.monotonic(), "messages")

    @reported(protocol.USER_UTTERED)
    async def on_user_uttered(self, sid: str, data: Any = None) -> Any:
        """``{message, session_id, customData, message_id?}``: to Rasa in bot mode, to the agent in human mode.

        Acknowledged (when the client asks) once handled, Rasa's replies sent:
        ``{status: ok|duplicate|pending, message_id}``, or ``{status: error, code, message}``.
        A client that gets no acknowledgement resends with the same ``message_id``.
        """
        payload = protocol.require_mapping(data)
        conversation_id = await self._conversation_of(sid, payload)
        self._limit_messages(sid)
        text = protocol.optional_message(payload.get("message"), self.bridge.settings.max_message_chars)
        metadata = protocol.custom_data(payload.get("customData"))
        message_id = delivery.message_id(payload.get("message_id"))
        try:
            return await self._utter(conversation_id, text, metadata, message_id)
        except UnknownConversation:
            # This socket's conversation expired while nobody had written in it (an open tab, idle for
            # an hour): it starts again under the same id rather than refusing the first message.
            await self.bridge.conversations.create(conversation_id)
            return await self._utter(conversation_id, text, metadata, message_id)

    async def _utter(self, conversation_id: str, text: str, metadata: dict[str, Any],
                     message_id: str | None) -> dict[str, Any]:
        if not text:
            return {"status": await self.bridge.relay.empty_turn(conversation_id, metadata), "message_id": message_id}
        status = await self.bridge.relay.customer_message(conversation_id, text, metadata, message_id)
        return {"status": status, "message_id": message_id}

    @reported(protocol.TYPING)
    async def on_typing(self, sid: str, data: Any = None) -> None:
        """``{typing: bool}``: shown to the agent."""
        payload = protocol.require_mapping(data)
        conversation_id = await self._conversation_of(sid, payload)
        await self.bridge.relay.customer_typing(conversation_id, bool(payload.get("typing")))

    @reported(protocol.LEAVE_MESSAGE)
    async def on_leave_message(self, sid: str, data: Any = None) -> None:
        """``{email, text}`` while waiting: becomes a ticket."""
        payload = protocol.require_mapping(data)
        conversation_id = await self._conversation_of(sid, payload)
        self._limit_messages(sid)
        email = protocol.email_address(payload.get("email"))
        text = protocol.message_text(payload.get("text"), self.bridge.settings.max_message_chars)
        await self.bridge.desk.leave_message(conversation_id, email, text)

    @reported(protocol.SURVEY)
    async def on_survey(self, sid: str, data: Any = None) -> None:
        """``{rating: 1..5, comment}`` after an agent closed the conversation → ``survey_saved``."""
        payload = protocol.require_mapping(data)
        conversation_id = await self._conversation_of(sid, payload)
        self._limit_messages(sid)
        rating = protocol.rating(payload.get("rating"))
        comment = protocol.optional_text(payload.get("comment"), self.bridge.settings.max_message_chars)
        await self.bridge.survey.answer(conversation_id, rating, comment)

    @reported(protocol.TRANSCRIPT_REQUEST)
    async def on_transcript_request(self, sid: str, data: Any = None) -> None:
        """``{email}``: the conversation as the customer saw it, by e-mail in their language (the outbox)."""
        payload = protocol.require_mapping(data)
        conversation_id = await self._conversation_of(sid, payload)
        self._limit_messages(sid)
        email = protocol.email_address(payload.get("email"))
        bridge = self.bridge
        language = await bridge.conversations.language(conversation_id)
        entries = protocol.customer_transcript(await bridge.conversations.transcript(conversation_id))
        await bridge.outbox.add(email, "transcript", language, conversation_id,
                                transcript=transcript_text(entries, language))
        await bridge.redis.hset(keys.conversation(conversation_id), "contact_email", email)  # the customer gave it
        await self.emit(protocol.TRANSCRIPT_SENT, {"email": email}, to=sid)

    @reported(protocol.KEEP_WAITING)
    async def on_keep_waiting(self, sid: str, data: Any = None) -> None:
        """The customer chose to keep waiting: tell them their place again."""
        conversation_id = await self._conversation_of(sid, data or {})
        await self.bridge.queue.tell_position(conversation_id)

    async def trigger_event(self, event: str, *args: Any) -> Any:
        """Refuse events the customer side does not have (agent events among them)."""
        if event not in ("connect", "disconnect") and not hasattr(self, f"on_{event}"):
            sid = args[0] if args else None
            if sid:
                await self.emit(protocol.ERROR, protocol.error_payload(
                    "unknown_event", f"the customer side has no event {event!r}", event), to=sid)
            return None
        return await super().trigger_event(event, *args)
