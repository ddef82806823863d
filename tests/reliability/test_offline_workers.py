"""Offline digests run in a bounded pool of worker processes: a full pool refuses with 503, cheap routes
and cached digests keep answering, an article over its time budget is stopped with a 422.

The pool's work function is the real offline engine behind a gate: a worker waits until a file exists
(processes share no memory with the test), so the test decides when the pool is full.
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

import httpx2
import pytest

from schemas.digest import Digest
from schemas.request import DigestRequest
from service.engines.offline import offline_digest
from service.http.app import create_app
from service.runtime import workers
from service.runtime.digester import Digester
from tests.reliability.support import assert_problem, settings_for

ARTICLE = "قتل خمسة أشخاص في قصف على حلب، بحسب المرصد السوري."
GATE: Path | None = None


def gated_digest(request: DigestRequest) -> Digest:
    while GATE is not None and not GATE.exists():
        time.sleep(0.01)
    return offline_digest(request)


class Gate:
    def __init__(self, path: Path) -> None:
        self.path = path

    def open(self) -> None:
        self.path.touch()

    def close(self) -> None:
        self.path.unlink()


@pytest.fixture
def gate(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Gate:
    path = tmp_path / "open"
    monkeypatch.setattr(f"{__name__}.GATE", path)
    monkeypatch.setattr(workers, "offline_digest", gated_digest)
    return Gate(path)


async def until(condition: Any, tries: int = 1000) -> None:
    for _ in range(tries):
        if condition():
            return
        await asyncio.sleep(0.01)
    raise AssertionError("the condition never held")


def sample(digester: Digester, name: str) -> float | None:
    return digester.metrics.registry.get_sample_value(name)


async def test_a_full_pool_refuses_new_work_while_health_metrics_and_cache_hits_answer(
    tmp_path: Path, gate: Gate
) -> None:
    settings = settings_for(tmp_path, cpu_workers=1, cpu_queue=1, overload_retry_after_s=4)
    digester = Digester(settings)
    transport = httpx2.ASGITransport(app=create_app(settings, digester))
    async with httpx2.AsyncClient(transport=transport, base_url="http://service", timeout=30) as client:

        async def post(title: str) -> httpx2.Response:
            body = {"text": ARTICLE, "title": title}
            return await client.post("/v1/digests", json=body, params={"engine": "offline"})

        gate.open()
        assert (await post("cached")).status_code == 200
        gate.close()

        running, queued = asyncio.create_task(post("first")), asyncio.create_task(post("second"))
        await until(lambda: sample(digester, "digest_offline_waiting") == 1)
        assert sample(digester, "digest_offline_in_flight") == 1

        refused = await post("third")
        assert assert_problem(refused, 503)["type"] == "/problems/overloaded"
        assert refused.headers["retry-after"] == "4"
        assert (await client.get("/healthz")).status_code == 200
        assert b"digest_offline_in_flight 1.0" in (await client.get("/metrics")).content
        hit = await post("cached")
        assert hit.status_code == 200 and hit.headers["x-digest-cache"] == "hit"

        gate.open()
        assert [(await task).status_code for task in (running, queued)] == [200, 200]
        assert sample(digester, "digest_offline_rejected_total") == 1
    await digester.close()


async def test_an_article_over_its_budget_is_stopped_with_422_and_the_pool_recovers(
    tmp_path: Path, gate: Gate
) -> None:
    settings = settings_for(tmp_path, cpu_workers=1, article_budget_s=0.5)
    digester = Digester(settings)
    transport = httpx2.ASGITransport(app=create_app(settings, digester))
    async with httpx2.AsyncClient(transport=transport, base_url="http://service", timeout=30) as client:
        stuck = await client.post("/v1/digests", json={"text": ARTICLE}, params={"engine": "offline"})
        problem = assert_problem(stuck, 422)
        assert problem["type"] == "/problems/article-too-complex"
        assert "DIGEST_ARTICLE_BUDGET_S" in problem["detail"]
        assert sample(digester, "digest_offline_over_budget_total") == 1

        gate.open()
        again = await client.post("/v1/digests", json={"text": ARTICLE}, params={"engine": "offline"})
        assert again.status_code == 200 and again.json()["figures"]
    await digester.close()
