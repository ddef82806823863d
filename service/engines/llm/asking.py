"""One task of one article, asked with bounded, salvaging re-asks; every call recorded.

instructor's re-ask loop was replaced here because, measured against llama.cpp, it made answers
worse instead of better: it re-sent the whole failed answer twice per re-ask (prompts grew from 3.9k
to 18.4k tokens, past the context), kept only the last answer (a usable first answer became a 502),
and read every cut-off tool call as invalid JSON. Here:

* every answer is read item by item (`answers.read_lists`): the items that are whole, valid and
  grounded are kept from every attempt, so a failing re-ask never loses a good first answer;
* a re-ask carries only the reasons and the failing items, clipped to a token budget that keeps
  the whole prompt inside the context window; a cut-off answer is re-asked for the items it had
  not reached;
* every call, failed ones too, is an `LLMCall` with its tokens, so provenance and problem details
  can say what a digest cost.
"""

from __future__ import annotations

import asyncio
import functools
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from pydantic import BaseModel

from schemas.digest import CallOutcome, LLMCall, TokenUsage
from schemas.llm_output import (
    ActorsEventsAnswer,
    DraftedActor,
    DraftedActorsEventsAnswer,
    DraftedEvent,
    DraftedFigure,
    DraftedFiguresAnswer,
    DraftedQuote,
    DraftedQuotesAnswer,
    FiguresAnswer,
    LLMActor,
    LLMDigest,
    LLMEvent,
    LLMFigure,
    LLMQuote,
    NumberedActorsEventsAnswer,
    NumberedEvent,
    NumberedFigure,
    NumberedFiguresAnswer,
    NumberedQuote,
    NumberedQuotesAnswer,
    QuotesAnswer,
    SummaryAnswer,
)
from schemas.request import DigestRequest
from service.digest.assemble import DigestItems
from service.digest.grounding import figure_problem, quote_problem
from service.engines.llm.answers import (
    ReadAnswer,
    answer_text,
    is_truncated,
    read_lists,
    read_object,
    repeat_cut,
)
from service.engines.llm.client import ChatEndpoint, Watch, usage_of
from service.engines.llm.drafted import DraftedArticle
from service.engines.llm.hints import NO_HINTS, figure_hints, quote_hints
from service.engines.llm.numbered import NumberedArticle
from service.engines.llm.prompt import Prompt
from service.engines.llm.request import (
    CHARS_PER_TOKEN,
    Message,
    Sampling,
    answer_schema,
    chat_request,
    estimated_tokens,
)
from service.errors import UpstreamError, UpstreamFailure, UpstreamTimeout

REASK_NOTE_TOKENS = 500
KNOWN_REFS_TOKENS = 400  # the actors' and events' refs given to the figures and quotes calls
MIN_PART_CHARS = 1_000

ItemProblem = Callable[[str, BaseModel], str | None]
T = TypeVar("T")


class UnusableAnswer(UpstreamError):
    """A task's answers, re-asks included, gave nothing that parses: that task failed, not the endpoint."""


class DigestBudgetExceeded(UpstreamTimeout):
    """The digest's time budget ran out before this task was answered."""

    def __init__(self, budget_s: float) -> None:
        super().__init__(
            f"the digest's LLM calls took longer than DIGEST_LLM_DIGEST_BUDGET_S ({budget_s:g} s)"
        )


Expand = Callable[[BaseModel], BaseModel | str]


Review = Callable[[dict[str, list[Any]]], dict[str, list[Any]]]


def _as_answered(item: BaseModel) -> BaseModel | str:
    return item


def _as_reviewed(answered: dict[str, list[Any]]) -> dict[str, list[Any]]:
    return answered


@dataclass(frozen=True)
class ListTask:
    """A call that answers lists of items: its answer model, its lists, how an answered item becomes
    the item grounded (a numbered answer is written back: `service.engines.llm.numbered`; the
    reason why not otherwise) and the grounding check of that item."""

    name: str
    answer: type[BaseModel]
    lists: dict[str, type[BaseModel]]
    problem: ItemProblem
    expand: Expand = _as_answered
    review: Review = _as_reviewed  # the answered lists → the items of the task (a review keeps a draft's)


def _no_problem(_: str, __: BaseModel) -> str | None:
    return None


def _figure_problem(article: str, item: BaseModel) -> str | None:
    return figure_problem(article, item) if isinstance(item, LLMFigure) else None


def _quote_problem(article: str, item: BaseModel) -> str | None:
    return quote_problem(article, item) if isinstance(item, LLMQuote) else None


