"""Backpressure: a bounded number of digests in flight and a bounded queue behind them.

One `Limiter` guards LLM calls, another the offline engine's worker processes. A digest that would
wait beyond the queue is refused at once with `Overloaded` (503 + Retry-After) instead of piling up
memory and latency. Cache hits never get here: the digester looks the cache up before it asks for a
slot.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from prometheus_client import Counter, Gauge

from service.errors import Overloaded
from service.metrics import Metrics


@dataclass(frozen=True, slots=True)
class SlotMetrics:
    in_flight: Gauge
    waiting: Gauge
    rejected: Counter


@dataclass(frozen=True, slots=True)
class Bounds:
    """`refusal` is the 503's detail, with `{running}` and `{waiting}` filled in."""

    max_in_flight: int
    max_queue: int
    retry_after_s: float
    refusal: str


def llm_bounds(max_in_flight: int, max_queue: int, retry_after_s: float) -> Bounds:
    return Bounds(
        max_in_flight,
        max_queue,
        retry_after_s,
        "{running} LLM digests are running and {waiting} waiting (DIGEST_MAX_LLM_IN_FLIGHT, "
        "DIGEST_MAX_LLM_QUEUE): retry after the seconds in Retry-After, or ask for engine=offline",
    )


def offline_bounds(workers: int, queue: int, retry_after_s: float) -> Bounds:
    return Bounds(
        workers,
        queue,
        retry_after_s,
        "{running} offline digests are running and {waiting} waiting (DIGEST_CPU_WORKERS, "
        "DIGEST_CPU_QUEUE): retry after the seconds in Retry-After",
    )


def llm_slot_metrics(metrics: Metrics) -> SlotMetrics:
    return SlotMetrics(metrics.llm_in_flight, metrics.llm_waiting, metrics.llm_rejected)


def offline_slot_metrics(metrics: Metrics) -> SlotMetrics:
    return SlotMetrics(metrics.offline_in_flight, metrics.offline_waiting, metrics.offline_rejected)


class Limiter:
    def __init__(self, bounds: Bounds, metrics: SlotMetrics) -> None:
        self._bounds = bounds
        self._capacity = bounds.max_in_flight + bounds.max_queue
        self._metrics = metrics
        self._slots = asyncio.Semaphore(bounds.max_in_flight)
        self._admitted = 0
        self._waiting = 0

    @property
    def admitted(self) -> int:
        """Digests running or waiting for a slot."""
        return self._admitted

    @asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        """Hold one of the in-flight slots; raise `Overloaded` when the queue is already full."""
        if self._admitted >= self._capacity:
            self._metrics.rejected.inc()
            refusal = self._bounds.refusal.format(running=self._bounds.max_in_flight, waiting=self._waiting)
            raise Overloaded(refusal, retry_after=self._bounds.retry_after_s)
        self._admitted += 1
        try:
            await self._wait_for_slot()
            try:
                self._metrics.in_flight.inc()
                yield
            finally:
                self._metrics.in_flight.dec()
                self._slots.release()
        finally:
            self._admitted -= 1

    async def _wait_for_slot(self) -> None:
        self._waiting += 1
        self._metrics.waiting.inc()
        try:
            await self._slots.acquire()
        finally:
            self._waiting -= 1
            self._metrics.waiting.dec()
