"""HTTP endpoints: the handoff from the action server, agent login and logout, the supervisor's figures, health."""

from __future__ import annotations

import asyncio
import hmac
import json
import time
from typing import Any

from aiohttp import web
from aiohttp.typedefs import Handler as web_handler
from redis.exceptions import RedisError

from handoff import identity, peers, protocol
from handoff.accounts import LANGUAGES, SESSION_COOKIE, Account, Sessions
from handoff.bridge import Bridge
from handoff.errors import describe
from handoff.lockout import Lockout
from handoff.pages import current_agent
from handoff.schedule import desk_status

BRIDGE = web.AppKey("bridge", Bridge)
SESSIONS = web.AppKey("sessions", Sessions)
DRAINING = web.AppKey("draining", asyncio.Event)


def _error(status: int, code: str, message: str) -> web.Response:
    return web.json_response({"error": {"code": code, "message": message}}, status=status)


async def _json_body(request: web.Request) -> dict[str, Any]:
    try:
        body = await request.json()
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        raise protocol.BadPayload("malformed", "the body must be JSON") from e
    return dict(protocol.require_mapping(body))


@web.middleware
async def errors_middleware(request: web.Request, handler: web_handler) -> web.StreamResponse:
    """Domain errors become JSON errors with their status (``errors.describe``, as on sockets); nothing else leaks."""
    try:
        return await handler(request)
    except web.HTTPException:
        raise
    except Exception as e:
        failure = describe(e)
        if failure is None:
            raise
        return _error(failure.http_status, failure.code, failure.message)


WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})
MAX_CONTEXT_FIELDS = 32


def cross_site_refusal(method: str, content_type: str, origin: str | None, fetch_site: str | None, host: str,
                       allowed_origins: tuple[str, ...]) -> tuple[int, str, str] | None:
    """Why a write to ``/api/`` is refused, or ``None`` (pure). Writes are JSON only: a page on another
    site can post a form or ``text/plain`` without asking, but not ``application/json``. A browser's
    ``Origin`` (or ``Sec-Fetch-Site``) naming another site is refused unless it is an allowed origin."""
    if method not in WRITES:
        return None
    if content_type != "application/json":
        return 415, "unsupported_media_type", "send the body as application/json"
    if origin and origin != "null":
        netloc = origin.split("://", 1)[-1]
        if netloc != host and origin not in allowed_origins:
            return 403, "cross_site", "requests from another site are refused"
    elif origin == "null" or fetch_site == "cross-site":
        return 403, "cross_site", "requests from another site are refused"
    return None


@web.middleware
async def polling_body_middleware(request: web.Request, handler: web_handler) -> web.StreamResponse:
    """Engine.IO long-polling POSTs: a body over the payload limit is answered 413 at once, one without a
    length 411. python-engineio checks only the header and answers an oversized POST once the next
    GET poll comes (a client that sends none waited for minutes), and never reads a chunked one."""
    if request.method == "POST" and request.path.startswith("/socket.io"):
        limit = request.app[BRIDGE].settings.max_payload_bytes
        if request.content_length is None:
            return _error(411, "length_required", "a long-polling POST needs a Content-Length")
        if request.content_length > limit:
            return _error(413, "too_large", f"a long-polling POST carries at most {limit} bytes")
    return await handler(request)


@web.middleware
async def same_site_middleware(request: web.Request, handler: web_handler) -> web.StreamResponse:
    """Writes to ``/api/`` must be JSON and from this site (``cross_site_refusal``)."""
    if request.path.startswith("/api/"):
        refusal = cross_site_refusal(request.method, request.content_type, request.headers.get("Origin"),
                                     request.headers.get("Sec-Fetch-Site"), request.host,
                                     request.app[BRIDGE].settings.cors_origins)
        if refusal:
            return _error(*refusal)
    return await handler(request)


async def handoff(request: web.Request) -> web.Response:
    """``POST /api/handoff`` from the action server, with ``Authorization: Bearer <HANDOFF_SECRET>``.

    Body: ``{conversation_id, reason, evidence, transcript, intents, slots, summary}``.
    """
    bridge = request.app[BRIDGE]
    supplied = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    if not hmac.compare_digest(supplied.encode(), bridge.settings.handoff_secret.encode()):
        return _error(401, "unauthorized", "a valid handoff secret is required")
    body = await _json_body(request)
    conversation_id = protocol.conversation_id(body.get("conversation_id"), "conversation_id")
    # Every field the action server sends reaches the agent (a list of ours here once dropped its
    # "not verified" warning); the caller is authenticated and the body size-limited.
    context = {k: v for k, v in body.items()
               if k != "conversation_id" and isinstance(k, str) and len(k) <= 64 and v is not None}
    if len(context) > MAX_CONTEXT_FIELDS:
        raise protocol.BadPayload("malformed", f"a handoff has at most {MAX_CONTEXT_FIELDS} context fields")
    outcome = await bridge.desk.handoff(conversation_id, context)
    # The desk's hours: out of them the action tells the customer when it opens instead of a wait.
    desk = desk_status(bridge.queue.schedule, time.time())
    return web.json_response({"status": outcome, "conversation_id": conversation_id, "desk": desk})


