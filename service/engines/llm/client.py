"""One LLM call: openai.AsyncOpenAI with tenacity retrying transport faults.

The SDK's own retries are off so the two never stack. tenacity retries 429 (honouring
Retry-After), 5xx, timeouts and connection errors within a bounded number of attempts and a
time budget. At most `llm_max_concurrent_calls` calls are in flight (`CallSlots`: for the process, or
across replicas through Redis): the rest wait here, not in the server's queue, so a call's timeout
starts when it leaves that queue.
Re-asking invalid output is the engine's business (`service.engines.llm.asking`), not this
module's. Every third-party error is translated here into the service's own error tree.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any, Protocol

import httpx2
import openai
from openai.types.chat import ChatCompletion, ChatCompletionChunk
from tenacity import AsyncRetrying, RetryCallState, retry_if_exception, stop_after_attempt, stop_after_delay

from schemas.digest import TokenUsage
from service.engines.llm.request import estimated_tokens
from service.errors import DigestError, UpstreamError, UpstreamTimeout, UpstreamUnavailable
from service.metrics import Metrics
from service.settings import Settings

_RETRYABLE_STATUS = frozenset({408, 409, 429, 500, 502, 503, 504})

# The answer so far → None to go on, or the text that ends the answer there.
Watch = Callable[[str], str | None]


class ChatEndpoint(Protocol):
    """What the engine asks its calls of: the network (`LLMClient`) or a provider batch's answers."""

    metrics: Metrics

    @property
    def model(self) -> str: ...

    async def complete(self, body: dict[str, Any], call: str, watch: Watch | None = None) -> ChatCompletion:
        """The answer to one chat-completions `body`; `call` names it within its article. An
        endpoint that streams gives `watch` the answer so far and ends it where `watch` says."""
        ...

    async def close(self) -> None: ...


class CallSlots(Protocol):
    """The limit on LLM calls in flight: where it is kept decides whether it spans replicas."""

    def slot(self) -> AbstractAsyncContextManager[None]: ...

    async def close(self) -> None: ...


class ProcessCallSlots:
    """The limit for this process alone."""

    def __init__(self, limit: int) -> None:
        self._limit = limit
        self._semaphore: asyncio.Semaphore | None = None

    @asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        if self._semaphore is None:  # made on first use: it belongs to the loop that runs the calls
            self._semaphore = asyncio.Semaphore(self._limit)
        async with self._semaphore:
            yield

    async def close(self) -> None:
        """Nothing to release."""


class LLMClient:
    def __init__(
        self,
        settings: Settings,
        http_client: httpx2.AsyncClient | None = None,
        metrics: Metrics | None = None,
        call_slots: CallSlots | None = None,
    ) -> None:
        self._settings = settings
        self.metrics = metrics or Metrics()
        self._openai = openai.AsyncOpenAI(
            api_key=settings.llm_api_key.get_secret_value() if settings.llm_api_key else "not-needed",
            base_url=settings.llm_base_url,
            max_retries=0,
            timeout=settings.llm_timeout_s,
            http_client=http_client,
        )
        self._slots = call_slots or ProcessCallSlots(settings.llm_max_concurrent_calls)

    @property
    def model(self) -> str:
        return self._settings.llm_model

    async def close(self) -> None:
        await self._openai.close()
        await self._slots.close()

    async def complete(
        self, body: dict[str, Any], call: str = "", watch: Watch | None = None
    ) -> ChatCompletion:
        """POST one chat-completions body, with transport retries; raises the service's errors.
        With `DIGEST_LLM_STREAM` the answer is streamed and `watch` may end it early."""
        async with self._slots.slot():
            deadline = time.monotonic() + self._settings.llm_max_retry_s
            retrying = AsyncRetrying(
                stop=stop_after_attempt(self._settings.llm_max_attempts)
                | stop_after_delay(self._settings.llm_max_retry_s),
                wait=_wait_for(self._settings.llm_max_backoff_s, deadline),
                retry=retry_if_exception(_is_transient),
                before_sleep=self._count_retry,
                reraise=True,
            )
            try:
                completion: ChatCompletion = await retrying(self._post, body, watch)
            except openai.APIError as error:  # translated at this one boundary
                raise translate(error, self._settings) from error
        return checked(completion, self.metrics)

    async def _post(self, body: dict[str, Any], watch: Watch | None) -> ChatCompletion:
        try:
            if watch is not None and self._settings.llm_stream:
                return await self._streamed(body, watch)
            # `body` is already the wire JSON (the batch API's line is the same bytes): posted as it is,
            # without the SDK's walk of typed params, which cost more CPU than the rest of the call.
            completion = await self._openai.post("/chat/completions", cast_to=ChatCompletion, body=body)
        except openai.APIError:
            self.metrics.llm_calls.labels("failed").inc()
            raise
        return completion

    async def _streamed(self, body: dict[str, Any], watch: Watch) -> ChatCompletion:
        """The streamed answer as one completion; closing the stream early stops the server's work
        (llama.cpp's server checks for a gone client between tokens)."""
        answer = _StreamedAnswer()
        stream = await self._openai.chat.completions.create(
            **body, stream=True, stream_options={"include_usage": True}
        )
        try:
            async for chunk in stream:
                piece = answer.add(chunk)
                if "}" in piece and (cut := watch(answer.text)) is not None:
                    answer.end(cut)
                    break
        finally:
            await stream.close()
        return answer.completion(body)

    def _count_retry(self, state: RetryCallState) -> None:
        error = state.outcome.exception() if state.outcome else None
        self.metrics.llm_retries.labels(_retry_reason(error)).inc()


