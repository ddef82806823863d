"""Grounding of LLM output: every string the model returned is found in the article here.

The model returns strings, never offsets. Quotes must be verbatim (exact or normalised
match); a figure's number must occur in its phrase, which also gives its bounds and qualifier.
What fails is reported as a re-ask reason while re-asks remain, and dropped with a warning
after that. No item leaves this module without a span.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection
from dataclasses import dataclass

from schemas.digest import (
    Actor,
    DigestWarning,
    Event,
    EventActor,
    Figure,
    Location,
    MatchKind,
    Qualifier,
    Quote,
    Span,
    WarningCode,
)
from schemas.llm_output import LLMDigest, LLMFigure, LLMQuote
from service.arabic.align import align, align_all
from service.arabic.dates import resolve_when
from service.arabic.gazetteer import default_gazetteer
from service.arabic.numbers import NumberMention, find_numbers
from service.digest.assemble import DigestItems, writes_arabic
from service.digest.claims import arabic_numbers, numbers_in_english
from service.digest.reconcile import scope_of_period

_QUOTE_MARKS = "«»“”\"'„‟ "


@dataclass(frozen=True)
class StatedNumber:
    """A number as the article states it: its value, its bounds and how it is qualified."""

    value: int
    low: int | None
    high: int | None
    qualifier: Qualifier


def grounding_problems(output: LLMDigest, article: str) -> list[str]:
    """Why the output should be re-asked: quotes not verbatim, figures not at their phrase, and
    answers the digest cannot hold (repeated refs, empty English text)."""
    problems = structure_problems(output)
    problems += [problem for quote in output.quotes if (problem := quote_problem(article, quote))]
    problems += [problem for figure in output.figures if (problem := figure_problem(article, figure))]
    return problems


def quote_problem(article: str, quote: LLMQuote) -> str | None:
    if quote_span(article, quote) is not None:
        return None
    return f"quote «{_clip(quote.text_ar)}» is not verbatim in the article: copy it exactly or leave it out"


def figure_problem(article: str, figure: LLMFigure) -> str | None:
    if figure_span(article, figure) is not None:
        return None
    if align(article, figure.phrase_ar) is None:
        return f"figure {figure.ref} «{_clip(figure.phrase_ar)}» is not in the article: copy it exactly"
    return (
        f"figure {figure.ref} «{_clip(figure.phrase_ar)}» does not state {figure.value}: "
        "give the phrase of that number alone, or the number the phrase states"
    )


def structure_problems(output: LLMDigest) -> list[str]:
    problems = [
        f"ref {ref} is used by more than one item: give every item its own ref"
        for ref in _repeated_refs(output)
    ]
    problems += [f"{what} is empty: write it in English" for what in _empty_english(output)]
    return problems


def _repeated_refs(output: LLMDigest) -> list[str]:
    refs = [item.ref for group in (output.actors, output.figures, output.events) for item in group]
    return sorted({ref for ref in refs if refs.count(ref) > 1})


def _empty_english(output: LLMDigest) -> list[str]:
    texts = [("headline_en", output.headline_en), ("summary_en", output.summary_en)]
    texts += [(f"name_en of actor {actor.ref}", actor.name_en) for actor in output.actors]
    texts += [(f"description_en of event {event.ref}", event.description_en) for event in output.events]
    texts += [(f"text_en of quote «{_clip(quote.text_ar, 30)}»", quote.text_en) for quote in output.quotes]
    return [what for what, text in texts if not text.strip()]


def quote_span(article: str, quote: LLMQuote) -> Span | None:
    span = align(article, quote.text_ar.strip(_QUOTE_MARKS))
    return span if span is not None and span.match is not MatchKind.fuzzy else None


def figure_span(article: str, figure: LLMFigure) -> Span | None:
    """The figure's phrase in the article, when the phrase states the figure's number."""
    located = stated_figure(article, figure)
    return located[0] if located is not None else None


def stated_figure(
    article: str, figure: LLMFigure, taken: Collection[Span] = ()
) -> tuple[Span, StatedNumber] | None:
    """The figure's phrase in the article and the number it states there, read by the service's
    own number reader (value, bounds and qualifier). The model's value only chooses among the
    numbers of a phrase that states several; the one number of a phrase copied exactly is read as
    written, so a model that misreads «خمسة وعشرين» as 50 still yields 25. A phrase found only
    fuzzily must state the model's value: its difference may be the number itself.

    A phrase with no number at all states one: Arabic counts a single person or thing with the
    singular noun alone ("بينهم طفل", "قتل مدني"). `taken`: the spans of earlier figures."""
    span = _untaken(article, align(article, figure.phrase_ar), taken)
    if span is None:
        return None
    mentions = find_numbers(span.text)
    if not mentions:
        return (span, StatedNumber(1, 1, 1, Qualifier.exact)) if figure.value == 1 else None
    copied = span.match is not MatchKind.fuzzy  # a fuzzy match may be a changed number
    if len(mentions) == 1 and copied:
        stated: NumberMention | None = mentions[0]
    else:
        stated = next((mention for mention in mentions if mention.value == figure.value), None)
    if stated is None:
        return None
    return span, StatedNumber(stated.value, stated.low, stated.high, stated.qualifier)


def _untaken(article: str, span: Span | None, taken: Collection[Span]) -> Span | None:
    """A phrase that two figures state is two of its occurrences, in order: «4 مدنيين» in the lead and
    again in the body are the first and the second figure of that phrase, and «مدنيا» (one civilian)
    is not the one inside an earlier figure's «207 مدنيا»."""
    if span is None or span.match is MatchKind.fuzzy or not overlaps(span.start, span.end, taken):
        return span
    start = article.find(span.text, span.start + 1)
    while start != -1 and overlaps(start, start + len(span.text), taken):
        start = article.find(span.text, start + 1)
    if start == -1:
        return span
    return Span(start=start, end=start + len(span.text), text=span.text, match=span.match)


