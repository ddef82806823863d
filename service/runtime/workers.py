"""Offline digests in worker processes of their own, bounded, each article under a time budget.

The offline engine is pure-Python CPU work. Run on the event loop it would stall every request; run
in threads it would share the default executor that Litestar's sync callables use, and hold the GIL
against the loop. So it runs in `DIGEST_CPU_WORKERS` processes behind a `Limiter` (at most that many
running, `DIGEST_CPU_QUEUE` waiting, 503 beyond), and an article that is still being read after
`DIGEST_ARTICLE_BUDGET_S` gets its worker killed and replaced and the caller a 422: no runaway work
outlives its request. `pebble` provides the per-task timeout that kills a worker, which
`concurrent.futures.ProcessPoolExecutor` cannot do.

Workers are forked on first use, so they inherit the word lists and gazetteer already loaded.
"""

from __future__ import annotations

import asyncio
import multiprocessing
from concurrent.futures import TimeoutError as FutureTimeout

from pebble import ProcessExpired, ProcessPool

from schemas.digest import Digest
from schemas.request import DigestRequest
from service.engines.offline import offline_digest
from service.errors import ArticleTooComplex, DigestError
from service.metrics import Metrics
from service.runtime.backpressure import Limiter, offline_bounds, offline_slot_metrics


class OfflineWorkers:
    def __init__(
        self, workers: int, queue: int, budget_s: float, retry_after_s: float, metrics: Metrics
    ) -> None:
        self._workers = workers
        self._budget_s = budget_s
        self._metrics = metrics
        self._limiter = Limiter(offline_bounds(workers, queue, retry_after_s), offline_slot_metrics(metrics))
        self._pool: ProcessPool | None = None

    async def digest(self, request: DigestRequest) -> Digest:
        async with self._limiter.slot():
            future = self._started().schedule(_read_in_worker, (request,), timeout=self._budget_s)
            try:
                return await asyncio.wrap_future(future)
            except FutureTimeout:
                self._metrics.offline_over_budget.inc()
                raise ArticleTooComplex(
                    f"reading the article took longer than {self._budget_s:g} s "
                    "(DIGEST_ARTICLE_BUDGET_S) and was stopped: send a shorter article, or split it"
                ) from None
            except ProcessExpired as crash:
                raise DigestError(f"the worker reading the article stopped ({crash})") from None

    def close(self) -> None:
        if self._pool is not None:
            self._pool.stop()  # type: ignore[no-untyped-call]
            self._pool.join()
            self._pool = None

    def _started(self) -> ProcessPool:
        if self._pool is None:
            self._pool = ProcessPool(max_workers=self._workers, context=multiprocessing.get_context("fork"))
        return self._pool


def _read_in_worker(request: DigestRequest) -> Digest:
    """The task a worker runs; it finds the engine in its own copy of this module, forked from ours."""
    return offline_digest(request)
