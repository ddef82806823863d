"""The LLM prompt: a YAML file in prompts/ (package data), versioned by its content hash.

The file is checked when it is loaded, so a mistake in it stops the service at start-up instead of
failing every request: its shape (`PromptFile`, unknown keys refused), every `$placeholder`
against the variables its template is given, and the worked example against its own article (it
must ground with no warning, exactly as a model's answer would be grounded).

Every call of one article is laid out the same way: the static part (rules and the worked
example: byte-identical for every call and every article), then the article, then the call's
task. Servers that cache prompt prefixes (llama.cpp's KV cache, providers' prompt caching) thus
reuse the static part across articles and the article across its calls.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from string import Template
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from schemas.llm_output import ActorsEventsAnswer, FiguresAnswer, LLMDigest, QuotesAnswer
from schemas.request import DigestRequest
from service.digest.grounding import ground, grounding_problems
from service.engines.llm.numbered import numbered_text
from service.engines.llm.request import Message
from service.engines.llm.summary import summary_of, summary_problems

UNKNOWN = "(not given)"
ARTICLE_VARIABLES = frozenset({"title", "source", "published_at", "article"})
SUMMARY_VARIABLES = frozenset({"facts", "draft"})  # the grounded facts; the template summary of them
REFS_VARIABLES = frozenset({"known", "hints"})  # the actors' and events' refs; the readers' candidates


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class TaskPrompt(_Strict):
    instruction: str = Field(min_length=1)
    max_output_tokens: int = Field(ge=64, le=32_000, description="max_tokens of this call")
    ask: bool = Field(
        default=True,
        description="false: the task is not asked and its items are the draft's (answers: drafted; "
        "actors_events and figures only)",
    )


class TaskPrompts(_Strict):
    figures: TaskPrompt
    quotes: TaskPrompt
    actors_events: TaskPrompt
    summary: TaskPrompt


class WorkedExample(_Strict):
    article: str = Field(min_length=1)
    output: LLMDigest


class PromptFile(_Strict):
    """What a prompt file holds."""

    name: str = Field(min_length=1)
    system: str = Field(min_length=1, description="Rules shared by every call")
    article_template: str = Field(min_length=1, description="The article message: $title $source ...")
    tasks: TaskPrompts
    example: WorkedExample | None = Field(
        default=None, description="Shown to the model before its article; small models may copy it"
    )
    show_article: bool = Field(
        default=True,
        description="false: the calls are not shown the article (answers: drafted with no review task "
        "asked: the quotes are in their task, the summary reads the facts)",
    )
    answers: Literal["verbatim", "numbered", "drafted"] = Field(
        default="verbatim",
        description="verbatim: the model copies the Arabic it reports; numbered: the article's sentences and "
        "the $hints are numbered and the model answers with their numbers (service/engines/llm/numbered.py); "
        "drafted: the $hints are the offline reader's draft, which the model reviews by number "
        "(service/engines/llm/drafted.py)",
    )


class PromptFileError(ValueError):
    """The prompt file is malformed, uses an unknown $placeholder, or its example does not ground."""


@dataclass(frozen=True)
class Prompt:
    name: str
    version: str
    file: PromptFile

    @property
    def numbered(self) -> bool:
        """The article is shown with its sentences numbered and the answers point at numbers."""
        return self.file.answers in ("numbered", "drafted")

    @property
    def drafted(self) -> bool:
        return self.file.answers == "drafted"

    @property
    def static(self) -> str:
        """The system message: rules, then the worked example's answers, one per task."""
        if self.file.example is None:
            return self.file.system.rstrip()
        return self.file.system.rstrip() + "\n\n" + _worked_example(self.file.example)

    def asks(self, task: str) -> bool:
        prompt: TaskPrompt = getattr(self.file.tasks, task)
        return prompt.ask

    def messages(self, request: DigestRequest, task: str, **variables: str) -> list[Message]:
        """Static part → article → this call's task (its variables substituted)."""
        instruction = getattr(self.file.tasks, task).instruction
        article: list[Message] = (
            [{"role": "user", "content": self.article_message(request)}] if self.file.show_article else []
        )
        return [
            {"role": "system", "content": self.static},
            *article,
            {"role": "user", "content": Template(instruction).substitute(variables)},
        ]

    def article_message(self, request: DigestRequest) -> str:
        # string.Template substitutes values verbatim: braces and $ in the article stay as they are.
        return Template(self.file.article_template).substitute(
            title=request.title or UNKNOWN,
            source=request.source or UNKNOWN,
            published_at=request.published_at.isoformat() if request.published_at else UNKNOWN,
            article=numbered_text(request.text) if self.numbered else request.text,
        )

    def max_tokens(self, task: str) -> int:
        prompt: TaskPrompt = getattr(self.file.tasks, task)
        return prompt.max_output_tokens


