"""What the digest page shows: the digest, the request it answers and the highlighted article."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from markupsafe import Markup

from schemas.digest import Actor, Casualty, Digest, DigestWarning, Event, Figure, Location, WarningCode
from schemas.request import DigestRequest
from service.http.web.highlight import Kind, drawable, render_highlighted
from service.http.web.spans import digest_highlights


@dataclass(frozen=True)
class DigestPage:
    key: str
    request: DigestRequest
    digest: Digest
    article_html: Markup
    highlight_counts: dict[str, int]
    misplaced: list[str]

    @property
    def fallback(self) -> DigestWarning | None:
        return next(
            (w for w in self.digest.warnings if w.code is WarningCode.llm_failed_offline_fallback), None
        )

    @property
    def other_warnings(self) -> list[DigestWarning]:
        return [w for w in self.digest.warnings if w.code is not WarningCode.llm_failed_offline_fallback]

    def actor(self, actor_id: str | None) -> Actor | None:
        return next((a for a in self.digest.actors if a.id == actor_id), None)

    def actor_name(self, actor_id: str | None, missing: str = "not stated") -> str:
        actor = self.actor(actor_id)
        return actor.name_en if actor is not None else missing

    def figure(self, figure_id: str | None) -> Figure | None:
        return next((f for f in self.digest.figures if f.id == figure_id), None)

    def event(self, event_id: str | None) -> Event | None:
        return next((e for e in self.digest.events if e.id == event_id), None)

    def casualty_event(self, casualty: Casualty) -> Event | None:
        """The single event all claims of a toll belong to, if they share one."""
        event_ids = {f.event_id for f in self.claims(casualty)}
        return self.event(event_ids.pop()) if len(event_ids) == 1 else None

    def casualty_place(self, casualty: Casualty) -> Location | None:
        event = self.casualty_event(casualty)
        return casualty.location or (event.location if event is not None else None)

    def claims(self, casualty: Casualty) -> list[Figure]:
        """The figures behind a casualty row, in the order of the article."""
        found = (self.figure(figure_id) for figure_id in casualty.figure_ids)
        return sorted((f for f in found if f is not None), key=lambda f: f.span.start)


def digest_page(key: str, request: DigestRequest, digest: Digest) -> DigestPage:
    spans = digest_highlights(digest, request.text)
    drawn = drawable(request.text, spans.highlights)
    counts = Counter(h.kind.value for h in drawn)
    return DigestPage(
        key=key,
        request=request,
        digest=digest,
        article_html=render_highlighted(request.text, drawn),
        highlight_counts={kind.value: counts.get(kind.value, 0) for kind in Kind},
        misplaced=spans.misplaced,
    )
