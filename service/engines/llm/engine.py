"""The LLM engine: small structured calls → grounding → a summary from grounded facts → digest.

One article is asked in small calls, each with its own short answer model: actors and events
first, then figures and quotes (concurrently where the endpoint allows), told the actors' and
events' refs so their references agree; then the answers are merged and grounded, and a last call
writes the English summary from the grounded items (`service.engines.llm.summary`). Answers are
cached before grounding (`LLMAnswer`), so a change to grounding re-applies to them for free.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from schemas.digest import (
    Digest,
    DigestWarning,
    Engine,
    LLMCall,
    Provenance,
    Summary,
    TokenUsage,
    WarningCode,
)
from schemas.llm_output import LLMActor, LLMDigest, LLMEvent
from schemas.request import DigestRequest
from service.digest.assemble import DigestItems, assemble_digest
from service.digest.grounding import ground
from service.engines.llm.asking import (
    Asker,
    DigestBudgetExceeded,
    ListTask,
    UnusableAnswer,
    tasks_for,
)
from service.engines.llm.chunks import merge_parts, split_article
from service.engines.llm.client import ChatEndpoint
from service.engines.llm.drafted import with_untranslated_quotes
from service.engines.llm.prices import PriceTable
from service.engines.llm.prompt import Prompt
from service.engines.llm.request import Sampling
from service.engines.llm.summary import (
    as_digest_summary,
    asked_facts,
    draft_text,
    in_sentence_case,
    replace_unfounded_descriptions,
    summary_of,
    summary_problems,
    template_summary,
)
from service.errors import UpstreamError, UpstreamFailure
from service.metrics import Metrics
from service.settings import Settings

T = TypeVar("T")


class LLMAnswer(BaseModel):
    """The model's answers for one article before grounding; cached apart from digests."""

    model_config = ConfigDict(extra="forbid")

    output: LLMDigest = Field(
        description="The merged answers; the summary is the model's last (checked again at assembly), "
        "empty if no summary answer parsed"
    )
    usage: TokenUsage
    reasks: int = Field(ge=0)
    latency_ms: float = Field(ge=0)
    calls: list[LLMCall] = Field(default_factory=list)
    failed_tasks: dict[str, str] = Field(
        default_factory=dict,
        description="Task → why it gave no usable answer; an answer with any is never cached",
    )
    drafted_tasks: list[str] = Field(
        default_factory=list, description="Tasks not asked: their items are the offline reader's draft"
    )


class TaskFailures:
    """The tasks of one article that failed, and why: a failed task costs its own items, and the digest
    serves the others'. Only an endpoint that fails before it has answered any call of the article
    (refused, unreachable, down after retries) is taken for down: the tasks not yet asked are not."""

    def __init__(self, metrics: Metrics, answered_any: Callable[[], bool]) -> None:
        self._metrics = metrics
        self._answered_any = answered_any
        self.reasons: dict[str, str] = {}
        self.first: UpstreamFailure | None = None
        self._endpoint_down: UpstreamFailure | None = None

    async def run(self, task: str, work: Callable[[], Awaitable[T]], where: str = "") -> T | None:
        """`work()`'s result, or None once the task has failed (recorded here)."""
        if self._endpoint_down is not None:
            self._record(task, self._endpoint_down, where)
            return None
        try:
            return await work()
        except UpstreamFailure as failure:
            self._record(task, failure, where)
            if not isinstance(failure, UnusableAnswer | DigestBudgetExceeded) and not self._answered_any():
                self._endpoint_down = failure
            return None

    def _record(self, task: str, failure: UpstreamFailure, where: str) -> None:
        self.first = self.first or failure
        if task not in self.reasons:
            self._metrics.llm_failed_tasks.labels(task).inc()
            self.reasons[task] = where + failure.detail


Drafter = Callable[[DigestRequest], DigestItems]


