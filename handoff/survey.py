"""The satisfaction survey a customer answers after an agent closed their conversation."""

from __future__ import annotations

import time

from redis.asyncio import Redis

from handoff import keys, protocol, tracker, vocabulary
from handoff.conversations import Conversations
from handoff.errors import NotAllowed
from handoff.logs import about
from handoff.notify import Notify
from handoff.rasa_client import RasaClient, best_effort
from handoff.stats import Stats


class Survey:
    """Stores ratings: with the conversation in Redis and as slots in Rasa's tracker."""

    def __init__(self, redis: Redis, conversations: Conversations, rasa: RasaClient, notify: Notify,
                 stats: Stats) -> None:
        self.redis, self.conversations, self.rasa, self.notify, self.stats = redis, conversations, rasa, notify, stats

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
