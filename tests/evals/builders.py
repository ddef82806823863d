"""Small builders for eval tests: spans found in an article, digest items, a whole Digest."""

from __future__ import annotations

import datetime as dt
import hashlib

from schemas.digest import (
    Actor,
    ActorKind,
    ArticleInfo,
    Casualty,
    Digest,
    Engine,
    Event,
    EventType,
    Figure,
    Location,
    Metric,
    Provenance,
    Qualifier,
    Quote,
    QuoteMode,
    Span,
    Summary,
    TokenUsage,
)


def span(article: str, text: str, occurrence: int = 1) -> Span:
    """The span of the `occurrence`-th (from 1) occurrence of `text` in `article`."""
    start = -1
    for _ in range(occurrence):
        start = article.index(text, start + 1)
    return Span(start=start, end=start + len(text), text=text)


def actor(article: str, item_id: str, name_ar: str, name_en: str, *mentions: str) -> Actor:
    texts = mentions or (name_ar,)
    return Actor(
        id=item_id,
        name_ar=name_ar,
        name_en=name_en,
        kind=ActorKind.other,
        mentions=[span(article, text) for text in texts],
    )


def figure(
    article: str,
    item_id: str,
    phrase: str,
    value: int,
    metric: Metric = Metric.killed,
    *,
    low: int | None = None,
    high: int | None = None,
    qualifier: Qualifier = Qualifier.exact,
    place: str | None = None,
    occurrence: int = 1,
) -> Figure:
    return Figure(
        id=item_id,
        value=value,
        low=low,
        high=high,
        qualifier=qualifier,
        metric=metric,
        location=Location(name_ar=place) if place else None,
        span=span(article, phrase, occurrence),
    )


def quote(article: str, item_id: str, text: str) -> Quote:
    return Quote(
        id=item_id, text_ar=text, text_en="(translation)", mode=QuoteMode.direct, span=span(article, text)
    )


def event(article: str, item_id: str, kind: EventType, place: str | None, *evidence: str) -> Event:
    return Event(
        id=item_id,
        type=kind,
        description_en="(description)",
        location=Location(name_ar=place) if place else None,
        evidence=[span(article, text) for text in evidence],
    )


def digest(
    article: str,
    *,
    actors: list[Actor] | None = None,
    figures: list[Figure] | None = None,
    quotes: list[Quote] | None = None,
    events: list[Event] | None = None,
    casualties: list[Casualty] | None = None,
    latency_ms: float = 0.0,
    total_tokens: int | None = None,
) -> Digest:
    usage = TokenUsage(total_tokens=total_tokens) if total_tokens is not None else None
    return Digest(
        article=ArticleInfo(chars=len(article), sha256=hashlib.sha256(article.encode()).hexdigest()),
        summary=Summary(headline_en="headline", summary_en="summary"),
        actors=actors or [],
        figures=figures or [],
        quotes=quotes or [],
        events=events or [],
        casualties=casualties or [],
        provenance=Provenance(
            engine=Engine.offline,
            latency_ms=latency_ms,
            usage=usage,
            created_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
        ),
    )
