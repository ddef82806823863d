"""What replicas share through Redis when `DIGEST_REDIS_URL` is set (docs/DESIGN.md §7).

- `RedisKeyValue`: the job store's key-value interface (add-if-absent with its counters is one Lua
  script: `SET NX`, then `INCR` of each counter).
- `RedisCacheTier`: a cache tier in front of the local diskcache, so a digest made by one replica is a
  hit on every other; entries expire after `DIGEST_REDIS_CACHE_TTL_S`.
- `RedisSlidingWindow`: the per-key rate limit, one window for all replicas. Litestar's
  `RateLimitConfig` keeps its counts with a read-modify-write of a store entry, which two replicas can
  interleave and both admit the last request; the window here is one Lua script, atomic in Redis.

The LLM call limit and single-flight across replicas are leases, in `service.runtime.redis_leases`.

The cache and the rate limit use the synchronous client: they sit on paths that are synchronous
today, and a call to a Redis on the local network takes well under a millisecond.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any, cast

import redis
import redis.asyncio

from service.errors import SharedStoreUnavailable
from service.runtime.cache import ModelCache

log = logging.getLogger(__name__)

CACHE_PREFIX = "digest:cache:"
LIST_PREFIX = "digest:list:"
RATE_PREFIX = "digest:rate:"
JOBS_PREFIX = "digest:"
# Redis holds bytes: a cache entry's first byte says whether the local tier stored text or bytes.
_TEXT, _BYTES = b"t", b"b"

# KEYS[1] the key's window; ARGV: window seconds, limit, a unique member. Returns nil when the hit is
# admitted, else the seconds until the oldest hit leaves the window. Redis's own clock, so replicas agree.
_SLIDING_WINDOW = """
local now_parts = redis.call('TIME')
local now = tonumber(now_parts[1]) + tonumber(now_parts[2]) / 1000000
local window = tonumber(ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then
  local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  return tostring(tonumber(oldest[2]) + window - now)
end
redis.call('ZADD', KEYS[1], now, ARGV[3])
redis.call('EXPIRE', KEYS[1], math.ceil(window) + 1)
return false
"""


# KEYS[1] the key, KEYS[2..] counters; ARGV[1] the value. The last counter's value, nil if the key existed.
_ADD_COUNTED = """
if not redis.call('SET', KEYS[1], ARGV[1], 'NX') then
  return false
end
local last = 0
for i = 2, #KEYS do
  last = redis.call('INCR', KEYS[i])
end
return last
"""


class RedisKeyValue:
    """The job store in Redis: shared by every replica and worker that reaches it."""

    def __init__(self, url: str) -> None:
        self._redis: redis.asyncio.Redis = redis.asyncio.Redis.from_url(url)
        self._add_counted = self._redis.register_script(_ADD_COUNTED)

    async def get(self, key: str) -> bytes | None:
        return cast("bytes | None", await self._redis.get(JOBS_PREFIX + key))

    async def get_many(self, keys: Sequence[str]) -> list[bytes | None]:
        return cast("list[bytes | None]", await self._redis.mget([JOBS_PREFIX + key for key in keys]))

    async def put(self, key: str, value: bytes) -> None:
        await self._redis.set(JOBS_PREFIX + key, value)

    async def put_many(self, values: dict[str, bytes]) -> None:
        await self._redis.mset({JOBS_PREFIX + key: value for key, value in values.items()})

    async def add_counted(self, key: str, value: bytes, counters: Sequence[str]) -> int | None:
        keys = [JOBS_PREFIX + key, *(JOBS_PREFIX + counter for counter in counters)]
        counted = await self._add_counted(keys=keys, args=[value])
        return int(counted) if counted is not None else None

    async def count(self, key: str) -> int:
        value = await self._redis.get(JOBS_PREFIX + key)
        return int(value) if value is not None else 0

    async def members(self, key: str) -> set[str]:
        members = cast("set[bytes]", await self._redis.smembers(JOBS_PREFIX + key))
        return {member.decode() for member in members}

    async def add_member(self, key: str, member: str) -> None:
        await self._redis.sadd(JOBS_PREFIX + key, member)

    async def remove_member(self, key: str, member: str) -> None:
        await self._redis.srem(JOBS_PREFIX + key, member)

    async def close(self) -> None:
        await self._redis.aclose()


class RedisCacheTier(ModelCache):
    """Redis in front of the local diskcache: read Redis, then disk (and copy a disk hit up); write both.

    The tier sits under `ModelCache`'s reads and writes, so an entry is the same in both tiers: a
    digest is the framed, checksummed JSON that a hit sends as it is (the hot path), a model is its
    JSON. A Redis that cannot be reached is logged and the local tier serves alone, as the local cache
    itself does when its disk fails: the cache never takes a request down."""

    def __init__(self, url: str, directory: Path | None, ttl_s: int) -> None:
        super().__init__(directory)
        self._redis = redis.Redis.from_url(url)
        self._ttl_s = ttl_s

    def close(self) -> None:
        super().close()
        self._redis.close()

    def _read(self, key: str) -> Any:
        shared = self._shared_get(key)
        if shared is not None:
            return shared
        local = super()._read(key)
        if isinstance(local, str | bytes):
            self._shared_put(key, local)
        return local

    def _write(self, key: str, value: str | bytes) -> bool:
        """Store in both tiers; True when at least one of them holds the value."""
        stored_locally = super()._write(key, value)
        return self._shared_put(key, value) or stored_locally

    def _discard(self, key: str) -> None:
        super()._discard(key)
        try:
            self._redis.delete(CACHE_PREFIX + key)
        except redis.RedisError:
            log.warning("shared cache (Redis) delete failed", exc_info=True)

    def prepend(self, name: str, item: str, limit: int) -> bool:
        """The list lives in Redis, shared by the replicas; the local list only while Redis is down."""
        try:
            with self._redis.pipeline() as both:  # one round trip, applied together
                both.lpush(LIST_PREFIX + name, item)
                both.ltrim(LIST_PREFIX + name, 0, limit - 1)
                both.execute()
        except redis.RedisError:
            log.warning("shared cache (Redis) list write failed; keeping it locally", exc_info=True)
            return super().prepend(name, item, limit)
        return True

    def items(self, name: str, limit: int) -> list[str]:
        try:
            raw = cast("list[bytes]", self._redis.lrange(LIST_PREFIX + name, 0, limit - 1))
        except redis.RedisError:
            log.warning("shared cache (Redis) list read failed; showing the local list", exc_info=True)
            return super().items(name, limit)
        return [item.decode() for item in raw]

    def _shared_get(self, key: str) -> str | bytes | None:
        try:
            raw = cast("bytes | None", self._redis.get(CACHE_PREFIX + key))
        except redis.RedisError:
            log.warning("shared cache (Redis) read failed; using the local cache", exc_info=True)
            return None
        if raw is None:
            return None
        kind, body = raw[:1], raw[1:]
        return body.decode() if kind == _TEXT else body

    def _shared_put(self, key: str, value: str | bytes) -> bool:
        tagged = _TEXT + value.encode() if isinstance(value, str) else _BYTES + value
        try:
            self._redis.set(CACHE_PREFIX + key, tagged, ex=self._ttl_s)
        except redis.RedisError:
            log.warning("shared cache (Redis) write failed; the entry stays local", exc_info=True)
            return False
        return True


class RedisSlidingWindow:
    """At most `limit` hits per key in any `window_s` seconds, counted across every replica."""

    def __init__(self, url: str, limit: int, window_s: float) -> None:
        self._limit = limit
        self._window = window_s
        self._redis = redis.Redis.from_url(url)
        self._script = self._redis.register_script(_SLIDING_WINDOW)

    def hit(self, key: str) -> float | None:
        """Record a hit; None when allowed, else the seconds until a slot frees up."""
        if self._limit <= 0:
            return None
        try:
            wait = self._script(keys=[RATE_PREFIX + key], args=[self._window, self._limit, uuid.uuid4().hex])
        except redis.RedisError as error:
            raise SharedStoreUnavailable(
                f"the shared store (DIGEST_REDIS_URL) that holds the rate limits is unreachable: {error}",
                retry_after=5,
            ) from error
        return float(wait) if wait is not None else None
