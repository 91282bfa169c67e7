"""Failed agent logins: back-off that stops guessing without letting anyone lock an agent out.

Three counters, each with its own rule (``waits`` is the pure decision):

- per username *and* address: a few free tries, then a wait that doubles with each failure
  (2 s, 4 s, 8 s... at most 15 min). This is what slows a guesser down.
- per username from any address: after more failures, addresses the agent has never logged
  in from wait too; an address the agent logged in from before (kept 30 days) is not held
  back by other addresses' failures, so someone guessing from elsewhere cannot lock the
  real agent out of their usual desk.
- per address for any username: many failures (password spraying) block that address, except
  for the agents who logged in from it before.

Only one login per username is checked at a time (``in_flight``): guesses sent all at once would
otherwise all pass the check before the first failure is counted.

The client's address is ``peers.client_address`` (``X-Forwarded-For`` only from trusted proxies).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from redis.asyncio import Redis

from handoff import keys

PAIR_FREE = 5  # failures per username and address before the back-off starts
USER_FREE = 10  # failures per username (any address) before unknown addresses wait too
ADDRESS_FREE = 50  # failures from one address (any username) before it is blocked
BASE_S = 2
CAP_S = 15 * 60
ADDRESS_BLOCK_S = 5 * 60
COUNT_TTL_S = 3600  # a counter forgets an hour after its last failure
KNOWN_TTL_S = 30 * 24 * 3600
IN_FLIGHT_S = 10  # a login check holds its username at most this long (a crashed one lets go)


def backoff_s(failures: int, free: int) -> int:
    """The wait after the ``failures``-th failure: none for the first ``free``, then 2 s doubling, at most 15 min."""
    if failures <= free:
        return 0
    return int(min(CAP_S, BASE_S * 2 ** min(failures - free - 1, 20)))


@dataclass(frozen=True)
class Waits:
    """How long each counter now holds logins back (seconds; 0 is not at all)."""

    pair: int
    user: int
    address: int


def waits(pair_failures: int, user_failures: int, address_failures: int) -> Waits:
    """The waits a failure sets, from the counts including it (pure)."""
    return Waits(pair=backoff_s(pair_failures, PAIR_FREE), user=backoff_s(user_failures, USER_FREE),
                 address=ADDRESS_BLOCK_S if address_failures > ADDRESS_FREE else 0)


def _address_mark(address: str) -> str:
    return hashlib.blake2b(address.encode(), digest_size=12).hexdigest()  # addresses not kept in the clear


class Lockout:
    """The login counters and blocks in Redis (``keys.login_*``)."""

    def __init__(self, redis: Redis) -> None:
        self.redis = redis

    @staticmethod
    def _keys(username: str, address: str) -> dict[str, str]:
        user = username[:100]
        mark = _address_mark(address)
        return {"pair": f"{user}|{mark}", "user": user, "address": mark}

    async def retry_after(self, username: str, address: str) -> int:
        """Seconds this login must wait (0: it may try now)."""
        ids = self._keys(username, address)
        known = await self.redis.sismember(keys.login_known(ids["user"]), ids["address"])
        # The agent's own desk is held back only by its own failures there (the pair): not by others
        # guessing other names from the same office address, nor by guesses for this name from elsewhere.
        kinds = ["pair"] + ([] if known else ["address", "user"])
        async with self.redis.pipeline(transaction=False) as pipe:
            for kind in kinds:
                pipe.pttl(keys.login_block(kind, ids[kind]))
            ttls = await pipe.execute()
        return max([0] + [-(-int(t) // 1000) for t in ttls if int(t) > 0])

    async def begin(self, username: str) -> bool:
        """Claim the one login check of ``username`` at a time; ``False`` when another is under way."""
        return bool(await self.redis.set(keys.login_in_flight(username[:100]), "1", nx=True, ex=IN_FLIGHT_S))

    async def end(self, username: str) -> None:
        """Release it."""
        await self.redis.delete(keys.login_in_flight(username[:100]))

    async def failed(self, username: str, address: str) -> None:
        """Count a failed login and set the blocks it earns."""
        ids = self._keys(username, address)
        async with self.redis.pipeline(transaction=False) as pipe:
            for kind in ("pair", "user", "address"):
                pipe.incr(keys.login_failures(kind, ids[kind]))
                pipe.expire(keys.login_failures(kind, ids[kind]), COUNT_TTL_S)
            counts = (await pipe.execute())[::2]
        held = waits(*(int(c) for c in counts))
        async with self.redis.pipeline(transaction=False) as pipe:
            for kind, seconds in (("pair", held.pair), ("user", held.user), ("address", held.address)):
                if seconds:
                    pipe.set(keys.login_block(kind, ids[kind]), "1", ex=seconds)
            await pipe.execute()

    async def succeeded(self, username: str, address: str) -> None:
        """A right password: this address's failures are forgiven and it is known for this agent."""
        ids = self._keys(username, address)
        async with self.redis.pipeline(transaction=False) as pipe:
            pipe.delete(keys.login_failures("pair", ids["pair"]), keys.login_block("pair", ids["pair"]))
            pipe.sadd(keys.login_known(ids["user"]), ids["address"])
            pipe.expire(keys.login_known(ids["user"]), KNOWN_TTL_S)
            await pipe.execute()
