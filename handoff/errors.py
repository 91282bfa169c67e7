"""The bridge's one exception hierarchy, and the one table that says what each failure is called.

Every failure a client can cause or meet has a ``code`` (what the client reads), a
message, and an HTTP status. The socket boundary (``handoff.reporting``) and the HTTP
boundary (``handoff.http_api``) both translate through ``describe``, so a refusal reads
the same whichever way it was asked. Pure: no I/O here.
"""

from __future__ import annotations

from dataclasses import dataclass

from redis.exceptions import RedisError


class BridgeError(Exception):
    """A failure the sender should be told about; ``code`` says which."""

    http_status = 400

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


class BadPayload(BridgeError, ValueError):
    """A client sent something we cannot accept; ``code`` tells which check failed."""


class NotAllowed(BridgeError):
    """The request is well formed, but the sender may not do that now (``not_yours``, ``at_capacity``...)."""

    http_status = 409


class UnknownConversation(BridgeError, LookupError):
    """No conversation has that id."""

    http_status = 404

    def __init__(self, conversation_id: str) -> None:
        super().__init__("unknown_conversation", f"no conversation {conversation_id!r}")
        self.conversation_id = conversation_id


class IllegalMove(BridgeError):
    """The move is not allowed from the conversation's current state (``handoff.state``)."""

    http_status = 409

    def __init__(self, state: str, move: str) -> None:
        super().__init__("illegal_move", f"cannot {move} a conversation that is {state}")
        self.state, self.move = state, move


@dataclass(frozen=True)
class Failure:
    """What a client is told: ``code`` and ``message``; ``http_status`` for HTTP clients."""

    code: str
    message: str
    http_status: int
    retry_after_s: int | None = None  # rate_limited: when to try again


UNAVAILABLE = Failure("unavailable", "the service is briefly unavailable; please try again in a moment", 503)
INTERNAL = Failure("internal", "something went wrong on our side; nothing was lost, please retry", 500)


def describe(error: BaseException) -> Failure | None:
    """The failure a client is told about, or ``None`` for an unexpected error (log it, say ``INTERNAL``)."""
    if isinstance(error, BridgeError):
        return Failure(error.code, str(error), error.http_status, getattr(error, "retry_after_s", None))
    if isinstance(error, RedisError):
        return UNAVAILABLE
    return None