def overlaps(start: int, end: int, spans: Collection[Span]) -> bool:
    """Whether the text from `start` to `end` shares a character with one of `spans`."""
    return any(start < span.end and span.start < end for span in spans)


def ground(output: LLMDigest, article: str, published: dt.date | None = None) -> DigestItems:
    """Turn the model's strings into digest items with spans, dropping what cannot be found.

    Event times resolve to dates only against the publication date, when the request gives one."""
    items = DigestItems(article_names=_article_names(article))
    output = _usable_part(output, items)
    actor_ids = _ground_actors(output, article, items)
    event_ids = {event.ref: f"e{index}" for index, event in enumerate(output.events, start=1)}
    _ground_figures(output, article, actor_ids, event_ids, items)
    _ground_quotes(output, article, actor_ids, items)
    _ground_events(output, article, actor_ids, event_ids, items, published)
    _drop_dangling_event_refs(items)
    return items


def _usable_part(output: LLMDigest, items: DigestItems) -> LLMDigest:
    """Re-asks are spent: keep the first item of a repeated ref, drop items with no English text."""
    seen: set[str] = set()

    def keep(ref: str, english: str, what: str) -> bool:
        if ref in seen or not english.strip():
            _warn(
                items,
                WarningCode.ungrounded_item_dropped,
                f"{what} {ref} was repeated or had no English text",
            )
            return False
        seen.add(ref)
        return True

    def keep_quote(quote: LLMQuote) -> bool:
        translated = bool(quote.text_en.strip()) and not writes_arabic(quote.text_en)
        if not translated:
            _warn(
                items,
                WarningCode.ungrounded_quote_dropped,
                f"quote «{_clip(quote.text_ar)}» had no English translation",
            )
        return translated

    figures = [figure for figure in output.figures if keep(figure.ref, "-", "figure")]
    return output.model_copy(
        update={
            "actors": [actor for actor in output.actors if keep(actor.ref, actor.name_en, "actor")],
            "events": [event for event in output.events if keep(event.ref, event.description_en, "event")],
            "figures": figures,
            "quotes": [quote for quote in output.quotes if keep_quote(quote)],
        }
    )


def _ground_actors(output: LLMDigest, article: str, items: DigestItems) -> dict[str, str]:
    ids: dict[str, str] = {}
    for actor in output.actors:
        mentions = align_all(article, actor.name_ar) or _as_list(align(article, actor.name_ar))
        if not mentions:
            _warn(
                items, WarningCode.ungrounded_item_dropped, f"actor «{actor.name_ar}» is not in the article"
            )
            continue
        actor_id = f"a{len(items.actors) + 1}"
        ids[actor.ref] = actor_id
        items.actors.append(
            Actor(
                id=actor_id,
                name_ar=mentions[0].text,
                name_en=actor.name_en,
                kind=actor.kind,
                title_en=actor.title_en,
                mentions=mentions,
            )
        )
    return ids


def _ground_figures(
    output: LLMDigest,
    article: str,
    actor_ids: dict[str, str],
    event_ids: dict[str, str],
    items: DigestItems,
) -> None:
    ids: dict[str, str] = {}
    kept: list[tuple[LLMFigure, Span, StatedNumber]] = []
    for figure in output.figures:
        located = stated_figure(article, figure, [span for _, span, _ in kept])
        if located is None:
            _warn(
                items,
                WarningCode.ungrounded_figure_dropped,
                f"figure «{_clip(figure.phrase_ar)}» = {figure.value} is not in the article; dropped",
            )
            continue
        ids[figure.ref] = f"f{len(kept) + 1}"
        kept.append((figure, *located))
    for figure, span, stated in kept:
        period_ar = _verbatim_or_none(article, figure.period_ar)
        items.figures.append(
            Figure(
                id=ids[figure.ref],
                value=stated.value,
                low=stated.low,
                high=stated.high,
                qualifier=stated.qualifier,
                metric=figure.metric,
                subject_en=figure.subject_en,
                period_ar=period_ar,
                scope=figure.scope or scope_of_period(period_ar),  # left out: the period as written says
                location=_location(article, figure.location_ar, figure.location_en),
                source_actor_id=_resolve(figure.source_ref, actor_ids, items, ids[figure.ref]),
                event_id=_resolve(figure.event_ref, event_ids, items, ids[figure.ref]),
                part_of=_resolve(figure.part_of_ref, ids, items, ids[figure.ref]),
                span=span,
            )
        )


