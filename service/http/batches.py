"""Batch jobs over HTTP: POST /v1/batches, GET /v1/batches/{id}, GET .../results, DELETE to cancel.

With API keys, a job belongs to the key that submitted it; to any other key it does not exist (404)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from enum import StrEnum
from typing import Annotated, Any

from litestar import Request, Response, delete, get, post
from litestar.datastructures import State
from litestar.params import FromPath, Parameter
from litestar.response import Stream

from service.errors import BatchNotFound, InvalidBatch, MalformedBatch, UnsupportedBatchMedia
from service.http.problems import problem_responses
from service.runtime.batch import BadInput, BatchItem, BatchOptions, parse_item, parse_line
from service.runtime.digester import EngineChoice
from service.runtime.jobs import JobInfo, JobQueue, JobStatus, JobStore
from service.settings import Settings

JSON_LIST = "application/json"
JSONL_TYPES = ("application/jsonl", "application/x-ndjson", "application/x-jsonlines")
RESULTS_TYPE = "application/jsonl"
SHOWN_BAD_ITEMS = 20

SUBMIT_ERRORS = {
    400: "The body is neither a JSON list nor JSONL",
    401: "An API key is needed (DIGEST_API_KEYS is set) and was missing or wrong",
    413: "The body is larger than DIGEST_MAX_BATCH_BYTES",
    415: "The body is not sent as application/json or application/jsonl",
    422: "Some items are not valid articles (unless invalid=record), ids repeat, or there are no or too many "
    "items",
    429: "This API key is over its rate limit; see Retry-After",
}


class InvalidItems(StrEnum):
    """What a submission does with items that are not articles."""

    refuse = "refuse"  # 422 naming them, and no job
    record = "record"  # the job runs the rest; each bad item is an invalid-item problem in its results


JOB_ERRORS = {
    404: "No batch job has this id (or another API key submitted it)",
    401: SUBMIT_ERRORS[401],
    429: SUBMIT_ERRORS[429],
}


def batch_handlers(settings: Settings) -> list[Any]:
    """The route handlers, with the body limit of batches (larger than one article's)."""
    submit = post(
        "/v1/batches",
        status_code=202,
        request_max_body_size=settings.max_batch_bytes,
        responses=problem_responses(SUBMIT_ERRORS),
        summary="Submit a batch of articles as a job",
        description="The body is a JSON list of articles or JSONL (one article per line, Content-Type "
        "application/jsonl), each `{id?, text, title?, source?, published_at?}`. Answers 202 with the job's "
        "status and its URL in Location; the job runs in the background and survives a restart.",
    )(submit_batch)
    return [submit, batch_status, batch_results, cancel_batch]


async def submit_batch(
    request: Request[Any, Any, Any],
    state: State,
    engine: Annotated[EngineChoice, Parameter(description="auto: the LLM when configured, else offline")] = (
        EngineChoice.auto
    ),
    refresh: Annotated[bool, Parameter(description="Ignore the cache and digest again")] = False,
    fallback: Annotated[
        bool, Parameter(description="With engine=auto, serve the offline digest if the LLM fails")
    ] = True,
    invalid: Annotated[
        InvalidItems,
        Parameter(
            description="refuse: a batch with an item that is not an article is a 422 naming each one; "
            "record: the job starts and each such item is a problem line in its results"
        ),
    ] = InvalidItems.refuse,
) -> Response[JobStatus]:
    settings: Settings = state.settings
    parsed = _parsed_body(request.headers.get("content-type", ""), await request.body())
    items = _items(parsed, settings, invalid)
    store: JobStore = state.job_store
    queue: JobQueue = state.job_queue
    options = BatchOptions(engine=engine, refresh=refresh, fallback=fallback)
    job = await store.create(items, options, owner=caller(request))
    await queue.submit(job)
    status = await store.status(job)
    return Response(status, status_code=202, headers={"Location": f"/v1/batches/{job.id}"})


@get(
    "/v1/batches/{job_id:str}",
    responses=problem_responses(JOB_ERRORS),
    summary="A batch job's state and counts",
)
async def batch_status(request: Request[Any, Any, Any], state: State, job_id: FromPath[str]) -> JobStatus:
    store: JobStore = state.job_store
    return await store.status(await owned_job(request, store, job_id))


@get(
    "/v1/batches/{job_id:str}/results",
    responses=problem_responses(JOB_ERRORS),
    media_type=RESULTS_TYPE,
    summary="The results so far, one JSONL line per article in input order ({id, digest} or {id, problem})",
)
async def batch_results(request: Request[Any, Any, Any], state: State, job_id: FromPath[str]) -> Stream:
    store: JobStore = state.job_store
    job = await owned_job(request, store, job_id)

    async def lines() -> AsyncIterator[bytes]:
        async for line in store.results(job):
            yield line

    return Stream(lines(), media_type=RESULTS_TYPE)


@delete(
    "/v1/batches/{job_id:str}",
    status_code=200,
    responses=problem_responses(JOB_ERRORS),
    summary="Cancel a batch job (results already made stay)",
)
async def cancel_batch(request: Request[Any, Any, Any], state: State, job_id: FromPath[str]) -> JobStatus:
    store: JobStore = state.job_store
    queue: JobQueue = state.job_queue
    job = await store.cancel(await owned_job(request, store, job_id))
    await queue.cancel(job)
    return await store.status(job)


def caller(request: Request[Any, Any, Any]) -> str | None:
    """The id of the API key that made the request (None when the server has no keys)."""
    ident: str | None = request.scope["state"].get("api_key_id")
    return ident


async def owned_job(request: Request[Any, Any, Any], store: JobStore, job_id: str) -> JobInfo:
    """The caller's job: another key's job is a 404 too, so that its id is not revealed to exist."""
    job = await store.owned(job_id, caller(request))
    if job is None:
        raise BatchNotFound(f"no batch job has the id {job_id!r}: use the id that POST /v1/batches answered")
    return job


def _parsed_body(content_type: str, body: bytes) -> list[BatchItem | BadInput]:
    media = content_type.split(";")[0].strip().lower()
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as error:
        raise MalformedBatch("the body is not valid UTF-8") from error
    if media in JSONL_TYPES:
        return [
            item for number, line in enumerate(text.splitlines(), 1) if (item := parse_line(line, number))
        ]
    if media != JSON_LIST:
        raise UnsupportedBatchMedia(
            f"send a batch as application/json (a list) or application/jsonl (one article per line), "
            f"not {media or 'a body without Content-Type'}"
        )
    try:
        values = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as error:
        raise MalformedBatch(
            f'the body is not JSON: send a list such as [{{"text": "..."}}] ({error})'
        ) from error
    if not isinstance(values, list):
        raise MalformedBatch('the body must be a JSON list of articles, such as [{"text": "..."}]')
    return [
        parse_item(value, f"item-{index}", _item_place(index, value)) for index, value in enumerate(values)
    ]


def _item_place(index: int, value: object) -> str:
    """Where an item of a JSON list is: its index, and its id when it has one (a file's name)."""
    item_id = value.get("id") if isinstance(value, dict) else None
    return f"item {index} ({item_id})" if isinstance(item_id, str) and item_id.strip() else f"item {index}"


def _items(
    parsed: list[BatchItem | BadInput], settings: Settings, invalid: InvalidItems
) -> list[BatchItem | BadInput]:
    """The items to run (and, when recording, the bad ones), or a 422 naming what stops the job."""
    if not parsed:
        raise InvalidBatch("the batch is empty: send at least one article")
    if len(parsed) > settings.max_batch_items:
        raise InvalidBatch(
            f"the batch has {len(parsed)} items; at most {settings.max_batch_items} fit in one job"
        )
    recording = invalid is InvalidItems.record
    bad = [] if recording else [item for item in parsed if isinstance(item, BadInput)]
    seen: set[str] = set()
    for item in parsed:
        item_id = item.id if isinstance(item, BatchItem) else item.item_id
        if isinstance(item, BatchItem) or recording:
            if item_id in seen:
                bad.append(BadInput(f"id {item_id!r}", "the id appears twice: ids must be unique", item_id))
            seen.add(item_id)
    if bad:
        shown = "; ".join(f"{item.where}: {item.reason}" for item in bad[:SHOWN_BAD_ITEMS])
        more = f" (and {len(bad) - SHOWN_BAD_ITEMS} more)" if len(bad) > SHOWN_BAD_ITEMS else ""
        items = "item" if len(parsed) == 1 else "items"
        raise InvalidBatch(f"{len(bad)} of {len(parsed)} {items} cannot be digested: {shown}{more}")
    return parsed
