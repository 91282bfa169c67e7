"""Agent accounts (from a JSON file), password hashes and login sessions.

    python -m handoff.accounts hash            # prints a hash for a password read from stdin

The accounts file is a list of ``{"id", "name", "password_hash", "capacity", "role", "languages"}``
(``role`` is ``agent`` or ``supervisor``; supervisors also see the supervisor page;
``languages`` are the customers' languages the agent serves, ``["en"]`` when left out);
passwords are stored only as scrypt hashes. A login session is a random token,
kept in Redis, given to the browser as an HttpOnly cookie (and in the login
response, for API clients).
"""

from __future__ import annotations

import asyncio
import base64
import functools
import hashlib
import hmac
import json
import secrets
import sys
from dataclasses import dataclass
from pathlib import Path

from redis.asyncio import Redis

from handoff import keys

_SCRYPT = {"n": 2 ** 14, "r": 8, "p": 1}
ROLES = ("agent", "supervisor")
LANGUAGES = ("en", "ja")
SESSION_COOKIE = "nwsupport_agent"


@dataclass(frozen=True)
class Account:
    """An agent who may log in to the console."""

    id: str
    name: str
    password_hash: str
    capacity: int = 3
    role: str = "agent"
    languages: tuple[str, ...] = ("en",)

    @property
    def is_supervisor(self) -> bool:
        """Whether the account may see the supervisor page."""
        return self.role == "supervisor"

    @classmethod
    def unknown(cls, agent_id: str) -> Account:
        """An agent whose account is gone from the accounts file (their conversations still move)."""
        return cls(id=agent_id, name=agent_id, password_hash="", capacity=0)

    def public(self) -> dict[str, object]:
        """What the console may know about the account (never the hash)."""
        return {"id": self.id, "name": self.name, "capacity": self.capacity, "role": self.role,
                "languages": list(self.languages)}


def hash_password(password: str, salt: bytes | None = None) -> str:
    """``scrypt$<salt>$<hash>`` (base64) for ``password``."""
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, **_SCRYPT)
    return "scrypt$" + base64.b64encode(salt).decode() + "$" + base64.b64encode(digest).decode()


def check_password(password: str, stored: str) -> bool:
    """Whether ``password`` matches the stored hash (constant-time compare)."""
    try:
        scheme, salt, digest = stored.split("$")
    except ValueError:
        return False
    if scheme != "scrypt":
        return False
    candidate = hashlib.scrypt(password.encode(), salt=base64.b64decode(salt), **_SCRYPT)
    return hmac.compare_digest(candidate, base64.b64decode(digest))


@functools.lru_cache(maxsize=1)
def _decoy_hash() -> str:
    """A hash to check unknown ids against, so timing does not tell which ids exist."""
    return hash_password("not-a-password", b"0" * 16)


def load_accounts(path: Path) -> dict[str, Account]:
    """Read the accounts file; ids are unique."""
    accounts: dict[str, Account] = {}
    for item in json.loads(path.read_text()):
        role = item.get("role", "agent")
        if role not in ROLES:
            raise ValueError(f"agent {item.get('id')!r}: role must be one of {ROLES}")
        languages = item.get("languages", ["en"])
        if (not isinstance(languages, list) or not languages
                or any(language not in LANGUAGES for language in languages)):
            raise ValueError(f"agent {item.get('id')!r}: languages must be a non-empty list of {LANGUAGES}")
        account = Account(id=item["id"], name=item["name"], password_hash=item["password_hash"],
                          capacity=int(item.get("capacity", 3)), role=role, languages=tuple(languages))
        accounts[account.id] = account
    return accounts


def session_token_in(cookie_header: str | None) -> str | None:
    """The session cookie's value in a ``Cookie`` header (lenient: other cookies of any shape are skipped;
    the standard library's parser gives up on a JSON-valued cookie and loses every cookie after it)."""
    for part in (cookie_header or "").split(";"):
        name, _, value = part.strip().partition("=")
        if name == SESSION_COOKIE and value:
            return value.strip('"')
    return None


class Sessions:
    """Login sessions: a random token per login, kept in Redis with a TTL."""

    def __init__(self, redis: Redis, accounts: dict[str, Account], ttl_s: int) -> None:
        self.redis, self.accounts, self.ttl_s = redis, accounts, ttl_s

    async def login(self, agent_id: str, password: str) -> str | None:
        """A new session token, or ``None`` when the id or password is wrong."""
        account = self.accounts.get(agent_id)
        stored = account.password_hash if account else _decoy_hash()
        # scrypt takes tens of milliseconds of CPU: off the event loop.
        if not await asyncio.to_thread(check_password, password, stored) or account is None:
            return None
        token = secrets.token_urlsafe(32)
        await self.redis.set(keys.agent_session(token), agent_id, ex=self.ttl_s)
        return token

    async def agent_for(self, token: object) -> Account | None:
        """The account of a session token, or ``None``."""
        if not isinstance(token, str) or not 20 <= len(token) <= 100:
            return None
        agent_id = await self.redis.get(keys.agent_session(token))
        return self.accounts.get(str(agent_id)) if agent_id else None

    async def agent_for_cookie(self, cookie_header: str | None) -> Account | None:
        """The account of the session cookie in a ``Cookie`` header, or ``None``."""
        token = session_token_in(cookie_header)
        return await self.agent_for(token) if token else None

    async def logout(self, token: str) -> None:
        """End a session."""
        await self.redis.delete(keys.agent_session(token))


if __name__ == "__main__":
    if sys.argv[1:] == ["hash"]:
        print(hash_password(sys.stdin.readline().rstrip("\n")))
    else:
        print(__doc__)
