"""Relaying messages: a customer's to Rasa or to their agent, an agent's to the customer, Rasa's replies back.

Every message with a ``message_id`` goes through one delivery skeleton (``deliver``):
claim the id (``handoff.delivery``), record it in the transcript before passing it on,
pass it on once, and finish; a retry of a message whose bridge died after passing it
on is recovered instead of sent again.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from contextlib import aclosing
from typing import Any

from escalation import reasons
from escalation.person import asks_for_person
from handoff import delivery, keys, protocol, tracker, vocabulary
from handoff.accounts import Account
from handoff.config import Settings
from handoff.conversations import RETRY_LOOKBACK, Conversation, Conversations
from handoff.delivery import Attempt, Outcome
from handoff.desk import Desk
from handoff.logs import about
from handoff.metrics import Metrics
from handoff.notify import Notify
from handoff.rasa_client import RasaClient, RasaUnavailable, best_effort
from handoff.state import Move, State, human_owned
from handoff.tracker_writer import TrackerWriter

logger = logging.getLogger(__name__)

Step = Callable[[], Awaitable[None]]


async def deliver(attempt: Attempt, handle: Step, recover: Step, metrics: Metrics | None = None) -> str:
    """Run one attempt at a message: ``handle`` a new one, ``recover`` one passed on by a dead attempt.

    Returns the acknowledgement: ``ok``, or ``duplicate`` / ``pending`` for a retry. An "ok" that the
    replicas did not confirm in time is logged and counted (``unreplicated_ack``) on ``metrics``.
    """
    if attempt.status is Outcome.RECOVER:
        await recover()
    elif attempt.status is not Outcome.NEW:
        return str(attempt.status.value)
    else:
        try:
            await handle()
        except BaseException:
            await attempt.fail()
            raise
    await attempt.finish()
    if not attempt.replicated:
        logger.warning("acknowledged %s before %d replica(s) confirmed it (REDIS_WAIT_TIMEOUT_MS passed)",
                       attempt.key, attempt.wait_replicas)
        if metrics is not None:
            metrics.error("unreplicated_ack")
    return "ok"


class Relay:
    """Moves messages between customers, Rasa and agents, and records every one."""

    def __init__(self, settings: Settings, conversations: Conversations, rasa: RasaClient, notify: Notify,
                 desk: Desk, writer: TrackerWriter, metrics: Metrics) -> None:
        self.settings, self.conversations, self.rasa, self.notify = settings, conversations, rasa, notify
        self.desk, self.writer, self.metrics = desk, writer, metrics

    async def _claim(self, conversation_id: str, sender: str, message_id: str | None) -> Attempt:
        return await delivery.begin(self.conversations.redis, conversation_id, sender, message_id,
                                    self.settings.message_id_ttl_s, self.settings.rasa_timeout_s + 5,
                                    self.settings.redis_wait_replicas, self.settings.redis_wait_timeout_ms)

    async def _entry(self, attempt: Attempt, conversation_id: str, role: str, text: str,
                     message_id: str | None, **extra: Any) -> dict[str, Any]:
        """The message's transcript entry: the one an earlier attempt wrote, else a new one."""
        entry = await self.conversations.find_message(conversation_id, message_id) if attempt.already_recorded else None
        if entry is None:
            ids = {"message_id": message_id} if message_id else {}
            entry = await attempt.record(self.conversations, conversation_id, role, text, **ids, **extra)
        return entry

    # --- customers ----------------------------------------------------------------

    async def customer_message(self, conversation_id: str, text: str, metadata: Mapping[str, Any],
                               message_id: str | None = None) -> str:
        """Route a customer message to Rasa or to the agent, and record it; returns the acknowledgement."""
        about(conversation_id)
        conversation = await self.conversations.require(conversation_id)
        language = await self.conversations.keep_language(conversation, text, metadata.get("language"))
        if not conversation.language:
            # The customer's first words: from now on the conversation counts in its language's figures.
            await self.desk.stats.count({"conversations": 1}, language, overall=False)
        attempt = await self._claim(conversation_id, "customer", message_id)

        async def handle() -> None:
            current = conversation
            if current.state is State.CLOSED:
                current = await self.conversations.move(conversation_id, Move.REOPEN)
                await self.writer.flush(conversation_id)
                await best_effort(self.rasa.resume(conversation_id))
            entry = await self._entry(attempt, conversation_id, "customer", text, message_id)
            await attempt.mark_passed_on()
            if human_owned(current.state):
                await self._to_agent(current, text, entry, message_id)
            else:
                # The conversation's language goes with every turn: a widget that declares none (a plain
                # Rasa widget) is still answered in it after Rasa starts a new session.
                await self._bot_turn(conversation_id, text, {**metadata, "language": metadata.get("language")
                                                             or language}, message_id)

        async def recover() -> None:
            await self._recover_turn(conversation, text, metadata, message_id or "")

        return await deliver(attempt, handle, recover, self.metrics)

    async def _recover_turn(self, conversation: Conversation, text: str, metadata: Mapping[str, Any],
                            message_id: str) -> None:
        """Finish a message whose bridge died after passing it on (see ``handoff.delivery``)."""
        logger.warning("recovering message %s: the attempt that passed it on never finished", message_id)
        entry = await self.conversations.find_message(conversation.id, message_id)
        if entry is None:
            entry = await self.conversations.record(conversation.id, "customer", text, message_id=message_id)
        replies = tracker.turn_replies((await self.rasa.tracker(conversation.id)).get("events") or [], message_id)
        if human_owned(conversation.state):
            if replies is None:  # not in Rasa's tracker: (again) to the tracker and the agent, same entry id
                await self._to_agent(conversation, text, entry, message_id)
        elif replies is None:  # Rasa never got it: this is its first time
            await self._bot_turn(conversation.id, text, metadata, message_id)
        else:
            done = sum(1 for e in await self.conversations.recent(conversation.id, RETRY_LOOKBACK)
                       if e.get("reply_to") == message_id)
            await self._send_replies(conversation.id, replies, message_id, skip=done)

    async def _bot_turn(self, conversation_id: str, text: str, metadata: Mapping[str, Any],
                        message_id: str | None) -> None:
        """Send the message to Rasa and the replies to the customer."""
        if message_id:
            metadata = {**metadata, "message_id": message_id}
        self.metrics.relayed("customer_to_bot")
        started = time.monotonic()
        await self.notify.customer(conversation_id, protocol.TYPING, {"who": "bot", "typing": True})
        await self.writer.flush(conversation_id)  # the tracker holds every human turn before Rasa speaks again
        turn = keys.bot_turn(conversation_id)
        await self.conversations.redis.set(turn, "1", ex=int(self.settings.rasa_timeout_s) + 5)
        replies = 0
        try:
            # Each reply goes out as Rasa utters it (its REST channel in stream mode), as Rasa's own
            # socketio channel sends it; the turn is over when the stream ends.
            async with aclosing(self.rasa.turn(conversation_id, text, metadata)) as stream:  # frees its slot
                async for reply in stream:
                    if not replies:
                        self.metrics.bot_reply(time.monotonic() - started)
                        await self.notify.customer(conversation_id, protocol.TYPING, {"who": "bot", "typing": False})
                    replies += 1
                    await self._send_replies(conversation_id, [reply], message_id)
        except RasaUnavailable as e:
            logger.warning("rasa unavailable for %s: %s", conversation_id, e)
            self.metrics.error("rasa_unavailable")
            await self.conversations.redis.delete(turn)
            await self.notify.customer(conversation_id, protocol.TYPING, {"who": "bot", "typing": False})
            await self._assistant_unavailable(conversation_id, text, message_id)
            return
        if not replies:
            await self.notify.customer(conversation_id, protocol.TYPING, {"who": "bot", "typing": False})
        await self.conversations.redis.delete(turn)
        state = (await self.conversations.require(conversation_id)).state
        if state is State.QUEUED:
            # Handed off inside this turn: plain Rasa widgets hear of their place after the bot's words.
            await self.desk.queue.announce(conversation_id)
        elif not replies and text and state is State.BOT:
            await self._no_reply(conversation_id, message_id)

    async def _send_replies(self, conversation_id: str, replies: Sequence[Mapping[str, Any]],
                            message_id: str | None, skip: int = 0) -> None:
        """Record and emit Rasa's replies (the first ``skip`` payloads were recorded by an earlier attempt)."""
        extra = {"reply_to": message_id} if message_id else {}
        base = self.settings.public_base
        payloads = [p for reply in replies for p in protocol.bot_uttered_payloads(reply, base)]
        for payload in payloads[skip:]:
            # Recorded first, then sent with the entry's id (in metadata: Rasa's keys stay Rasa's): a
            # widget that missed it live (reconnecting) finds it in the history by that id, and never
            # shows it twice.
            recorded = await self.conversations.record(conversation_id, "bot", payload.get("text", ""),
                                                       payload=payload, **extra)
            await self.notify.customer(conversation_id, protocol.BOT_UTTERED,
                                       protocol.with_metadata(payload, id=recorded["id"], **extra))
            self.metrics.relayed("bot_to_customer")

    async def _to_agent(self, conversation: Conversation, text: str, entry: Mapping[str, Any],
                        message_id: str | None) -> None:
        # To the agent at once; into Rasa's tracker after, in order (``handoff.tracker_writer``).
        if conversation.state is State.WITH_AGENT:
            await self.notify.agent(conversation.agent_id, protocol.CUSTOMER_MESSAGE, {
                "conversation_id": conversation.id, "text": text, "ts": entry.get("ts", time.time()),
                "id": entry.get("id", ""), "message_id": message_id,
                # the timers now (a next-response timer starts with this message: handoff.sla)
                "sla": await self.desk.sla.timers_of(conversation.id)})
            self.metrics.relayed("customer_to_agent")
        await self.writer.customer_line(conversation.id, text, conversation.state.value, message_id)

    async def _no_reply(self, conversation_id: str, message_id: str | None) -> None:
        """Rasa answered with nothing (its REST channel says 200 with no messages when an action fails
        inside the turn): never leave the customer waiting in silence; count it."""
        logger.warning("rasa answered %s with no reply", conversation_id)
        self.metrics.error("rasa_no_reply")
        await self._bridge_reply(conversation_id, "no_reply", message_id, "no_reply", offer_person=True)

    async def _assistant_unavailable(self, conversation_id: str, text: str, message_id: str | None) -> None:
        """Rasa could not be reached: say so, and hand over at once if the customer asked for a person."""
        if asks_for_person(text):
            await self._bridge_reply(conversation_id, "unavailable_connecting", message_id, "assistant_unavailable")
            await self.desk.handoff(conversation_id, {
                "reason": reasons.EXPLICIT_REQUEST, "evidence": [{"signal": "assistant_unavailable", "message": text}]},
                pause_rasa=True)
            return
        await self._bridge_reply(conversation_id, "assistant_unavailable", message_id, "assistant_unavailable",
                                 offer_person=True)

    async def _bridge_reply(self, conversation_id: str, key: str, message_id: str | None, event: str,
                            offer_person: bool = False) -> None:
        """The bridge answers in the assistant's place, in the conversation's language: recorded as the
        answer to ``message_id`` (a reload shows it; trainers see it), then sent in a Rasa shape with the
        entry's id in metadata."""
        language = await self.conversations.language(conversation_id)
        text = vocabulary.bridge_reply(key, language)
        payload: dict[str, Any] = {"text": text}
        if offer_person:
            payload["quick_replies"] = [vocabulary.talk_to_a_person(language)]
        extra = {"reply_to": message_id} if message_id else {}
        entry = await self.conversations.record(conversation_id, "bot", text, payload=payload, source="bridge",
                                                event=event, **extra)
        await self.notify.customer(conversation_id, protocol.BOT_UTTERED,
                                   protocol.with_metadata(payload, id=entry["id"], **extra))

    async def empty_turn(self, conversation_id: str, metadata: Mapping[str, Any]) -> str:
        """A ``user_uttered`` without a message (a Rasa widget's init payload may be one): to Rasa as the
        empty message, as Rasa's own channel does; nothing is recorded, and while a person owns the
        conversation nothing happens."""
        about(conversation_id)
        conversation = await self.conversations.require(conversation_id)
        if conversation.state is State.BOT:
            await self._bot_turn(conversation_id, "", metadata, None)
        return "ok"

    async def customer_typing(self, conversation_id: str, typing: bool) -> None:
        """Show the agent that the customer is typing."""
        about(conversation_id)
        conversation = await self.conversations.require(conversation_id)
        if conversation.state is State.WITH_AGENT:
            await self.notify.agent(conversation.agent_id, protocol.TYPING,
                                    {"conversation_id": conversation_id, "who": "customer", "typing": typing})

    # --- agents ---------------------------------------------------------------------

    async def agent_message(self, agent: Account, conversation_id: str, text: str,
                            message_id: str | None = None) -> str:
        """Relay an agent's message to the customer and record it; returns the acknowledgement."""
        about(conversation_id)
        await self.conversations.owned_by(agent.id, conversation_id)
        identity = protocol.AgentIdentity.of(agent.id, agent.name)
        attempt = await self._claim(conversation_id, f"agent:{agent.id}", message_id)

        async def handle() -> None:
            waiting_since = await self.desk.awaiting_answer(conversation_id)  # before this answer is recorded
            entry = await self._entry(attempt, conversation_id, "agent", text, message_id,
                                      agent={"id": agent.id, "name": agent.name})
            await attempt.mark_passed_on()
            await self._to_customer(agent, conversation_id, text, identity, entry, waiting_since)

        async def recover() -> None:
            # Recorded before it was passed on: send it again with the same entry id (the widget
            # shows an id once), and the job is done.
            entry = await self.conversations.find_message(conversation_id, message_id)
            if entry is not None:
                await self.notify.customer(conversation_id, protocol.BOT_UTTERED,
                                           protocol.agent_uttered(text, identity, entry["id"]))

        return await deliver(attempt, handle, recover, self.metrics)

    async def _to_customer(self, agent: Account, conversation_id: str, text: str,
                           identity: protocol.AgentIdentity, entry: dict[str, Any],
                           waiting_since: float | None = None) -> None:
        await self.notify.customer(conversation_id, protocol.BOT_UTTERED,
                                   protocol.agent_uttered(text, identity, entry["id"]))
        self.metrics.relayed("agent_to_customer")
        await self.notify.agent(agent.id, protocol.ENTRY_ADDED, {"conversation_id": conversation_id, "entry": entry})
        await self.desk.first_response(conversation_id, entry["ts"], waiting_since)
        await self.writer.agent_line(conversation_id, text, identity)

    async def agent_typing(self, agent: Account, conversation_id: str, typing: bool) -> None:
        """Show the customer that the agent is typing."""
        about(conversation_id)
        await self.conversations.owned_by(agent.id, conversation_id)
        await self.notify.customer(conversation_id, protocol.TYPING,
                                   {"who": "agent", "typing": typing, "agent": agent.name})
