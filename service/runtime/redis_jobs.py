"""Batch jobs across machines: state in Redis, articles as SAQ jobs run by `digest worker` processes.

Submitting a job enqueues one SAQ job per article (key `JOB:INDEX`, so enqueueing twice is a no-op).
Any worker on any machine that reaches Redis takes articles, digests them with its own Digester
(sharing the Redis cache tier) and records each result in the job store, where the first writer wins.
A worker killed mid-article leaves its SAQ job active; SAQ's sweep retries it once it is past
`DIGEST_JOB_ITEM_TIMEOUT_S`, and the result is still written once.
"""

from __future__ import annotations

import logging
from typing import Any, cast

from litestar_saq import QueueConfig, SAQConfig, SAQPlugin
from saq import Queue
from saq.types import Context, PartialTimersDict

from service.runtime.digester import Digester
from service.runtime.jobs import JobBackend, JobInfo, JobStore, run_item
from service.runtime.redis_tier import RedisKeyValue
from service.settings import Settings, load_settings

log = logging.getLogger(__name__)

QUEUE_NAME = "digest-batches"
ITEM_RETRIES = 5
DEQUEUE_TIMEOUT_S = 1.0


class WorkerContext(Context, total=False):
    job_store: JobStore
    digester: Digester
    key_value: RedisKeyValue


async def digest_item(ctx: WorkerContext, *, job_id: str, index: int) -> None:
    """The SAQ task: one article of a job."""
    store = ctx["job_store"]
    job = await store.info(job_id)
    if job is None:
        log.warning("batch job %s is gone; dropping its item %d", job_id, index)
        return
    await run_item(store, ctx["digester"], job, index)


async def start_worker(ctx: WorkerContext) -> None:
    settings = load_settings()
    key_value = RedisKeyValue(_redis_url(settings))
    ctx["key_value"] = key_value
    ctx["job_store"] = JobStore(key_value)
    ctx["digester"] = Digester(settings)


async def stop_worker(ctx: WorkerContext) -> None:
    await ctx["digester"].close()
    await ctx["key_value"].close()


def saq_config(settings: Settings) -> SAQConfig:
    queue = QueueConfig(
        dsn=_redis_url(settings),
        name=QUEUE_NAME,
        tasks=[cast(Any, digest_item)],
        startup=[cast(Any, start_worker)],
        shutdown=[cast(Any, stop_worker)],
        concurrency=settings.batch_concurrency,
        # A dequeue is a blocking BLMOVE; SAQ's default (0) blocks forever, longer than redis-py's
        # socket timeout (5 s since redis 8). The client gives up, but the BLMOVE stays blocked in Redis
        # and later moves an article to the active list for no one: it waits for the sweep, twice the
        # item timeout. A dequeue that returns within the socket timeout leaves no orphan.
        dequeue_timeout=DEQUEUE_TIMEOUT_S,
        timers=PartialTimersDict(schedule=1, worker_info=10, sweep=settings.job_sweep_s, abort=1),
        separate_process=True,  # the API never runs articles itself: `digest worker` does
    )
    return SAQConfig(queue_configs=[queue])


class SaqJobQueue:
    def __init__(self, queue: Queue, store: JobStore, settings: Settings) -> None:
        self._queue = queue
        self._store = store
        self._timeout_s = settings.job_item_timeout_s

    async def start(self) -> None:
        await self._queue.connect()

    async def submit(self, job: JobInfo) -> None:
        for index in await self._store.pending(job):
            await self._queue.enqueue(
                "digest_item",
                job_id=job.id,
                index=index,
                key=f"{job.id}:{index}",
                timeout=self._timeout_s,
                retries=ITEM_RETRIES,
            )

    async def cancel(self, job: JobInfo) -> None:
        """Nothing to remove: a worker checks the job's cancel mark before each article."""

    async def stop(self) -> None:
        await self._queue.disconnect()


def redis_jobs(settings: Settings, plugin: SAQPlugin) -> JobBackend:
    key_value = RedisKeyValue(_redis_url(settings))
    store = JobStore(key_value)
    return JobBackend(store, SaqJobQueue(plugin.get_queue(QUEUE_NAME), store, settings), [key_value.close])


async def run_worker(settings: Settings) -> None:
    """`digest worker`: take articles from the queue until SIGINT or SIGTERM."""
    worker = SAQPlugin(saq_config(settings)).get_workers()[QUEUE_NAME]
    await worker.start()


def _redis_url(settings: Settings) -> str:
    if settings.redis_url is None:
        raise ValueError("DIGEST_REDIS_URL is not set: batch workers need the Redis that the API uses")
    return settings.redis_url
