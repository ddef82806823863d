"""The LLM call: instructor over openai.AsyncOpenAI, with tenacity retrying transport faults.

The SDK's own retries are off so the two never stack. instructor re-asks invalid output
(at most `llm_reasks` times); tenacity retries 429 (honouring Retry-After), 5xx, timeouts
and connection errors within a bounded number of attempts and a total time budget.
Every third-party error is translated here into the service's own error tree.
"""

from __future__ import annotations

import functools
import json
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import httpx2
import instructor
import openai
from instructor.core import (
    AsyncValidationError,
    Hooks,
    IncompleteOutputException,
    InstructorRetryException,
    ResponseParsingError,
)
from pydantic import BaseModel, ValidationError
from tenacity import AsyncRetrying, RetryCallState, retry_if_exception, stop_after_attempt, stop_after_delay

from schemas.digest import TokenUsage
from service.errors import DigestError, UpstreamError, UpstreamTimeout, UpstreamUnavailable
from service.metrics import Metrics
from service.settings import Settings

ModelT = TypeVar("ModelT", bound=BaseModel)

_MODES = {
    "json_schema": instructor.Mode.JSON_SCHEMA,
    "tools": instructor.Mode.TOOLS,
    "json": instructor.Mode.JSON,
}
_RETRYABLE_STATUS = frozenset({408, 409, 429, 500, 502, 503, 504})
_REASKABLE = (ValidationError, json.JSONDecodeError, AsyncValidationError, ResponseParsingError)


@dataclass(frozen=True)
class LLMResult(Generic[ModelT]):
    output: ModelT
    usage: TokenUsage
    reasks: int


class InvalidOutputAfterReasks(Exception):
    """instructor gave up re-asking; `last_completion` is the final answer, if any."""

    def __init__(self, reason: str, last_completion: Any) -> None:
        super().__init__(reason)
        self.last_completion = last_completion