class LLMEngine:
    """`drafter` reads an article's items without the model (the runtime gives the offline engine's
    reader): a prompt of drafted answers shows them to the model to review (`drafted.py`)."""

    def __init__(
        self,
        client: ChatEndpoint,
        prompt: Prompt,
        settings: Settings,
        *,
        drafter: Drafter | None = None,
        batch: bool = False,
    ) -> None:
        if prompt.drafted and drafter is None:
            raise ValueError(
                f"prompt {prompt.name} reviews a draft of the article: give the engine a drafter"
            )
        self._client = client
        self._prompt = prompt
        self._settings = settings
        self._drafter = drafter
        self._last_draft: tuple[str, DigestItems] | None = None
        self._prices = PriceTable.load(settings.llm_price_file)
        self._batch = batch

    def answered_by(self, answers: ChatEndpoint) -> LLMEngine:
        """This engine with its calls answered by a provider batch (priced at the table's batch factor)."""
        return LLMEngine(answers, self._prompt, self._settings, drafter=self._drafter, batch=True)

    @property
    def model(self) -> str:
        return self._client.model

    @property
    def prompt_version(self) -> str:
        return self._prompt.version

    async def close(self) -> None:
        await self._client.close()

    def _asker(self) -> Asker:
        settings = self._settings
        return Asker(
            client=self._client,
            prompt=self._prompt,
            sampling=Sampling(
                model=settings.llm_model, mode=settings.llm_mode, temperature=settings.llm_temperature
            ),
            reasks=settings.llm_reasks,
            context_tokens=settings.llm_context_tokens,
            budget_s=settings.llm_digest_budget_s,
            max_output_tokens=settings.llm_max_output_tokens,
        )

    async def answer(self, request: DigestRequest) -> LLMAnswer:
        """The model's answers to the article (the costly part); failures carry the tokens spent."""
        started = time.perf_counter()
        asker = self._asker()
        failures = TaskFailures(self._client.metrics, answered_any=asker.answered_any)
        try:
            output = await self._extract(request, asker, failures)
        except UpstreamFailure as failure:
            failure.usage = {
                "usage": asker.usage.model_dump(),
                "reasks": asker.reask_count,
                "calls": len(asker.calls),
            }
            raise
        latency_ms = round((time.perf_counter() - started) * 1000, 2)
        return LLMAnswer(
            output=output,
            usage=asker.usage,
            reasks=asker.reask_count,
            latency_ms=latency_ms,
            calls=asker.calls,
            failed_tasks=failures.reasons,
            drafted_tasks=asker.drafted_tasks,
        )

    async def _extract(self, request: DigestRequest, asker: Asker, failures: TaskFailures) -> LLMDigest:
        parts = split_article(request.text, asker.article_budget_chars())
        answers = [
            await self._extract_part(
                request.model_copy(update={"text": text}), asker, failures, index, len(parts)
            )
            for index, text in enumerate(parts)
        ]
        extraction = merge_parts(answers)
        if failures.first is not None and not _has_items(extraction):
            raise failures.first  # no task gave anything: the digest failed, not a part of it
        items = await asyncio.to_thread(_grounded, extraction, request)
        summary = await failures.run(
            "summary",
            lambda: asker.ask_summary(
                request,
                asked_facts(items),
                draft_text(template_summary(items)),
                lambda answer: summary_problems(in_sentence_case(answer, items), items),
            ),
        )
        if summary is None:
            return extraction
        return extraction.model_copy(update=in_sentence_case(summary, items).model_dump())

    async def digest_from(self, request: DigestRequest, answer: LLMAnswer, *, replayed: bool) -> Digest:
        """Ground the answers in the article and assemble the digest (cheap: runs on every cache replay)."""
        started = time.perf_counter()
        items = await asyncio.to_thread(_grounded, answer.output, request)
        if self._prompt.drafted:
            with_untranslated_quotes(items, await self._draft(request))
        if "summary" in answer.failed_tasks:
            summary = template_summary(items)
        else:
            summary = self._checked_summary(answer.output, items)
        if answer.reasks:
            items.warnings.insert(0, _reask_warning(answer.reasks))
        items.warnings += _truncation_warnings(answer.calls)
        items.warnings += _failed_task_warnings(answer.failed_tasks)
        grounding_ms = (time.perf_counter() - started) * 1000
        provenance = Provenance(
            engine=Engine.llm,
            model=self._client.model,
            prompt_version=self._prompt.version,
            cached=replayed,
            latency_ms=round(grounding_ms + (0 if replayed else answer.latency_ms), 2),
            usage=answer.usage,
            reasks=answer.reasks,
            calls=answer.calls,
            failed_tasks=list(answer.failed_tasks),
            drafted_tasks=answer.drafted_tasks,
            cost_usd=self._prices.cost(self._client.model, answer.usage, batch=self._batch),
            created_at=dt.datetime.now(dt.UTC),
        )
        try:
            return await asyncio.to_thread(assemble_digest, request, summary, items, provenance)
        except ValidationError as error:  # the answer fits the LLM schema but not the digest's
            raise UpstreamError(
                f"the LLM answer cannot form a valid digest: {error.errors()[0]['msg']}"
            ) from error

    async def _draft(self, request: DigestRequest) -> DigestItems:
        """The drafter's items of the article, read once for its calls and its digest: a fresh digest
        asks for them while asking the model and again when it is assembled."""
        assert self._drafter is not None
        key = request.model_dump_json()
        if self._last_draft is None or self._last_draft[0] != key:
            self._last_draft = (key, await asyncio.to_thread(self._drafter, request))
        return self._last_draft[1]

    async def _extract_part(
        self, request: DigestRequest, asker: Asker, failures: TaskFailures, part: int, parts: int
    ) -> LLMDigest:
        """Actors and events first, then figures and quotes (concurrently), told their refs; a task
        that fails gives no items."""
        where = f"part {part + 1} of {parts}: " if parts > 1 else ""
        draft = await self._draft(request) if asker.prompt.drafted else None
        tasks = tasks_for(asker.prompt, request.text, draft)

        def ask(task: ListTask, **known: str) -> Awaitable[dict[str, list[Any]] | None]:
            return failures.run(task.name, lambda: asker.ask_lists(request, task, part, **known), where)

        found = await ask(tasks.actors_events, hints=tasks.actors_events_hints()) or {
            "actors": [],
            "events": [],
        }
        known = _known_refs(found["actors"], found["events"])
        figures, quotes = await asyncio.gather(
            ask(tasks.figures(found["events"]), known=known, hints=tasks.figure_hints()),
            ask(tasks.quotes, known=known, hints=tasks.quote_hints()),
        )
        return tasks.settled(
            LLMDigest(
                headline_en="",
                summary_en="",
                key_points_en=[],
                summary_ar="",
                actors=found["actors"],
                events=found["events"],
                figures=(figures or {}).get("figures", []),
                quotes=(quotes or {}).get("quotes", []),
            )
        )

    @staticmethod
    def _checked_summary(output: LLMDigest, items: DigestItems) -> Summary:
        """The model's summary if it passes the check against these grounded items, else the template."""
        answer = in_sentence_case(summary_of(output), items)
        problems = summary_problems(answer, items)
        if not problems:
            return as_digest_summary(answer)
        items.warnings.append(
            DigestWarning(
                code=WarningCode.summary_replaced_by_template,
                message="the LLM's English summary was replaced by one built from the grounded items: "
                + "; ".join(problems),
            )
        )
        return template_summary(items)


