"""The LLM call limit and single-flight across replicas, on a real Redis (`service.runtime.redis_leases`).

Each "replica" is a Digester with its own memory and cache directory; only Redis is shared. LLM calls
are replayed at the httpx transport and counted there."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx2
import pytest
import redis

from schemas.request import DigestRequest
from service.errors import SharedStoreUnavailable
from service.runtime.digester import EngineChoice
from service.runtime.redis_leases import FLIGHT_PREFIX, SLOTS_PREFIX, RedisCallSlots, RedisFlights
from tests.lease_holder import example_article, replica, replica_settings
from tests.llm_replay import ReplayLLM, answers
from tests.paths import REPO
from tests.redis_server import free_port

# A lease must outlast the longest time a holder's event loop is too busy to renew it: on a loaded
# machine the first LLM call of a process (pydantic building its validators) takes seconds.
LEASE_S = 10.0
KILLED_LEASE_S = 3.0  # how long the survivor waits for the killed holder's slot and lock
SLOTS = SLOTS_PREFIX + "http://llm.invalid/v1"


@dataclass
class PeakReplay(ReplayLLM):
    """A replayed LLM that also records the most calls it was answering at once."""

    in_flight: int = 0
    peak: int = 0

    async def handle(self, request: httpx2.Request) -> httpx2.Response:
        self.in_flight += 1
        self.peak = max(self.peak, self.in_flight)
        try:
            return await super().handle(request)
        finally:
            self.in_flight -= 1


def test_the_llm_call_limit_holds_across_replicas(redis_url: str, tmp_path: Path, example) -> None:
    replay = PeakReplay([answers(example[1])], latency_s=0.05)
    replicas = [replica(replica_settings(redis_url, tmp_path / name, LEASE_S), replay) for name in "ab"]
    requests = [DigestRequest(text=f"{example[0]}\n{n}") for n in range(4)]

    async def digest_all() -> None:
        await asyncio.gather(
            *(replicas[n % 2].digest(request, EngineChoice.llm) for n, request in enumerate(requests))
        )
        for digester in replicas:
            await digester.close()

    asyncio.run(digest_all())
    assert replay.calls == 4 * len(requests)
    assert replay.peak == 1, "DIGEST_LLM_MAX_CONCURRENT_CALLS=1 for both replicas together"


def test_two_replicas_asked_for_the_same_article_make_one_digest(
    redis_url: str, tmp_path: Path, example
) -> None:
    replay = ReplayLLM([answers(example[1])], latency_s=0.2)
    replicas = [replica(replica_settings(redis_url, tmp_path / name, LEASE_S), replay) for name in "ab"]
    request = DigestRequest(text=example[0])

    async def both() -> list[bool]:
        digests = await asyncio.gather(*(digester.digest(request, EngineChoice.llm) for digester in replicas))
        for digester in replicas:
            await digester.close()
        assert digests[0].model_dump(exclude={"provenance"}) == digests[1].model_dump(exclude={"provenance"})
        return sorted(digest.provenance.cached for digest in digests)

    assert asyncio.run(both()) == [False, True], "one replica made it, the other waited and read it"
    assert replay.calls == 4, "the four calls of one article, once"


def test_a_live_holder_keeps_its_slot_past_the_lease(redis_url: str) -> None:
    first, second = (RedisCallSlots(redis_url, "endpoint", 1, lease_s=1.0) for _ in range(2))

    async def run() -> None:
        entered = asyncio.Event()

        async def wait_for_a_slot() -> None:
            async with second.slot():
                entered.set()

        async with first.slot():
            waiter = asyncio.create_task(wait_for_a_slot())
            await asyncio.sleep(2.5)  # two and a half leases, renewed meanwhile
            assert not entered.is_set(), "the slot was renewed, not taken over"
        await asyncio.wait_for(waiter, timeout=5)
        assert entered.is_set()
        for slots in (first, second):
            await slots.close()

    asyncio.run(run())


def test_a_killed_holder_frees_its_slot_and_lock_after_the_lease(
    redis_url: str, tmp_path: Path, example
) -> None:
    shared = redis.Redis.from_url(redis_url)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.lease_holder",
            redis_url,
            str(tmp_path / "killed"),
            str(KILLED_LEASE_S),
        ],
        cwd=REPO,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 120  # importing the service takes a while on a loaded machine
        while not (shared.zcard(SLOTS) and shared.keys(FLIGHT_PREFIX + "*")):
            assert holder.poll() is None, "the holder stopped by itself"
            assert time.monotonic() < deadline, "the holder never took the slot and the lock"
            time.sleep(0.05)
    finally:
        os.killpg(holder.pid, signal.SIGKILL)
        holder.wait()
    assert shared.zcard(SLOTS) == 1 and shared.keys(FLIGHT_PREFIX + "*"), "still held by the dead process"

    replay = ReplayLLM([answers(example[1])])
    survivor = replica(replica_settings(redis_url, tmp_path / "survivor", KILLED_LEASE_S), replay)

    async def digest() -> bool:
        made = await asyncio.wait_for(
            survivor.digest(DigestRequest(text=example_article()), EngineChoice.llm), timeout=30
        )
        await survivor.close()
        return made.provenance.cached

    assert asyncio.run(digest()) is False
    assert replay.calls == 4, "the survivor made the calls the killed replica never finished"
    assert shared.zcard(SLOTS) == 0 and not shared.keys(FLIGHT_PREFIX + "*")
    shared.close()


def test_an_unreachable_redis_is_a_503_for_the_call_limit_and_single_flight() -> None:
    url = f"redis://127.0.0.1:{free_port()}/0"

    async def take_slot() -> None:
        async with RedisCallSlots(url, "endpoint", 1, LEASE_S).slot():
            raise AssertionError("no slot without Redis")

    async def hold_flight() -> None:
        async with RedisFlights(url, LEASE_S, wait_s=1).hold("key"):
            raise AssertionError("no lock without Redis")

    for attempt in (take_slot, hold_flight):
        with pytest.raises(SharedStoreUnavailable, match="DIGEST_REDIS_URL") as raised:
            asyncio.run(attempt())
        assert raised.value.status == 503
