"""The supervisor's powers over HTTP (supervisor accounts only, every step in the audit trail):

- ``GET /api/live``: every conversation waiting or with an agent, with its timers;
- ``GET /api/conversation/{id}``: one of them read-only, as its agent sees it (no claim, nothing
  the customer notices);
- ``POST /api/supervisor/reassign {conversation_id, to_agent}``: give it to another agent, or to
  oneself (taking it over); from the queue or from the agent who has it, who is told;
- ``GET /api/export/figures.csv?day=`` and ``GET /api/export/conversations.csv?day=``: the day's
  figures per hour, and the day's conversations (no customer text: ids, times, reason, agent,
  resolution, rating), for spreadsheets.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import time
from typing import Any

from aiohttp import web

from handoff import keys, protocol
from handoff.http_api import BRIDGE, _error, _json_body, _supervisor
from handoff.state import State
from handoff.stats import summarise

CONVERSATION_COLUMNS = ("conversation_id", "state", "language", "reason", "agent_id", "created_at", "queued_at",
                        "claimed_at", "first_response_at", "closed_at", "resolution", "satisfaction")
WATCH_AUDIT_S = 900
FIGURE_COLUMNS = ("date", "hour", "conversations", "handoffs", "average_wait_s", "first_response_s", "satisfaction")


async def live(request: web.Request) -> web.Response:
    """``GET /api/live``: the conversations a person owns or will own."""
    supervisor = await _supervisor(request, "the live conversations are")
    if isinstance(supervisor, web.Response):
        return supervisor
    bridge = request.app[BRIDGE]
    ids = [*await bridge.queue.ids()]
    for agent_id in bridge.accounts:
        ids.extend(await bridge.agents.held(agent_id))
    rows = []
    for conversation in await bridge.conversations.get_many(ids):
        if conversation is None or conversation.state not in (State.QUEUED, State.WITH_AGENT):
            continue
        rows.append({"conversation_id": conversation.id, "state": conversation.state.value,
                     "reason": conversation.reason, "agent_id": conversation.agent_id,
                     "language": conversation.spoken_language, "queued_at": conversation.queued_at,
                     "sla": await bridge.sla.timers_of(conversation.id)})
    return web.json_response({"conversations": rows, "now": time.time()})


async def conversation(request: web.Request) -> web.Response:
    """``GET /api/conversation/{id}``: a live conversation read-only (the view is recorded)."""
    supervisor = await _supervisor(request, "watching conversations is")
    if isinstance(supervisor, web.Response):
        return supervisor
    conversation_id = protocol.conversation_id(request.match_info["id"])
    bridge = request.app[BRIDGE]
    view = await bridge.views.conversation(conversation_id)
    # Once per WATCH_AUDIT_S per supervisor and conversation: the page refreshes the view every few seconds.
    if await bridge.redis.set(keys.watch_mark(supervisor.id, conversation_id), "1", nx=True, ex=WATCH_AUDIT_S):
        await bridge.audit.record(supervisor.id, "watch", conversation_id)
    return web.json_response({**view, "read_only": True})


async def reassign(request: web.Request) -> web.Response:
    """``POST /api/supervisor/reassign {conversation_id, to_agent}`` (``to_agent`` = oneself: take over)."""
    supervisor = await _supervisor(request, "reassigning is")
    if isinstance(supervisor, web.Response):
        return supervisor
    body = await _json_body(request)
    conversation_id = protocol.conversation_id(body.get("conversation_id"), "conversation_id")
    bridge = request.app[BRIDGE]
    target = bridge.accounts.get(str(body.get("to_agent") or ""))
    if target is None:
        return _error(400, "bad_agent", "to_agent must be an agent's id")
    await bridge.desk.reassign(supervisor, conversation_id, target)
    action = "take_over" if target.id == supervisor.id else "reassign"
    await bridge.audit.record(supervisor.id, action, conversation_id, {"to": target.id})
    return web.json_response({"status": "ok", "conversation_id": conversation_id, "agent_id": target.id})


def _day(request: web.Request) -> str:
    day = request.query.get("day") or time.strftime("%Y-%m-%d", time.localtime())
    try:
        dt.date.fromisoformat(day)
    except ValueError as e:
        raise protocol.BadPayload("malformed", "day must be YYYY-MM-DD") from e
    return day


def _csv(rows: list[dict[str, Any]], columns: tuple[str, ...], name: str) -> web.Response:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore", lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        # A value a spreadsheet would run as a formula is written as text.
        writer.writerow({k: ("'" + v if isinstance(v, str) and v[:1] in "=+-@" else v) for k, v in row.items()})
    return web.Response(body=("\ufeff" + out.getvalue()).encode("utf-8"), content_type="text/csv", charset="utf-8",
                        headers={"Content-Disposition": f'attachment; filename="{name}"'})


async def export_figures(request: web.Request) -> web.Response:
    """``GET /api/export/figures.csv?day=YYYY-MM-DD``: the day's figures, per hour and in all."""
    supervisor = await _supervisor(request, "exports are")
    if isinstance(supervisor, web.Response):
        return supervisor
    day, bridge = _day(request), request.app[BRIDGE]
    figures = summarise(await bridge.stats.day(day), day)
    today = figures["today"]
    rows = [{"date": day, "hour": f"{h['hour']:02d}", "conversations": h["conversations"], "handoffs": h["handoffs"],
             "average_wait_s": h["average_wait_s"], "first_response_s": h["first_response_s"],
             "satisfaction": h["satisfaction"]} for h in figures["hours"]]
    rows.append({"date": day, "hour": "all", "conversations": today["conversations"],
                 "handoffs": sum(today["handoffs_by_reason"].values()), "average_wait_s": today["average_wait_s"],
                 "first_response_s": today["first_response_s"], "satisfaction": today["satisfaction"]["average"]})
    await bridge.audit.record(supervisor.id, "export", "", {"what": "figures", "day": day})
    return _csv(rows, FIGURE_COLUMNS, f"figures-{day}.csv")