def _ground_quotes(output: LLMDigest, article: str, actor_ids: dict[str, str], items: DigestItems) -> None:
    for quote in output.quotes:
        span = quote_span(article, quote)
        if span is None:
            _warn(
                items,
                WarningCode.ungrounded_quote_dropped,
                f"quote «{_clip(quote.text_ar)}» is not verbatim in the article; dropped after re-asks",
            )
            continue
        if stray := _numbers_not_in_its_arabic(quote.text_en, span.text):
            _warn(
                items,
                WarningCode.ungrounded_quote_dropped,
                f"the translation of quote «{_clip(quote.text_ar)}» writes {', '.join(stray)}, which its "
                "Arabic does not state; dropped",
            )
            continue
        quote_id = f"q{len(items.quotes) + 1}"
        items.quotes.append(
            Quote(
                id=quote_id,
                text_ar=span.text,
                text_en=quote.text_en,
                speaker_actor_id=_resolve(quote.speaker_ref, actor_ids, items, quote_id),
                mode=quote.mode,
                span=span,
            )
        )


def _numbers_not_in_its_arabic(text_en: str | None, text_ar: str) -> list[str]:
    """Numbers a translation writes that its Arabic does not: «ثلاثمئة قذيفة» as "three thousand". The Arabic
    states its counts, and its years, times and dates in digits; numbers under ten and non-whole numbers
    are let through (a dual, an ordinal, "3.8")."""
    if not text_en:
        return []
    allowed = arabic_numbers(text_ar) | {int(digits) for digits in re.findall(r"\d+", text_ar)}
    return [
        written
        for written, value in numbers_in_english(text_en)
        if value is not None and value >= 10 and value not in allowed
    ]


def _ground_events(
    output: LLMDigest,
    article: str,
    actor_ids: dict[str, str],
    event_ids: dict[str, str],
    items: DigestItems,
    published: dt.date | None,
) -> None:
    for event in output.events:
        evidence = [span for text in event.evidence_ar if (span := align(article, text)) is not None]
        if not evidence:
            _warn(
                items,
                WarningCode.ungrounded_item_dropped,
                f"event «{event.description_en}» has no evidence in the article",
            )
            continue
        when_ar = _verbatim_or_none(article, event.when_ar)
        items.events.append(
            Event(
                id=event_ids[event.ref],
                type=event.type,
                description_en=event.description_en,
                location=_location(article, event.location_ar, event.location_en),
                when=resolve_when(when_ar, published) if when_ar else None,
                actors=[
                    EventActor(actor_id=actor_ids[role.ref], role=role.role)
                    for role in event.actors
                    if role.ref in actor_ids
                ],
                figure_ids=[figure.id for figure in items.figures if figure.event_id == event_ids[event.ref]],
                evidence=evidence,
            )
        )


def _drop_dangling_event_refs(items: DigestItems) -> None:
    kept_events = {event.id for event in items.events}
    for figure in items.figures:
        if figure.event_id is not None and figure.event_id not in kept_events:
            figure.event_id = None


def _article_names(article: str) -> list[str]:
    """The gazetteer's English names of what the article names in Arabic (not by an epithet), once each."""
    found = (match.entry.name_en for match in default_gazetteer().find(article) if not match.by_epithet)
    return list(dict.fromkeys(found))


def _location(article: str, name_ar: str | None, name_en: str | None) -> Location | None:
    """The place as the article writes it; its English name is the gazetteer's when it knows the place
    (a small model wrote «الغوطة الشرقية» as "Eastern Syria"), else the model's."""
    verbatim = _verbatim_or_none(article, name_ar)
    if not verbatim:
        return None
    known = [match.entry for match in default_gazetteer().find(verbatim) if match.entry.is_place]
    return Location(name_ar=verbatim, name_en=known[0].name_en if known else name_en)


def _verbatim_or_none(article: str, text: str | None) -> str | None:
    if not text:
        return None
    span = align(article, text)
    return span.text if span is not None and span.match is not MatchKind.fuzzy else None


def _resolve(ref: str | None, ids: dict[str, str], items: DigestItems, owner: str) -> str | None:
    if ref is None:
        return None
    if ref not in ids:
        _warn(
            items,
            WarningCode.dangling_reference_removed,
            f"{owner} referred to unknown or dropped item {ref}",
            owner,
        )
        return None
    return ids[ref]


def _warn(items: DigestItems, code: WarningCode, message: str, item_id: str | None = None) -> None:
    items.warnings.append(DigestWarning(code=code, message=message, item_id=item_id))


def _as_list(span: Span | None) -> list[Span]:
    return [span] if span is not None else []


def _clip(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