async def login(request: web.Request) -> web.Response:
    """``POST /api/agent/login`` ``{username, password}`` → ``{token, agent}``."""
    body = await _json_body(request)
    username, password = body.get("username"), body.get("password")
    if not isinstance(username, str) or not isinstance(password, str) or len(password) > 200:
        return _error(400, "malformed", "username and password are required")
    bridge = request.app[BRIDGE]
    address = peers.client_address(request.remote or "", request.headers.get("X-Forwarded-For", ""),
                                   bridge.settings.trusted_proxies)
    lockout = Lockout(bridge.redis)
    if not await lockout.begin(username):
        return web.json_response({"error": {"code": "too_many_attempts",
                                            "message": "another login of this user is being checked; try again"}},
                                 status=429, headers={"Retry-After": "1"})
    try:
        wait = await lockout.retry_after(username, address)
        if wait:
            return web.json_response({"error": {"code": "too_many_attempts",
                                                "message": f"too many failed logins; try again in {wait} s"}},
                                     status=429, headers={"Retry-After": str(wait)})
        token = await request.app[SESSIONS].login(username, password)
        if token is None:
            await lockout.failed(username, address)
            return _error(401, "bad_credentials", "wrong username or password")
        await lockout.succeeded(username, address)
    finally:
        await lockout.end(username)
    await bridge.audit.record(username, "login", detail={"address": address})
    account = request.app[SESSIONS].accounts[username]
    response = web.json_response({"token": token, "agent": account.public()})
    # The console's pages and socket authenticate with this cookie: HttpOnly (scripts cannot
    # read it), SameSite=Strict (other sites cannot use it), Secure behind HTTPS.
    secure = request.secure or request.headers.get("X-Forwarded-Proto") == "https"
    response.set_cookie(SESSION_COOKIE, token, httponly=True, samesite="Strict", secure=secure, path="/",
                        max_age=request.app[SESSIONS].ttl_s)
    return response


async def customer_resume(request: web.Request) -> web.Response:
    """``POST /api/customer/resume`` ``{session_id, resume_token}``: the widget hands over the token of the
    conversation it started and gets it back as the HttpOnly ``nw_resume`` cookie, which the browser sends
    with every Socket.IO handshake to this bridge; no script on the host page can read it afterwards."""
    bridge = request.app[BRIDGE]
    body = await _json_body(request)
    conversation_id = protocol.conversation_id(body.get("session_id"))
    token = body.get("resume_token")
    if not identity.token_matches(bridge.settings.resume_key, conversation_id, token):
        return _error(403, "bad_token", "that is not this conversation's resume token")
    response = web.json_response({"status": "ok"})
    secure = request.secure or request.headers.get("X-Forwarded-Proto") == "https"
    # Cross-site embedding needs SameSite=None, which browsers take only with Secure (HTTPS).
    response.set_cookie(identity.RESUME_COOKIE, identity.cookie_value(conversation_id, str(token)), httponly=True,
                        samesite="None" if secure else "Lax", secure=secure, path="/socket.io",
                        max_age=identity.COOKIE_MAX_AGE_S)
    origin = request.headers.get("Origin")
    if origin and origin in bridge.settings.cors_origins:
        response.headers["Access-Control-Allow-Origin"] = origin
        response.headers["Access-Control-Allow-Credentials"] = "true"
    return response


async def customer_resume_preflight(request: web.Request) -> web.Response:
    """``OPTIONS /api/customer/resume``: a widget on an allowed origin (``BRIDGE_CORS_ORIGINS``) may post."""
    origin = request.headers.get("Origin", "")
    if origin not in request.app[BRIDGE].settings.cors_origins:
        return web.Response(status=403)
    return web.Response(status=204, headers={
        "Access-Control-Allow-Origin": origin, "Access-Control-Allow-Credentials": "true",
        "Access-Control-Allow-Methods": "POST", "Access-Control-Allow-Headers": "Content-Type",
        "Access-Control-Max-Age": "600"})


async def logout(request: web.Request) -> web.Response:
    """``POST /api/agent/logout``: ends the cookie's (or bearer token's) session."""
    sessions = request.app[SESSIONS]
    token = request.cookies.get(SESSION_COOKIE) or request.headers.get("Authorization", "").removeprefix("Bearer ")
    if token:
        agent = await sessions.agent_for(token.strip())
        await sessions.logout(token.strip())
        if agent is not None:
            await request.app[BRIDGE].audit.record(agent.id, "logout")
    response = web.json_response({"status": "logged_out"})
    response.del_cookie(SESSION_COOKIE, path="/")
    return response


async def _supervisor(request: web.Request, what: str) -> Account | web.Response:
    """The logged-in supervisor, or the refusal to send (401 not logged in, 403 not a supervisor)."""
    agent = await current_agent(request, request.app[SESSIONS])
    if agent is None:
        return _error(401, "unauthorized", "log in first")
    if not agent.is_supervisor:
        return _error(403, "forbidden", f"{what} for supervisors")
    return agent


