"""Every span of a digest, as highlights of the article it points into."""

from __future__ import annotations

from dataclasses import dataclass, field

from schemas.digest import Digest, Span
from service.web.highlight import Highlight, Kind
from service.web.labels import claim, label


@dataclass(frozen=True)
class ItemSpans:
    """The highlights of a digest that match the article, and the items whose spans do not."""

    highlights: list[Highlight] = field(default_factory=list)
    misplaced: list[str] = field(default_factory=list)


def digest_highlights(digest: Digest, article: str) -> ItemSpans:
    candidates = [*_figures(digest), *_quotes(digest), *_actors(digest), *_events(digest)]
    placed = [(h, span) for h, span in candidates if _fits(span, article)]
    misplaced = sorted({h.item_id for h, span in candidates if not _fits(span, article)})
    return ItemSpans([h for h, _ in placed], misplaced)


def _fits(span: Span, article: str) -> bool:
    return span.end <= len(article) and article[span.start : span.end] == span.text


def _highlight(kind: Kind, item_id: str, span: Span, text: str) -> tuple[Highlight, Span]:
    return Highlight(kind, item_id, span.start, span.end, f"{label(kind)} {item_id}: {text}"), span


def _figures(digest: Digest) -> list[tuple[Highlight, Span]]:
    return [_highlight(Kind.figure, f.id, f.span, f"{label(f.metric)}, {claim(f)}") for f in digest.figures]


def _quotes(digest: Digest) -> list[tuple[Highlight, Span]]:
    names = {actor.id: actor.name_en for actor in digest.actors}
    return [
        _highlight(Kind.quote, q.id, q.span, names.get(q.speaker_actor_id or "", "speaker not identified"))
        for q in digest.quotes
    ]


def _actors(digest: Digest) -> list[tuple[Highlight, Span]]:
    return [_highlight(Kind.actor, a.id, span, a.name_en) for a in digest.actors for span in a.mentions]


def _events(digest: Digest) -> list[tuple[Highlight, Span]]:
    return [_highlight(Kind.event, e.id, span, label(e.type)) for e in digest.events for span in e.evidence]
