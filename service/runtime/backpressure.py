"""Backpressure on LLM work: a bounded number of calls in flight and a bounded queue behind them.

A digest that would wait beyond the queue is refused at once with `Overloaded` (503 + Retry-After)
instead of piling up memory and latency. Cache hits never get here: the digester looks the cache
up before it asks for a slot.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from service.errors import Overloaded
from service.metrics import Metrics


class LLMLimiter:
    def __init__(self, max_in_flight: int, max_queue: int, retry_after_s: float, metrics: Metrics) -> None:
        self._max_in_flight = max_in_flight
        self._capacity = max_in_flight + max_queue
        self._retry_after_s = retry_after_s
        self._metrics = metrics
        self._slots = asyncio.Semaphore(max_in_flight)
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
            self._metrics.llm_rejected.inc()
            raise Overloaded(
                f"{self._max_in_flight} LLM digests are running and {self._waiting} waiting "
                "(DIGEST_MAX_LLM_IN_FLIGHT, DIGEST_MAX_LLM_QUEUE): retry after the seconds in "
                "Retry-After, or ask for engine=offline",
                retry_after=self._retry_after_s,
            )
        self._admitted += 1
        try:
            await self._wait_for_slot()
            try:
                self._metrics.llm_in_flight.inc()
                yield
            finally:
                self._metrics.llm_in_flight.dec()
                self._slots.release()
        finally:
            self._admitted -= 1

    async def _wait_for_slot(self) -> None:
        self._waiting += 1
        self._metrics.llm_waiting.inc()
        try:
            await self._slots.acquire()
        finally:
            self._waiting -= 1
            self._metrics.llm_waiting.dec()