def _worked_example(example: WorkedExample) -> str:
    output = example.output
    answers: list[tuple[str, BaseModel]] = [
        ("figures", FiguresAnswer(figures=output.figures)),
        ("quotes", QuotesAnswer(quotes=output.quotes)),
        ("actors_events", ActorsEventsAnswer(actors=output.actors, events=output.events)),
    ]
    lines = [
        "Worked example: another, invented article. Never copy its items into your answer.",
        "<article>",
        example.article,
        "</article>",
    ]
    lines += [f"Answer to the {task} task: {answer.model_dump_json()}" for task, answer in answers]
    lines.append(f"Answer to the summary task: {summary_of(output).model_dump_json()}")
    return "\n".join(lines)


def prompt_version(raw: bytes) -> str:
    return "sha256:" + hashlib.sha256(raw).hexdigest()[:16]


@lru_cache(maxsize=8)
def load_prompt(path: Path) -> Prompt:
    try:
        raw, data = _prompt_data(path)
        file = PromptFile.model_validate(data)
    except (yaml.YAMLError, ValidationError, OSError) as error:
        raise PromptFileError(f"prompt file {path} is not valid: {error}") from error
    problems = placeholder_problems(file)
    problems += example_problems(file.example) if file.example is not None else []
    problems += asked_problems(file)
    if file.answers != "verbatim" and file.example is not None:
        problems.append(f"a prompt of {file.answers} answers cannot show a worked example (written verbatim)")
    if problems:
        raise PromptFileError(f"prompt file {path} is not valid: " + "; ".join(problems))
    return Prompt(name=file.name, version=prompt_version(raw), file=file)


def _prompt_data(path: Path, within: frozenset[Path] = frozenset()) -> tuple[bytes, Any]:
    """The file's keys over those of its `base` (a prompt file beside it, merged mapping by mapping),
    and the bytes of both, which make the version: a variant states only what it changes."""
    raw = path.read_bytes()
    data: Any = yaml.safe_load(raw)
    if not isinstance(data, dict) or "base" not in data:
        return raw, data
    base_path = path.parent / str(data.pop("base"))
    if base_path.resolve() in within | {path.resolve()}:
        raise PromptFileError(f"prompt file {path}: its bases lead back to itself ({base_path})")
    base_raw, base_data = _prompt_data(base_path, within | {path.resolve()})
    return base_raw + raw, _merged(base_data, data)


def _merged(base: Any, variant: Any) -> Any:
    """The variant's keys over the base's, mapping by mapping: `tasks: {figures: {instruction: ...}}`
    changes that one instruction and keeps the rest."""
    if not isinstance(base, dict) or not isinstance(variant, dict):
        return variant
    return {**base, **{key: _merged(base.get(key), value) for key, value in variant.items()}}


def asked_problems(file: PromptFile) -> list[str]:
    """Only a review of a draft may leave tasks unasked, and only one that asks none may hide the article."""
    tasks = file.tasks
    unasked = [name for name in ("actors_events", "figures") if not getattr(tasks, name).ask]
    problems = []
    if not (tasks.quotes.ask and tasks.summary.ask):
        problems.append(
            "the quotes and summary tasks are always asked (ask: false is for actors_events, figures)"
        )
    if unasked and file.answers != "drafted":
        problems.append(
            f"tasks {unasked} are not asked, but only a prompt of drafted answers has their items"
        )
    if not file.show_article and len(unasked) < 2:
        problems.append(
            "show_article: false needs actors_events and figures unasked: reviewing them needs the article"
        )
    return problems


def placeholder_problems(file: PromptFile) -> list[str]:
    """Every $placeholder of every text, checked against what that text is given."""
    texts: list[tuple[str, str, frozenset[str]]] = [
        ("system", file.system, frozenset()),
        ("article_template", file.article_template, ARTICLE_VARIABLES),
        ("tasks.figures", file.tasks.figures.instruction, REFS_VARIABLES),
        ("tasks.quotes", file.tasks.quotes.instruction, REFS_VARIABLES),
        ("tasks.actors_events", file.tasks.actors_events.instruction, frozenset({"hints"})),
        ("tasks.summary", file.tasks.summary.instruction, SUMMARY_VARIABLES),
    ]
    problems = []
    for where, text, known in texts:
        template = Template(text)
        if not template.is_valid():
            problems.append(f"{where} has a malformed $placeholder (write $$ for a dollar sign)")
            continue
        unknown = sorted(set(template.get_identifiers()) - known)
        if unknown:
            allowed = ", ".join(f"${name}" for name in sorted(known)) or "none"
            problems.append(f"{where} uses unknown placeholder(s) {unknown} (allowed: {allowed})")
    if "article" not in Template(file.article_template).get_identifiers():
        problems.append("article_template must contain $article")
    return problems


def example_problems(example: WorkedExample) -> list[str]:
    """The worked example must be an answer the service would accept without a single warning."""
    problems = grounding_problems(example.output, example.article)
    items = ground(example.output, example.article)
    problems += [f"example: {warning.message}" for warning in items.warnings]
    summary = summary_of(example.output)
    problems += [f"example summary: {problem}" for problem in summary_problems(summary, items)]
    return problems
