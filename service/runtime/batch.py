"""Batches: many articles in, one JSONL result line per article out (docs/DESIGN.md §7).

Input is a JSONL of requests (`{"id"?, "text", "title"?, "source"?, "published_at"?}`), a folder of
`.txt` files, or `-` (JSONL on stdin). Every item has an id: its own, else `line-N` (JSONL) or the
file's path in the folder (`.txt`). A line that is not a valid request is a `BadInput` with its line
number; it is reported and skipped, never fatal.

Each result is one line, `{"id", "digest"}` or `{"id", "problem"}` (an RFC 9457 body), written whole
with one `write` and fsync'd before the next item counts as done (`ResultFile`). A rerun with the same
output file skips the ids already there, so a crash loses at most the articles in flight and no id is
ever written twice.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from pydantic import ValidationError

from schemas.digest import Digest
from schemas.request import DigestRequest
from service.errors import DigestError, Overloaded
from service.runtime.digester import Digester, EngineChoice

log = logging.getLogger(__name__)

MAX_ID_CHARS = 200
STDIN = "-"


@dataclass(frozen=True)
class BatchItem:
    id: str
    request: DigestRequest


@dataclass(frozen=True)
class BadInput:
    """An input line or file that is not a request: where it is, what to fix, and the id its result
    line carries when a job records it as a problem."""

    where: str
    reason: str
    item_id: str


class BatchInputError(Exception):
    """The batch cannot start at all (unreadable input, an output file that is not ours)."""


def parse_item(value: object, default_id: str, where: str) -> BatchItem | BadInput:
    """One request object (a decoded JSON value) as an item, or why it is not one."""
    if not isinstance(value, dict):
        return BadInput(where, 'not a JSON object: write one {"text": "..."} per line', default_id)
    fields = dict(value)
    item_id = fields.pop("id", default_id)
    if not isinstance(item_id, str | int) or isinstance(item_id, bool) or not str(item_id).strip():
        return BadInput(where, "id must be a non-empty string or an integer", default_id)
    if len(str(item_id)) > MAX_ID_CHARS:
        return BadInput(where, f"id is longer than {MAX_ID_CHARS} characters", default_id)
    try:
        request = DigestRequest.model_validate(fields)
    except ValidationError as error:
        return BadInput(where, describe_validation(error), str(item_id))
    return BatchItem(str(item_id), request)


def parse_line(line: str, number: int) -> BatchItem | BadInput | None:
    """One JSONL line (numbered from 1); None for a blank line."""
    if not line.strip():
        return None
    where = f"line {number}"
    try:
        value = json.loads(line)
    except json.JSONDecodeError as error:
        return BadInput(where, f"not valid JSON ({error.msg} at column {error.colno})", f"line-{number}")
    return parse_item(value, f"line-{number}", where)


REQUEST_FIELDS = ", ".join(DigestRequest.model_fields)


def describe_validation(error: ValidationError) -> str:
    """What is wrong with one request, in plain words naming its fields (not the validator's)."""
    return "; ".join(_in_plain_words(item) for item in error.errors())


def _in_plain_words(item: Any) -> str:
    field = ".".join(str(part) for part in item["loc"]) or "the request"
    kind = item["type"]
    context = item.get("ctx") or {}
    if kind == "missing":
        return f'no "{field}": each article needs its text, as in {{"text": "..."}}'
    if kind == "extra_forbidden":
        return f'unknown field "{field}" (the fields are id, {REQUEST_FIELDS})'
    if kind == "string_too_short" or (field == "text" and "empty" in str(context.get("error", ""))):
        return f"the {field} is empty"
    if kind == "string_too_long":
        return f"the {field} is longer than {context['max_length']:,} characters"
    if kind == "string_type":
        return f'"{field}" must be a string'
    if kind == "value_error":
        return str(context.get("error", item["msg"]))
    return f"{field}: {item['msg']}"


def read_jsonl(lines: Iterable[str]) -> Iterator[BatchItem | BadInput]:
    for number, line in enumerate(lines, start=1):
        parsed = parse_line(line, number)
        if parsed is not None:
            yield parsed


def read_folder(folder: Path) -> Iterator[BatchItem | BadInput]:
    """Every `.txt` under the folder, in path order; the id is the path relative to the folder."""
    for path in sorted(folder.rglob("*.txt")):
        name = path.relative_to(folder).as_posix()
        try:
            text = path.read_text(encoding="utf-8")
            yield BatchItem(name, DigestRequest(text=text))
        except (OSError, UnicodeDecodeError) as error:
            yield BadInput(name, f"cannot read the file as UTF-8 text: {error}", name)
        except ValidationError as error:
            yield BadInput(name, describe_validation(error), name)


def read_input(source: str) -> Iterator[BatchItem | BadInput]:
    """The items of INPUT: a JSONL file, a folder of `.txt`, or `-` for JSONL on stdin."""
    if source == STDIN:
        yield from read_jsonl(sys.stdin)
        return
    path = Path(source)
    if path.is_dir():
        yield from read_folder(path)
        return
    try:
        with path.open(encoding="utf-8", errors="replace", newline="\n") as lines:
            yield from read_jsonl(lines)
    except OSError as error:
        raise BatchInputError(f"cannot read {source}: {error}") from error


def count_input(source: str) -> int | None:
    """How many items INPUT holds (bad ones included), without parsing them; None for stdin."""
    if source == STDIN:
        return None
    path = Path(source)
    if path.is_dir():
        return sum(1 for _ in path.rglob("*.txt"))
    try:
        with path.open("rb") as lines:
            return sum(1 for line in lines if line.strip())
    except OSError as error:
        raise BatchInputError(f"cannot read {source}: {error}") from error


def digest_line(item_id: str, digest: Digest) -> bytes:
    head = json.dumps({"id": item_id}, ensure_ascii=False)[:-1]
    return f'{head}, "digest": {digest.model_dump_json()}}}\n'.encode()


def problem_body(error: DigestError) -> dict[str, Any]:
    """The RFC 9457 body of a failed item, as the API would have answered it."""
    return {
        "type": f"/problems/{error.slug}",
        "title": error.title,
        "status": error.status,
        "detail": error.detail,
    }


def problem_line(item_id: str, problem: dict[str, Any]) -> bytes:
    return (json.dumps({"id": item_id, "problem": problem}, ensure_ascii=False) + "\n").encode()


class ResultFile:
    """The output JSONL, append-only: each line written whole and fsync'd.

    Opening it reads the ids already done. A last line without its newline is what a kill in the
    middle of a write leaves: it is cut off, so its article runs again."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.done = self._recover(path)
        self._fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        self._lock = asyncio.Lock()

    @staticmethod
    def _recover(path: Path) -> set[str]:
        if not path.exists():
            return set()
        data = path.read_bytes()
        complete = data[: data.rfind(b"\n") + 1]
        if len(complete) < len(data):
            log.warning("%s ends in a partial line (an interrupted write): cutting it off", path)
            os.truncate(path, len(complete))
        done: set[str] = set()
        for number, line in enumerate(complete.splitlines(), start=1):
            try:
                done.add(str(json.loads(line)["id"]))
            except (ValueError, KeyError, TypeError) as error:
                raise BatchInputError(
                    f"{path} line {number} is not a result line of a batch: choose another --out file"
                ) from error
        return done

    async def write(self, line: bytes) -> None:
        async with self._lock:
            await asyncio.to_thread(self._write_durably, line)

    def _write_durably(self, line: bytes) -> None:
        view = memoryview(line)
        while view:
            view = view[os.write(self._fd, view) :]
        os.fsync(self._fd)

    def close(self) -> None:
        os.close(self._fd)


class ResultSink(Protocol):
    async def write(self, line: bytes) -> None: ...


@dataclass(frozen=True)
class Outcome:
    id: str
    line: bytes
    failed: bool
    cached: bool = False
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost_usd: float = 0.0


class BatchObserver(Protocol):
    """What a run reports as it goes (a progress bar, a job's counters)."""

    def on_outcome(self, outcome: Outcome) -> None: ...

    def on_bad_input(self, bad: BadInput) -> None: ...

    def on_skipped(self, item_id: str) -> None: ...


@dataclass
class BatchSummary:
    """Counts of one run (an observer too); tokens are those billed in this run, not replayed ones."""

    done: int = 0
    cached: int = 0
    failed: int = 0
    skipped: int = 0
    bad_inputs: list[BadInput] = field(default_factory=list)
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost_usd: float = 0.0

    def on_outcome(self, outcome: Outcome) -> None:
        self.done += 1
        self.cached += outcome.cached
        self.failed += outcome.failed
        self.prompt_tokens += outcome.prompt_tokens
        self.completion_tokens += outcome.completion_tokens
        self.cost_usd += outcome.cost_usd

    def on_bad_input(self, bad: BadInput) -> None:
        self.bad_inputs.append(bad)

    def on_skipped(self, item_id: str) -> None:
        self.skipped += 1


@dataclass(frozen=True)
class BatchOptions:
    engine: EngineChoice = EngineChoice.auto
    refresh: bool = False
    fallback: bool = True
    concurrency: int = 8


class BatchRunner:
    """Digests items with at most `concurrency` at once through the service's own Digester.

    LLM work still goes through the Digester's limiter; an `Overloaded` refusal (the API's traffic
    filled the queue) is waited out and retried, never recorded as the article's failure."""

    def __init__(self, digester: Digester, options: BatchOptions) -> None:
        self._digester = digester
        self._options = options

    async def run(
        self,
        items: Iterable[BatchItem | BadInput],
        done: set[str],
        sink: ResultSink,
        observers: list[BatchObserver],
    ) -> None:
        pending = pending_items(items, done, observers)
        workers = [
            asyncio.create_task(self._work(pending, sink, observers))
            for _ in range(self._options.concurrency)
        ]
        try:
            await asyncio.gather(*workers)
        finally:
            for worker in workers:
                worker.cancel()

    async def _work(
        self, pending: Iterator[BatchItem], sink: ResultSink, observers: list[BatchObserver]
    ) -> None:
        for item in pending:
            outcome = await self.outcome(item)
            await sink.write(outcome.line)
            for observer in observers:
                observer.on_outcome(outcome)

    async def outcome(self, item: BatchItem) -> Outcome:
        """The item's result line: its digest, or the problem that stopped it."""
        try:
            digest = await self._digest(item.request)
        except DigestError as error:
            return Outcome(item.id, problem_line(item.id, problem_body(error)), failed=True)
        except Exception:  # one article's bug must not stop a batch of thousands; it is logged and recorded
            log.exception("unexpected error digesting batch item %s", item.id)
            problem = problem_body(
                DigestError("the service failed unexpectedly on this article; the error is logged")
            )
            return Outcome(item.id, problem_line(item.id, problem), failed=True)
        billed = not digest.provenance.cached
        usage = digest.provenance.usage if billed else None
        return Outcome(
            item.id,
            digest_line(item.id, digest),
            failed=False,
            cached=digest.provenance.cached,
            prompt_tokens=usage.prompt_tokens if usage else 0,
            completion_tokens=usage.completion_tokens if usage else 0,
            cost_usd=(digest.provenance.cost_usd or 0.0) if billed else 0.0,
        )

    async def _digest(self, request: DigestRequest) -> Digest:
        options = self._options
        while True:
            try:
                return await self._digester.digest(
                    request, options.engine, refresh=options.refresh, fallback=options.fallback
                )
            except Overloaded as busy:
                await asyncio.sleep(busy.retry_after or 1.0)


def pending_items(
    items: Iterable[BatchItem | BadInput], done: set[str], observers: list[BatchObserver]
) -> Iterator[BatchItem]:
    """The items still to do: bad inputs, ids already done and repeated ids are reported, not run."""
    seen: set[str] = set()
    for item in items:
        if isinstance(item, BadInput):
            for observer in observers:
                observer.on_bad_input(item)
        elif item.id in seen:
            bad = BadInput(
                f"id {item.id!r}", "the id appears twice in the input: ids must be unique", item.id
            )
            for observer in observers:
                observer.on_bad_input(bad)
        elif item.id in done:
            seen.add(item.id)
            for observer in observers:
                observer.on_skipped(item.id)
        else:
            seen.add(item.id)
            yield item
