"""The desk: a conversation's way from the assistant to a person and back.

Handoff into the queue, claim (by an agent or by auto-assignment), transfer, hand
back, close, requeue when an agent vanishes, a message left instead of waiting, and
internal notes. Each step moves the state machine (``handoff.state``), writes the
transcript, keeps Rasa paused or resumed, and tells the people involved.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

from redis.asyncio import Redis

from bot.language.choice import DEFAULT_LANGUAGE
from handoff import keys, protocol, vocabulary
from handoff.accounts import Account
from handoff.agents import Agents
from handoff.assignment import pick_agent
from handoff.config import Settings
from handoff.conversations import Conversation, Conversations
from handoff.errors import IllegalMove, NotAllowed
from handoff.idle import AUTO_RESOLVED
from handoff.logs import about
from handoff.metrics import Metrics
from handoff.notify import Notify
from handoff.outbox import Outbox
from handoff.queue import Queue
from handoff.rasa_client import RasaClient, best_effort
from handoff.schedule import desk_status
from handoff.sla_watch import SlaWatch
from handoff.state import Move, State, human_owned
from handoff.stats import Stats
from handoff.tickets import Tickets
from handoff.tracker_writer import TrackerWriter
from handoff.views import Views


class Desk:
    """Moves conversations between the assistant, the queue and the agents."""

    def __init__(self, settings: Settings, redis: Redis, conversations: Conversations, queue: Queue,
                 agents: Agents, tickets: Tickets, views: Views, rasa: RasaClient, writer: TrackerWriter,
                 notify: Notify, stats: Stats, metrics: Metrics, sla: SlaWatch, outbox: Outbox) -> None:
        self.settings, self.redis, self.conversations, self.queue = settings, redis, conversations, queue
        self.agents, self.tickets, self.views, self.rasa = agents, tickets, views, rasa
        self.writer, self.notify, self.stats, self.metrics, self.sla = writer, notify, stats, metrics, sla
        self.outbox = outbox

    # --- into the queue -----------------------------------------------------------

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
        reason = str(context.get("reason") or vocabulary.DEFAULT_REASON)
        conversation = await self.conversations.move(
            conversation_id, Move.HANDOFF, reason=reason, priority=vocabulary.priority_for(reason),
            queued_at=time.time(), agent_id="", context=dict(context))
        await self.queue.enqueue(conversation)
        await self.conversations.record(conversation_id, "system", vocabulary.agent_line("handoff", reason=reason),
                                        event="handoff", **vocabulary.agent_status("handoff", reason=reason),
                                        **vocabulary.customer_status("handoff"))
        first = await self.redis.hsetnx(keys.conversation(conversation_id), "handed_off_at", str(time.time()))
        await self.stats.count({"handoffs": 1, f"handoff:{reason}": 1, "handed_off": 1 if first else 0},
                               conversation.spoken_language)
        self.metrics.handoff(reason)
        if pause_rasa:
            await best_effort(self.rasa.pause(conversation_id))
        # A higher-priority arrival moves others back. Plain Rasa widgets hear of the new place now,
        # unless this handoff came from inside a bot turn: then after that turn's words (relay).
        in_turn = bool(await self.redis.exists(keys.bot_turn(conversation_id)))
        await self.queue.refresh_positions(announce=set() if in_turn else {conversation_id})
        await self.queue.broadcast()
        await self.assign_if_automatic()
        return "queued"

    async def leave_message(self, conversation_id: str, email: str, text: str) -> str:
        """Turn a waiting conversation into a ticket; return the ticket id."""
        about(conversation_id)
        conversation = await self.conversations.require(conversation_id)
        if conversation.state is not State.QUEUED:
            raise NotAllowed("not_waiting", "a message can be left only while waiting for a person")
        # The ticket first: whatever fails after, the customer's message is kept.
        ticket_id = await self.tickets.create(conversation_id, email, text, conversation.reason)
        await self.redis.hset(keys.conversation(conversation_id), "contact_email", email)  # the customer gave it
        taken = await self.queue.take(conversation_id)
        if not taken and (await self.conversations.require(conversation_id)).state is not State.QUEUED:
            # An agent took the conversation meanwhile.
            await self.tickets.discard(ticket_id)
            raise NotAllowed("not_waiting", "a person has just taken your conversation")
        await self.conversations.move(conversation_id, Move.LEAVE_MESSAGE)
        await self.conversations.record(conversation_id, "system", vocabulary.agent_line("ticket", ticket=ticket_id),
                                        **vocabulary.agent_status("ticket", ticket=ticket_id),
                                        event="ticket", **vocabulary.customer_status("ticket", ticket=ticket_id))
        await self._resume_rasa(conversation_id)
        await self._acknowledge(conversation, email, text, ticket_id)
        await self.notify.customer(conversation_id, protocol.TICKET_CREATED, {"ticket_id": ticket_id})
        await self.queue.broadcast()
        await self.notify.agents(protocol.TICKETS, await self.tickets.all())
        return ticket_id

    async def _acknowledge(self, conversation: Conversation, email: str, text: str, ticket_id: str) -> None:
        """The acknowledgement of a left message, in the customer's language, with its reference and,
        out of hours, when the desk opens (``handoff.outbox``)."""
        language = conversation.spoken_language
        desk = desk_status(self.queue.schedule, time.time())
        opens = (desk.get("opens") or {}).get(language) if not desk["open"] else None
        await self.outbox.add(email, "ticket_ack", language, conversation.id, ticket=ticket_id, text=text,
                              when=vocabulary.reply_when(language, opens))

    async def reply_to_ticket(self, agent: Account, ticket_id: Any, text: str) -> None:
        """An agent answers a left message: the answer goes to the customer's address (the outbox), in
        their language, and the ticket is handled."""
        ticket = await self.tickets.get(ticket_id)
        conversation = await self.conversations.get(ticket["conversation_id"]) if ticket.get("conversation_id") else None
        language = conversation.spoken_language if conversation else DEFAULT_LANGUAGE
        await self.outbox.add(ticket["email"], "ticket_reply", language, ticket.get("conversation_id", ""),
                              ticket=str(ticket_id), text=text, agent=agent.name)
        await self.tickets.mark_handled(ticket_id, agent.name)

    # --- to an agent ------------------------------------------------------------------

    async def claim(self, agent: Account, conversation_id: str) -> dict[str, Any]:
        """Give a queued conversation to ``agent``; exactly one of several claimers wins."""
        about(conversation_id)
        await self.conversations.require(conversation_id)
        owned = await self.agents.load(agent.id)
        if owned >= agent.capacity:
            raise NotAllowed("at_capacity", f"you already have {owned} conversations (capacity {agent.capacity})")
        if not await self.queue.take(conversation_id):
            raise NotAllowed("already_claimed", "this conversation is not waiting any more (another agent took it)")
        conversation = await self.conversations.move(conversation_id, Move.CLAIM, agent_id=agent.id,
                                                     claimed_at=time.time())
        await self.agents.take(agent.id, conversation_id)
        waited = max(0.0, time.time() - conversation.queued_at)
        await self.stats.count({"claimed": 1, "wait_s": round(waited, 3)}, conversation.spoken_language)
        self.metrics.claimed_after(waited)
        await self._joined(conversation, agent)
        await self.queue.broadcast()
        await self.queue.refresh_positions()
        await self.agents.broadcast()
        return await self.views.conversation(conversation_id)

    async def assign_if_automatic(self) -> None:
        """Run auto-assignment when it is on: after anything that can change who may take a conversation
        (a handoff, a freed slot, an agent arriving, leaving or going away: the last speaker of a language
        gone lets anyone take its conversations)."""
        if self.settings.auto_assign:
            await self.auto_assign()

    async def auto_assign(self) -> None:
        """Give queued conversations, in serving order, to the least busy available agents who speak
        their language (``handoff.assignment``), while anyone has room."""
        for conversation in await self.conversations.get_many(await self.queue.ids()):
            if conversation is None:
                continue
            loads = await self.agents.available_loads()
            if not any(load.has_room for load in loads):
                return
            agent_id = pick_agent(loads, conversation.spoken_language)
            if agent_id is None:
                continue  # its language's agents are full: it waits for them; the next one may be served
            try:
                await self.claim(self.agents.accounts[agent_id], conversation.id)
            except NotAllowed:
                continue

    async def _joined(self, conversation: Conversation, agent: Account) -> None:
        await self.conversations.record(conversation.id, "system", vocabulary.agent_line("joined", agent=agent.name),
                                        event="joined", **vocabulary.agent_status("joined", agent=agent.name),
                                        agent={"id": agent.id, "name": agent.name},
                                        **vocabulary.customer_status("joined", agent=agent.name))
        await best_effort(self.rasa.pause(conversation.id))  # re-assert: a new Rasa session un-pauses
        await self.notify.customer(conversation.id, protocol.AGENT_JOINED,
                                   {"agent": protocol.public_agent(agent.id, agent.name)})
        await self.notify.agent(agent.id, protocol.CLAIMED, await self.views.conversation(conversation.id))

    async def awaiting_answer(self, conversation_id: str) -> float | None:
        """When the customer's unanswered message came (after the agent's first answer), else ``None``:
        read before an agent's message is recorded, to stop the ``next_response`` timer."""
        raw = await self.redis.hmget(keys.conversation(conversation_id),
                                     ["first_response_at", "last_customer_at", "last_agent_at"])
        first, customer_at, agent_at = (float(v) if v else 0.0 for v in raw)
        return customer_at if first and customer_at > max(first, agent_at) else None

    async def first_response(self, conversation_id: str, ts: float, waiting_since: float | None = None) -> None:
        """Count the agent's first answer after a handoff (once per wait), and stop its timer; a later
        answer to a waiting customer (``waiting_since``) stops the ``next_response`` timer."""
        if await self.redis.hsetnx(keys.conversation(conversation_id), "first_response_at", str(ts)):
            conversation = await self.conversations.require(conversation_id)
            await self.stats.count({"first_responses": 1,
                                    "first_response_s": round(max(0.0, ts - conversation.queued_at), 3)},
                                   conversation.spoken_language)
            await self.sla.stopped(conversation_id, "first_response", ts)
        elif waiting_since is not None:
            await self.sla.stopped(conversation_id, "next_response", ts, started=waiting_since)

    async def note(self, agent: Account, conversation_id: str, text: str) -> None:
        """An internal note on an owned conversation: agents see it, the customer never does."""
        about(conversation_id)
        await self.conversations.owned_by(agent.id, conversation_id)
        entry = await self.conversations.record(conversation_id, "note", text,
                                                agent={"id": agent.id, "name": agent.name})
        await self.notify.agent(agent.id, protocol.ENTRY_ADDED, {"conversation_id": conversation_id, "entry": entry})

    async def transfer(self, agent: Account, conversation_id: str, to_agent: Account | None) -> None:
        """Give an owned conversation to another agent."""
        about(conversation_id)
        await self.conversations.owned_by(agent.id, conversation_id)
        if to_agent is None or to_agent.id == agent.id:
            raise NotAllowed("bad_agent", "choose another existing agent")
        await self._hand_over(agent, conversation_id, to_agent, "transferred", {"agent": agent.name, "to": to_agent.name},
                              f"transferred to {to_agent.name}")

    async def reassign(self, supervisor: Account, conversation_id: str, to_agent: Account) -> None:
        """A supervisor gives a live conversation to ``to_agent`` (themselves: taking it over): from the
        queue as a claim, from another agent as a hand-over that agent is told of."""
        about(conversation_id)
        conversation = await self.conversations.require(conversation_id)
        if conversation.state is State.QUEUED:
            await self.claim(to_agent, conversation_id)
            return
        if conversation.state is not State.WITH_AGENT:
            raise NotAllowed("not_live", "only a waiting or live conversation can be reassigned")
        if conversation.agent_id == to_agent.id:
            raise NotAllowed("bad_agent", f"{to_agent.name} already has this conversation")
        owner = self.agents.accounts.get(conversation.agent_id) or Account.unknown(conversation.agent_id)
        taking = to_agent.id == supervisor.id
        how = f"taken over by {supervisor.name}" if taking else f"reassigned to {to_agent.name} by {supervisor.name}"
        await self._hand_over(owner, conversation_id, to_agent, "reassigned",
                              {"by": supervisor.name, "agent": owner.name, "to": to_agent.name}, how)

    async def _hand_over(self, agent: Account, conversation_id: str, to_agent: Account, line: str,
                         names: dict[str, str], how: str) -> None:
        if await self.agents.load(to_agent.id) >= to_agent.capacity:
            raise NotAllowed("at_capacity", f"{to_agent.name} is at capacity")
        conversation = await self.conversations.move(conversation_id, Move.TRANSFER, agent_id=to_agent.id)
        await self.agents.release(agent.id, conversation_id)
        await self.agents.take(to_agent.id, conversation_id)
        await self.conversations.record(conversation_id, "system", vocabulary.agent_line(line, **names),
                                        event="left", **vocabulary.agent_status(line, **names),
                                        **vocabulary.customer_status("left", agent=agent.name))
        await self.notify.customer(conversation_id, protocol.AGENT_LEFT,
                                   {"agent": protocol.public_agent(agent.id, agent.name)})
        await self.notify.agent(agent.id, protocol.CONVERSATION_ENDED, {"conversation_id": conversation_id, "how": how})
        await self._joined(conversation, to_agent)
        await self.agents.broadcast()
        await self.assign_if_automatic()  # the slot the hand-over freed

    # --- back from an agent -------------------------------------------------------------

    async def hand_back(self, agent: Account, conversation_id: str) -> None:
        """Return the conversation to the assistant."""
        about(conversation_id)
        await self.conversations.owned_by(agent.id, conversation_id)
        await self.sla.stopped(conversation_id, "resolution")  # resolved by the person, back to the bot
        await self.conversations.move(conversation_id, Move.HAND_BACK, agent_id="")
        await self._released(agent.id, conversation_id, "returned", {}, event="returned")
        await self.notify.customer(conversation_id, protocol.HANDOFF_RETURNED, {})

    async def close(self, agent: Account, conversation_id: str, resolution: Any) -> None:
        """End the conversation with a resolution code (``vocabulary.RESOLUTION_CODES``)."""
        about(conversation_id)
        await self.conversations.owned_by(agent.id, conversation_id)
        resolution = protocol.resolution_code(resolution)
        await self.sla.stopped(conversation_id, "resolution")
        closed_at = time.time()
        closed = await self.conversations.move(conversation_id, Move.CLOSE, resolution=resolution, closed_at=closed_at)
        await self.redis.zadd(keys.SURVEY_DUE, {conversation_id: closed_at})  # a reminder if unanswered
        await self.stats.count({"closed": 1}, closed.spoken_language)
        await self._released(agent.id, conversation_id, "closed", {"resolution": resolution}, event="closed")
        await self.notify.customer(conversation_id, protocol.HANDOFF_CLOSED, {"resolution": resolution})

    async def auto_resolve(self, conversation_id: str) -> bool:
        """Close a conversation nobody wrote in (``handoff.idle``) as ``auto_resolved``; ``False`` if it
        moved on meanwhile (the customer wrote, an agent closed it)."""
        about(conversation_id)
        before = await self.conversations.get(conversation_id)
        if before is None:
            return False
        if before.state is State.WITH_AGENT:
            await self.sla.stopped(conversation_id, "resolution")
        # ``closed_at`` (which asks for the survey) only for a conversation a person had.
        when = {"closed_at" if before.state is State.WITH_AGENT else "resolved_at": time.time()}
        try:
            closed = await self.conversations.move(conversation_id, Move.AUTO_RESOLVE, resolution=AUTO_RESOLVED,
                                                   **when)
        except IllegalMove:
            return False
        await self.stats.count({"auto_resolved": 1}, closed.spoken_language)
        self.metrics.auto_resolved(before.state.value)
        params = {"resolution": AUTO_RESOLVED}
        if before.state is State.WITH_AGENT and before.agent_id:
            await self.stats.count({"closed": 1}, closed.spoken_language)
            await self.redis.zadd(keys.SURVEY_DUE, {conversation_id: when["closed_at"]})
            await self._released(before.agent_id, conversation_id, "closed", params, event="auto_resolved")
            await self.notify.customer(conversation_id, protocol.HANDOFF_CLOSED, {"resolution": AUTO_RESOLVED})
        else:  # with the assistant only, or abandoned in the queue: nothing to tell a customer who has gone
            await self.conversations.record(conversation_id, "system", vocabulary.agent_line("closed", **params),
                                            event="auto_resolved", **vocabulary.agent_status("closed", **params))
            if before.state is State.QUEUED and await self.queue.take(conversation_id):
                await self.queue.broadcast()
                await self.queue.refresh_positions()
        return True

    async def _released(self, agent_id: str, conversation_id: str, line: str, params: dict[str, str],
                        event: str) -> None:
        await self.agents.release(agent_id, conversation_id)
        note = vocabulary.agent_line(line, **params)
        await self.conversations.record(conversation_id, "system", note, event=event,
                                        **vocabulary.agent_status(line, **params), **vocabulary.customer_status(event))
        await self._resume_rasa(conversation_id)
        await self.notify.agent(agent_id, protocol.CONVERSATION_ENDED, {"conversation_id": conversation_id,
                                                                        "how": note})
        await self.agents.broadcast()
        await self.assign_if_automatic()  # a slot is free

    async def sweep_absent(self, grace_s: float) -> list[str]:
        """Agents whose every socket vanished without a goodbye (their bridge died): not available any
        more at once, and after ``grace_s`` their conversations go back to the front of the queue.
        Returns the conversations moved."""
        now, moved, changed = time.time(), [], False
        for agent_id in await self.agents.absent():
            changed = bool(await self.redis.srem(keys.AVAILABLE_AGENTS, agent_id)) or changed
            await self.redis.hsetnx(keys.agent(agent_id), "absent_since", str(now))
            since = float(await self.redis.hget(keys.agent(agent_id), "absent_since") or now)
            if now - since >= grace_s:
                moved += await self.requeue_agent(agent_id)
        if changed:
            await self.agents.broadcast()
            await self.queue.refresh_positions()
        if changed or moved:
            await self.assign_if_automatic()
        return moved

    async def _resume_rasa(self, conversation_id: str) -> None:
        """Rasa answers again, after every human turn is in its tracker."""
        await self.writer.flush(conversation_id)
        await best_effort(self.rasa.resume(conversation_id))

    async def requeue_agent(self, agent_id: str) -> list[str]:
        """Put an agent's conversations back at the front of the queue (the agent is gone); one bridge
        at a time does it for one agent."""
        lock = keys.sweep_lock(agent_id)
        if not await self.redis.set(lock, "1", nx=True, ex=30):
            return []
        try:
            return await self._requeue(agent_id)
        finally:
            await self.redis.delete(lock)

    async def _requeue(self, agent_id: str) -> list[str]:
        moved = []
        account = self.agents.accounts.get(agent_id)
        for conversation_id in await self.agents.held(agent_id):
            try:
                conversation = await self.conversations.move(conversation_id, Move.REQUEUE, agent_id="")
            except IllegalMove:  # not with this agent any more (closed, handed back meanwhile)
                await self.agents.release(agent_id, conversation_id)
                continue
            await self.queue.enqueue(conversation, front=True)
            await self.agents.release(agent_id, conversation_id)
            await self.conversations.record(conversation_id, "system", vocabulary.agent_line("requeued"),
                                            event="requeued", **vocabulary.agent_status("requeued"),
                                            **vocabulary.customer_status("handoff"))
            await self.notify.customer(conversation_id, protocol.AGENT_LEFT,
                                       {"agent": protocol.public_agent(agent_id, account.name if account else "")})
            moved.append(conversation_id)
        if moved:
            await self.queue.broadcast()
            await self.queue.refresh_positions(announce=set(moved))
        await self.agents.broadcast()
        return moved
