"""Who may resume a conversation: its id is a name, not a key (pure).

A conversation id is seen by many (the host page's storage, Rasa's logs, every agent's
console), so knowing it must not be enough to read the history or speak in the
conversation. When the bridge starts a conversation it gives the socket a *resume token*
(``session_secret``), an HMAC of the id under a key derived from the handoff secret (held by the
servers, never sent to a customer): no storage, and any bridge can check it. It cannot be revoked
short of changing that secret. Joining an existing conversation takes one of:

- the token in ``session_request`` (``resume_token``): Rasa clients of ours, the harness;
- the token in the ``nw_resume`` cookie, sent by the browser with the Socket.IO handshake
  (our widget: it hands the token to ``POST /api/customer/resume``, which sets the cookie
  HttpOnly, so no script on the host page can read it afterwards);
- being the socket that already holds it (a ``resync``);
- the id-only mode (``BRIDGE_RESUME_BY_ID``), for Rasa widgets that know nothing but the id
  (rasa-webchat): off unless such a widget is embedded.

Anything else naming an existing id gets a new conversation, as an unknown id does, so the
answer says nothing about whether the id exists.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from http.cookies import CookieError, SimpleCookie

RESUME_COOKIE = "nw_resume"
COOKIE_MAX_AGE_S = 30 * 24 * 3600


def resume_token(key: str, conversation_id: str) -> str:
    """The token that resumes ``conversation_id`` (24 URL-safe characters)."""
    digest = hmac.new(key.encode(), f"resume|{conversation_id}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:18]).decode()


def token_matches(key: str, conversation_id: str, supplied: object) -> bool:
    """Whether ``supplied`` is the resume token of ``conversation_id`` (constant time)."""
    if not isinstance(supplied, str) or len(supplied) > 100:
        return False
    return hmac.compare_digest(supplied.encode(), resume_token(key, conversation_id).encode())


def cookie_value(conversation_id: str, token: str) -> str:
    """What the ``nw_resume`` cookie holds: the id and its token."""
    return f"{conversation_id}.{token}"


def from_cookie(cookie_header: str | None) -> tuple[str, str] | None:
    """``(conversation_id, token)`` from a ``Cookie`` header's ``nw_resume``, or ``None``."""
    if not cookie_header:
        return None
    try:
        jar = SimpleCookie(cookie_header)
    except CookieError:
        return None
    morsel = jar.get(RESUME_COOKIE)
    if morsel is None:
        return None
    conversation_id, _, token = morsel.value.rpartition(".")
    return (conversation_id, token) if conversation_id and token else None


def may_resume(key: str, conversation_id: str, *, held_by_socket: str | None, supplied_token: object,
               cookie: tuple[str, str] | None, id_only: bool) -> bool:
    """Whether a ``session_request`` naming the existing ``conversation_id`` joins it."""
    if held_by_socket == conversation_id or id_only:
        return True
    if token_matches(key, conversation_id, supplied_token):
        return True
    return cookie is not None and cookie[0] == conversation_id and token_matches(key, conversation_id, cookie[1])