ACTORS_EVENTS = ListTask(
    "actors_events", ActorsEventsAnswer, {"actors": LLMActor, "events": LLMEvent}, _no_problem
)
FIGURES = ListTask("figures", FiguresAnswer, {"figures": LLMFigure}, _figure_problem)
QUOTES = ListTask("quotes", QuotesAnswer, {"quotes": LLMQuote}, _quote_problem)
VERBATIM_ANSWERS: tuple[type[BaseModel], ...] = (
    ActorsEventsAnswer,
    FiguresAnswer,
    QuotesAnswer,
    SummaryAnswer,
)
NUMBERED_ANSWERS: tuple[type[BaseModel], ...] = (
    NumberedActorsEventsAnswer,
    NumberedFiguresAnswer,
    NumberedQuotesAnswer,
    SummaryAnswer,
)
DRAFTED_ANSWERS: tuple[type[BaseModel], ...] = (
    DraftedActorsEventsAnswer,
    DraftedFiguresAnswer,
    DraftedQuotesAnswer,
    SummaryAnswer,
)


def _no_hints() -> str:
    return NO_HINTS


def _as_answered_digest(output: LLMDigest) -> LLMDigest:
    return output


@dataclass(frozen=True)
class ArticleTasks:
    """The list tasks of one article (part) and the candidates its figures and quotes tasks are given."""

    actors_events: ListTask
    figures: Callable[[list[LLMEvent]], ListTask]  # told the events found, for the figures' places
    quotes: ListTask
    figure_hints: Callable[[], str]
    quote_hints: Callable[[], str]
    actors_events_hints: Callable[[], str] = _no_hints
    settled: Callable[[LLMDigest], LLMDigest] = _as_answered_digest  # the part's answers, made consistent


def tasks_for(prompt: Prompt, text: str, draft: DigestItems | None = None) -> ArticleTasks:
    """The tasks as the prompt's answers ask them; drafted answers need the article's `draft` (the
    engine refuses a drafted prompt without a drafter)."""
    if prompt.drafted:
        assert draft is not None
        return _drafted_tasks(DraftedArticle.of(text, draft))
    if not prompt.numbered:
        return ArticleTasks(
            ACTORS_EVENTS, lambda _: FIGURES, QUOTES, lambda: figure_hints(text), lambda: quote_hints(text)
        )
    article = NumberedArticle.of(text)

    def figures(events: list[LLMEvent]) -> ListTask:
        by_ref = {event.ref: event for event in events}
        return ListTask(
            "figures",
            NumberedFiguresAnswer,
            {"figures": NumberedFigure},
            _figure_problem,
            lambda item: article.figure(item, by_ref),
        )

    return ArticleTasks(
        ListTask(
            "actors_events",
            NumberedActorsEventsAnswer,
            {"actors": LLMActor, "events": NumberedEvent},
            _no_problem,
            lambda item: article.event(item) if isinstance(item, NumberedEvent) else item,
        ),
        figures,
        ListTask("quotes", NumberedQuotesAnswer, {"quotes": NumberedQuote}, _quote_problem, article.quote),
        article.figure_hints,
        article.quote_hints,
    )


def _drafted_tasks(article: DraftedArticle) -> ArticleTasks:
    figures = ListTask(
        "figures",
        DraftedFiguresAnswer,
        {"wrong_figures": DraftedFigure},
        _no_problem,
        article.listed_item,
        article.kept_figures,
    )
    return ArticleTasks(
        ListTask(
            "actors_events",
            DraftedActorsEventsAnswer,
            {"wrong_events": DraftedEvent, "wrong_actors": DraftedActor},
            _no_problem,
            article.listed_item,
            article.kept_actors_events,
        ),
        lambda _: figures,
        ListTask("quotes", DraftedQuotesAnswer, {"quotes": DraftedQuote}, _quote_problem, article.quote),
        article.figure_hints,
        article.quote_hints,
        article.actors_events_hints,
        article.settled,
    )


def messages_tokens(messages: Sequence[Message]) -> int:
    return sum(estimated_tokens(message["content"]) + 4 for message in messages)


