"""Backpressure: a bounded number of LLM calls in flight, a bounded queue, 503 beyond it."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from typing import Any

import httpx2
import pytest

from service.engines.llm.client import LLMClient
from service.errors import Overloaded
from service.http.app import create_app
from service.metrics import Metrics
from service.runtime.backpressure import Limiter, llm_bounds, llm_slot_metrics
from service.runtime.digester import Digester
from tests.llm_replay import answers
from tests.reliability.support import assert_problem, settings_for


class GatedLLM:
    """Answers every call with `reply`, but only once the gate is open.

    LLM calls run on the service's own LLM loop thread, so the gate is a thread-safe event polled there."""

    def __init__(self, reply: Callable[[httpx2.Request], httpx2.Response]) -> None:
        self.reply = reply
        self.gate = threading.Event()
        self.calls = 0

    async def handle(self, request: httpx2.Request) -> httpx2.Response:
        self.calls += 1
        while not self.gate.is_set():  # noqa: ASYNC110 - the gate is set from another thread
            await asyncio.sleep(0.005)
        return self.reply(request)

    def http_client(self) -> httpx2.AsyncClient:
        return httpx2.AsyncClient(transport=httpx2.MockTransport(self.handle))


async def until(condition: Any, tries: int = 500) -> None:
    """Let the event loop run until `condition()` holds (a bounded poll, not a timing assertion)."""
    for _ in range(tries):
        if condition():
            return
        await asyncio.sleep(0.01)
    raise AssertionError("the condition never held")


async def test_beyond_the_queue_uncached_requests_get_503_and_cached_ones_are_served(tmp_path, example):
    article, good = example
    settings = settings_for(tmp_path, max_llm_in_flight=1, max_llm_queue=1, overload_retry_after_s=7)
    llm = GatedLLM(answers(good))
    digester = Digester(settings, LLMClient(settings, http_client=llm.http_client()))
    waiting = lambda: digester.metrics.registry.get_sample_value("digest_llm_waiting")  # noqa: E731

    transport = httpx2.ASGITransport(app=create_app(settings, digester))  # same event loop as the test
    async with httpx2.AsyncClient(transport=transport, base_url="http://service") as client:

        async def post(title: str) -> httpx2.Response:
            body = {"text": article, "title": title}
            return await client.post("/v1/digests", json=body, params={"engine": "llm"})

        llm.gate.set()
        assert (await post("cached")).status_code == 200
        llm.gate.clear()

        running = asyncio.create_task(post("first"))
        queued = asyncio.create_task(post("second"))
        await until(lambda: llm.calls == 4 + 1 and waiting() == 1)  # the cached digest took 4 calls

        refused = await post("third")
        problem = assert_problem(refused, 503)
        assert problem["type"] == "/problems/overloaded"
        assert refused.headers["retry-after"] == "7"

        hit = await post("cached")
        assert hit.status_code == 200 and hit.headers["x-digest-cache"] == "hit"

        llm.gate.set()
        assert [(await task).status_code for task in (running, queued)] == [200, 200]
        assert llm.calls == 3 * 4, "the refused request never reached the LLM"
        assert digester.metrics.registry.get_sample_value("digest_llm_rejected_total") == 1
        assert (await post("third")).status_code == 200, "the service recovers once the queue drains"


async def test_the_limiter_admits_in_flight_plus_queue_then_refuses():
    limiter = Limiter(llm_bounds(max_in_flight=2, max_queue=1, retry_after_s=3), llm_slot_metrics(Metrics()))
    release = asyncio.Event()
    inside = 0

    async def work() -> None:
        nonlocal inside
        async with limiter.slot():
            inside += 1
            await release.wait()

    tasks = [asyncio.create_task(work()) for _ in range(3)]
    await until(lambda: limiter.admitted == 3)
    assert inside == 2, "only max_in_flight run at once"
    with pytest.raises(Overloaded) as refused:
        async with limiter.slot():
            pass
    assert refused.value.retry_after == 3 and refused.value.status == 503
    release.set()
    await asyncio.gather(*tasks)
    assert limiter.admitted == 0 and inside == 3
