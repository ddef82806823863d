"""Batch jobs: many articles submitted at once, run in the background, polled and streamed back.

A job's state lives in a key-value store with one atomic operation, add-if-absent with counters:
the local diskcache when the service runs alone, Redis across replicas (`service.runtime.redis_tier`).
Litestar's stores have no such operation, so they cannot give exactly-once results; hence this small
interface. The result and its counts are one step: a worker killed between them would leave a result
that no one counts, and the job would never be done. Keys of job `J`:

    job:J              JobInfo (total, options, created, cancelled)
    job:J:item:N       the N-th request (with its id)
    job:J:result:N     its result line, written once: the first writer wins, a rerun cannot add another
    job:J:count:KIND   done / failed / cached, incremented by whoever wrote the result
    jobs:open          ids of jobs that were not finished, read at start-up to resume them

The embedded queue (`LocalJobQueue`) runs jobs as tasks of the serving process and resumes the
unfinished ones when it starts again; with Redis, SAQ workers run the items instead.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
import tempfile
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from enum import StrEnum
from pathlib import Path
from typing import Protocol

import diskcache
from pydantic import BaseModel, Field

from schemas.request import DigestRequest
from service.errors import InvalidItem
from service.runtime.batch import BadInput, BatchItem, BatchOptions, BatchRunner, problem_body, problem_line
from service.runtime.cache import open_store
from service.runtime.digester import Digester, EngineChoice
from service.settings import Settings

log = logging.getLogger(__name__)

OPEN_JOBS = "jobs:open"
RESULTS_PAGE = 200


class KeyValue(Protocol):
    """The store under jobs: values are bytes; `add` and `incr` are atomic across processes."""

    async def get(self, key: str) -> bytes | None: ...

    async def get_many(self, keys: Sequence[str]) -> list[bytes | None]: ...

    async def put(self, key: str, value: bytes) -> None: ...

    async def put_many(self, values: dict[str, bytes]) -> None: ...

    async def add_counted(self, key: str, value: bytes, counters: Sequence[str]) -> int | None:
        """Store unless the key exists and, in the same atomic step, increment each of `counters`: the
        last counter's new value, or None when the key existed (a kill can never split the two)."""
        ...

    async def count(self, key: str) -> int:
        """The value of a counter that `incr` made, 0 when it was never incremented."""
        ...

    async def members(self, key: str) -> set[str]: ...

    async def add_member(self, key: str, member: str) -> None: ...

    async def remove_member(self, key: str, member: str) -> None: ...


class DiskKeyValue:
    """The local diskcache (SQLite underneath: atomic and shared by the processes of one machine)."""

    def __init__(self, directory: Path) -> None:
        store = open_store(directory)
        self._store = store if store is not None else self._temporary(directory)  # an empty Cache is falsy

    @staticmethod
    def _temporary(directory: Path) -> diskcache.Cache:
        temporary = tempfile.mkdtemp(prefix="digest-jobs-")
        log.warning("batch jobs are kept in %s for this run only: %s is unusable", temporary, directory)
        return diskcache.Cache(temporary)

    async def get(self, key: str) -> bytes | None:
        value = self._store.get(key)
        return bytes(value) if value is not None else None

    async def get_many(self, keys: Sequence[str]) -> list[bytes | None]:
        return [await self.get(key) for key in keys]

    async def put(self, key: str, value: bytes) -> None:
        self._store.set(key, value)

    async def put_many(self, values: dict[str, bytes]) -> None:
        with self._store.transact():
            for key, value in values.items():
                self._store.set(key, value)

    async def add_counted(self, key: str, value: bytes, counters: Sequence[str]) -> int | None:
        with self._store.transact():
            if not self._store.add(key, value):
                return None
            return [int(self._store.incr(counter)) for counter in counters][-1]

    async def count(self, key: str) -> int:
        return int(self._store.get(key, default=0))

    async def members(self, key: str) -> set[str]:
        return set(self._store.get(key, default=()))

    async def add_member(self, key: str, member: str) -> None:
        with self._store.transact():
            self._store.set(key, {*self._store.get(key, default=()), member})

    async def remove_member(self, key: str, member: str) -> None:
        with self._store.transact():
            self._store.set(key, set(self._store.get(key, default=())) - {member})

    def close(self) -> None:
        self._store.close()


