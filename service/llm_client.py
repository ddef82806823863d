"""The LLM call: instructor over openai.AsyncOpenAI, with tenacity retrying transport faults.

The SDK's own retries are off so the two never stack. instructor re-asks invalid output
(at most `llm_reasks` times); tenacity retries 429 (honouring Retry-After), 5xx, timeouts
and connection errors within a bounded number of attempts and a total time budget.
Every third-party error is translated here into the service's own error tree.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import httpx2
import instructor
import openai
from instructor.core import Hooks, IncompleteOutputException, InstructorRetryException
from pydantic import BaseModel
from tenacity import AsyncRetrying, RetryCallState, retry_if_exception, stop_after_attempt, stop_after_delay

from schemas.digest import TokenUsage
from service.errors import DigestError, UpstreamError, UpstreamTimeout, UpstreamUnavailable
from service.settings import Settings

ModelT = TypeVar("ModelT", bound=BaseModel)

_MODES = {
    "json_schema": instructor.Mode.JSON_SCHEMA,
    "tools": instructor.Mode.TOOLS,
    "json": instructor.Mode.JSON,
}
_RETRYABLE_STATUS = frozenset({408, 409, 429, 500, 502, 503, 504})


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
    def __init__(self, settings: Settings, http_client: httpx2.AsyncClient | None = None) -> None:
        self._settings = settings
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
            reraise=True,
        )
        try:
            return await retrying(self._extract_once, messages, response_model, context)
        except (openai.APIError, IncompleteOutputException) as error:  # translated at this one boundary
            raise _translate(error) from error

    async def _extract_once(
        self, messages: list[dict[str, str]], response_model: type[ModelT], context: dict[str, Any]
    ) -> LLMResult[ModelT]:
        reasks = 0

        def count_reask(*_: Any, **__: Any) -> None:
            nonlocal reasks
            reasks += 1

        hooks = Hooks()
        hooks.on("parse:error", count_reask)
        create: Callable[..., Awaitable[tuple[ModelT, Any]]] = self._instructor.create_with_completion
        try:
            output, completion = await create(
                messages=_jinja_literal(messages),
                response_model=response_model,
                context=context,
                max_retries=self._settings.llm_reasks,
                hooks=hooks,
                model=self._settings.llm_model,
                temperature=self._settings.llm_temperature,
                max_tokens=self._settings.llm_max_output_tokens,
                **self._strict_schema_kwargs(response_model),
            )
        except InstructorRetryException as error:
            cause = error.__cause__
            if isinstance(cause, openai.APIError):
                raise cause from error
            raise InvalidOutputAfterReasks(str(cause or error), error.last_completion) from error
        return LLMResult(
            output=output, usage=usage_of(completion), reasks=min(reasks, self._settings.llm_reasks)
        )

    def _strict_schema_kwargs(self, response_model: type[BaseModel]) -> dict[str, Any]:
        """instructor's JSON_SCHEMA mode omits `strict`; send the same schema with strict on."""
        if self._settings.llm_mode != "json_schema":
            return {}
        response_format = {
            "type": "json_schema",
            "json_schema": {
                "name": response_model.__name__,
                "schema": response_model.model_json_schema(),
                "strict": True,
            },
        }
        return {"extra_body": {"response_format": response_format}}


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


def _translate(error: Exception) -> DigestError:
    retry_after = _retry_after_seconds(error)
    if isinstance(error, openai.APITimeoutError):
        return UpstreamTimeout("the LLM endpoint did not answer within DIGEST_LLM_TIMEOUT_S, after retries")
    if isinstance(error, openai.APIConnectionError):
        return UpstreamError(
            f"could not reach the LLM endpoint after retries ({error}); check DIGEST_LLM_BASE_URL"
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
