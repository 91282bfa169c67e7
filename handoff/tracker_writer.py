"""The human turns on their way to Rasa's tracker: the relay first, the bookkeeping after.

A customer's line while a person owns the conversation, and the agent's answers, reach the
other side at once; their tracker events (with the NLU parse trainers want) are queued in
Redis per conversation and appended in order by whichever bridge holds the conversation's
lock, retried until Rasa takes them. Before Rasa may speak in the conversation again (a
bot turn, a hand back, a close) its queue is flushed, so the tracker always reads in the
order things happened. At least once: an append whose removal from the queue failed is
appended again.
"""

from __future__ import annotations

import asyncio
import json
import logging
import secrets
import time
from typing import Any

from redis.asyncio import Redis

from handoff import keys, tracker
from handoff.protocol import AgentIdentity
from handoff.rasa_client import RasaClient, RasaUnavailable

logger = logging.getLogger(__name__)

LOCK_S = 30  # a writer that died lets go of a conversation after this long
FLUSH_WAIT_S = 5.0  # how long a flush waits for another bridge's writer to finish


class TrackerWriter:
    """Queues tracker events per conversation in Redis and appends them to Rasa in order."""

    def __init__(self, redis: Redis, rasa: RasaClient) -> None:
        self.redis, self.rasa = redis, rasa
        self._wake = asyncio.Event()

    async def customer_line(self, conversation_id: str, text: str, state: str, message_id: str | None) -> None:
        """A customer's line in human mode (parsed by Rasa's NLU when it is written)."""
        await self._add(conversation_id, {"kind": "customer", "text": text, "state": state,
                                          "message_id": message_id, "ts": time.time()})

    async def agent_line(self, conversation_id: str, text: str, agent: AgentIdentity) -> None:
        """An agent's line."""
        await self._add(conversation_id, {"kind": "agent", "text": text, "agent": {"id": agent.id, "name": agent.name},
                                          "ts": time.time()})

    async def _add(self, conversation_id: str, item: dict[str, Any]) -> None:
        key = keys.tracker_outbox(conversation_id)
        if item.get("message_id") and any(json.loads(raw).get("message_id") == item["message_id"]
                                          for raw in await self.redis.lrange(key, 0, -1)):
            return  # a recovered message that is still on its way
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.rpush(key, json.dumps(item, ensure_ascii=False))
            pipe.sadd(keys.TRACKER_PENDING, conversation_id)
            await pipe.execute()
        self._wake.set()

    async def pending(self, conversation_id: str) -> int:
        """How many items of the conversation wait for Rasa."""
        return int(await self.redis.llen(keys.tracker_outbox(conversation_id)))

    async def flush(self, conversation_id: str) -> bool:
        """Append what the conversation has queued, now (waiting up to ``FLUSH_WAIT_S`` for another
        bridge's writer that holds it). ``False`` if something is left (Rasa is down): the background
        writer keeps trying."""
        deadline = time.monotonic() + FLUSH_WAIT_S
        while await self.pending(conversation_id):
            outcome = await self._write(conversation_id)
            if outcome == "failed" or (outcome == "busy" and time.monotonic() > deadline):
                return False
            if outcome == "busy":
                await asyncio.sleep(0.05)
        return True

    async def _write(self, conversation_id: str) -> str:
        """Append the queue under the conversation's lock: ``done``, ``busy`` (another writer holds it)
        or ``failed`` (Rasa did not take it; kept for a retry)."""
        lock, token = keys.tracker_lock(conversation_id), secrets.token_hex(8)
        if not await self.redis.set(lock, token, nx=True, ex=LOCK_S):
            return "busy"
        key = keys.tracker_outbox(conversation_id)
        try:
            while (raw := await self.redis.lindex(key, 0)) is not None:
                await self.rasa.append_events(conversation_id, await self._events(json.loads(raw)))
                await self.redis.lpop(key)
            await self.redis.srem(keys.TRACKER_PENDING, conversation_id)
            if await self.redis.llen(key):  # added after the last look: still pending
                await self.redis.sadd(keys.TRACKER_PENDING, conversation_id)
            return "done"
        except RasaUnavailable as e:
            logger.warning("tracker of %s not written yet (kept for a retry): %s", conversation_id, e)
            return "failed"
        finally:
            if await self.redis.get(lock) == token:
                await self.redis.delete(lock)

    async def _events(self, item: dict[str, Any]) -> list[dict[str, Any]]:
        text, ts = str(item.get("text", "")), float(item.get("ts") or time.time())
        if item.get("kind") == "agent":
            agent = item.get("agent") or {}
            return tracker.agent_turn(text, AgentIdentity(str(agent.get("id", "")), str(agent.get("name", ""))), ts)
        try:
            parse_data = await self.rasa.parse(text)
        except RasaUnavailable:
            parse_data = {}
        return tracker.customer_turn(text, parse_data, str(item.get("state", "")), item.get("message_id"), ts)

    async def run(self, every_s: float = 2.0) -> None:
        """Background task: write every pending conversation, at once when woken, else every ``every_s``
        (Rasa back after an outage, a writer of another bridge that died); survive any one failure."""
        while True:
            try:
                await asyncio.wait_for(self._wake.wait(), timeout=every_s)
            except TimeoutError:
                pass
            self._wake.clear()
            try:
                for conversation_id in await self.redis.smembers(keys.TRACKER_PENDING):
                    await self._write(str(conversation_id))
            except asyncio.CancelledError:
                raise
            except Exception:  # Redis may be briefly down: next round
                logger.warning("tracker writing round failed", exc_info=True)