class JobState(StrEnum):
    queued = "queued"
    running = "running"
    done = "done"
    cancelled = "cancelled"


class JobInfo(BaseModel):
    id: str
    total: int = Field(ge=1)
    engine: EngineChoice
    refresh: bool
    fallback: bool
    created_at: dt.datetime
    cancelled: bool = False
    owner: str | None = None  # the submitter's API key id (a hash, `service.http.security.key_id`)

    @property
    def options(self) -> BatchOptions:
        return BatchOptions(engine=self.engine, refresh=self.refresh, fallback=self.fallback)


class JobStatus(BaseModel):
    """What `GET /v1/batches/{id}` answers."""

    id: str
    state: JobState
    total: int = Field(description="Articles in the job")
    done: int = Field(description="Articles with a result line (digest or problem)")
    failed: int = Field(description="Results that are problems")
    cached: int = Field(description="Digests served from the cache")
    progress: float = Field(ge=0, le=1, description="done / total")
    created_at: dt.datetime
    results: str = Field(description="Where the results stream from (JSONL)")


class JobStore:
    def __init__(self, kv: KeyValue) -> None:
        self._kv = kv

    async def create(
        self, items: Sequence[BatchItem | BadInput], options: BatchOptions, owner: str | None = None
    ) -> JobInfo:
        """A job of the items; a bad input among them is its result at once: the problem of its line."""
        job = JobInfo(
            id=uuid.uuid4().hex,
            total=len(items),
            engine=options.engine,
            refresh=options.refresh,
            fallback=options.fallback,
            created_at=dt.datetime.now(dt.UTC),
            owner=owner,
        )
        requests = {
            f"job:{job.id}:item:{index}": json.dumps(
                {"id": item.id, "request": item.request.model_dump(mode="json")}, ensure_ascii=False
            ).encode()
            for index, item in enumerate(items)
            if isinstance(item, BatchItem)
        }
        if requests:
            await self._kv.put_many(requests)
        await self._kv.put(f"job:{job.id}", job.model_dump_json().encode())
        await self._kv.add_member(OPEN_JOBS, job.id)
        for index, item in enumerate(items):
            if isinstance(item, BadInput):
                problem = problem_body(InvalidItem(f"{item.where}: {item.reason}"))
                await self.record(job, index, problem_line(item.item_id, problem), failed=True, cached=False)
        return job

    async def info(self, job_id: str) -> JobInfo | None:
        raw = await self._kv.get(f"job:{job_id}")
        return JobInfo.model_validate_json(raw) if raw is not None else None

    async def owned(self, job_id: str, owner: str | None) -> JobInfo | None:
        """The job if `owner` submitted it (None: no API key), else None, as if there were no such job."""
        job = await self.info(job_id)
        return job if job is not None and job.owner == owner else None

    async def status(self, job: JobInfo) -> JobStatus:
        done, failed, cached = [await self._count(job.id, kind) for kind in ("done", "failed", "cached")]
        if job.cancelled and done < job.total:
            state = JobState.cancelled
        else:
            state = JobState.done if done >= job.total else JobState.running if done else JobState.queued
        return JobStatus(
            id=job.id,
            state=state,
            total=job.total,
            done=done,
            failed=failed,
            cached=cached,
            progress=round(done / job.total, 4),
            created_at=job.created_at,
            results=f"/v1/batches/{job.id}/results",
        )

    async def item(self, job_id: str, index: int) -> BatchItem:
        raw = await self._kv.get(f"job:{job_id}:item:{index}")
        if raw is None:
            raise KeyError(f"job {job_id} has no item {index}")
        record = json.loads(raw)
        return BatchItem(record["id"], DigestRequest.model_validate(record["request"]))

    async def pending(self, job: JobInfo) -> list[int]:
        """Indexes of the items without a result yet."""
        missing: list[int] = []
        for start in range(0, job.total, RESULTS_PAGE):
            indexes = range(start, min(start + RESULTS_PAGE, job.total))
            lines = await self._kv.get_many([f"job:{job.id}:result:{index}" for index in indexes])
            missing.extend(index for index, line in zip(indexes, lines, strict=True) if line is None)
        return missing

    async def record(self, job: JobInfo, index: int, line: bytes, *, failed: bool, cached: bool) -> bool:
        """Store the item's result unless one is there already; only the first writer counts it."""
        kinds = [kind for kind, counted in (("failed", failed), ("cached", cached)) if counted] + ["done"]
        done = await self._kv.add_counted(
            f"job:{job.id}:result:{index}", line, [f"job:{job.id}:count:{kind}" for kind in kinds]
        )
        if done is None:
            return False
        if done >= job.total:
            await self._kv.remove_member(OPEN_JOBS, job.id)
        return True

    async def results(self, job: JobInfo) -> AsyncIterator[bytes]:
        """The result lines written so far, in input order."""
        for start in range(0, job.total, RESULTS_PAGE):
            keys = [
                f"job:{job.id}:result:{index}" for index in range(start, min(start + RESULTS_PAGE, job.total))
            ]
            for line in await self._kv.get_many(keys):
                if line is not None:
                    yield line

    async def cancel(self, job: JobInfo) -> JobInfo:
        cancelled = job.model_copy(update={"cancelled": True})
        await self._kv.put(f"job:{job.id}", cancelled.model_dump_json().encode())
        await self._kv.remove_member(OPEN_JOBS, job.id)
        return cancelled

    async def open_jobs(self) -> set[str]:
        return await self._kv.members(OPEN_JOBS)

    async def _count(self, job_id: str, kind: str) -> int:
        return await self._kv.count(f"job:{job_id}:count:{kind}")