def _known_refs(actors: list[LLMActor], events: list[LLMEvent]) -> str:
    """The refs the figures and quotes calls are told to use, so their references agree."""
    lines = [f"{actor.ref} = {actor.name_ar}" for actor in actors]
    lines += [f"{event.ref} = {event.type} {event.location_ar or ''}".rstrip() for event in events]
    return "\n".join(lines) or "(none)"


def _grounded(output: LLMDigest, request: DigestRequest) -> DigestItems:
    """The answers grounded in the article, their event descriptions checked; nothing grounded is a 502."""
    items = ground(output, request.text, request.published_at)
    replace_unfounded_descriptions(items)
    _require_grounded(items)
    return items


def _require_grounded(items: DigestItems) -> None:
    if not (items.actors or items.events or items.figures or items.quotes):
        dropped = "; ".join(warning.message for warning in items.warnings[:3])
        raise UpstreamError(
            "the LLM found nothing that could be grounded in the article"
            + (f" (dropped: {dropped})" if dropped else "")
            + "; try engine=offline"
        )


def _reask_warning(reasks: int) -> DigestWarning:
    return DigestWarning(
        code=WarningCode.reasked,
        message=f"the LLM output was re-asked {reasks} time(s): it was invalid, cut off or not grounded",
    )


def _truncation_warnings(calls: list[LLMCall]) -> list[DigestWarning]:
    cut = sorted({call.task for call in calls if call.outcome.value == "truncated"})
    if not cut:
        return []
    return [
        DigestWarning(
            code=WarningCode.llm_answer_truncated,
            message=f"the LLM's answer to the {', '.join(cut)} task(s) was cut off at the token limit; "
            "its complete items were kept and the rest re-asked",
        )
    ]


def _failed_task_warnings(failed: dict[str, str]) -> list[DigestWarning]:
    def consequence(task: str) -> str:
        if task == "summary":
            return "the summary is built from the grounded items"
        return "the digest has none of its items"

    return [
        DigestWarning(
            code=WarningCode.llm_part_failed,
            message=f"the LLM's {task} task gave no usable answer, so {consequence(task)}: {reason}",
        )
        for task, reason in failed.items()
    ]


def _has_items(output: LLMDigest) -> bool:
    return bool(output.actors or output.events or output.figures or output.quotes)
