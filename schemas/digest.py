"""The digest: what the service returns for one article (docs/DESIGN.md §3).

Every item is typed and grounded: it carries the exact character span of the
article it came from, with offsets into the article text exactly as received.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated, Final, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

SCHEMA_VERSION: Final = "1.9"

ItemId = Annotated[str, Field(pattern=r"^[a-z]+[0-9]+$", max_length=16, examples=["f1"])]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=False, use_enum_values=False)


class MatchKind(StrEnum):
    exact = "exact"
    normalized = "normalized"
    fuzzy = "fuzzy"


class Span(Strict):
    """`text` is exactly `article[start:end]` of the original article."""

    start: int = Field(ge=0)
    end: int = Field(ge=0)
    text: str
    match: MatchKind = MatchKind.exact

    @model_validator(mode="after")
    def _consistent(self) -> Span:
        if self.end < self.start:
            raise ValueError(f"span end {self.end} is before its start {self.start}")
        if len(self.text) != self.end - self.start:
            raise ValueError("span text length must equal end - start")
        return self

    def overlaps(self, other: Span) -> bool:
        return self.start < other.end and other.start < self.end


class ActorKind(StrEnum):
    person = "person"
    state_force = "state_force"
    armed_group = "armed_group"
    government = "government"
    international_org = "international_org"
    ngo = "ngo"
    media = "media"
    civilians = "civilians"
    other = "other"


class NameSource(StrEnum):
    """How an English name was made: taken from a curated list, composed from known parts ("Yemeni
    government"), or transliterated letter by letter (a reading aid, not a translation)."""

    gazetteer = "gazetteer"
    composed = "composed"
    transliterated = "transliterated"


class Actor(Strict):
    id: ItemId
    name_ar: str = Field(min_length=1, description="The name as written in the article")
    name_en: str = Field(min_length=1)
    name_en_source: NameSource | None = Field(
        default=None,
        description="How name_en was made, when the engine knows (null: translated by the model)",
    )
    kind: ActorKind
    title_en: str | None = Field(default=None, description='e.g. "UN envoy for Syria"')
    affiliation: str | None = None
    mentions: list[Span] = Field(min_length=1)


class Qualifier(StrEnum):
    exact = "exact"
    at_least = "at_least"
    more_than = "more_than"
    about = "about"
    up_to = "up_to"
    vague = "vague"


class Metric(StrEnum):
    killed = "killed"
    injured = "injured"
    missing = "missing"
    detained = "detained"
    displaced = "displaced"
    evacuated = "evacuated"
    strikes = "strikes"
    shells = "shells"
    besieged_population = "besieged_population"
    facilities_hit = "facilities_hit"
    other = "other"


class Scope(StrEnum):
    """What a toll covers (UCDP GED practice): the incident itself, a stated period ("خلال ثلاثة أيام"،
    "منذ بدء الحملة"، "الأسبوع الماضي"), or a cumulative count (the whole war, "منذ عام 2011", a year's or
    an organisation's running total). Tolls of different scopes are never weighed against each other."""

    incident = "incident"
    period = "period"
    cumulative = "cumulative"


class Location(Strict):
    name_ar: str = Field(min_length=1)
    name_en: str | None = None
    admin1: str | None = Field(default=None, description="Governorate / province, in English")


class Figure(Strict):
    """A claim about a number, not a fact: who said it, how hedged, where in the text."""

    id: ItemId
    value: int = Field(ge=0)
    low: int | None = Field(default=None, ge=0)
    high: int | None = Field(default=None, ge=0)
    qualifier: Qualifier
    metric: Metric
    subject_en: str | None = Field(default=None, description='"civilians", "children" ...')
    period_ar: str | None = Field(default=None, description="The period as written")
    scope: Scope = Field(
        default=Scope.incident, description="What the toll covers: the incident, a period, or a running count"
    )
    location: Location | None = None
    source_actor_id: ItemId | None = None
    event_id: ItemId | None = None
    part_of: ItemId | None = Field(default=None, description="Id of the total this figure is a subset of")
    span: Span


class QuoteMode(StrEnum):
    direct = "direct"
    indirect = "indirect"


class Quote(Strict):
    id: ItemId
    text_ar: str = Field(min_length=1, description="Verbatim from the article")
    text_en: str | None = Field(
        default=None, min_length=1, description="English translation; null when the engine does not translate"
    )
    gist_en: str | None = Field(
        default=None,
        min_length=1,
        description="What the quote mentions, in English, composed from the items found in it: not a "
        "translation (the offline engine's, which does not translate)",
    )
    speaker_actor_id: ItemId | None = None
    mode: QuoteMode
    span: Span

    @model_validator(mode="after")
    def _has_english(self) -> Quote:
        if self.text_en is None and self.gist_en is None:
            raise ValueError("a quote needs its English: text_en (a translation) or gist_en (a gist)")
        return self

    @property
    def english(self) -> str:
        """The translation, else the gist."""
        return self.text_en or self.gist_en or ""


class EventType(StrEnum):
    """ACLED's event families: `bombing` is any explosion (IED, car or suicide bombing, landmine),
    `ground_clash` an armed clash, `attack_on_facility` an attack on civilians or a facility."""

    air_strike = "air_strike"
    shelling = "shelling"
    bombing = "bombing"
    ground_clash = "ground_clash"
    attack_on_facility = "attack_on_facility"
    chemical_attack = "chemical_attack"
    arrest_or_abduction = "arrest_or_abduction"
    execution = "execution"
    displacement = "displacement"
    protest = "protest"
    ceasefire_or_talks = "ceasefire_or_talks"
    statement = "statement"
    humanitarian = "humanitarian"
    other = "other"


class DatePrecision(StrEnum):
    day = "day"
    month = "month"
    year = "year"
    unresolved = "unresolved"


class EventTime(Strict):
    text_ar: str = Field(min_length=1)
    date: dt.date | None = None
    precision: DatePrecision = DatePrecision.unresolved


class ActorRole(StrEnum):
    perpetrator = "perpetrator"
    target = "target"
    victim = "victim"
    mediator = "mediator"
    participant = "participant"
    reporter = "reporter"
    other = "other"


class EventActor(Strict):
    actor_id: ItemId
    role: ActorRole


class Event(Strict):
    id: ItemId
    type: EventType
    description_en: str = Field(min_length=1)
    location: Location | None = None
    when: EventTime | None = None
    actors: list[EventActor] = Field(default_factory=list)
    figure_ids: list[ItemId] = Field(default_factory=list)
    evidence: list[Span] = Field(min_length=1)


class Summary(Strict):
    headline_en: str = Field(min_length=1)
    summary_en: str = Field(min_length=1, description="Every number in it is one of the figures")
    key_points_en: list[str] = Field(default_factory=list)
    summary_ar: str = ""


class Bound(Strict):
    value: int = Field(ge=0)
    figure_ids: list[ItemId] = Field(min_length=1)
    source_actor_ids: list[ItemId] = Field(default_factory=list)


class Casualty(Strict):
    """The figure claims of one toll (incident, metric, scope), reconciled into low / best / high.

    Only totals count (subsets such as "among them 58 children" are never added), a later
    figure from the same source supersedes its earlier one, `best` is the lower median of
    the remaining claims, and `conflicting` is set when two named sources give different values.
    Claims of other incidents or scopes are other tolls. The bounds are data (a "more than 400"
    gives low 401); English shows each claim as written."""

    metric: Metric
    scope: Scope = Scope.incident
    event_id: ItemId | None = Field(
        default=None, description="The incident the toll is for; null when the figures name no event"
    )
    period_ar: str | None = Field(
        default=None, description="For scope period: the period as its first claim writes it"
    )
    location: Location | None = Field(default=None, description="The place the toll is for, if known")
    low: Bound
    best: Bound
    high: Bound
    conflicting: bool
    figure_ids: list[ItemId] = Field(min_length=1)


class WarningCode(StrEnum):
    ungrounded_quote_dropped = "ungrounded_quote_dropped"
    ungrounded_figure_dropped = "ungrounded_figure_dropped"
    ungrounded_item_dropped = "ungrounded_item_dropped"
    dangling_reference_removed = "dangling_reference_removed"
    reasked = "reasked"
    article_truncated = "article_truncated"
    llm_failed_offline_fallback = "llm_failed_offline_fallback"
    not_arabic = "not_arabic"
    control_characters_in_text = "control_characters_in_text"
    summary_number_not_a_figure = "summary_number_not_a_figure"
    not_stored = "not_stored"
    summary_replaced_by_template = "summary_replaced_by_template"
    llm_answer_truncated = "llm_answer_truncated"
    llm_part_failed = "llm_part_failed"
    description_replaced = "description_replaced"


class DigestWarning(Strict):
    code: WarningCode
    message: str
    item_id: str | None = None


class Engine(StrEnum):
    llm = "llm"
    offline = "offline"


class TokenUsage(Strict):
    prompt_tokens: int = Field(default=0, ge=0)
    completion_tokens: int = Field(default=0, ge=0)
    total_tokens: int = Field(default=0, ge=0)

    def __add__(self, other: TokenUsage) -> TokenUsage:
        return TokenUsage(
            prompt_tokens=self.prompt_tokens + other.prompt_tokens,
            completion_tokens=self.completion_tokens + other.completion_tokens,
            total_tokens=self.total_tokens + other.total_tokens,
        )


class CallOutcome(StrEnum):
    answered = "answered"
    truncated = "truncated"
    invalid = "invalid"
    failed = "failed"


class LLMCall(Strict):
    """One HTTP call to the LLM endpoint: which task, which attempt, what it cost, how it ended."""

    task: str = Field(description='"figures", "quotes", "actors_events", "summary"')
    chunk: int = Field(default=0, ge=0, description="Which part of a long article (0 when it fit whole)")
    attempt: int = Field(ge=0, description="0 for the first ask, 1 and up for re-asks")
    outcome: CallOutcome
    usage: TokenUsage
    latency_ms: float = Field(ge=0)


class Provenance(Strict):
    engine: Engine
    model: str | None = None
    prompt_version: str | None = Field(default=None, description="Content hash of the prompt file")
    schema_version: str = SCHEMA_VERSION
    cached: bool = False
    cache_key: str | None = None
    latency_ms: float = Field(default=0.0, ge=0)
    usage: TokenUsage | None = None
    reasks: int = Field(default=0, ge=0)
    calls: list[LLMCall] = Field(default_factory=list, description="Every LLM call, failed ones too")
    failed_tasks: list[str] = Field(
        default_factory=list,
        description="The LLM tasks (actors_events, figures, quotes, summary) that gave no usable answer: "
        "the digest serves the others' items, and is not cached",
    )
    drafted_tasks: list[str] = Field(
        default_factory=list,
        description="The LLM tasks (actors_events, figures) whose items are the offline reader's draft, kept "
        "without asking the model: a prompt of drafted answers that does not ask them",
    )
    cost_usd: float | None = Field(
        default=None, ge=0, description="Estimated from the price table; null for a model it does not list"
    )
    created_at: dt.datetime


class ArticleInfo(Strict):
    title: str | None = None
    source: str | None = None
    published_at: dt.date | None = None
    chars: int = Field(ge=0)
    sha256: str


class Digest(Strict):
    schema_version: Literal["1.9"] = SCHEMA_VERSION
    article: ArticleInfo
    summary: Summary
    events: list[Event] = Field(default_factory=list)
    actors: list[Actor] = Field(default_factory=list)
    figures: list[Figure] = Field(default_factory=list)
    quotes: list[Quote] = Field(default_factory=list)
    casualties: list[Casualty] = Field(default_factory=list)
    warnings: list[DigestWarning] = Field(default_factory=list)
    provenance: Provenance