class JobQueue(Protocol):
    """Where submitted jobs go to be run."""

    async def start(self) -> None: ...

    async def submit(self, job: JobInfo) -> None: ...

    async def cancel(self, job: JobInfo) -> None: ...

    async def stop(self) -> None: ...


async def run_item(store: JobStore, digester: Digester, job: JobInfo, index: int) -> None:
    """Digest one item of a job and record its result (a no-op when it has one or the job is cancelled)."""
    current = await store.info(job.id)
    if current is None or current.cancelled:
        return
    item = await store.item(job.id, index)
    outcome = await BatchRunner(digester, job.options).outcome(item)
    await store.record(job, index, outcome.line, failed=outcome.failed, cached=outcome.cached)


class LocalJobQueue:
    """Jobs as tasks of this process, `concurrency` items at a time per job.

    Jobs left unfinished (the process stopped) resume when it starts again."""

    def __init__(self, store: JobStore, digester: Digester, concurrency: int) -> None:
        self._store = store
        self._digester = digester
        self._concurrency = concurrency
        self._tasks: dict[str, asyncio.Task[None]] = {}

    async def start(self) -> None:
        for job_id in await self._store.open_jobs():
            job = await self._store.info(job_id)
            if job is not None and not job.cancelled:
                log.info("resuming batch job %s", job_id)
                await self.submit(job)

    async def submit(self, job: JobInfo) -> None:
        task = asyncio.create_task(self._run(job), name=f"batch-{job.id}")
        self._tasks[job.id] = task
        task.add_done_callback(lambda _: self._tasks.pop(job.id, None))

    async def cancel(self, job: JobInfo) -> None:
        task = self._tasks.get(job.id)
        if task is not None:
            task.cancel()

    async def stop(self) -> None:
        tasks = list(self._tasks.values())
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    async def _run(self, job: JobInfo) -> None:
        pending = iter(await self._store.pending(job))

        async def work() -> None:
            for index in pending:
                await run_item(self._store, self._digester, job, index)

        await asyncio.gather(*(work() for _ in range(self._concurrency)))


class JobBackend:
    """The job store and queue the app uses, started and stopped with it."""

    def __init__(
        self, store: JobStore, queue: JobQueue, closers: Sequence[Callable[[], Awaitable[None]]]
    ) -> None:
        self.store = store
        self.queue = queue
        self._closers = closers

    async def start(self) -> None:
        await self.queue.start()

    async def stop(self) -> None:
        await self.queue.stop()
        for close in self._closers:
            await close()


def embedded_jobs(settings: Settings, digester: Digester) -> JobBackend:
    """Jobs in this process, their state in the local diskcache: nothing else to run."""
    kv = DiskKeyValue(settings.job_store_dir)
    store = JobStore(kv)

    async def close() -> None:
        kv.close()

    return JobBackend(store, LocalJobQueue(store, digester, settings.batch_concurrency), [close])
