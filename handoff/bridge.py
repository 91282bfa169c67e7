"""What the bridge does, whoever asked (customer socket, agent socket or HTTP).

Each operation reads and changes Redis through ``Conversations``, talks to
Rasa through ``RasaClient``, and tells the people involved through the
Socket.IO server (whose Redis manager reaches every bridge process).
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import time
from dataclasses import dataclass, field
from typing import Any, Dict, List, Mapping, Optional

import socketio
from redis.asyncio import Redis
from redis.exceptions import RedisError

from handoff import delivery, keys, messages, protocol
from handoff.accounts import Account
from handoff.config import Settings
from handoff.conversations import Conversation, Conversations
from handoff.logs import about
from handoff.metrics import Metrics
from handoff.rasa_client import RasaClient, RasaUnavailable
from handoff.state import Move, State, human_owned
from handoff.stats import Stats, summarise, day_and_hour

logger = logging.getLogger(__name__)

RETRY_LOOKBACK = 50  # transcript entries searched for a retried message id


class NotAllowed(Exception):
    """The agent may not do that; ``code`` says why."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def agent_room(agent_id: str) -> str:
    """Room of all sockets of one agent (in the agent namespace)."""
    return f"agent:{agent_id}"


AGENTS_ROOM = "agents"


@dataclass
class Bridge:
    """The bridge's operations over its shared resources."""

    settings: Settings
    redis: Redis
    sio: socketio.AsyncServer
    rasa: RasaClient
    accounts: Dict[str, Account]
    metrics: Metrics
    conversations: Conversations = field(init=False)
    stats: Stats = field(init=False)

    def __post_init__(self) -> None:
        self.conversations = Conversations(self.redis)
        self.stats = Stats(self.redis)

    # --- customers --------------------------------------------------------

    async def open_session(self, requested: Any) -> str:
        """The conversation id for a ``session_request``: the one asked for if it exists, else a new one."""
        if isinstance(requested, str):
            try:
                conversation_id = protocol.conversation_id(requested)
            except protocol.BadPayload:
                conversation_id = ""
            if conversation_id and await self.conversations.get(conversation_id):
                return conversation_id
        conversation_id = protocol.new_conversation_id()
        await self.conversations.create(conversation_id)
        await self._count({"conversations": 1})
        return conversation_id

    async def customer_message(self, conversation_id: str, text: str, metadata: Mapping[str, Any],
                               message_id: Optional[str] = None) -> str:
        """Route a customer message to Rasa or to the agent, and record it.

        Returns ``ok``, or ``duplicate`` / ``pending`` for a retried ``message_id``
        (see ``handoff.delivery``): the acknowledgement the widget waits for.
        """
        about(conversation_id)
        conversation = await self.conversations.require(conversation_id)
        attempt = await delivery.begin(self.redis, conversation_id, "customer", message_id,
                                       self.settings.message_id_ttl_s, self.settings.rasa_timeout_s + 5)
        if attempt.status == "recover":
            await self._recover_turn(conversation, text, metadata, message_id or "", attempt)
            return "ok"
        if attempt.status != "new":
            return attempt.status
        if not attempt.already_recorded and await self._recorded(conversation_id, message_id):
            # Written by an attempt that crashed and whose claim expired: it may have been passed on.
            await self._recover_turn(conversation, text, metadata, message_id or "", attempt)
            return "ok"
        try:
            await self._customer_message(conversation, text, metadata, message_id, attempt)
        except BaseException:
            await attempt.fail()
            raise
        await attempt.finish()
        return "ok"

    async def _customer_message(self, conversation: Conversation, text: str, metadata: Mapping[str, Any],
                                message_id: Optional[str], attempt: delivery.Attempt) -> None:
        conversation_id = conversation.id
        if conversation.state is State.CLOSED:
            conversation = await self.conversations.move(conversation_id, Move.REOPEN)
            await self._try_rasa(self.rasa.resume(conversation_id))
        entry = await self._recorded(conversation_id, message_id) if attempt.already_recorded else None
        if entry is None:
            extra = {"message_id": message_id} if message_id else {}
            entry = await self._record(conversation_id, "customer", text, **extra)
            await attempt.mark_recorded()
        await attempt.mark_passed_on()
        if human_owned(conversation.state):
            await self._to_agent(conversation, text, entry, message_id)
            return
        await self._bot_turn(conversation_id, text, metadata, message_id)

    async def _recover_turn(self, conversation: Conversation, text: str, metadata: Mapping[str, Any],
                            message_id: str, attempt: delivery.Attempt) -> None:
        """Finish a message whose bridge died after passing it on (see ``handoff.delivery``)."""
        logger.warning("recovering message %s: the attempt that passed it on never finished", message_id)
        entry = await self._recorded(conversation.id, message_id)
        if entry is None:
            entry = await self._record(conversation.id, "customer", text, message_id=message_id)
        events = (await self.rasa.tracker(conversation.id)).get("events") or []
        replies = protocol.turn_replies(events, message_id)
        if human_owned(conversation.state):
            if replies is None:  # not in Rasa's tracker: (again) to the tracker and the agent, same entry id
                await self._to_agent(conversation, text, entry, message_id)
        elif replies is None:  # Rasa never got it: this is its first time
            await self._bot_turn(conversation.id, text, metadata, message_id)
        else:
            done = sum(1 for e in await self.conversations.recent(conversation.id, RETRY_LOOKBACK)
                       if e.get("reply_to") == message_id)
            await self._send_replies(conversation.id, replies, message_id, skip=done)
        await attempt.finish()

    async def _bot_turn(self, conversation_id: str, text: str, metadata: Mapping[str, Any],
                        message_id: Optional[str]) -> None:
        """Send the message to Rasa and the replies to the customer."""
        if message_id:
            metadata = {**metadata, "message_id": message_id}
        self.metrics.relayed("customer_to_bot")
        started = time.monotonic()
        await self.sio.emit(protocol.TYPING, {"who": "bot", "typing": True}, room=conversation_id)
        try:
            replies = await self.rasa.send(conversation_id, text, metadata)
        except RasaUnavailable as e:
            logger.warning("rasa unavailable for %s: %s", conversation_id, e)
            self.metrics.error("rasa_unavailable")
            await self.sio.emit(protocol.TYPING, {"who": "bot", "typing": False}, room=conversation_id)
            await self._assistant_unavailable(conversation_id, text)
            return
        self.metrics.bot_reply(time.monotonic() - started)
        await self.sio.emit(protocol.TYPING, {"who": "bot", "typing": False}, room=conversation_id)
        await self._send_replies(conversation_id, replies, message_id)

    async def _send_replies(self, conversation_id: str, replies: List[Mapping[str, Any]],
                            message_id: Optional[str], skip: int = 0) -> None:
        """Record and emit Rasa's replies (the first ``skip`` payloads were recorded by an earlier attempt)."""
        extra = {"reply_to": message_id} if message_id else {}
        payloads = [p for reply in replies for p in protocol.bot_uttered_payloads(reply)]
        for payload in payloads[skip:]:
            # Recorded first, then sent with the entry's id: a widget that missed it live
            # (reconnecting) finds it in the history by that id, and never shows it twice.
            recorded = await self._record(conversation_id, "bot", payload.get("text", ""), payload=payload, **extra)
            await self.sio.emit(protocol.BOT_UTTERED, {**payload, "id": recorded["id"]}, room=conversation_id)
            self.metrics.relayed("bot_to_customer")

    async def _to_agent(self, conversation: Conversation, text: str, entry: Mapping[str, Any],
                        message_id: Optional[str]) -> None:
        # Into Rasa's tracker first, then to the agent: the agent's answer can
        # then never land in the tracker before the message it answers.
        # Rasa's NLU still reads the human part (trainers learn from it); a
        # user event needs parse data, so a failed parse is logged as a fallback.
        try:
            parse_data = await self.rasa.parse(text)
        except RasaUnavailable:
            parse_data = {}
        if not (parse_data.get("intent") or {}).get("name"):
            parse_data = {"intent": {"name": "nlu_fallback", "confidence": 0.0}, "entities": [], "text": text}
        await self._try_rasa(self.rasa.append_events(conversation.id, [
            {"event": "action", "name": "action_listen", "timestamp": time.time()},
            {"event": "user", "text": text, "timestamp": time.time(), "input_channel": "handoff_bridge",
             "parse_data": parse_data, "metadata": {"handoff": conversation.state.value,
                                                    **({"message_id": message_id} if message_id else {})}},
        ]))
        if conversation.state is State.WITH_AGENT:
            await self.sio.emit(
                protocol.CUSTOMER_MESSAGE,
                {"conversation_id": conversation.id, "text": text, "ts": entry.get("ts", time.time()),
                 "id": entry.get("id", ""), "message_id": message_id},
                room=agent_room(conversation.agent_id), namespace=protocol.AGENT_NAMESPACE,
            )
            self.metrics.relayed("customer_to_agent")

    async def _assistant_unavailable(self, conversation_id: str, text: str) -> None:
        if any(word in text.lower() for word in messages.PERSON_WORDS):
            await self.handoff(conversation_id, {"reason": "explicit_request",
                                                 "evidence": [{"signal": "assistant_unavailable", "message": text}]},
                               pause_rasa=True)
            return
        payload = {"text": messages.ASSISTANT_UNAVAILABLE, "quick_replies": [messages.TALK_TO_A_PERSON]}
        await self.sio.emit(protocol.BOT_UTTERED, payload, room=conversation_id)
        await self._record(conversation_id, "system", messages.ASSISTANT_UNAVAILABLE)

    async def customer_typing(self, conversation_id: str, typing: bool) -> None:
        """Show the agent that the customer is typing."""
        about(conversation_id)
        conversation = await self.conversations.require(conversation_id)
        if conversation.state is State.WITH_AGENT:
            await self.sio.emit(protocol.TYPING, {"conversation_id": conversation_id, "who": "customer",
                                                  "typing": typing},
                                room=agent_room(conversation.agent_id), namespace=protocol.AGENT_NAMESPACE)

    async def leave_message(self, conversation_id: str, email: str, text: str) -> str:
        """Turn a waiting conversation into a ticket; return the ticket id."""
        about(conversation_id)
        conversation = await self.conversations.require(conversation_id)
        if conversation.state is not State.QUEUED:
            raise NotAllowed("not_waiting", "a message can be left only while waiting for a person")
        await self.conversations.take_from_queue(conversation_id)
        await self.conversations.move(conversation_id, Move.LEAVE_MESSAGE)
        ticket_id = "T-" + secrets.token_hex(4).upper()
        await self.redis.hset(keys.ticket(ticket_id), mapping={
            "id": ticket_id, "conversation_id": conversation_id, "email": email, "text": text,
            "reason": conversation.reason, "created_at": str(time.time()), "status": "open"})
        await self.redis.lpush(keys.TICKETS, ticket_id)
        await self._record(conversation_id, "system", f"left a message: ticket {ticket_id}",
                           event="ticket", public=messages.CUSTOMER_STATUS["ticket"].format(ticket=ticket_id))
        await self._try_rasa(self.rasa.resume(conversation_id))
        await self.sio.emit(protocol.TICKET_CREATED, {"ticket_id": ticket_id}, room=conversation_id)
        await self.broadcast_queue()
        await self.sio.emit(protocol.TICKETS, await self.tickets(), room=AGENTS_ROOM, namespace=protocol.AGENT_NAMESPACE)
        return ticket_id

    # --- the handoff --------------------------------------------------------

    async def handoff(self, conversation_id: str, context: Mapping[str, Any], pause_rasa: bool = False) -> str:
        """Queue a conversation for a person. Returns ``queued``, or ``unchanged`` if a person already has it.

        A handoff from the action server arrives while Rasa still holds the
        conversation's lock, so the action pauses Rasa itself (pausing from
        here would wait for that lock); ``pause_rasa`` is for handoffs the
        bridge starts on its own, when the assistant is down.
        """
        about(conversation_id)
        conversation = await self.conversations.get(conversation_id) or await self.conversations.create(conversation_id)
        if human_owned(conversation.state):
            return "unchanged"
        reason = str(context.get("reason") or "explicit_request")
        conversation = await self.conversations.move(
            conversation_id, Move.HANDOFF, reason=reason, priority=protocol.priority_for(reason),
            queued_at=time.time(), agent_id="", context=dict(context))
        await self.conversations.enqueue(conversation)
        await self._record(conversation_id, "system", f"handed off ({reason})", event="handoff",
                           public=messages.CUSTOMER_STATUS["handoff"])
        first = await self.redis.hsetnx(keys.conversation(conversation_id), "handed_off_at", str(time.time()))
        await self._count({"handoffs": 1, f"handoff:{reason}": 1, "handed_off": 1 if first else 0})
        self.metrics.handoff(reason)
        if pause_rasa:
            await self._try_rasa(self.rasa.pause(conversation_id))
        await self.refresh_positions()  # a higher-priority arrival moves others back
        await self.broadcast_queue()
        if self.settings.auto_assign:
            await self.auto_assign()
        return "queued"

    async def tell_position(self, conversation_id: str) -> None:
        """Tell a waiting customer their place in line, or that nobody is there."""
        position = await self.conversations.position(conversation_id)
        if position is None:
            return
        available = await self.redis.scard(keys.AVAILABLE_AGENTS)
        wait = protocol.estimated_wait_s(position, available, self.settings.average_handle_s)
        await self.sio.emit(protocol.HANDOFF_QUEUED, {"position": position, "estimated_wait_s": wait,
                                                      "agents_available": available}, room=conversation_id)
        if available == 0:
            await self.sio.emit(protocol.HANDOFF_NO_AGENT, {"options": ["wait", "leave_message"]},
                                room=conversation_id)

    async def queue_snapshot(self) -> List[Dict[str, Any]]:
        """The queue as agents see it, in serving order."""
        now = time.time()
        snapshot = []
        for position, conversation_id in enumerate(await self.conversations.queued_ids(), 1):
            conversation = await self.conversations.get(conversation_id)
            if conversation is None:
                continue
            snapshot.append({
                "conversation_id": conversation_id, "position": position, "reason": conversation.reason,
                "priority": conversation.priority, "waiting_s": round(now - conversation.queued_at, 1),
                "evidence": conversation.context.get("evidence", []),
                "summary": conversation.context.get("summary", ""),
                "score": protocol.queue_score(conversation.context),
            })
        return snapshot

    async def broadcast_queue(self) -> None:
        """Send the queue to every agent, and their new place to every waiting customer."""
        await self.sio.emit(protocol.QUEUE, await self.queue_snapshot(), room=AGENTS_ROOM,
                            namespace=protocol.AGENT_NAMESPACE)

    async def refresh_positions(self) -> None:
        """Tell every waiting customer their current place in line."""
        for conversation_id in await self.conversations.queued_ids():
            await self.tell_position(conversation_id)

    # --- agents -------------------------------------------------------------

    async def claim(self, agent: Account, conversation_id: str) -> Dict[str, Any]:
        """Give a queued conversation to ``agent``; exactly one of several claimers wins."""
        about(conversation_id)
        await self.conversations.require(conversation_id)
        owned = await self.redis.scard(keys.agent_conversations(agent.id))
        if owned >= agent.capacity:
            raise NotAllowed("at_capacity", f"you already have {owned} conversations (capacity {agent.capacity})")
        if not await self.conversations.take_from_queue(conversation_id):
            raise NotAllowed("already_claimed", "this conversation is not waiting any more (another agent took it)")
        conversation = await self.conversations.move(conversation_id, Move.CLAIM, agent_id=agent.id,
                                                     claimed_at=time.time())
        await self.redis.sadd(keys.agent_conversations(agent.id), conversation_id)
        await self.redis.hset(keys.agent(agent.id), "last_assigned", str(time.time()))
        waited = max(0.0, time.time() - conversation.queued_at)
        await self._count({"claimed": 1, "wait_s": round(waited, 3)})
        self.metrics.claimed_after(waited)
        await self._joined(conversation, agent)
        await self.broadcast_queue()
        await self.refresh_positions()
        await self.broadcast_agents()
        return await self.conversation_view(conversation_id)

    async def _joined(self, conversation: Conversation, agent: Account) -> None:
        identity = {"id": agent.id, "name": agent.name}
        await self._record(conversation.id, "system", f"{agent.name} joined", event="joined", agent=identity,
                           public=messages.CUSTOMER_STATUS["joined"].format(agent=agent.name))
        await self._try_rasa(self.rasa.pause(conversation.id))  # re-assert: a new Rasa session un-pauses
        await self.sio.emit(protocol.AGENT_JOINED, {"agent": protocol.public_agent(agent.id, agent.name)},
                            room=conversation.id)
        await self.sio.emit(protocol.CLAIMED, await self.conversation_view(conversation.id),
                            room=agent_room(agent.id), namespace=protocol.AGENT_NAMESPACE)

    async def conversation_view(self, conversation_id: str) -> Dict[str, Any]:
        """Everything an agent sees of a conversation: transcript and handoff context."""
        conversation = await self.conversations.require(conversation_id)
        return {"conversation_id": conversation_id, "state": conversation.state.value,
                "reason": conversation.reason, "agent_id": conversation.agent_id, "context": conversation.context,
                "transcript": await self.conversations.transcript(conversation_id)}

    async def customer_view(self, conversation_id: str) -> Dict[str, Any]:
        """What the customer's widget gets after ``session_confirm``: the ``history`` event."""
        conversation = await self.conversations.require(conversation_id)
        agent = self.accounts.get(conversation.agent_id) if conversation.state is State.WITH_AGENT else None
        raw = await self.redis.hmget(keys.conversation(conversation_id), ["closed_at", "rated_at"])
        closed_at, rated_at = (float(v) if v else 0.0 for v in raw)
        return {"state": conversation.state.value,
                "transcript": protocol.customer_transcript(await self.conversations.transcript(conversation_id)),
                "agent": protocol.public_agent(agent.id, agent.name) if agent else None,
                "surveyed": bool(rated_at) and rated_at >= closed_at,
                "survey_pending": conversation.state is State.CLOSED and bool(closed_at) and rated_at < closed_at}

    async def _owned(self, agent: Account, conversation_id: str) -> Conversation:
        conversation = await self.conversations.require(conversation_id)
        if conversation.state is not State.WITH_AGENT or conversation.agent_id != agent.id:
            raise NotAllowed("not_yours", "you do not own this conversation")
        return conversation

    async def agent_message(self, agent: Account, conversation_id: str, text: str,
                            message_id: Optional[str] = None) -> str:
        """Relay an agent's message to the customer and record it; ``ok``, ``duplicate`` or ``pending``."""
        about(conversation_id)
        await self._owned(agent, conversation_id)
        attempt = await delivery.begin(self.redis, conversation_id, f"agent:{agent.id}", message_id,
                                       self.settings.message_id_ttl_s, self.settings.rasa_timeout_s + 5)
        if attempt.status == "recover":
            # Recorded before it was passed on: send it again with the same entry id (the widget
            # shows an id once), and the job is done.
            entry = await self._recorded(conversation_id, message_id)
            if entry is not None:
                identity = protocol.AgentIdentity.of(agent.id, agent.name)
                await self.sio.emit(protocol.BOT_UTTERED, {**protocol.agent_uttered(text, identity),
                                                           "id": entry["id"]}, room=conversation_id)
            await attempt.finish()
            return "ok"
        if attempt.status != "new":
            return attempt.status
        if not attempt.already_recorded and await self._recorded(conversation_id, message_id):
            await attempt.finish()
            return "duplicate"
        try:
            await self._agent_message(agent, conversation_id, text, message_id, attempt)
        except BaseException:
            await attempt.fail()
            raise
        await attempt.finish()
        return "ok"

    async def _agent_message(self, agent: Account, conversation_id: str, text: str, message_id: Optional[str],
                             attempt: delivery.Attempt) -> None:
        identity = protocol.AgentIdentity.of(agent.id, agent.name)
        extra = {"message_id": message_id} if message_id else {}
        entry = await self._recorded(conversation_id, message_id) if attempt.already_recorded else None
        if entry is None:
            entry = await self._record(conversation_id, "agent", text, agent={"id": agent.id, "name": agent.name},
                                       **extra)
            await attempt.mark_recorded()
        await attempt.mark_passed_on()
        await self.sio.emit(protocol.BOT_UTTERED, {**protocol.agent_uttered(text, identity), "id": entry["id"]},
                            room=conversation_id)
        self.metrics.relayed("agent_to_customer")
        await self._to_agents_of(agent.id, protocol.ENTRY_ADDED, {"conversation_id": conversation_id, "entry": entry})
        if await self.redis.hsetnx(keys.conversation(conversation_id), "first_response_at", str(entry["ts"])):
            queued_at = (await self.conversations.require(conversation_id)).queued_at
            await self._count({"first_responses": 1, "first_response_s": round(max(0.0, entry["ts"] - queued_at), 3)})
        await self._try_rasa(self.rasa.append_events(conversation_id, [
            {"event": "bot", "text": text, "timestamp": time.time(), "metadata": identity.as_metadata()}]))

    async def note(self, agent: Account, conversation_id: str, text: str) -> None:
        """An internal note on an owned conversation: agents see it, the customer never does."""
        about(conversation_id)
        await self._owned(agent, conversation_id)
        entry = await self._record(conversation_id, "note", text, agent={"id": agent.id, "name": agent.name})
        await self._to_agents_of(agent.id, protocol.ENTRY_ADDED, {"conversation_id": conversation_id, "entry": entry})

    async def agent_typing(self, agent: Account, conversation_id: str, typing: bool) -> None:
        """Show the customer that the agent is typing."""
        about(conversation_id)
        await self._owned(agent, conversation_id)
        await self.sio.emit(protocol.TYPING, {"who": "agent", "typing": typing, "agent": agent.name},
                            room=conversation_id)

    async def hand_back(self, agent: Account, conversation_id: str) -> None:
        """Return the conversation to the assistant."""
        about(conversation_id)
        await self._owned(agent, conversation_id)
        await self.conversations.move(conversation_id, Move.HAND_BACK, agent_id="")
        await self._released(agent.id, conversation_id, "handed back to the assistant", event="returned")
        await self.sio.emit(protocol.HANDOFF_RETURNED, {}, room=conversation_id)

    async def close(self, agent: Account, conversation_id: str, resolution: Any) -> None:
        """End the conversation with a resolution code (``protocol.RESOLUTION_CODES``)."""
        about(conversation_id)
        await self._owned(agent, conversation_id)
        resolution = protocol.resolution_code(resolution)
        await self.conversations.move(conversation_id, Move.CLOSE, resolution=resolution, closed_at=time.time())
        await self._count({"closed": 1})
        await self._released(agent.id, conversation_id, f"closed: {resolution}", event="closed")
        await self.sio.emit(protocol.HANDOFF_CLOSED, {"resolution": resolution}, room=conversation_id)

    async def transfer(self, agent: Account, conversation_id: str, to_agent: Optional[Account]) -> None:
        """Give an owned conversation to another agent."""
        about(conversation_id)
        await self._owned(agent, conversation_id)
        if to_agent is None or to_agent.id == agent.id:
            raise NotAllowed("bad_agent", "choose another existing agent")
        if await self.redis.scard(keys.agent_conversations(to_agent.id)) >= to_agent.capacity:
            raise NotAllowed("at_capacity", f"{to_agent.name} is at capacity")
        conversation = await self.conversations.move(conversation_id, Move.TRANSFER, agent_id=to_agent.id)
        await self.redis.srem(keys.agent_conversations(agent.id), conversation_id)
        await self.redis.sadd(keys.agent_conversations(to_agent.id), conversation_id)
        await self._record(conversation_id, "system", f"{agent.name} transferred the conversation to {to_agent.name}",
                           event="left", public=messages.CUSTOMER_STATUS["left"].format(agent=agent.name))
        await self.sio.emit(protocol.AGENT_LEFT, {"agent": protocol.public_agent(agent.id, agent.name)},
                            room=conversation_id)
        await self.sio.emit(protocol.CONVERSATION_ENDED, {"conversation_id": conversation_id,
                                                          "how": f"transferred to {to_agent.name}"},
                            room=agent_room(agent.id), namespace=protocol.AGENT_NAMESPACE)
        await self._joined(conversation, to_agent)
        await self.broadcast_agents()

    async def _released(self, agent_id: str, conversation_id: str, note: str, event: str) -> None:
        await self.redis.srem(keys.agent_conversations(agent_id), conversation_id)
        await self._record(conversation_id, "system", note, event=event, public=messages.CUSTOMER_STATUS[event])
        await self._try_rasa(self.rasa.resume(conversation_id))
        await self.sio.emit(protocol.CONVERSATION_ENDED, {"conversation_id": conversation_id, "how": note},
                            room=agent_room(agent_id), namespace=protocol.AGENT_NAMESPACE)
        await self.broadcast_agents()

    async def requeue_agent(self, agent_id: str) -> List[str]:
        """Put an agent's conversations back at the front of the queue (the agent is gone)."""
        moved = []
        for conversation_id in await self.redis.smembers(keys.agent_conversations(agent_id)):
            conversation = await self.conversations.move(conversation_id, Move.REQUEUE, agent_id="")
            await self.conversations.enqueue(conversation, front=True)
            await self.redis.srem(keys.agent_conversations(agent_id), conversation_id)
            await self._record(conversation_id, "system", "agent disconnected; back in the queue", event="requeued",
                               public=messages.CUSTOMER_STATUS["handoff"])
            account = self.accounts.get(agent_id)
            await self.sio.emit(protocol.AGENT_LEFT, {"agent": protocol.public_agent(
                agent_id, account.name if account else "")}, room=conversation_id)
            moved.append(conversation_id)
        if moved:
            await self.broadcast_queue()
            await self.refresh_positions()
        await self.broadcast_agents()
        return moved

    async def auto_assign(self) -> None:
        """Give queued conversations to the least busy available agents, while anyone has room."""
        for conversation_id in await self.conversations.queued_ids():
            agent = await self._least_busy_agent()
            if agent is None:
                return
            try:
                await self.claim(agent, conversation_id)
            except NotAllowed:
                continue

    async def _least_busy_agent(self) -> Optional[Account]:
        candidates = []
        for agent_id in await self.redis.smembers(keys.AVAILABLE_AGENTS):
            account = self.accounts.get(agent_id)
            if account is None:
                continue
            load = await self.redis.scard(keys.agent_conversations(agent_id))
            last = float(await self.redis.hget(keys.agent(agent_id), "last_assigned") or 0)
            if load < account.capacity:
                candidates.append((load, last, account))
        return min(candidates, key=lambda c: (c[0], c[1]))[2] if candidates else None

    async def offer_after_max_wait(self) -> int:
        """Offer to leave a message to everyone who waited longer than ``max_wait_s`` (once each)."""
        offered = 0
        now = time.time()
        for conversation_id in await self.conversations.queued_ids():
            conversation = await self.conversations.get(conversation_id)
            if conversation is None or now - conversation.queued_at < self.settings.max_wait_s:
                continue
            if await self.redis.hsetnx(keys.conversation(conversation_id), "wait_offer_at", str(now)):
                await self.sio.emit(protocol.HANDOFF_NO_AGENT, {"options": ["wait", "leave_message"],
                                                                "why": "max_wait"}, room=conversation_id)
                offered += 1
        return offered

    async def ticket_handled(self, agent: Account, ticket_id: Any) -> None:
        """Mark a ticket handled by ``agent`` and show everyone the new list."""
        if not isinstance(ticket_id, str) or not await self.redis.exists(keys.ticket(ticket_id)):
            raise NotAllowed("unknown_ticket", "no ticket with that id")
        await self.redis.hset(keys.ticket(ticket_id), mapping={"status": "handled", "handled_by": agent.name,
                                                               "handled_at": str(time.time())})
        await self.sio.emit(protocol.TICKETS, await self.tickets(), room=AGENTS_ROOM, namespace=protocol.AGENT_NAMESPACE)

    async def survey(self, conversation_id: str, rating: int, comment: str) -> None:
        """Store the customer's rating of a conversation an agent closed (once per close).

        Kept with the conversation in Redis and in Rasa's tracker as the
        ``satisfaction`` slot, where the trainer's filters read it.
        """
        about(conversation_id)
        key = keys.conversation(conversation_id)
        await self.conversations.require(conversation_id)
        closed_at, rated_at = (float(v) if v else 0.0 for v in await self.redis.hmget(key, ["closed_at", "rated_at"]))
        if not closed_at:
            raise NotAllowed("not_closed", "a rating is asked for when a person has closed the conversation")
        if rated_at >= closed_at:
            raise NotAllowed("already_rated", "this conversation was rated already")
        now = time.time()
        await self.redis.hset(key, mapping={"satisfaction": str(rating), "satisfaction_comment": comment,
                                            "rated_at": str(now)})
        await self._count({"ratings": 1, "rating_sum": rating})
        await self._record(conversation_id, "system", f"rated {rating}/5" + (f": {comment}" if comment else ""),
                           event="rated", rating=rating, public=messages.CUSTOMER_STATUS["rated"])
        await self._try_rasa(self.rasa.append_events(conversation_id, [
            {"event": "slot", "name": "satisfaction", "value": rating, "timestamp": now},
            {"event": "slot", "name": "satisfaction_comment", "value": comment or None, "timestamp": now}]))
        await self.sio.emit(protocol.SURVEY_SAVED, {"rating": rating}, room=conversation_id)

    # --- the team ---------------------------------------------------------------

    async def agents_view(self) -> List[Dict[str, Any]]:
        """Every agent with availability (``offline`` without a socket), load and capacity."""
        team = []
        for account in self.accounts.values():
            status = await self.redis.hget(keys.agent(account.id), "status")
            online = int(await self.redis.get(keys.agent_connections(account.id)) or 0) > 0
            team.append({"id": account.id, "name": account.name, "role": account.role,
                         "status": (status or "available") if online else "offline",
                         "load": await self.redis.scard(keys.agent_conversations(account.id)),
                         "capacity": account.capacity})
        return team

    async def broadcast_agents(self) -> None:
        """Send the team's availability and load to every agent."""
        await self.sio.emit(protocol.AGENTS, await self.agents_view(), room=AGENTS_ROOM,
                            namespace=protocol.AGENT_NAMESPACE)

    async def stats_view(self) -> Dict[str, Any]:
        """The supervisor page's figures: now (queue, agents) and today (counters, per hour)."""
        now = time.time()
        queue = await self.queue_snapshot()
        team = await self.agents_view()
        day, _ = day_and_hour(now)
        figures = summarise(await self.stats.day(day), day)
        return {"now": {"queue_length": len(queue),
                        "longest_wait_s": max((q["waiting_s"] for q in queue), default=0.0),
                        "agents_available": sum(1 for a in team if a["status"] == "available"),
                        "agents": [{"id": a["id"], "name": a["name"], "status": a["status"],
                                    "conversations": a["load"], "capacity": a["capacity"]} for a in team]},
                **figures}

    async def tickets(self) -> List[Dict[str, Any]]:
        """Tickets left by customers, newest first."""
        found = []
        for ticket_id in await self.redis.lrange(keys.TICKETS, 0, 199):
            ticket = await self.redis.hgetall(keys.ticket(ticket_id))
            if ticket:
                found.append(ticket)
        return found

    # --- helpers --------------------------------------------------------------

    async def _record(self, conversation_id: str, role: str, text: str, **extra: Any) -> Dict[str, Any]:
        entry = {"id": secrets.token_hex(6), "role": role, "text": text, "ts": time.time(), **extra}
        await self.conversations.append(conversation_id, entry)
        return entry

    async def _recorded(self, conversation_id: str, message_id: Optional[str]) -> Optional[Dict[str, Any]]:
        """The transcript entry of a client's ``message_id`` (a retry after a failed attempt), or ``None``."""
        if not message_id:
            return None
        return next((e for e in await self.conversations.recent(conversation_id, RETRY_LOOKBACK)
                     if e.get("message_id") == message_id), None)

    async def _count(self, amounts: Mapping[str, float]) -> None:
        """Add to the supervisor's counters; a failure there never stops the operation that counts."""
        try:
            await self.stats.add(amounts)
        except RedisError as e:
            logger.warning("could not update the figures %s: %s", sorted(amounts), e)

    async def _to_agents_of(self, agent_id: str, event: str, payload: Any) -> None:
        await self.sio.emit(event, payload, room=agent_room(agent_id), namespace=protocol.AGENT_NAMESPACE)

    @staticmethod
    async def _try_rasa(call: Any) -> None:
        """Tracker edits are best effort: the live transcript in Redis keeps every turn regardless."""
        try:
            await call
        except RasaUnavailable as e:
            logger.warning("could not update Rasa's tracker: %s", e)


async def watch_waiting(bridge: Bridge, every_s: float) -> None:
    """Background task: keep offering a message to whoever waited too long; survive any one failure."""
    while True:
        await asyncio.sleep(every_s)
        try:
            await bridge.offer_after_max_wait()
        except asyncio.CancelledError:
            raise
        except Exception:  # noqa: BLE001 - log and go on; Redis may be briefly down
            logger.exception("max-wait check failed")