async def export_conversations(request: web.Request) -> web.Response:
    """``GET /api/export/conversations.csv?day=YYYY-MM-DD``: the conversations closed that day and those open
    now, without what anyone wrote."""
    supervisor = await _supervisor(request, "exports are")
    if isinstance(supervisor, web.Response):
        return supervisor
    day, bridge = _day(request), request.app[BRIDGE]
    start = time.mktime(dt.date.fromisoformat(day).timetuple())
    closed = await bridge.redis.zrangebyscore(keys.CLOSED_CONVERSATIONS, start, start + 86400)
    open_now = await bridge.redis.zrange(keys.ACTIVITY, 0, -1)
    rows = []
    for conversation_id in dict.fromkeys([*closed, *open_now]):
        raw = await bridge.redis.hgetall(keys.conversation(str(conversation_id)))
        if not raw:
            continue
        row: dict[str, Any] = {"conversation_id": str(conversation_id), **{c: raw.get(c, "") for c in CONVERSATION_COLUMNS[1:]}}
        for stamp in ("created_at", "queued_at", "claimed_at", "first_response_at", "closed_at"):
            if row[stamp]:
                row[stamp] = dt.datetime.fromtimestamp(float(row[stamp])).isoformat(timespec="seconds")
        rows.append(row)
    await bridge.audit.record(supervisor.id, "export", "", {"what": "conversations", "day": day, "rows": len(rows)})
    return _csv(rows, CONVERSATION_COLUMNS, f"conversations-{day}.csv")


def add_routes(app: web.Application) -> None:
    """The supervisor's routes on ``app``."""
    app.router.add_get("/api/live", live)
    app.router.add_get("/api/conversation/{id}", conversation)
    app.router.add_post("/api/supervisor/reassign", reassign)
    app.router.add_get("/api/export/figures.csv", export_figures)
    app.router.add_get("/api/export/conversations.csv", export_conversations)
