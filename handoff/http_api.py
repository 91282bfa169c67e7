"""HTTP endpoints: the handoff from the action server, agent login and logout, the supervisor's figures, health."""

from __future__ import annotations

import asyncio
import hmac
import json
from typing import Any

from aiohttp import web
from aiohttp.typedefs import Handler as web_handler
from redis.exceptions import RedisError

from handoff import keys, protocol
from handoff.accounts import LANGUAGES, SESSION_COOKIE, Sessions
from handoff.bridge import Bridge
from handoff.errors import describe
from handoff.pages import current_agent

# Failed logins allowed per username and per client address within the lock-out window.
LOGIN_FAILURES_PER_USER = 10
LOGIN_FAILURES_PER_ADDRESS = 50
LOGIN_LOCKOUT_S = 300

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
    context = {k: body.get(k) for k in ("reason", "evidence", "transcript", "intents", "slots", "summary",
                                        "customer", "orders")
               if body.get(k) is not None}
    outcome = await bridge.desk.handoff(conversation_id, context)
    return web.json_response({"status": outcome, "conversation_id": conversation_id})


async def login(request: web.Request) -> web.Response:
    """``POST /api/agent/login`` ``{username, password}`` → ``{token, agent}``."""
    body = await _json_body(request)
    username, password = body.get("username"), body.get("password")
    if not isinstance(username, str) or not isinstance(password, str) or len(password) > 200:
        return _error(400, "malformed", "username and password are required")
    redis = request.app[BRIDGE].redis
    counters = [keys.login_failures("user", username[:100]), keys.login_failures("ip", _client_address(request))]
    failures = [int(v or 0) for v in await redis.mget(counters)]
    if failures[0] >= LOGIN_FAILURES_PER_USER or failures[1] >= LOGIN_FAILURES_PER_ADDRESS:
        return web.json_response({"error": {"code": "too_many_attempts",
                                            "message": "too many failed logins; wait a few minutes"}},
                                 status=429, headers={"Retry-After": str(LOGIN_LOCKOUT_S)})
    token = await request.app[SESSIONS].login(username, password)
    if token is None:
        async with redis.pipeline(transaction=False) as pipe:
            for key in counters:
                pipe.incr(key)
                pipe.expire(key, LOGIN_LOCKOUT_S)
            await pipe.execute()
        return _error(401, "bad_credentials", "wrong username or password")
    account = request.app[SESSIONS].accounts[username]
    response = web.json_response({"token": token, "agent": account.public()})
    # The console's pages and socket authenticate with this cookie: HttpOnly (scripts cannot
    # read it), SameSite=Strict (other sites cannot use it), Secure behind HTTPS.
    secure = request.secure or request.headers.get("X-Forwarded-Proto") == "https"
    response.set_cookie(SESSION_COOKIE, token, httponly=True, samesite="Strict", secure=secure, path="/",
                        max_age=request.app[SESSIONS].ttl_s)
    return response


def _client_address(request: web.Request) -> str:
    """The client's address; behind a proxy on this host, the first X-Forwarded-For hop."""
    remote = request.remote or ""
    forwarded = request.headers.get("X-Forwarded-For", "")
    if forwarded and remote in ("127.0.0.1", "::1"):
        return forwarded.split(",")[0].strip()[:64]
    return remote


async def logout(request: web.Request) -> web.Response:
    """``POST /api/agent/logout``: ends the cookie's (or bearer token's) session."""
    sessions = request.app[SESSIONS]
    token = request.cookies.get(SESSION_COOKIE) or request.headers.get("Authorization", "").removeprefix("Bearer ")
    if token:
        await sessions.logout(token.strip())
    response = web.json_response({"status": "logged_out"})
    response.del_cookie(SESSION_COOKIE, path="/")
    return response


async def stats(request: web.Request) -> web.Response:
    """``GET /api/stats[?language=en|ja]``: the supervisor page's figures (supervisors only), of the
    customers in one language when asked."""
    agent = await current_agent(request, request.app[SESSIONS])
    if agent is None:
        return _error(401, "unauthorized", "log in first")
    if not agent.is_supervisor:
        return _error(403, "forbidden", "the figures are for supervisors")
    language = request.query.get("language") or None
    if language is not None and language not in LANGUAGES:
        return _error(400, "bad_language", f"language must be one of {', '.join(LANGUAGES)}")
    return web.json_response(await request.app[BRIDGE].views.figures(language))


async def _redis_ok(bridge: Bridge) -> bool:
    try:
        return bool(await asyncio.wait_for(bridge.redis.ping(), timeout=2))
    except (TimeoutError, RedisError):
        return False


async def health(request: web.Request) -> web.Response:
    """``GET /health``: liveness. 200 while the process serves; ``redis`` says whether the state store answers."""
    return web.json_response({"status": "ok", "redis": await _redis_ok(request.app[BRIDGE]),
                              "bridge": request.app[BRIDGE].settings.bridge_id})


async def ready(request: web.Request) -> web.Response:
    """``GET /ready``: readiness. 200 when Redis and at least one Rasa server answer and the bridge is not draining."""
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
    app.router.add_get("/api/stats", stats)
    app.router.add_get("/health", health)
    app.router.add_get("/ready", ready)
    app.router.add_get("/metrics", metrics)
