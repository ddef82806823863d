"""The Redis tier against a real redis-server: job store operations, shared cache, shared rate limit."""

from __future__ import annotations

from pathlib import Path

import pytest
import redis

from schemas.request import DigestRequest
from service.errors import SharedStoreUnavailable
from service.runtime.cache import ModelCache
from service.runtime.redis_tier import CACHE_PREFIX, RedisCacheTier, RedisKeyValue, RedisSlidingWindow
from tests.redis_server import free_port


async def test_key_value_add_is_first_writer_wins(redis_url: str) -> None:
    kv = RedisKeyValue(redis_url)
    try:
        assert await kv.add_counted("k", b"first", ["failed", "n"]) == 1
        assert await kv.add_counted("k", b"second", ["n"]) is None
        assert await kv.get("k") == b"first"
        assert await kv.add_counted("k2", b"other", ["n"]) == 2
        assert (await kv.count("n"), await kv.count("failed"), await kv.count("never")) == (2, 1, 0)
        await kv.put_many({"a": b"1", "b": b"2"})
        assert await kv.get_many(["a", "missing", "b"]) == [b"1", None, b"2"]
        await kv.add_member("s", "x")
        await kv.add_member("s", "y")
        await kv.remove_member("s", "x")
        assert await kv.members("s") == {"y"}
    finally:
        await kv.close()


def test_a_digest_cached_by_one_replica_is_a_hit_on_another(redis_url: str, tmp_path: Path) -> None:
    request = DigestRequest(text="قتل خمسة مدنيين في حلب")
    one = RedisCacheTier(redis_url, tmp_path / "one", ttl_s=60)
    other = RedisCacheTier(redis_url, tmp_path / "other", ttl_s=60)
    try:
        one.put("key-1", request)
        assert other.get("key-1", DigestRequest) == request
        assert other.get("key-2", DigestRequest) is None
    finally:
        one.close()
        other.close()


def test_a_digest_body_cached_by_one_replica_is_bytes_on_another(redis_url: str, tmp_path: Path) -> None:
    body = b'{"headline_en": "Five civilians killed in Aleppo"}'
    one = RedisCacheTier(redis_url, tmp_path / "one", ttl_s=60)
    other = RedisCacheTier(redis_url, tmp_path / "other", ttl_s=60)
    try:
        assert one.put_json("digest-1", body)
        assert other.get_json("digest-1") == body
    finally:
        one.close()
        other.close()


def test_a_list_written_by_one_replica_is_read_by_another_newest_first_and_bounded(
    redis_url: str, tmp_path: Path
) -> None:
    one = RedisCacheTier(redis_url, tmp_path / "one", ttl_s=60)
    other = RedisCacheTier(redis_url, tmp_path / "other", ttl_s=60)
    try:
        for item in ("first", "second", "third"):
            assert one.prepend("shared-list", item, limit=2)
        assert other.items("shared-list", limit=2) == ["third", "second"]
    finally:
        one.close()
        other.close()


def test_a_local_hit_is_copied_up_to_the_shared_tier(redis_url: str, tmp_path: Path) -> None:
    request = DigestRequest(text="قتل خمسة مدنيين في حلب")
    local_only = ModelCache(tmp_path / "one")
    local_only.put("key-up", request)
    local_only.close()
    one = RedisCacheTier(redis_url, tmp_path / "one", ttl_s=60)
    other = RedisCacheTier(redis_url, tmp_path / "other", ttl_s=60)
    try:
        assert other.get("key-up", DigestRequest) is None
        assert one.get("key-up", DigestRequest) == request
        assert other.get("key-up", DigestRequest) == request
    finally:
        one.close()
        other.close()


def test_a_shared_entry_that_fails_its_checksum_is_dropped(redis_url: str, tmp_path: Path) -> None:
    writer = RedisCacheTier(redis_url, tmp_path / "one", ttl_s=60)
    reader = RedisCacheTier(redis_url, tmp_path / "other", ttl_s=60)
    shared = redis.Redis.from_url(redis_url)
    try:
        assert writer.put_json("digest-2", b'{"a": 1}')
        shared.set(CACHE_PREFIX + "digest-2", b"b" + b'json-1 00000000\n{"a": 2}')
        assert reader.get_json("digest-2") is None, "another replica never serves a damaged entry"
        assert shared.get(CACHE_PREFIX + "digest-2") is None
    finally:
        writer.close()
        reader.close()
        shared.close()


def test_the_rate_limit_is_one_window_for_all_replicas(redis_url: str) -> None:
    replicas = [RedisSlidingWindow(redis_url, limit=5, window_s=60) for _ in range(2)]
    answers = [replicas[n % 2].hit("key-a") for n in range(8)]
    assert answers[:5] == [None] * 5
    assert all(wait is not None and 0 < wait <= 60 for wait in answers[5:])
    assert replicas[1].hit("key-b") is None, "each key has its own window"


def test_an_unreachable_redis_is_a_503_for_the_rate_limit() -> None:
    limiter = RedisSlidingWindow(f"redis://127.0.0.1:{free_port()}/0", limit=5, window_s=60)
    with pytest.raises(SharedStoreUnavailable, match="DIGEST_REDIS_URL"):
        limiter.hit("key-a")
