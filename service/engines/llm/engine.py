"""The LLM engine: prompt → instructor → grounding → digest."""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from typing import Any, Self

from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, model_validator

from schemas.digest import Digest, DigestWarning, Engine, Provenance, Summary, TokenUsage, WarningCode
from schemas.llm_output import LLMDigest
from schemas.request import DigestRequest
from service.digest.assemble import assemble_digest
from service.digest.grounding import ground, grounding_problems
from service.engines.llm.client import InvalidOutputAfterReasks, LLMClient, usage_of
from service.engines.llm.prompt import Prompt
from service.errors import UpstreamError


class ArticleDigest(LLMDigest):
    """The response model: LLMDigest plus grounding checks that instructor turns into re-asks.

    The article reaches the validator through pydantic's validation context, never through
    the prompt template."""

    @model_validator(mode="after")
    def _grounded_in_article(self, info: ValidationInfo) -> Self:
        context: dict[str, Any] = info.context or {}
        article = context.get("article")
        if article and context.get("enforce_grounding", True):
            problems = grounding_problems(self, article)
            if problems:
                raise ValueError("; ".join(problems))
        return self


class LLMAnswer(BaseModel):
    """One LLM answer before grounding; cached apart from digests so re-grounding costs no call."""

    model_config = ConfigDict(extra="forbid")

    output: LLMDigest
    usage: TokenUsage
    reasks: int = Field(ge=0)
    latency_ms: float = Field(ge=0)


class LLMEngine:
    def __init__(self, client: LLMClient, prompt: Prompt, reasks: int) -> None:
        self._client = client
        self._prompt = prompt
        self._reasks = reasks

    @property
    def model(self) -> str:
        return self._client.model

    @property
    def prompt_version(self) -> str:
        return self._prompt.version

    async def close(self) -> None:
        await self._client.close()

    async def answer(self, request: DigestRequest) -> LLMAnswer:
        """The model's answer to the article, re-asked while invalid or ungrounded (the costly part)."""
        started = time.perf_counter()
        context = {"article": request.text}
        output: LLMDigest
        try:
            result = await self._client.extract(self._prompt.messages(request), ArticleDigest, context)
            output, usage, reasks = result.output, result.usage, result.reasks
        except InvalidOutputAfterReasks as failure:
            output = _accept_ungrounded(failure, request.text)
            usage, reasks = usage_of(failure.last_completion), self._reasks
        latency_ms = round((time.perf_counter() - started) * 1000, 2)
        return LLMAnswer(output=output, usage=usage, reasks=reasks, latency_ms=latency_ms)

    async def digest_from(self, request: DigestRequest, answer: LLMAnswer, *, replayed: bool) -> Digest:
        """Ground an answer in the article and assemble the digest (cheap: runs on every cache replay)."""
        started = time.perf_counter()
        items = await asyncio.to_thread(ground, answer.output, request.text, request.published_at)
        if answer.reasks:
            items.warnings.insert(0, _reask_warning(answer.reasks))
        grounding_ms = (time.perf_counter() - started) * 1000
        provenance = Provenance(
            engine=Engine.llm,
            model=self._client.model,
            prompt_version=self._prompt.version,
            cached=replayed,
            latency_ms=round(grounding_ms + (0 if replayed else answer.latency_ms), 2),
            usage=answer.usage,
            reasks=answer.reasks,
            created_at=dt.datetime.now(dt.UTC),
        )
        try:
            return await asyncio.to_thread(
                assemble_digest, request, _summary(answer.output), items, provenance
            )
        except ValidationError as error:  # the answer fits the LLM schema but not the digest's
            raise UpstreamError(
                f"the LLM answer cannot form a valid digest: {error.errors()[0]['msg']}"
            ) from error


def _accept_ungrounded(failure: InvalidOutputAfterReasks, article: str) -> LLMDigest:
    """Re-asks are spent: keep a well-formed answer and let grounding drop what it cannot find."""
    raw = _completion_json(failure.last_completion)
    try:
        return ArticleDigest.model_validate_json(
            raw, context={"article": article, "enforce_grounding": False}
        )
    except ValidationError as error:
        raise UpstreamError(
            f"the LLM output did not match the digest schema after re-asks: {error.error_count()} errors, "
            f"first: {error.errors()[0]['msg']}"
        ) from error


def _completion_json(completion: Any) -> str:
    choices = getattr(completion, "choices", None) or []
    if not choices:
        return "null"
    message = choices[0].message
    for call in getattr(message, "tool_calls", None) or []:
        return str(call.function.arguments)
    content = (message.content or "").strip()
    if content.startswith("```"):
        content = content.strip("`").removeprefix("json").strip()
    return content or "null"


def _reask_warning(reasks: int) -> DigestWarning:
    return DigestWarning(
        code=WarningCode.reasked,
        message=f"the LLM output was re-asked {reasks} time(s) because it was invalid or not grounded",
    )


def _summary(output: LLMDigest) -> Summary:
    if not output.headline_en.strip() or not output.summary_en.strip():
        raise UpstreamError("the LLM answered without an English headline or summary, after re-asks")
    return Summary(
        headline_en=output.headline_en,
        summary_en=output.summary_en,
        key_points_en=output.key_points_en,
        summary_ar=output.summary_ar,
    )
