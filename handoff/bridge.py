"""The bridge's parts, wired once: who does what, whoever asked (customer socket, agent socket or HTTP).

- ``relay``: customer and agent messages, bot turns and their recovery (``handoff.relay``); the
  human turns reach Rasa's tracker after, in order (``writer``: ``handoff.tracker_writer``)
- ``desk``: handoff, claim, transfer, hand back, close, requeue, tickets left (``handoff.desk``)
- ``queue``: the waiting line, places and wait estimates (``handoff.queue``)
- ``agents``: presence, availability and load (``handoff.agents``); ``handoff.assignment`` picks one
- ``tickets``, ``survey``, ``views`` (what agents, customers and the supervisor see), ``notify``
- ``policy``: the desk file (hours, idle rules, targets: ``handoff.desk_policy``); ``idle``: the auto-resolve
  sweep; ``sla``: the service-level timers (``handoff.sla_watch``)
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from typing import Any

import socketio
from redis.asyncio import Redis

from handoff import delivery, protocol
from handoff.accounts import Account
from handoff.agents import Agents
from handoff.audit import Audit
from handoff.autoresolve import AutoResolver
from handoff.config import Settings
from handoff.conversations import Conversations
from handoff.desk import Desk
from handoff.desk_policy import DeskPolicy, load
from handoff.erasure import Erasure
from handoff.limits import Limiter
from handoff.metrics import Metrics
from handoff.notify import Notify
from handoff.outbox import Outbox
from handoff.queue import Queue
from handoff.rasa_client import RasaClient
from handoff.relay import Relay
from handoff.retention import Periods, Retention
from handoff.sla_watch import SlaWatch
from handoff.stats import Stats
from handoff.survey import Survey
from handoff.tickets import Tickets
from handoff.tracker_writer import TrackerWriter
from handoff.views import Views

logger = logging.getLogger(__name__)


@dataclass
class Bridge:
    """The shared resources and the services built on them."""

    settings: Settings
    redis: Redis
    sio: socketio.AsyncServer
    rasa: RasaClient
    accounts: dict[str, Account]
    metrics: Metrics
    notify: Notify = field(init=False)
    conversations: Conversations = field(init=False)
    stats: Stats = field(init=False)
    agents: Agents = field(init=False)
    queue: Queue = field(init=False)
    tickets: Tickets = field(init=False)
    views: Views = field(init=False)
    desk: Desk = field(init=False)
    relay: Relay = field(init=False)
    survey: Survey = field(init=False)
    writer: TrackerWriter = field(init=False)
    limiter: Limiter = field(init=False)
    audit: Audit = field(init=False)
    erasure: Erasure = field(init=False)
    retention: Retention = field(init=False)
    policy: DeskPolicy = field(init=False)
    idle: AutoResolver = field(init=False)
    sla: SlaWatch = field(init=False)
    outbox: Outbox = field(init=False)

    def __post_init__(self) -> None:
        self.policy = load(self.settings.desk_file)
        self.conversations = Conversations(self.redis)
        self.notify = Notify(self.sio, self.conversations.language)
        self.stats = Stats(self.redis)
        self.agents = Agents(self.redis, self.accounts, self.notify, self.settings.presence_heartbeat_s)
        self.queue = Queue(self.redis, self.conversations, self.agents, self.notify, self.settings,
                           self.policy.schedule, self.policy.sla)
        self.tickets = Tickets(self.redis)
        self.outbox = Outbox(self.redis)
        self.sla = SlaWatch(self.redis, self.notify, self.stats, self.metrics, self.policy.sla, self.policy.schedule,
                            tuple(self.accounts))
        self.views = Views(self.redis, self.conversations, self.queue, self.agents, self.accounts, self.stats,
                           self.sla)
        self.writer = TrackerWriter(self.redis, self.rasa)
        self.desk = Desk(self.settings, self.redis, self.conversations, self.queue, self.agents, self.tickets,
                         self.views, self.rasa, self.writer, self.notify, self.stats, self.metrics, self.sla,
                         self.outbox)
        self.relay = Relay(self.settings, self.conversations, self.rasa, self.notify, self.desk, self.writer,
                           self.metrics)
        self.limiter = Limiter(self.settings.limits)
        self.audit = Audit(self.redis)
        self.erasure = Erasure(self.redis, self.conversations, self.rasa, self.writer)
        self.retention = Retention(self.redis, self.outbox, Periods(self.settings.retention_days * 86400,
                                                       self.settings.ticket_retention_days * 86400))
        self.survey = Survey(self.redis, self.conversations, self.rasa, self.notify, self.stats, self.outbox,
                             f"{self.settings.public_base}/shop/" if self.settings.public_base else "")
        self.idle = AutoResolver(self.redis, self.conversations, self.desk, self.notify, self.metrics, self.policy.idle)

    async def existing_session(self, requested: Any) -> str | None:
        """The conversation a ``session_request`` asks to resume, if it names one that exists."""
        if isinstance(requested, str):
            try:
                conversation_id = protocol.conversation_id(requested)
            except protocol.BadPayload:
                return None
            if await self.conversations.get(conversation_id):
                return conversation_id
        return None

    async def new_session(self) -> str:
        """A new conversation, with an unguessable id; with ``REDIS_WAIT_REPLICAS``, confirmed only once the
        replica has it, so a primary that dies next cannot leave the customer's id unknown to its successor
        (the customer would get a new conversation on reconnecting: seen once in the fault run)."""
        conversation_id = protocol.new_conversation_id()
        await self.conversations.create(conversation_id)
        await self.stats.count({"conversations": 1})
        if not await delivery.replicated(self.redis, self.settings.redis_wait_replicas,
                                         self.settings.redis_wait_timeout_ms):
            logger.warning("confirmed conversation %s before the replica had it (REDIS_WAIT_TIMEOUT_MS passed)",
                           conversation_id)
            self.metrics.error("unreplicated_session")
        return conversation_id


async def watch_waiting(bridge: Bridge, every_s: float) -> None:
    """Background task: keep offering a message to whoever waited too long; survive any one failure."""
    while True:
        await asyncio.sleep(every_s)
        try:
            await bridge.queue.offer_after_max_wait()
        except asyncio.CancelledError:
            raise
        except Exception:
            logger.exception("max-wait check failed")
