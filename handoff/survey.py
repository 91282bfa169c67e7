"""The satisfaction survey a customer answers after an agent closed their conversation, and the
reminder by mail when it was not answered (to an address the customer gave or proved)."""

from __future__ import annotations

import asyncio
import json
import logging
import time

from redis.asyncio import Redis

from handoff import keys, protocol, tracker, vocabulary
from handoff.conversations import Conversations
from handoff.errors import NotAllowed
from handoff.logs import about
from handoff.notify import Notify
from handoff.outbox import Outbox
from handoff.rasa_client import RasaClient, best_effort
from handoff.stats import Stats

logger = logging.getLogger(__name__)


class Survey:
    """Stores ratings: with the conversation in Redis and as slots in Rasa's tracker."""

    def __init__(self, redis: Redis, conversations: Conversations, rasa: RasaClient, notify: Notify,
                 stats: Stats, outbox: Outbox, link: str = "") -> None:
        self.redis, self.conversations, self.rasa, self.notify, self.stats = redis, conversations, rasa, notify, stats
        self.outbox, self.link = outbox, link

    async def remind(self, after_s: float, now: float | None = None) -> int:
        """Mail a reminder for each survey unanswered ``after_s`` after the close, when the customer gave an
        address (a transcript, a left message) or proved one (their account); once each. Returns how many."""
        now = time.time() if now is None else now
        if after_s <= 0:
            return 0
        sent = 0
        for conversation_id in [str(c) for c in await self.redis.zrangebyscore(keys.SURVEY_DUE, "-inf", now - after_s)]:
            if not await self.redis.zrem(keys.SURVEY_DUE, conversation_id):
                continue  # another bridge took it
            raw = await self.redis.hmget(keys.conversation(conversation_id),
                                         ["closed_at", "rated_at", "contact_email", "context"])
            closed_at, rated_at = (float(v) if v else 0.0 for v in raw[:2])
            email = raw[2] or contact_in(str(raw[3]) if raw[3] else None)
            if not closed_at or rated_at >= closed_at or not email:
                continue
            language = await self.conversations.language(conversation_id)
            await self.outbox.add(str(email), "survey_reminder", language, conversation_id, link=self.link)
            sent += 1
        return sent

    async def answer(self, conversation_id: str, rating: int, comment: str) -> None:
        """Store the customer's rating of a conversation an agent closed (once per close).

        Kept with the conversation in Redis and in Rasa's tracker as the
        ``satisfaction`` slot, where the trainer's filters read it.
        """
        about(conversation_id)
        key = keys.conversation(conversation_id)
        conversation = await self.conversations.require(conversation_id)
        closed_at, rated_at = (float(v) if v else 0.0 for v in await self.redis.hmget(key, ["closed_at", "rated_at"]))
        if not closed_at:
            raise NotAllowed("not_closed", "a rating is asked for when a person has closed the conversation")
        if rated_at >= closed_at:
            raise NotAllowed("already_rated", "this conversation was rated already")
        now = time.time()
        await self.redis.hset(key, mapping={"satisfaction": str(rating), "satisfaction_comment": comment,
                                            "rated_at": str(now)})
        await self.stats.count({"ratings": 1, "rating_sum": rating}, conversation.spoken_language)
        params = {"rating": str(rating), "comment": f": {comment}" if comment else ""}
        await self.conversations.record(conversation_id, "system", vocabulary.agent_line("rated", **params),
                                        event="rated", rating=rating, **vocabulary.agent_status("rated", **params),
                                        **vocabulary.customer_status("rated"))
        await best_effort(self.rasa.append_events(conversation_id, tracker.satisfaction(rating, comment, now)))
        await self.notify.customer(conversation_id, protocol.SURVEY_SAVED, {"rating": rating})


def contact_in(context: str | None) -> str:
    """The proved address of the customer in a handoff context (their account's), or ""."""
    try:
        customer = (json.loads(context or "{}") or {}).get("customer") or {}
    except (ValueError, AttributeError):
        return ""
    return str(customer.get("email") or "") if isinstance(customer, dict) and customer.get("verified") else ""


async def watch_reminders(survey: Survey, after_s: float, every_s: float) -> None:
    """Background task: mail the reminders that are due; survive any one failure."""
    while True:
        await asyncio.sleep(every_s)
        try:
            await survey.remind(after_s)
        except asyncio.CancelledError:
            raise
        except Exception:
            logger.exception("survey reminders failed")
