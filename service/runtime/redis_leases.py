"""The LLM call limit and single-flight across replicas: leases in Redis (with `DIGEST_REDIS_URL`).

- `RedisCallSlots`: at most `DIGEST_LLM_MAX_CONCURRENT_CALLS` LLM calls in flight across every replica
  and worker that shares the endpoint. A slot is a member of a sorted set scored by its expiry; taking
  one is a Lua script that first drops the expired members, so a slot whose holder was killed frees
  itself after `DIGEST_REDIS_LEASE_S`.
- `RedisFlights`: one LLM digest per cache key at a time across replicas, a `redis.asyncio.lock.Lock`
  with the lease as its timeout. A replica asked for an article another one is digesting waits for the
  lock, then finds the digest in the shared cache instead of calling the LLM again.

A live holder renews its lease every third of it, so a call or a digest may take longer than the
lease; only a dead holder's lease runs out. A Redis that cannot be reached is a 503: without it the
limit cannot be kept. The asyncio client's connections belong to the event loop that opened them,
and the LLM calls run on a loop of their own (`service.engines.llm.loop`): hence a client per loop.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
import weakref
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

import redis
import redis.asyncio
from redis.asyncio.lock import Lock
from redis.exceptions import LockError

from service.errors import Overloaded, SharedStoreUnavailable

log = logging.getLogger(__name__)

SLOTS_PREFIX = "digest:llm-slots:"
FLIGHT_PREFIX = "digest:flight:"
POLL_S = 0.05
RETRY_AFTER_S = 5

# KEYS[1] the slots; ARGV: limit, lease seconds, the holder's token. 1 when a slot was taken, else 0.
_TAKE_SLOT = """
local now_parts = redis.call('TIME')
local now = tonumber(now_parts[1]) + tonumber(now_parts[2]) / 1000000
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[1]) then
  return 0
end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[3])
return 1
"""

# KEYS[1] the slots; ARGV: lease seconds, the holder's token. 1 when the slot was still held and renewed.
_RENEW_SLOT = """
local now_parts = redis.call('TIME')
local now = tonumber(now_parts[1]) + tonumber(now_parts[2]) / 1000000
return redis.call('ZADD', KEYS[1], 'XX', 'CH', now + tonumber(ARGV[1]), ARGV[2])
"""


class LoopClients:
    """An asyncio Redis client for each event loop that asks for one."""

    def __init__(self, url: str) -> None:
        self._url = url
        self._clients: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, redis.asyncio.Redis] = (
            weakref.WeakKeyDictionary()
        )

    def client(self) -> redis.asyncio.Redis:
        loop = asyncio.get_running_loop()
        client = self._clients.get(loop)
        if client is None:
            client = self._clients[loop] = redis.asyncio.Redis.from_url(self._url)
        return client

    async def close(self) -> None:
        """Close the client of the running loop (the others close with their loops)."""
        client = self._clients.pop(asyncio.get_running_loop(), None)
        if client is not None:
            await client.aclose()


class RedisCallSlots:
    """The LLM call limit of an endpoint, shared by every process that reaches the same Redis."""

    def __init__(self, url: str, endpoint: str, limit: int, lease_s: float) -> None:
        self._clients = LoopClients(url)
        self._key = SLOTS_PREFIX + endpoint
        self._limit = limit
        self._lease_s = lease_s

    @asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        """Hold one of the endpoint's call slots, waiting for one to free up."""
        client = self._clients.client()
        token = uuid.uuid4().hex
        take = client.register_script(_TAKE_SLOT)
        try:
            while True:
                if await take(keys=[self._key], args=[self._limit, self._lease_s, token]):
                    break
                await asyncio.sleep(POLL_S)
        except redis.RedisError as error:
            raise _unreachable("the LLM call limit", error) from error

        async def renew() -> bool:
            return bool(
                await client.register_script(_RENEW_SLOT)(keys=[self._key], args=[self._lease_s, token])
            )

        try:
            async with renewed(renew, self._lease_s, "an LLM call slot"):
                yield
        finally:
            await _quietly(client.zrem(self._key, token), "freeing an LLM call slot")

    async def close(self) -> None:
        await self._clients.close()


class RedisFlights:
    """One computation per key at a time across processes; the others wait up to `wait_s` for it."""

    def __init__(self, url: str, lease_s: float, wait_s: float) -> None:
        self._clients = LoopClients(url)
        self._lease_s = lease_s
        self._wait_s = wait_s

    @asynccontextmanager
    async def hold(self, key: str) -> AsyncIterator[None]:
        lock = Lock(
            self._clients.client(),
            FLIGHT_PREFIX + key,
            timeout=self._lease_s,
            sleep=POLL_S,
            blocking_timeout=self._wait_s,
            thread_local=False,  # one Lock per holder; the token must not depend on the thread
        )
        try:
            acquired = await lock.acquire()
        except redis.RedisError as error:
            raise _unreachable("single-flight", error) from error
        if not acquired:
            raise Overloaded(
                f"another replica has been digesting this article for over {self._wait_s:g} s "
                "(DIGEST_LLM_DIGEST_BUDGET_S): retry after the seconds in Retry-After",
                retry_after=RETRY_AFTER_S,
            )

        async def renew() -> bool:
            try:
                return await lock.reacquire()
            except LockError:
                return False

        try:
            async with renewed(renew, self._lease_s, "a single-flight lock"):
                yield
        finally:
            await _quietly(lock.release(), "releasing a single-flight lock")

    async def close(self) -> None:
        await self._clients.close()


@asynccontextmanager
async def renewed(renew: Callable[[], Awaitable[bool]], lease_s: float, what: str) -> AsyncIterator[None]:
    """Renew a lease every third of its length while the block runs."""

    async def keep() -> None:
        while True:
            await asyncio.sleep(lease_s / 3)
            try:
                if not await renew():
                    log.warning("%s expired before it was renewed (DIGEST_REDIS_LEASE_S)", what)
                    return
            except redis.RedisError:
                log.warning("renewing %s in Redis failed; trying again", what, exc_info=True)

    keeper = asyncio.create_task(keep())
    try:
        yield
    finally:
        keeper.cancel()
        await asyncio.gather(keeper, return_exceptions=True)


async def _quietly(step: Awaitable[object], what: str) -> None:
    """A release that fails leaves a lease to run out by itself: logged, not raised."""
    try:
        await step
    except redis.RedisError:  # LockError (no longer held) included
        log.warning("%s in Redis failed; it frees itself after DIGEST_REDIS_LEASE_S", what, exc_info=True)


def _unreachable(what: str, error: redis.RedisError) -> SharedStoreUnavailable:
    return SharedStoreUnavailable(
        f"the shared store (DIGEST_REDIS_URL) that holds {what} is unreachable: {error}",
        retry_after=RETRY_AFTER_S,
    )
