"""Many machines on one Redis: two `digest serve` replicas, two `digest worker` processes.

A job submitted to replica A completes exactly once although a worker is killed with SIGKILL
midway; replica B then serves A's digests as cache hits; one rate limit holds across both. The job
has 60 articles to keep the suite fast on a loaded machine (the issue's 200 passed too, with more time).
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from service.runtime.jobs import JobStore
from service.runtime.redis_tier import RedisKeyValue
from tests.paths import REPO, SEED_FILES
from tests.redis_server import free_port

ARTICLES = 60
RATE_LIMIT = 30
JOB_KEY, LIMITED_KEY = "jobs-key", "limited-key"


class Processes:
    """The processes a test starts, each in its own session so that it is stopped with its children."""

    def __init__(self, tmp_path: Path, redis: str) -> None:
        self._tmp = tmp_path
        self._redis = redis
        self.started: list[subprocess.Popen[bytes]] = []

    def environment(self, name: str) -> dict[str, str]:
        return {
            **os.environ,
            "DIGEST_REDIS_URL": self._redis,
            "DIGEST_CACHE_DIR": str(self._tmp / name / "cache"),  # no shared disk: only Redis is shared
            "DIGEST_API_KEYS": f"{JOB_KEY},{LIMITED_KEY}",
            "DIGEST_RATE_LIMIT_PER_MINUTE": str(RATE_LIMIT),
            "DIGEST_BATCH_CONCURRENCY": "4",
            "DIGEST_JOB_ITEM_TIMEOUT_S": "15",
            "DIGEST_JOB_SWEEP_S": "1",
        }

    def start(self, name: str, *arguments: str) -> subprocess.Popen[bytes]:
        log = (self._tmp / f"{name}.log").open("wb")
        process = subprocess.Popen(
            [sys.executable, "-m", "service.cli", *arguments],
            cwd=REPO,
            env=self.environment(name),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.started.append(process)
        return process

    def serve(self, name: str) -> str:
        port = free_port()
        self.start(name, "serve", "--port", str(port))
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 180  # a loaded machine takes most of a minute to import the app
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    return base
            except httpx.TransportError:
                time.sleep(0.1)
        raise AssertionError(f"replica {name} did not start: {(self._tmp / f'{name}.log').read_text()}")

    def stop_all(self) -> None:
        for process in self.started:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()


@pytest.fixture
def processes(tmp_path: Path, redis_url: str) -> Iterator[Processes]:
    started = Processes(tmp_path, redis_url)
    try:
        yield started
    finally:
        started.stop_all()


def articles() -> list[dict[str, str]]:
    """Distinct short articles: each seed's first sentences with a sentence of its own."""
    openings = [seed.read_text(encoding="utf-8")[:600] for seed in SEED_FILES]
    seeds = [opening[: opening.rfind(".") + 1] or opening for opening in openings]
    return [
        {"id": f"art-{n}", "text": f"{seeds[n % len(seeds)]}\nوقال مسؤول محلي إن {n + 3} منازل دمرت."}
        for n in range(ARTICLES)
    ]


async def done_count(url: str, job_id: str) -> int:
    kv = RedisKeyValue(url)
    try:
        store = JobStore(kv)
        job = await store.info(job_id)
        return (await store.status(job)).done if job else 0
    finally:
        await kv.close()


def wait_until(predicate, timeout_s: float, what: str) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout_s
    while not predicate():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


def auth(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def test_two_replicas_two_workers_one_killed(processes: Processes, redis_url: str) -> None:
    replica_a, replica_b = processes.serve("replica-a"), processes.serve("replica-b")
    doomed = processes.start("worker-1", "worker")
    processes.start("worker-2", "worker")

    batch = articles()
    submitted = httpx.post(
        f"{replica_a}/v1/batches", json=batch, params={"engine": "offline"}, headers=auth(JOB_KEY), timeout=30
    )
    assert submitted.status_code == 202, submitted.text
    job_id = submitted.json()["id"]

    wait_until(lambda: asyncio.run(done_count(redis_url, job_id)) >= 10, 120, "10 articles done")
    os.killpg(doomed.pid, signal.SIGKILL)
    killed_at = asyncio.run(done_count(redis_url, job_id))
    assert killed_at < ARTICLES, "the worker was killed midway"

    wait_until(lambda: asyncio.run(done_count(redis_url, job_id)) >= ARTICLES, 150, "the job to finish")
    status = httpx.get(f"{replica_b}/v1/batches/{job_id}", headers=auth(JOB_KEY)).json()
    assert (status["state"], status["done"], status["failed"]) == ("done", ARTICLES, 0)

    results = httpx.get(f"{replica_b}/v1/batches/{job_id}/results", headers=auth(JOB_KEY), timeout=30)
    lines = [json.loads(line) for line in results.text.splitlines()]
    assert [line["id"] for line in lines] == [item["id"] for item in batch], "each article exactly once"

    for item in batch[:3]:
        again = httpx.post(
            f"{replica_b}/v1/digests",
            json={"text": item["text"]},
            params={"engine": "offline"},
            headers=auth(JOB_KEY),
            timeout=30,
        )
        assert again.status_code == 200, again.text
        assert again.headers["x-digest-cache"] == "hit"

    answers = [  # another key's job: a 404 on either replica, and each request counts against its limit
        httpx.get(
            f"{(replica_a, replica_b)[n % 2]}/v1/batches/{job_id}", headers=auth(LIMITED_KEY)
        ).status_code
        for n in range(RATE_LIMIT + 6)
    ]
    assert answers[:RATE_LIMIT] == [404] * RATE_LIMIT
    assert answers[RATE_LIMIT:] == [429] * 6