class _StreamedAnswer:
    """Stream chunks gathered into the completion a plain call would have returned. A stream that
    carries no usage (llama.cpp's, or one ended early) is counted as its pieces out (one token
    each) and the body's characters over CHARS_PER_TOKEN in: an estimate, the only count there is."""

    def __init__(self) -> None:
        self._pieces: list[str] = []
        self._count = 0
        self._tool: str | None = None
        self._finish: str | None = None
        self._usage: Any = None

    @property
    def text(self) -> str:
        return "".join(self._pieces)

    def add(self, chunk: ChatCompletionChunk) -> str:
        self._usage = chunk.usage or self._usage
        if not chunk.choices:
            return ""
        choice = chunk.choices[0]
        self._finish = choice.finish_reason or self._finish
        piece = choice.delta.content or ""
        for call in choice.delta.tool_calls or []:
            if call.function is not None:
                self._tool = call.function.name or self._tool
                piece += call.function.arguments or ""
        if piece:
            self._pieces.append(piece)
            self._count += 1
        return piece

    def end(self, text: str) -> None:
        self._pieces, self._finish = [text], "stop"

    def completion(self, body: dict[str, Any]) -> ChatCompletion:
        if self._usage is not None:
            usage = self._usage.model_dump()
        else:
            prompt = estimated_tokens(json.dumps([body["messages"], body.get("tools")], ensure_ascii=False))
            usage = {
                "prompt_tokens": prompt,
                "completion_tokens": self._count,
                "total_tokens": prompt + self._count,
            }
        message: dict[str, Any] = {"role": "assistant", "content": self.text}
        if self._tool is not None:
            call = {
                "id": "call-0",
                "type": "function",
                "function": {"name": self._tool, "arguments": self.text},
            }
            message = {"role": "assistant", "content": None, "tool_calls": [call]}
        return ChatCompletion.model_validate(
            {
                "id": "streamed",
                "object": "chat.completion",
                "created": int(time.time()),
                "model": str(body.get("model", "")),
                "choices": [{"index": 0, "finish_reason": self._finish or "stop", "message": message}],
                "usage": usage,
            }
        )


def checked(completion: ChatCompletion, metrics: Metrics) -> ChatCompletion:
    """An answer counted in the metrics, or the `UpstreamError` that says why it cannot be used."""
    metrics.llm_calls.labels("answered").inc()
    usage = usage_of(completion)
    metrics.llm_tokens.labels("prompt").inc(usage.prompt_tokens)
    metrics.llm_tokens.labels("completion").inc(usage.completion_tokens)
    if (reason := unusable_answer(completion)) is not None:
        raise UpstreamError(reason)
    return completion


def unusable_answer(completion: Any) -> str | None:
    """Why an answer can never become a digest however often it is re-asked, or None."""
    if completion is None:
        return None
    if not hasattr(completion, "choices"):
        return (
            f"the LLM endpoint did not answer with a chat completion ({str(completion)[:120]!r}); "
            "check DIGEST_LLM_BASE_URL"
        )
    choices = completion.choices
    if not choices:
        return "the LLM answered with no choices at all; check DIGEST_LLM_BASE_URL and DIGEST_LLM_MODEL"
    choice = choices[0]
    refusal = getattr(getattr(choice, "message", None), "refusal", None)
    if refusal:
        return f"the LLM refused to digest this article ({str(refusal)[:200]}); try engine=offline"
    if getattr(choice, "finish_reason", None) == "content_filter":
        return "the LLM provider's content filter blocked the answer; try engine=offline"
    return None


