"""The bridge's Prometheus metrics: one registry per app (no globals), served at ``/metrics``.

Counts in this process; Prometheus sums them over the bridges. Queue length and
agents available are read from Redis at scrape time (they are shared state).
"""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST

WAIT_BUCKETS = (5, 15, 30, 60, 120, 300, 600, 1200, 3600)
REPLY_BUCKETS = (0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30)


class Metrics:
    """What the bridge counts, with the calls the code makes."""

    content_type = CONTENT_TYPE_LATEST

    def __init__(self, bridge_id: str) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        registry = self.registry
        self.info = Gauge("nwsupport_bridge_info", "This bridge process", ["bridge"], registry=registry)
        self.info.labels(bridge=bridge_id).set(1)
        self.connected = Gauge("nwsupport_connected", "Sockets connected to this process", ["side"], registry=registry)
        self.queue_length = Gauge("nwsupport_queue_length", "Conversations waiting for an agent (all bridges)",
                                  registry=registry)
        self.agents_available = Gauge("nwsupport_agents_available", "Agents connected and available (all bridges)",
                                      registry=registry)
        self.waiting = Histogram("nwsupport_queue_wait_seconds", "Time from handoff to an agent's claim",
                                 buckets=WAIT_BUCKETS, registry=registry)
        self.handoffs = Counter("nwsupport_handoffs", "Conversations handed to the agents' queue", ["reason"],
                                registry=registry)
        self.messages = Counter("nwsupport_messages_relayed", "Messages relayed", ["direction"], registry=registry)
        self.bot_latency = Histogram("nwsupport_bot_reply_seconds", "Customer message to Rasa's first reply",
                                     buckets=REPLY_BUCKETS, registry=registry)
        self.errors = Counter("nwsupport_errors", "Errors by kind (refused input included)", ["kind"], registry=registry)
        self.auto_resolutions = Counter("nwsupport_auto_resolved", "Conversations closed because nobody wrote",
                                        ["was"], registry=registry)
        self.sla_breaches = Counter("nwsupport_sla_breaches", "Service-level timers that passed their deadline",
                                    ["kind", "reason"], registry=registry)
        self.still_there = Counter("nwsupport_still_there_asked", "Customers asked whether they are still there",
                                   registry=registry)

    def connect(self, side: str, delta: int) -> None:
        """A socket of ``side`` (customer/agent) connected (+1) or left (-1)."""
        self.connected.labels(side=side).inc(delta)

    def relayed(self, direction: str) -> None:
        """One message went ``direction`` (customer_to_bot, bot_to_customer, customer_to_agent, agent_to_customer)."""
        self.messages.labels(direction=direction).inc()

    def bot_reply(self, seconds: float) -> None:
        """Rasa's first reply to a customer message came ``seconds`` after the message."""
        self.bot_latency.observe(seconds)

    def handoff(self, reason: str) -> None:
        """A conversation was queued for ``reason``."""
        self.handoffs.labels(reason=reason or "unknown").inc()

    def claimed_after(self, seconds: float) -> None:
        """An agent claimed a conversation that waited ``seconds``."""
        self.waiting.observe(max(0.0, seconds))

    def sla_breach(self, kind: str, reason: str) -> None:
        """A ``kind`` timer (first_response, next_response, resolution) of a ``reason`` handoff passed its deadline."""
        self.sla_breaches.labels(kind=kind, reason=reason).inc()

    def auto_resolved(self, was: str) -> None:
        """A conversation that was ``was`` (bot, with_agent) closed because nobody wrote."""
        self.auto_resolutions.labels(was=was).inc()

    def error(self, kind: str) -> None:
        """Something failed, or a client sent something refused, of ``kind``."""
        self.errors.labels(kind=kind).inc()

    def exposition(self, queue_length: int, agents_available: int) -> bytes:
        """The text Prometheus scrapes."""
        self.queue_length.set(queue_length)
        self.agents_available.set(agents_available)
        return generate_latest(self.registry)