class LLMClient:
    def __init__(
        self,
        settings: Settings,
        http_client: httpx2.AsyncClient | None = None,
        metrics: Metrics | None = None,
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
        self._instructor = instructor.from_openai(self._openai, mode=_MODES[settings.llm_mode])

    @property
    def model(self) -> str:
        return self._settings.llm_model

    async def close(self) -> None:
        await self._openai.close()

    async def extract(
        self, messages: list[dict[str, str]], response_model: type[ModelT], context: dict[str, Any]
    ) -> LLMResult[ModelT]:
        """One structured extraction, with transport retries around instructor's re-asks."""
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
            return await retrying(self._extract_once, messages, response_model, context)
        except (openai.APIError, IncompleteOutputException) as error:  # translated at this one boundary
            raise _translate(error, default_retry_after=self._settings.llm_max_backoff_s) from error

    async def _extract_once(
        self, messages: list[dict[str, str]], response_model: type[ModelT], context: dict[str, Any]
    ) -> LLMResult[ModelT]:
        calls = _CallWatcher(self.metrics)
        create: Callable[..., Awaitable[tuple[ModelT, Any]]] = self._instructor.create_with_completion
        try:
            output, completion = await create(
                messages=_jinja_literal(messages),
                response_model=with_cached_schema(response_model),
                context=context,
                max_retries=self._reask_policy(calls),
                hooks=calls.hooks(),
                model=self._settings.llm_model,
                temperature=self._settings.llm_temperature,
                max_tokens=self._settings.llm_max_output_tokens,
                **self._strict_schema_kwargs(response_model),
            )
        except InstructorRetryException as error:
            cause = error.__cause__
            if isinstance(cause, openai.APIError):
                raise cause from error
            if (reason := unusable_answer(calls.last_answer)) is not None:
                raise UpstreamError(reason) from error
            self.metrics.llm_reasks.inc(self._settings.llm_reasks)
            raise InvalidOutputAfterReasks(str(cause or error), error.last_completion) from error
        reasks = min(calls.parse_errors, self._settings.llm_reasks)
        self.metrics.llm_reasks.inc(reasks)
        return LLMResult(output=output, usage=usage_of(completion), reasks=reasks)

    def _reask_policy(self, calls: _CallWatcher) -> AsyncRetrying:
        """Re-ask invalid output, but not an answer that can never parse (refusal, no choices)."""
        return AsyncRetrying(
            stop=stop_after_attempt(self._settings.llm_reasks + 1),
            retry=retry_if_exception(
                lambda error: isinstance(error, _REASKABLE) and unusable_answer(calls.last_answer) is None
            ),
            reraise=True,
        )

    def _count_retry(self, state: RetryCallState) -> None:
        error = state.outcome.exception() if state.outcome else None
        self.metrics.llm_retries.labels(_retry_reason(error)).inc()

    def _strict_schema_kwargs(self, response_model: type[BaseModel]) -> dict[str, Any]:
        """instructor's JSON_SCHEMA mode omits `strict`; send the same schema with strict on."""
        if self._settings.llm_mode != "json_schema":
            return {}
        response_format = {
            "type": "json_schema",
            "json_schema": {
                "name": response_model.__name__,
                "schema": with_cached_schema(response_model).model_json_schema(),
                "strict": True,
            },
        }
        return {"extra_body": {"response_format": response_format}}


@functools.cache
def with_cached_schema(model: type[ModelT]) -> type[ModelT]:
    """The same model, but its JSON schema is built once: pydantic rebuilds it on every call (about
    15 ms of CPU for the digest schema, twice per LLM call: ours and instructor's)."""
    encoded = json.dumps(model.model_json_schema())

    def model_json_schema(cls: type[BaseModel], *args: Any, **kwargs: Any) -> dict[str, Any]:
        if args or kwargs:
            return model.model_json_schema(*args, **kwargs)
        fresh: dict[str, Any] = json.loads(encoded)  # a copy: callers may change it
        return fresh

    namespace = {"model_json_schema": classmethod(model_json_schema), "__module__": model.__module__}
    namespace["__doc__"] = model.__doc__
    return type(model.__name__, (model,), namespace)


class _CallWatcher:
    """Follows one extraction through instructor's hooks: answers, failures, tokens, parse errors."""

    def __init__(self, metrics: Metrics) -> None:
        self._metrics = metrics
        self.last_answer: Any = None
        self.parse_errors = 0

    def hooks(self) -> Hooks:
        hooks = Hooks()
        hooks.on("completion:response", self._answered)
        hooks.on("completion:error", self._failed)
        hooks.on("parse:error", self._parse_error)
        return hooks

    def _answered(self, completion: Any, *_: Any, **__: Any) -> None:
        self.last_answer = completion
        self._metrics.llm_calls.labels("answered").inc()
        usage = usage_of(completion)
        self._metrics.llm_tokens.labels("prompt").inc(usage.prompt_tokens)
        self._metrics.llm_tokens.labels("completion").inc(usage.completion_tokens)

    def _failed(self, *_: Any, **__: Any) -> None:
        self._metrics.llm_calls.labels("failed").inc()

    def _parse_error(self, *_: Any, **__: Any) -> None:
        self.parse_errors += 1


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


def _jinja_literal(messages: list[dict[str, str]]) -> list[dict[str, str]]:
    """instructor renders every message as a Jinja template when a validation context is given;
    wrapping the content in a raw block keeps the article's braces exactly as they are."""
    end = "{% endraw %}"
    return [
        {
            **message,
            "content": "{% raw %}"
            + message["content"].replace(end, end + "{{ '" + end + "' }}{% raw %}")
            + end,
        }
        for message in messages
    ]


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


def _translate(error: Exception, default_retry_after: float) -> DigestError:
    """The service error for a third-party one; 503s always carry a Retry-After (the provider's, if any)."""
    asked = _retry_after_seconds(error)
    retry_after = asked if asked is not None else default_retry_after
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
        return _translate_status(error, retry_after)
    if isinstance(error, IncompleteOutputException):
        return UpstreamError(
            "the LLM output was cut off at the token limit; raise DIGEST_LLM_MAX_OUTPUT_TOKENS"
        )
    return UpstreamError(f"the LLM call failed: {type(error).__name__}: {error}")


def _translate_status(error: openai.APIStatusError, retry_after: float | None) -> DigestError:
    status = error.status_code
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
    if status >= 500:
        return UpstreamError(f"the LLM provider failed ({status}) after retries")
    return UpstreamError(f"the LLM provider rejected the request ({status}): {error.message}")
