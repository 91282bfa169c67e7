"""A customer's data-deletion request, carried out by the agent who has it (or a supervisor).

The request reaches a person (escalation's sensitive topics: 個人情報の削除, "delete my data");
the agent presses "Erase customer data" and the bridge, in this order:

1. writes the conversation's pending human turns to Rasa's tracker, then replaces the tracker's
   events with their erased form (``tracker.erased``: no text, no entity, no slot value, no
   metadata; intents, actions and times stay, nothing that says who or what). If Rasa cannot be reached nothing else is touched and the agent
   is told to try again: an erasure is never half done on the side that keeps data longest;
2. deletes the conversation's tickets (the left messages hold e-mail addresses);
3. replaces the live transcript with one line saying it was erased, and drops the handoff
   context (name, e-mail, phone, address, orders) and the survey comment;
4. the conversation goes on (the agent can confirm it to the customer, then close it); the
   erasure is recorded in the audit trail (who, when, how much).

The trainer's exports read Rasa's tracker, so they no longer see the customer's words either.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from typing import Any

from redis.asyncio import Redis

from handoff import keys, tracker, vocabulary
from handoff.accounts import Account
from handoff.conversations import Conversations, new_entry
from handoff.errors import NotAllowed
from handoff.rasa_client import RasaClient
from handoff.state import State
from handoff.tracker_writer import TrackerWriter

logger = logging.getLogger(__name__)


def may_erase(agent: Account, state: State, holder: str) -> bool:
    """A supervisor, for any conversation; an agent, for the one they hold (pure)."""
    return agent.is_supervisor or (state is State.WITH_AGENT and holder == agent.id)


@dataclass
class Erasure:
    """Erases one conversation's customer data from Rasa's tracker, the tickets and the transcript."""

    redis: Redis
    conversations: Conversations
    rasa: RasaClient
    writer: TrackerWriter

    async def erase(self, agent: Account, conversation_id: str) -> dict[str, Any]:
        """Carry out the erasure; returns what was erased (counts, for the audit trail)."""
        conversation = await self.conversations.require(conversation_id)
        if not may_erase(agent, conversation.state, conversation.agent_id):
            raise NotAllowed("not_yours", "only the agent who has the conversation, or a supervisor, erases it")
        await self.writer.flush(conversation_id)  # pending human turns first: they are erased with the rest
        events = (await self.rasa.tracker(conversation_id, every_session=True)).get("events") or []
        await self.rasa.replace_events(conversation_id, tracker.erased(events))
        tickets = await self._tickets_of(conversation_id)
        entries = await self.redis.llen(keys.transcript(conversation_id))
        line = new_entry("system", vocabulary.agent_line("erased"), event="erased",
                         **vocabulary.agent_status("erased"), **vocabulary.customer_status("erased"))
        async with self.redis.pipeline(transaction=True) as pipe:
            for ticket_id in tickets:
                pipe.delete(keys.ticket(ticket_id))
                pipe.lrem(keys.TICKETS, 0, ticket_id)
            pipe.delete(keys.transcript(conversation_id), keys.tracker_outbox(conversation_id))
            pipe.rpush(keys.transcript(conversation_id), json.dumps(line, ensure_ascii=False))
            pipe.hdel(keys.conversation(conversation_id), "context", "reason", "summary", "satisfaction_comment")
            await pipe.execute()
        logger.info("erased conversation %s: %d tracker events, %d transcript entries, %d tickets",
                    conversation_id, len(events), entries, len(tickets))
        return {"tracker_events": len(events), "transcript_entries": int(entries), "tickets": len(tickets)}

    async def _tickets_of(self, conversation_id: str) -> list[str]:
        ids = [str(t) for t in await self.redis.lrange(keys.TICKETS, 0, -1)]
        async with self.redis.pipeline(transaction=False) as pipe:
            for ticket_id in ids:
                pipe.hget(keys.ticket(ticket_id), "conversation_id")
            owners = await pipe.execute()
        return [t for t, owner in zip(ids, owners) if owner == conversation_id]