def _is_transient(error: BaseException) -> bool:
    if isinstance(error, openai.APIConnectionError):  # includes timeouts
        return True
    return isinstance(error, openai.APIStatusError) and error.status_code in _RETRYABLE_STATUS


def _retry_reason(error: BaseException | None) -> str:
    if isinstance(error, openai.APITimeoutError):
        return "timeout"
    if isinstance(error, openai.APIConnectionError):
        return "connection"
    if isinstance(error, openai.APIStatusError):
        return "rate_limited" if error.status_code == 429 else f"status_{error.status_code}"
    return "other"


def _retry_after_seconds(error: BaseException | None) -> float | None:
    if not isinstance(error, openai.APIStatusError):
        return None
    header = error.response.headers.get("retry-after")
    try:
        return max(0.0, float(header)) if header is not None else None
    except ValueError:
        return None


def _wait_for(max_backoff: float, deadline: float) -> Callable[[RetryCallState], float]:
    """Wait what Retry-After asks (else exponential from 0.5 s), capped and within the budget."""

    def wait(state: RetryCallState) -> float:
        error = state.outcome.exception() if state.outcome else None
        asked = _retry_after_seconds(error)
        backoff = asked if asked is not None else 0.5 * 2 ** (state.attempt_number - 1)
        return max(0.0, min(backoff, max_backoff, deadline - time.monotonic()))

    return wait


def usage_of(completion: Any) -> TokenUsage:
    usage = getattr(completion, "usage", None)
    if usage is None:
        return TokenUsage()
    return TokenUsage(
        prompt_tokens=usage.prompt_tokens or 0,
        completion_tokens=usage.completion_tokens or 0,
        total_tokens=usage.total_tokens or 0,
    )


def translate(error: openai.APIError, settings: Settings) -> DigestError:
    """The service error for a third-party one; 503s always carry a Retry-After (the provider's, if any)."""
    asked = _retry_after_seconds(error)
    retry_after = asked if asked is not None else settings.llm_max_backoff_s
    if isinstance(error, openai.APITimeoutError):
        return UpstreamTimeout("the LLM endpoint did not answer within DIGEST_LLM_TIMEOUT_S, after retries")
    if isinstance(error, openai.APIConnectionError):
        return UpstreamError(
            f"the connection to the LLM endpoint failed or broke off, after retries ({error}); "
            "check DIGEST_LLM_BASE_URL and that the server is up"
        )
    if isinstance(error, openai.RateLimitError):
        return UpstreamUnavailable(
            "the LLM provider is rate-limiting us; try again later", retry_after=retry_after
        )
    if isinstance(error, openai.APIStatusError):
        return _translate_status(error, retry_after, settings.llm_mode)
    return UpstreamError(f"the LLM call failed: {type(error).__name__}: {error}")


def _translate_status(error: openai.APIStatusError, retry_after: float | None, mode: str) -> DigestError:
    status = error.status_code
    reason = _server_reason(error)
    if status == 503:
        return UpstreamUnavailable(
            "the LLM provider is unavailable (503) after retries", retry_after=retry_after
        )
    if status in (401, 403):
        return UpstreamError(f"the LLM provider refused our credentials ({status}); check DIGEST_LLM_API_KEY")
    if status == 404:
        return UpstreamError(
            "the LLM endpoint or model was not found (404); check DIGEST_LLM_BASE_URL and DIGEST_LLM_MODEL"
        )
    if status == 504 or status == 408:
        return UpstreamTimeout(f"the LLM provider timed out ({status}) after retries")
    if mode == "json_schema" and status in (400, 422, 500):
        return UpstreamError(
            f"the LLM server refused the request ({status}: {reason}); if it does not support "
            "response_format json_schema (llama.cpp does not), set DIGEST_LLM_MODE=tools"
        )
    if status >= 500:
        return UpstreamError(f"the LLM provider failed ({status}: {reason}) after retries")
    return UpstreamError(f"the LLM provider rejected the request ({status}): {reason}")


def _server_reason(error: openai.APIStatusError) -> str:
    """What the server said, clipped: the SDK's message, else the start of the body."""
    text = error.message or error.response.text
    return " ".join(str(text).split())[:300]