@dataclass
class Asker:
    """Asks the tasks of one digest: shares its sampling, its time budget and its call records."""

    client: ChatEndpoint
    prompt: Prompt
    sampling: Sampling
    reasks: int
    context_tokens: int
    budget_s: float
    max_output_tokens: int
    calls: list[LLMCall] = field(default_factory=list)
    drafted_tasks: list[str] = field(default_factory=list)  # kept from the draft, not asked
    _deadline: float | None = None

    @property
    def answers(self) -> tuple[type[BaseModel], ...]:
        """Every answer model of the prompt's calls (tools mode sends them all, for a shared prefix)."""
        if self.prompt.drafted:
            return DRAFTED_ANSWERS
        return NUMBERED_ANSWERS if self.prompt.numbered else VERBATIM_ANSWERS

    @property
    def usage(self) -> TokenUsage:
        return sum((call.usage for call in self.calls), TokenUsage())

    def answered_any(self) -> bool:
        return any(call.outcome is not CallOutcome.failed for call in self.calls)

    @property
    def reask_count(self) -> int:
        return sum(1 for call in self.calls if call.attempt > 0)

    async def ask_lists(
        self, request: DigestRequest, task: ListTask, part: int = 0, **variables: str
    ) -> dict[str, list[Any]]:
        """The task's items: valid and grounded ones from every attempt, then the last attempt's failing
        ones (grounding drops those with a warning). No parseable answer at all is an `UnusableAnswer`.
        A task the prompt does not ask is its review of an empty answer: the draft's items, all kept."""
        if not self.prompt.asks(task.name):
            if task.name not in self.drafted_tasks:
                self.drafted_tasks.append(task.name)
            return task.review({key: [] for key in task.lists})
        base = self.prompt.messages(request, task.name, **variables)
        accepted: dict[str, dict[str, BaseModel]] = {key: {} for key in task.lists}
        failing: dict[str, list[BaseModel]] = {key: [] for key in task.lists}
        note: str | None = None
        usable_once, first_error = False, ""
        for attempt in range(1 + self.reasks):
            messages = base if note is None else [*base, {"role": "user", "content": note}]
            read = await self._ask_read(task, messages, attempt, part)
            if read is None:  # a re-ask failed at the endpoint: keep what the earlier answers gave
                break
            usable_once = usable_once or _usable(read)
            first_error = first_error or (read.errors[0] if read.errors else "")
            reasons = list(read.errors)
            for key, items in read.items.items():
                failing[key] = []
                for item in items:
                    if (reason := task.problem(request.text, item)) is not None:
                        failing[key].append(item)
                        reasons.append(reason)
                    else:
                        accepted[key].setdefault(identity(item), item)
            if not reasons and not read.truncated:
                break
            note = self.reask_note(task, base, reasons, read.truncated, accepted)
        if not usable_once:
            raise UnusableAnswer(
                f"the LLM output did not match the digest schema after re-asks ({task.name} task): "
                f"{first_error}"
            )
        return task.review({key: [*accepted[key].values(), *failing[key]] for key in task.lists})

    async def ask_summary(
        self, request: DigestRequest, facts: str, draft: str, check: Callable[[SummaryAnswer], list[str]]
    ) -> SummaryAnswer:
        """A summary that passes `check`, re-asked once if re-asks are allowed at all; else the last one
        that parsed (checked again when the digest is assembled, so its reasons reach the warning). A
        first call that fails raises; no summary that parses at all is an `UnusableAnswer`."""
        base = self.prompt.messages(request, "summary", facts=facts, draft=draft)
        messages: list[Message] = base
        reasons: list[str] = []
        last: SummaryAnswer | None = None
        for attempt in range(1 + min(1, self.reasks)):
            answered = (
                await self._call("summary", SummaryAnswer, messages, attempt)
                if attempt == 0
                else await _unless_failed(self._call("summary", SummaryAnswer, messages, attempt))
            )
            if answered is None:
                break
            summary, error = read_object(answer_text(answered[0]), SummaryAnswer)
            reasons = [error] if error else check(summary) if isinstance(summary, SummaryAnswer) else []
            if isinstance(summary, SummaryAnswer):
                last = summary
                if not reasons:
                    return summary
            note = (
                "Your summary cannot be used: " + "; ".join(reasons) + ". Write it again from the facts only."
            )
            messages = [*base, {"role": "user", "content": self._clip_note(note, base)}]
        if last is None:
            raise UnusableAnswer(
                "the LLM's summary did not match its schema after a re-ask: " + "; ".join(reasons)
            )
        return last

    async def _ask_read(
        self, task: ListTask, messages: list[Message], attempt: int, part: int
    ) -> ReadAnswer | None:
        max_tokens = self._max_tokens(task.name)
        watch = functools.partial(repeat_cut, lists=task.lists, identity=identity)
        if attempt == 0:
            completion, record = await self._call(task.name, task.answer, messages, attempt, part, watch)
        else:
            answered = await _unless_failed(
                self._call(task.name, task.answer, messages, attempt, part, watch)
            )
            if answered is None:
                return None
            completion, record = answered
        truncated = is_truncated(completion, max_tokens)
        read = read_lists(answer_text(completion), task.lists, truncated)
        record.outcome = _outcome(read)
        return _expanded(read, task.expand)

    async def _call(
        self,
        task: str,
        answer: type[BaseModel],
        messages: list[Message],
        attempt: int,
        part: int = 0,
        watch: Watch | None = None,
    ) -> tuple[Any, LLMCall]:
        """One recorded call; the record says "failed" unless an answer came back."""
        body = chat_request(self.sampling, messages, answer, self._max_tokens(task), tools=self.answers)
        started = time.perf_counter()
        record = LLMCall(
            task=task,
            chunk=part,
            attempt=attempt,
            outcome=CallOutcome.failed,
            usage=TokenUsage(),
            latency_ms=0,
        )
        self.calls.append(record)
        if attempt:
            self.client.metrics.llm_reasks.inc()
        try:
            left = self._time_left()
            completion = await asyncio.wait_for(
                self.client.complete(body, call=f"{task}-{part}-{attempt}", watch=watch), left
            )
        except TimeoutError as error:
            raise DigestBudgetExceeded(self.budget_s) from error
        finally:
            record.latency_ms = round((time.perf_counter() - started) * 1000, 2)
        record.usage = usage_of(completion)
        record.outcome = CallOutcome.answered
        return completion, record

    def _time_left(self) -> float:
        now = time.monotonic()
        if self._deadline is None:
            self._deadline = now + self.budget_s
        left = self._deadline - now
        if left <= 0:
            raise DigestBudgetExceeded(self.budget_s)
        return left

    def article_budget_chars(self) -> int:
        """How much article one call can carry: the context less the static part, the answer
        schemas (tools mode sends them all), the longest task, its answer and a re-ask note."""
        fixed = estimated_tokens(self.prompt.static) + sum(
            estimated_tokens(answer_schema(m)) for m in self.answers
        )
        fixed += max(estimated_tokens(self.prompt.file.tasks.model_dump_json()), 0) // 2 + KNOWN_REFS_TOKENS
        room = self.context_tokens - fixed - self.max_output_tokens - REASK_NOTE_TOKENS
        return max(int(room * CHARS_PER_TOKEN), MIN_PART_CHARS)

    def _max_tokens(self, task: str) -> int:
        return min(self.prompt.max_tokens(task), self.max_output_tokens)

    def reask_note(
        self,
        task: ListTask,
        base: list[Message],
        reasons: list[str],
        truncated: bool,
        accepted: dict[str, dict[str, BaseModel]],
    ) -> str:
        """The re-ask: what was wrong and what is already kept, never the whole failed answer."""
        lines = [f"Your answer to the {task.name} task needs a second pass."]
        if truncated:
            lines.append("It was cut off at the token limit: give only the items you had not reached.")
        kept = [identity(item) for items in accepted.values() for item in items.values()]
        if kept:
            lines.append("Already kept (do not repeat): " + " | ".join(kept))
        if reasons:
            lines.append("Fix or leave out:")
            lines += [f"- {reason}" for reason in reasons]
        lines.append(f"Answer the {task.name} task again with the corrected and missing items only.")
        return self._clip_note("\n".join(lines), base)

    def _clip_note(self, note: str, base: list[Message]) -> str:
        """The note cut to what fits: REASK_NOTE_TOKENS, and the context left after prompt and answer."""
        room = self.context_tokens - messages_tokens(base) - self.max_output_tokens
        budget = max(0, min(REASK_NOTE_TOKENS, room))
        limit = int(budget * CHARS_PER_TOKEN)
        return note if len(note) <= limit else note[: max(0, limit - 1)] + "…"


