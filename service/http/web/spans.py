"""Every span of a digest, as highlights of the article it points into."""

from __future__ import annotations

from dataclasses import dataclass, field

from schemas.digest import Actor, Digest, Event, Figure, Quote, Span
from service.digest.spans import is_verbatim, spans_of
from service.http.web.highlight import Highlight, Kind
from service.http.web.labels import claim, label


@dataclass(frozen=True)
class DigestHighlights:
    """The highlights of a digest that match the article, and the items whose spans do not."""

    highlights: list[Highlight] = field(default_factory=list)
    misplaced: list[str] = field(default_factory=list)


def digest_highlights(digest: Digest, article: str) -> DigestHighlights:
    speakers = {actor.id: actor.name_en for actor in digest.actors}
    candidates: list[tuple[Highlight, Span]] = []
    for item in spans_of(digest):
        kind, text = _kind_and_text(item.item, speakers)
        title = f"{label(kind)} {item.item.id}: {text}"
        candidates += [
            (Highlight(kind, item.item.id, span.start, span.end, title), span) for span in item.spans
        ]
    placed = [(h, span) for h, span in candidates if is_verbatim(article, span)]
    misplaced = sorted({h.item_id for h, span in candidates if not is_verbatim(article, span)})
    return DigestHighlights([h for h, _ in placed], misplaced)


def _kind_and_text(item: Figure | Quote | Actor | Event, speakers: dict[str, str]) -> tuple[Kind, str]:
    """The item's kind and what its highlights say about it."""
    if isinstance(item, Figure):
        return Kind.figure, f"{label(item.metric)}, {claim(item)}"
    if isinstance(item, Quote):
        return Kind.quote, speakers.get(item.speaker_actor_id or "", "speaker not identified")
    if isinstance(item, Actor):
        return Kind.actor, item.name_en
    return Kind.event, label(item.type)
