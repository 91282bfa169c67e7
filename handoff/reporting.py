"""Errors translated at the socket boundary into an ``error`` event the sender can read."""

from __future__ import annotations

import contextlib
import functools
import logging
from collections.abc import Awaitable, Callable
from typing import Any

import socketio

from handoff import protocol
from handoff.errors import INTERNAL, UNAVAILABLE, describe
from handoff.logs import about

logger = logging.getLogger(__name__)

Handler = Callable[..., Awaitable[Any]]


def reported(event: str) -> Callable[[Handler], Handler]:
    """Wrap a namespace handler: its payload checked first (``protocol.sane``), known failures become
    an ``error`` event to the sender, nothing crashes."""

    def decorate(handler: Handler) -> Handler:
        @functools.wraps(handler)
        async def wrapper(namespace: socketio.AsyncNamespace, sid: str, *args: Any) -> Any:
            about(None)  # log lines name a conversation only once the handler says which
            try:
                for arg in args:
                    protocol.sane(arg)
                return await handler(namespace, sid, *args)
            except Exception as e:
                failure = describe(e)
                if failure is None:
                    logger.exception("unexpected error in %s from %s", event, sid)
                    failure = INTERNAL
                elif failure is UNAVAILABLE:
                    logger.warning("redis unavailable during %s: %s", event, e)
                bridge = getattr(namespace, "bridge", None)
                if bridge is not None:
                    bridge.metrics.error(failure.code)
                with contextlib.suppress(Exception):  # the error event itself may fail (Redis down)
                    await namespace.emit(protocol.ERROR, protocol.error_payload(
                        failure.code, failure.message, event, failure.retry_after_s), to=sid)
                # The acknowledgement, for clients that asked for one: they retry on "error".
                ack: dict[str, Any] = {"status": "error", "code": failure.code, "message": failure.message}
                if failure.retry_after_s is not None:
                    ack["retry_after_s"] = failure.retry_after_s
                return ack

        return wrapper

    return decorate


async def malformed_packet(namespace: socketio.AsyncNamespace, sid: str, why: Any) -> None:
    """A packet python-socketio could not read (``handoff.packets``), on any namespace: an ``error``
    to the sender and one log line."""
    logger.warning("malformed Socket.IO packet from %s: %s", sid, str(why)[:120])
    bridge = getattr(namespace, "bridge", None)
    if bridge is not None:
        bridge.metrics.error("malformed")
    await namespace.emit(protocol.ERROR, protocol.error_payload(
        "malformed", "a Socket.IO packet could not be read (bad JSON, or an event without a name)", "packet"), to=sid)
