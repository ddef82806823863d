"""What the LLM is asked to return: strings copied from the article, never offsets or bounds.

The service aligns every string to the article itself and computes the spans
(docs/DESIGN.md §4). A figure's bounds and qualifier are read from its phrase by the
service's own number reader: `value` only says which number of the phrase is meant, and must
be one it states. Every field is required (nullable where it may be absent) so the schema works
with strict structured-output modes.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from schemas.digest import ActorKind, ActorRole, EventType, Metric, QuoteMode, Scope


class _Output(BaseModel):
    model_config = ConfigDict(extra="forbid")


class LLMActor(_Output):
    ref: str = Field(description='Short id used by other items, "a1", "a2" ...')
    name_ar: str = Field(description="The name exactly as written in the article")
    name_en: str = Field(description="The usual English name")
    kind: ActorKind
    title_en: str | None = Field(description='Role or title, e.g. "UN envoy for Syria"; null if none')


class LLMFigure(_Output):
    ref: str = Field(description='"f1", "f2" ...')
    phrase_ar: str = Field(
        description="The number phrase copied verbatim, with its qualifier, e.g. «أكثر من 170 مدنيا»"
    )
    value: int = Field(ge=0, description="The number the phrase states")
    metric: Metric
    subject_en: str | None = Field(description='Who or what is counted: "civilians", "children" ...')
    period_ar: str | None = Field(description="The period as written, e.g. «خلال ثلاثة أيام»")
    location_ar: str | None = Field(description="The place as written in the article")
    location_en: str | None
    source_ref: str | None = Field(description="ref of the actor who reported the number")
    event_ref: str | None
    part_of_ref: str | None = Field(description="ref of the total this is a subset of («بينهم 58 طفلا»)")
    scope: Scope | None = Field(
        description="What the toll covers: incident (its event), period (a stated span) or cumulative "
        "(the whole war, a year's or an organisation's running total); null to have it read from period_ar"
    )


class LLMQuote(_Output):
    text_ar: str = Field(description="The quoted words copied verbatim from the article, without quote marks")
    text_en: str = Field(description="Faithful English translation")
    speaker_ref: str | None
    mode: QuoteMode


class LLMEventActor(_Output):
    ref: str
    role: ActorRole


class LLMEvent(_Output):
    ref: str = Field(description='"e1", "e2" ...')
    type: EventType
    description_en: str
    location_ar: str | None
    location_en: str | None
    when_ar: str | None = Field(description="When, as written («أمس», «ليلة الخميس الى الجمعة»)")
    actors: list[LLMEventActor]
    evidence_ar: list[str] = Field(description="Sentences or clauses copied verbatim that report the event")


class LLMDigest(_Output):
    headline_en: str
    summary_en: str = Field(description="3-5 sentences; every number in it must be one of the figures")
    key_points_en: list[str]
    summary_ar: str = Field(description="2-3 sentence Arabic summary")
    actors: list[LLMActor]
    events: list[LLMEvent]
    figures: list[LLMFigure]
    quotes: list[LLMQuote]


# --------------------------------------------------------------------------- one answer per call
# The LLM engine asks for an article's items in several small calls (figures; quotes; actors and
# events), then for the English summary written from the grounded items: each call has its own
# short answer model, and the engine merges the answers into one `LLMDigest`.


class FiguresAnswer(_Output):
    figures: list[LLMFigure]


class QuotesAnswer(_Output):
    quotes: list[LLMQuote]


class ActorsEventsAnswer(_Output):
    actors: list[LLMActor]
    events: list[LLMEvent]


class SummaryAnswer(_Output):
    headline_en: str = Field(description="One factual line")
    summary_en: str = Field(description="3-5 sentences; every number in it is one of the given figures")
    key_points_en: list[str]
    summary_ar: str = Field(description="2-3 sentence Arabic summary")


# --------------------------------------------------------------------------- numbered answers
# With a prompt file of `answers: numbered` the model points at the article instead of copying it:
# the article's sentences and the service's figure and quote candidates are shown numbered, and the
# answers give those numbers; the service writes the Arabic back before grounding
# (service/engines/llm/numbered.py).


def _number_of(value: object) -> object:
    """A small model writes a listed number as it saw it: 3, "3", "S3" or "[S3]" are all 3."""
    if isinstance(value, str):
        digits = value.strip("[] ").lstrip("SNQAEsnqae#")
        return int(digits) if digits.isdigit() else value
    return value


ListedNumber = Annotated[int, Field(ge=1), BeforeValidator(_number_of)]


def _none_of(value: object) -> object:
    """A small model writes a missing ref as the string "null" too."""
    return None if isinstance(value, str) and value.strip().lower() in ("", "null", "none") else value


OptionalRef = Annotated[str | None, BeforeValidator(_none_of)]


class NumberedFigure(_Output):
    n: ListedNumber = Field(description="The number of the phrase in the list of number phrases ([N3] is 3)")
    metric: Metric
    subject_en: str | None = Field(description='Who or what is counted: "civilians", "children" ...')
    source_ref: OptionalRef = Field(description="ref of the actor who reported the number")
    event_ref: OptionalRef
    part_of: ListedNumber | None = Field(description="n of the total this is a subset of («بينهم 58 طفلا»)")
    scope: Scope | None = Field(
        description="incident (its event), period (a stated span) or cumulative (a running total)"
    )


class NumberedQuote(_Output):
    q: ListedNumber = Field(description="The number of the quote in the list of quotes ([Q2] is 2)")
    text_en: str = Field(description="Faithful English translation")
    speaker_ref: OptionalRef


class NumberedEvent(_Output):
    ref: str = Field(description='"e1", "e2" ...')
    type: EventType
    sentences: list[ListedNumber] = Field(
        description="The numbers of the sentences that report it ([S4] is 4)"
    )
    location_ar: str | None = Field(description="The place as written in the article")
    location_en: str | None
    when_ar: str | None = Field(description="When, as written («أمس», «ليلة الخميس الى الجمعة»)")


class NumberedFiguresAnswer(_Output):
    figures: list[NumberedFigure]


class NumberedQuotesAnswer(_Output):
    quotes: list[NumberedQuote]


class NumberedActorsEventsAnswer(_Output):
    """Events first, flat and without an English description (the service writes their type and place:
    the 1.5B model copied the Arabic sentence as its description): it nested the actors' roles into
    further events, and a cut-off answer keeps the events."""

    events: list[NumberedEvent]
    actors: list[LLMActor]


# --------------------------------------------------------------------------- drafted answers
# With a prompt file of `answers: drafted` the service's own reader drafts the items (the offline
# engine's digest of the article) and the model reviews the draft: it names by number the drafted
# items that are wrong, and translates the quotes; the service keeps the rest of the draft
# (service/engines/llm/drafted.py). An answer costs a few output tokens, not a copy of each item.


class _Pointer(_Output):
    """A drafted item named by its number, read as a small model writes it: {"n": 3}, 3, "N3", {"N3": 3}."""

    @model_validator(mode="before")
    @classmethod
    def _read_pointer(cls, value: object) -> object:
        (field,) = cls.model_fields
        if isinstance(value, int | str):
            return {field: value}
        if isinstance(value, dict) and len(value) == 1:
            ((key, number),) = value.items()
            named = _number_of(key)
            if key != field and isinstance(named, int) and number in (named, str(named), True, None):
                return {field: named}
        return value


class DraftedActor(_Pointer):
    a: ListedNumber = Field(description="The number of a drafted actor that is no named actor")


class DraftedEvent(_Pointer):
    e: ListedNumber = Field(description="The number of a drafted event the article does not report")


class DraftedFigure(_Pointer):
    n: ListedNumber = Field(description="The number of a drafted figure read wrong")


class DraftedQuote(_Output):
    q: ListedNumber = Field(description="The quote translated ([Q2] is 2)")
    text_en: str = Field(description="Faithful English translation")


class DraftedActorsEventsAnswer(_Output):
    wrong_events: list[DraftedEvent]
    wrong_actors: list[DraftedActor]


class DraftedFiguresAnswer(_Output):
    wrong_figures: list[DraftedFigure]


class DraftedQuotesAnswer(_Output):
    quotes: list[DraftedQuote]
