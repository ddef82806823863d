"""Where a digest points into its article: every item with its spans, and whether a span is verbatim."""

from __future__ import annotations

from dataclasses import dataclass

from schemas.digest import Actor, Digest, Event, Figure, Quote, Span


@dataclass(frozen=True, slots=True)
class ItemSpans:
    """One item of a digest and the spans it points at (a figure's or quote's span, an actor's
    mentions, an event's evidence)."""

    item: Figure | Quote | Actor | Event
    spans: tuple[Span, ...]


def spans_of(digest: Digest) -> list[ItemSpans]:
    """Every item that points into the article: figures, quotes, actors, then events."""
    return [
        *(ItemSpans(figure, (figure.span,)) for figure in digest.figures),
        *(ItemSpans(quote, (quote.span,)) for quote in digest.quotes),
        *(ItemSpans(actor, tuple(actor.mentions)) for actor in digest.actors),
        *(ItemSpans(event, tuple(event.evidence)) for event in digest.events),
    ]


def is_verbatim(article: str, span: Span) -> bool:
    """True when the span lies inside the article and its text is exactly `article[start:end]`."""
    return 0 <= span.start <= span.end <= len(article) and article[span.start : span.end] == span.text