async def _unless_failed(call: Awaitable[T]) -> T | None:
    """A re-ask, whose failure (the budget's end too) must not undo what earlier answers gave."""
    try:
        return await call
    except UpstreamFailure:
        return None


def identity(item: BaseModel) -> str:
    """What makes two items the same claim, whatever their refs: the Arabic they stand on."""
    if isinstance(item, LLMFigure):
        return f"{item.phrase_ar} = {item.value} {item.metric}"
    if isinstance(item, LLMQuote):
        return item.text_ar
    if isinstance(item, LLMActor):
        return item.name_ar
    if isinstance(item, LLMEvent):
        return f"{item.type}: {' / '.join(item.evidence_ar)[:80]}"
    return item.model_dump_json()


def _expanded(read: ReadAnswer, expand: Expand) -> ReadAnswer:
    """The answer's items as the items grounded; one that cannot be written back is a reason."""
    for key, answered in read.items.items():
        read.items[key] = []
        for item in answered:
            expanded = expand(item)
            if isinstance(expanded, str):
                read.errors.append(expanded)
            else:
                read.items[key].append(expanded)
    return read


def _usable(read: ReadAnswer) -> bool:
    """An answer that gave items, or a well-formed one that found none."""
    return read.parsed and (any(read.items.values()) or not read.errors)


def _outcome(read: ReadAnswer) -> CallOutcome:
    if read.truncated:
        return CallOutcome.truncated
    return CallOutcome.answered if read.parsed and not read.errors else CallOutcome.invalid
