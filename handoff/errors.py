"""Errors translated at the socket boundary into an ``error`` event the sender can read."""

from __future__ import annotations

import contextlib
import functools
import logging
from typing import Any, Awaitable, Callable, Optional

import socketio
from redis.exceptions import RedisError

from handoff import protocol
from handoff.bridge import NotAllowed
from handoff.conversations import UnknownConversation
from handoff.logs import about
from handoff.state import IllegalMove

logger = logging.getLogger(__name__)

Handler = Callable[..., Awaitable[Any]]


def _error_for(e: Exception) -> Optional[tuple]:
    if isinstance(e, protocol.BadPayload):
        return e.code, str(e)
    if isinstance(e, NotAllowed):
        return e.code, str(e)
    if isinstance(e, UnknownConversation):
        return "unknown_conversation", f"no conversation {e.args[0]!r}"
    if isinstance(e, IllegalMove):
        return "illegal_move", str(e)
    if isinstance(e, RedisError):
        return "unavailable", "the service is briefly unavailable; please try again in a moment"
    return None


def reported(event: str) -> Callable[[Handler], Handler]:
    """Wrap a namespace handler: known failures become an ``error`` event to the sender, nothing crashes."""

    def decorate(handler: Handler) -> Handler:
        @functools.wraps(handler)
        async def wrapper(namespace: socketio.AsyncNamespace, sid: str, *args: Any) -> Any:
            about(None)  # log lines name a conversation only once the handler says which
            try:
                return await handler(namespace, sid, *args)
            except Exception as e:  # noqa: BLE001 - translated below, re-raised when unknown
                error = _error_for(e)
                if error is None:
                    logger.exception("unexpected error in %s from %s", event, sid)
                    error = ("internal", "something went wrong on our side; nothing was lost, please retry")
                elif error[0] == "unavailable":
                    logger.warning("redis unavailable during %s: %s", event, e)
                bridge = getattr(namespace, "bridge", None)
                if bridge is not None:
                    bridge.metrics.error(error[0])
                with contextlib.suppress(Exception):  # the error event itself may fail (Redis down)
                    await namespace.emit(protocol.ERROR, protocol.error_payload(error[0], error[1], event), to=sid)
                # The acknowledgement, for clients that asked for one: they retry on "error".
                return {"status": "error", "code": error[0], "message": error[1]}

        return wrapper

    return decorate