async def stats(request: web.Request) -> web.Response:
    """``GET /api/stats[?language=en|ja]``: the supervisor page's figures (supervisors only), of the
    customers in one language when asked."""
    agent = await _supervisor(request, "the figures are")
    if isinstance(agent, web.Response):
        return agent
    language = request.query.get("language") or None
    if language is not None and language not in LANGUAGES:
        return _error(400, "bad_language", f"language must be one of {', '.join(LANGUAGES)}")
    # ``viewer``: who asks (the page offers "take over" to them: handoff.supervisor_api).
    return web.json_response({**await request.app[BRIDGE].views.figures(language), "viewer": agent.public()})


async def audit(request: web.Request) -> web.Response:
    """``GET /api/audit[?conversation=<id>][&agent=<id>][&limit=N]``: the audit trail, newest first
    (supervisors only; reading it is itself recorded)."""
    agent = await _supervisor(request, "the audit trail is")
    if isinstance(agent, web.Response):
        return agent
    conversation_id = request.query.get("conversation") or None
    actor = request.query.get("agent") or None
    try:
        limit = max(1, min(1000, int(request.query.get("limit", "200"))))
    except ValueError:
        return _error(400, "malformed", "limit must be a number")
    trail = request.app[BRIDGE].audit
    await trail.record(agent.id, "audit_read", conversation_id or "", {"agent": actor})
    return web.json_response({"entries": await trail.query(conversation_id, actor, limit)})


async def _redis_ok(bridge: Bridge) -> bool:
    try:
        return bool(await asyncio.wait_for(bridge.redis.ping(), timeout=2))
    except (TimeoutError, RedisError):
        return False


async def health(request: web.Request) -> web.Response:
    """``GET /health``: liveness. 200 while the process serves; ``redis`` says whether the state store answers."""
    return web.json_response({"status": "ok", "redis": await _redis_ok(request.app[BRIDGE]),
                              "bridge": request.app[BRIDGE].settings.bridge_id})


def internal_caller(address: str, supplied: str, token: str) -> bool:
    """Whether a caller may read ``/ready`` and ``/metrics`` (pure): this host itself (a health check,
    a local scraper), or anyone with ``BRIDGE_METRICS_TOKEN``. Behind a trusted proxy the address is
    the customer's, so the internet does not pass as this host."""
    if token and hmac.compare_digest(supplied.encode(), token.encode()):
        return True
    return address in ("127.0.0.1", "::1")


def _refuse_outsiders(request: web.Request) -> web.Response | None:
    settings = request.app[BRIDGE].settings
    address = peers.client_address(request.remote or "", request.headers.get("X-Forwarded-For", ""),
                                   settings.trusted_proxies)
    supplied = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    if internal_caller(address, supplied, settings.metrics_token):
        return None
    return _error(403, "forbidden", "internal endpoint: call it from the host or with BRIDGE_METRICS_TOKEN")


async def ready(request: web.Request) -> web.Response:
    """``GET /ready``: readiness. 200 when Redis and at least one Rasa server answer and the bridge is not draining."""
    refused = _refuse_outsiders(request)
    if refused:
        return refused
    bridge = request.app[BRIDGE]
    redis_ok = await _redis_ok(bridge)
    rasa = await bridge.rasa.reachable()
    draining = request.app[DRAINING].is_set()
    ok = redis_ok and any(rasa.values()) and not draining
    return web.json_response({"ready": ok, "redis": redis_ok, "rasa_servers_up": sum(rasa.values()),
                              "rasa_servers": len(rasa), "draining": draining,
                              "bridge": bridge.settings.bridge_id}, status=200 if ok else 503)


async def metrics(request: web.Request) -> web.Response:
    """``GET /metrics``: Prometheus text format (shared figures read from Redis at scrape time)."""
    refused = _refuse_outsiders(request)
    if refused:
        return refused
    bridge = request.app[BRIDGE]
    try:
        queue_length = await bridge.queue.length()
        available = await bridge.agents.available_count()
    except RedisError:
        queue_length = available = -1
    body = bridge.metrics.exposition(queue_length, available)
    return web.Response(body=body, headers={"Content-Type": bridge.metrics.content_type})


def add_routes(app: web.Application) -> None:
    """Register the HTTP endpoints."""
    app.router.add_post("/api/handoff", handoff)
    app.router.add_post("/api/agent/login", login)
    app.router.add_post("/api/agent/logout", logout)
    app.router.add_post("/api/customer/resume", customer_resume)
    app.router.add_route("OPTIONS", "/api/customer/resume", customer_resume_preflight)
    app.router.add_get("/api/stats", stats)
    app.router.add_get("/api/audit", audit)
    app.router.add_get("/health", health)
    app.router.add_get("/ready", ready)
    app.router.add_get("/metrics", metrics)
