"""The app factory: builds the aiohttp application with its Socket.IO server.

Every async resource is owned by one cleanup context: the Redis client, the
single HTTP session to Rasa, and the background tasks.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

import aiohttp
import socketio
from aiohttp import web

from handoff import keys, protocol
from handoff.accounts import Sessions, load_accounts
from handoff.agent_namespace import AgentNamespace
from handoff.autoresolve import watch_idle
from handoff.bridge import Bridge, watch_waiting
from handoff.config import Settings
from handoff.customer_namespace import CustomerNamespace
from handoff.http_api import (
    BRIDGE,
    DRAINING,
    SESSIONS,
    add_routes,
    errors_middleware,
    polling_body_middleware,
    same_site_middleware,
)
from handoff.mailer import Mailer, SmtpSettings, watch_mail
from handoff.metrics import Metrics
from handoff.packets import CheckedPacket
from handoff.pages import add_pages
from handoff.pubsub import ResubscribingRedisManager
from handoff.rasa_client import RasaClient
from handoff.redis_connect import connect
from handoff.retention import watch_retention
from handoff.sla_watch import watch_sla
from handoff.supervisor_api import add_routes as add_supervisor_routes
from handoff.survey import watch_reminders

logger = logging.getLogger(__name__)

SETTINGS = web.AppKey("settings", Settings)
SESSION_SWEEP_S = 30.0  # how soon a logged-out console's quiet sockets are closed
RETENTION_SWEEP_S = 300.0  # how often one of the bridges deletes what is past its retention period
MAIL_SEND_S = 10.0  # how often one of the bridges sends the outbox, with SMTP_URL set (handoff.mailer)
REMINDER_S = 60.0  # how often the bridges look for unanswered surveys to remind of (handoff.survey)
SLA_SWEEP_S = 5.0  # how often one of the bridges looks for timers past their deadline (handoff.sla_watch)
IDLE_SWEEP_S = 30.0  # how often one of the bridges looks for conversations nobody writes in (handoff.idle)


def create_app(settings: Settings) -> web.Application:
    """Build the bridge for ``settings`` (nothing connects until the app starts)."""
    app = web.Application(middlewares=[polling_body_middleware, same_site_middleware, errors_middleware],
                          client_max_size=settings.max_payload_bytes)
    app[SETTINGS] = settings
    app[DRAINING] = asyncio.Event()
    if not settings.public_base:
        logger.warning("BRIDGE_PUBLIC_URL is not set and the bridge listens on every interface: image paths in "
                       "bot responses are sent as paths, which a widget on another site cannot load")
    manager = ResubscribingRedisManager(settings.redis_url, channel=keys.SOCKETIO_CHANNEL,
                                        password=settings.redis_password)
    # async_handlers=False: one client's events are handled one after the
    # other, so a customer's (or an agent's) messages are relayed in the order sent.
    sio = socketio.AsyncServer(
        async_mode="aiohttp", client_manager=manager, async_handlers=False, max_http_buffer_size=settings.max_payload_bytes,
        serializer=CheckedPacket,  # a packet that cannot be read is answered, not a traceback
        cors_allowed_origins=list(settings.cors_origins) or None, logger=False, engineio_logger=False,
    )
    manager.on_resubscribed = lambda: resync_clients(sio)
    sio.attach(app, socketio_path="socket.io")
    add_routes(app)
    add_supervisor_routes(app)
    add_pages(app, lambda running: running[SESSIONS])
    app.on_response_prepare.append(_without_server_header)
    app.cleanup_ctx.append(_resources(sio))
    app.on_shutdown.append(_drain(sio))
    return app


async def _without_server_header(request: web.Request, response: web.StreamResponse) -> None:
    """``Server: handoff``, not ``Python/3.x aiohttp/3.x``: versions help only someone looking for a known
    hole (aiohttp sets its own only when none is there, after this hook)."""
    response.headers["Server"] = "handoff"


async def resync_clients(sio: socketio.AsyncServer) -> None:
    """Tell this bridge's sockets (only these: ``ignore_queue``) that live events may have been
    missed; our widget and console then ask for the entries after the last one they saw."""
    for namespace in ("/", protocol.AGENT_NAMESPACE):
        await sio.emit(protocol.RESYNC, {}, namespace=namespace, ignore_queue=True)


def _drain(sio: socketio.AsyncServer):  # type: ignore[no-untyped-def]
    async def drain(app: web.Application) -> None:
        """On SIGTERM: not ready any more, and every socket is closed so its client reconnects elsewhere.

        aiohttp has already stopped listening here, so reconnections reach
        another bridge through the load balancer; conversations live in Redis,
        so nothing is lost.
        """
        app[DRAINING].set()
        logger.info("draining: disconnecting every socket so clients reconnect to another bridge")
        try:
            if sio.eio.sockets:  # engine.io refuses to wait on an empty set
                await asyncio.wait_for(sio.eio.disconnect(), timeout=app[SETTINGS].drain_s)
        except (TimeoutError, Exception):
            logger.warning("draining did not finish cleanly", exc_info=True)

    return drain


def _resources(sio: socketio.AsyncServer):  # type: ignore[no-untyped-def]
    async def ctx(app: web.Application) -> AsyncIterator[None]:
        settings = app[SETTINGS]
        # A blocking pool: a burst of requests waits for a free connection
        # instead of failing with "Too many connections" (found by bench/bridge.py).
        redis = connect(settings.redis_url, settings.redis_password, settings.redis_max_connections,
                        decode_responses=True, socket_timeout=5, socket_connect_timeout=5, health_check_interval=15,
                        retry_on_timeout=True)
        session = aiohttp.ClientSession()
        accounts = load_accounts(settings.agents_file)
        bridge = Bridge(settings=settings, redis=redis, sio=sio,
                        rasa=RasaClient(session, settings.rasa_servers, settings.rasa_token, settings.rasa_timeout_s,
                                        settings.rasa_max_inflight),
                        accounts=accounts, metrics=Metrics(settings.bridge_id))
        sessions = Sessions(redis, accounts, settings.agent_session_ttl_s)
        app[BRIDGE], app[SESSIONS] = bridge, sessions
        sio.register_namespace(CustomerNamespace(bridge))
        agents = AgentNamespace(bridge, sessions)
        sio.register_namespace(agents)
        tasks = [asyncio.create_task(watch_waiting(bridge, max(0.5, min(10.0, settings.max_wait_s / 4)))),
                 asyncio.create_task(agents.sweep_sessions(SESSION_SWEEP_S)),
                 asyncio.create_task(agents.keep_presence(settings.presence_heartbeat_s)),
                 asyncio.create_task(bridge.writer.run()),
                 asyncio.create_task(watch_retention(bridge.retention, RETENTION_SWEEP_S)),
                 asyncio.create_task(watch_idle(bridge.idle, IDLE_SWEEP_S)),
                 asyncio.create_task(watch_sla(bridge.sla, SLA_SWEEP_S)),
                 asyncio.create_task(watch_reminders(bridge.survey, bridge.policy.survey_reminder_s, REMINDER_S))]
        if settings.smtp_url:
            mailer = Mailer(redis, SmtpSettings.parse(settings.smtp_url, settings.mail_from or None))
            tasks.append(asyncio.create_task(watch_mail(mailer, MAIL_SEND_S)))
        try:
            yield
        finally:
            for task in tasks:
                task.cancel()
            for task in tasks:
                with contextlib.suppress(asyncio.CancelledError):
                    await task
            await session.close()
            await redis.aclose()

    return ctx
