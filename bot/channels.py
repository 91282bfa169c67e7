"""The Rasa server's input channel for the bridge: Rasa's REST channel, whose stream mode always ends.

The bridge sends each customer turn to ``POST /webhooks/rest/webhook?stream=true``: Rasa's
REST channel then writes every bot message as one JSON line the moment the dialogue
utters it (``QueueOutputChannel``), as its socketio channel emits it, instead of one JSON
list after the whole turn (the per-turn escalation check included). The response ends
when the turn does, which is how the bridge knows the turn is over.

Rasa 3.6's stream mode has one flaw this class mends: when the turn raises (its lock store
unreachable, say), the "DONE" marker is never queued and the response never ends; the
bridge would wait for its timeout. Here the marker is queued whatever happens, and the
turn's failure is logged, as the non-stream mode does (which answers ``[]``). Without
``stream``, the channel is Rasa's REST channel unchanged.

Configured in ``credentials.yml`` as ``bot.channels.StreamingRestInput`` (name ``rest``: the
same URL as Rasa's REST channel, which is then not configured).

Rasa's REST channel takes any ``sender`` from anyone who reaches it: whoever knows a
conversation id could speak in it. This one wants ``Authorization: Bearer <RASA_AUTH_TOKEN>``
(the token of Rasa's HTTP API, which the bridge holds) and a JSON body, whenever the server
was started with a token (``bot.serve``); without one it is open, as Rasa's is, and says so.
"""

from __future__ import annotations

import hmac
import logging
import os
from asyncio import Queue
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.rest import QueueOutputChannel, RestInput
from sanic import Blueprint, response
from sanic.request import Request

logger = logging.getLogger(__name__)

DONE = "DONE"  # what Rasa's stream loop waits for


class StreamingRestInput(RestInput):
    """Rasa's REST channel; in stream mode the response ends even when the turn fails."""

    @classmethod
    def name(cls) -> str:
        """The URL prefix ``/webhooks/rest``."""
        return "rest"

    @staticmethod
    async def on_message_wrapper(on_new_message: Callable[[UserMessage], Awaitable[Any]], text: str,
                                 queue: Queue, sender_id: str, input_channel: str,
                                 metadata: dict[str, Any] | None) -> None:
        """Run the turn, its messages into ``queue`` as they come; then ``DONE``, whatever happened."""
        collector = QueueOutputChannel(queue)
        try:
            await on_new_message(UserMessage(text, collector, sender_id, input_channel=input_channel,
                                             metadata=metadata))
        except Exception:  # as Rasa's non-stream mode: logged, the turn answers what it had
            logger.exception("the turn of %s failed", sender_id)
        finally:
            await queue.put(DONE)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        """Rasa's REST routes, behind the token check (``refusal``) when the server has a token, and
        ``POST /webhooks/rest/erase`` (``erase``)."""
        bp = super().blueprint(on_new_message)
        token = os.environ.get("RASA_AUTH_TOKEN", "")

        @bp.route("/erase", methods=["POST"])
        async def erase_route(request: Request) -> Any:
            body = request.json if isinstance(request.json, dict) else {}
            sender, events = body.get("sender"), body.get("events")
            if not token:
                return response.json({"error": "erasing needs the server to have a token"}, status=403)
            if not isinstance(sender, str) or not sender or not isinstance(events, list):
                return response.json({"error": "the body is {sender, events}"}, status=400)
            agent = request.app.ctx.agent
            async with agent.lock_store.lock(sender):
                stored = await replace_events(agent.tracker_store, agent.domain, sender, events)
            return response.json({"status": "replaced", "events": stored})

        if not token:
            logger.warning("no RASA_AUTH_TOKEN: the REST channel takes messages from anyone who reaches it")
            return bp

        async def authenticate(request: Request) -> Any:
            supplied = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
            refused = refusal(request.method, request.headers.get("Content-Type", ""), supplied, token)
            if refused:
                return response.json({"error": refused[1]}, status=refused[0])
            return None

        bp.middleware(authenticate, "request")  # type: ignore[no-untyped-call]
        return bp


def refusal(method: str, content_type: str, supplied: str, token: str) -> tuple[int, str] | None:
    """Why a request to the channel is refused (status, message), or ``None`` (pure). ``GET /`` (its
    health) stays open."""
    if method != "POST":
        return None
    if not hmac.compare_digest(supplied.encode(), token.encode()):
        return 401, "a valid token is required (Authorization: Bearer)"
    if content_type.split(";")[0].strip().lower() != "application/json":
        return 415, "the body must be application/json"
    return None


def _innermost(store: Any) -> Any:
    """The tracker store a wrapper holds (Rasa wraps it in FailSafeTrackerStore and AwaitableTrackerStore)."""
    while hasattr(store, "_tracker_store"):
        store = store._tracker_store
    return store


async def replace_events(store: Any, domain: Any, sender: str, events: list[dict[str, Any]]) -> int:
    """Replace every stored event of ``sender`` with ``events`` (an erasure: the bridge sends the erased
    form). Rasa's own ``PUT .../tracker/events`` does not do that with the SQL store: it saves only the
    events past the number already stored, so the old ones stay. Returns how many events are stored."""
    from rasa.core.tracker_store import InMemoryTrackerStore, SQLTrackerStore
    from rasa.shared.core.trackers import DialogueStateTracker

    inner = _innermost(store)
    if isinstance(inner, SQLTrackerStore):
        with inner.session_scope() as session:
            session.query(inner.SQLEvent).filter(inner.SQLEvent.sender_id == sender).delete()
            session.commit()
    elif isinstance(inner, InMemoryTrackerStore):
        inner.store.pop(sender, None)
    else:
        raise TypeError(f"erasing is not supported for {type(inner).__name__}")
    tracker = DialogueStateTracker.from_dict(sender, events, domain.slots)
    await inner.save(tracker)
    return len(tracker.events)
