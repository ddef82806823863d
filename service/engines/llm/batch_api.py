"""Provider batch APIs: OpenAI's Files + Batches API, whose request file `vllm run-batch` also reads.

A request file has one line per LLM call, `{"custom_id", "method", "url", "body"}`, the body being
what the engine would have POSTed (`request.chat_request`, built by the engine's own `Asker`). The
calls of an article depend on each other: figures and quotes are told the actors' and events' refs,
the summary is written from the grounded facts, a re-ask follows the answer it corrects. So a batch
runs in rounds: each round runs the engine on every article with its calls answered from the
results collected so far (`BatchAnswers`); the calls it reaches without an answer go into the next
request file (`PendingCall` stops the article there). Three rounds make a digest (actors and events;
figures and quotes; the summary), more when an answer has to be re-asked.

`custom_id` is the first 32 hex digits of the article's LLM-answer cache key, then the call's name
within the article (task, part, attempt): under the 64 characters OpenAI allows, and the same call
of the same article gets the same id in every round.

The control calls (upload, create, poll, download) use the SDK's own retries: they are few, and no
tenacity loop wraps them, so the two never stack.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any, Final, Literal

import httpx2
import openai
from openai.types import Batch
from openai.types.chat import ChatCompletion
from pydantic import BaseModel, ConfigDict, ValidationError

from service.engines.llm.client import Watch, checked, translate
from service.errors import UpstreamError
from service.metrics import Metrics
from service.settings import Settings

CHAT_URL: Final[Literal["/v1/chat/completions"]] = "/v1/chat/completions"
ARTICLE_KEY_CHARS = 32
FINAL_STATES = frozenset({"completed", "failed", "expired", "cancelled"})
CONTROL_RETRIES = 3


class PendingCall(Exception):
    """The article reached a call that the provider batch has not answered yet."""


class BatchFileError(ValueError):
    """A results file that is not a batch output (OpenAI's or vLLM's): which line, and why."""


class CollectedCall(BaseModel):
    """One call's result from a batch: its completion, or the error the provider gave instead."""

    model_config = ConfigDict(extra="forbid")

    custom_id: str
    completion: ChatCompletion | None = None
    error: str | None = None


def article_id(answer_key: str) -> str:
    return answer_key[:ARTICLE_KEY_CHARS]


def custom_id(answer_key: str, call: str) -> str:
    return f"{article_id(answer_key)}-{call}"


def article_of(call_id: str) -> str:
    """The article part of a `custom_id`."""
    return call_id.partition("-")[0]


def request_line(call_id: str, body: dict[str, Any]) -> bytes:
    line = {"custom_id": call_id, "method": "POST", "url": CHAT_URL, "body": body}
    return (json.dumps(line, ensure_ascii=False) + "\n").encode()


def read_results(text: str, where: str) -> list[CollectedCall]:
    """The calls of an output or error file: `{"custom_id", "response": {"status_code", "body"},
    "error"}` per line, as OpenAI's Batch API and `vllm run-batch` write them."""
    calls = []
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            calls.append(_read_result(line, f"{where} line {number}"))
    return calls


def _read_result(line: str, where: str) -> CollectedCall:
    try:
        record = json.loads(line)
        call_id = str(record["custom_id"])
        response = record.get("response") or {}
        body = response.get("body")
        if record.get("error") is None and response.get("status_code") == 200:
            return CollectedCall(custom_id=call_id, completion=ChatCompletion.model_validate(body))
    except (ValueError, KeyError, TypeError, AttributeError, ValidationError) as error:
        raise BatchFileError(f"{where} is not a batch result line: {error}") from error
    return CollectedCall(custom_id=call_id, error=_error_text(record, response))


def _error_text(record: dict[str, Any], response: dict[str, Any]) -> str:
    error = record.get("error") or (response.get("body") or {}).get("error") or {}
    message = error.get("message") if isinstance(error, dict) else str(error)
    return f"{response.get('status_code', 'no status')}: {message or 'no message'}"


class BatchAnswers:
    """The engine's endpoint for one article in a round: each call answered from the collected
    results (`lookup` by custom_id); a call without one is kept in `pending` and stops the article."""

    def __init__(
        self, model: str, metrics: Metrics, answer_key: str, lookup: Callable[[str], CollectedCall | None]
    ) -> None:
        self.metrics = metrics
        self.pending: list[bytes] = []
        self._model = model
        self._answer_key = answer_key
        self._lookup = lookup

    @property
    def model(self) -> str:
        return self._model

    async def complete(self, body: dict[str, Any], call: str, watch: Watch | None = None) -> ChatCompletion:
        call_id = custom_id(self._answer_key, call)
        found = self._lookup(call_id)
        if found is None:
            self.pending.append(request_line(call_id, body))
            raise PendingCall(call_id)
        if found.completion is None:
            raise UpstreamError(f"the provider batch answered call {call_id} with an error ({found.error})")
        return checked(found.completion, self.metrics)

    async def close(self) -> None:
        """Nothing to close: the answers are data."""


class BatchProvider:
    """The Files and Batches API of the endpoint in DIGEST_LLM_BASE_URL (OpenAI's by default)."""

    def __init__(self, settings: Settings, http_client: httpx2.AsyncClient | None = None) -> None:
        self._settings = settings
        self._openai = openai.AsyncOpenAI(
            api_key=settings.llm_api_key.get_secret_value() if settings.llm_api_key else "not-needed",
            base_url=settings.llm_base_url,
            max_retries=CONTROL_RETRIES,
            timeout=settings.llm_timeout_s,
            http_client=http_client,
        )

    async def close(self) -> None:
        await self._openai.close()

    async def submit(self, requests: Path) -> Batch:
        """Upload the request file (purpose batch) and start a batch of chat completions on it."""
        try:
            with requests.open("rb") as file:
                uploaded = await self._openai.files.create(file=file, purpose="batch")
            return await self._openai.batches.create(
                input_file_id=uploaded.id,
                endpoint=CHAT_URL,
                completion_window="24h",
                metadata={"made_by": "digest batch submit"},
            )
        except openai.APIError as error:
            raise translate(error, self._settings) from error

    async def wait(self, batch_id: str, poll_s: float, on_poll: Callable[[Batch], None]) -> Batch:
        """Poll until the batch is completed, failed, expired or cancelled."""
        while True:
            try:
                batch = await self._openai.batches.retrieve(batch_id)
            except openai.APIError as error:
                raise translate(error, self._settings) from error
            on_poll(batch)
            if batch.status in FINAL_STATES:
                return batch
            await asyncio.sleep(poll_s)

    async def results(self, batch: Batch) -> list[CollectedCall]:
        """The calls of the batch's output and error files (an expired or cancelled batch has the
        answers it finished); a failed batch, which ran no call, is an `UpstreamError` with its reasons."""
        if batch.status == "failed":
            reasons = "; ".join(
                f"line {error.line}: {error.message}" if error.line else str(error.message)
                for error in (batch.errors.data or [] if batch.errors else [])
            )
            raise UpstreamError(f"the provider refused batch {batch.id}: {reasons or 'no reason given'}")
        calls: list[CollectedCall] = []
        for file_id in (batch.output_file_id, batch.error_file_id):
            if file_id:
                try:
                    content = await self._openai.files.content(file_id)
                except openai.APIError as error:
                    raise translate(error, self._settings) from error
                calls += read_results(content.text, f"file {file_id}")
        return calls
