"""What the digest page shows: the digest, the request it answers and the highlighted article."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from markupsafe import Markup

from schemas.digest import Actor, Bound, Casualty, Digest, DigestWarning, Event, Figure, Scope, WarningCode
from schemas.request import DigestRequest
from service.http.web.highlight import Kind, drawable, render_highlighted
from service.http.web.labels import claim, label
from service.http.web.spans import digest_highlights
from service.runtime.feedback import MAX_NOTE_CHARS, DigestFeedback

LONG_ARTICLE_CHARS = 10_000  # about four screens of Arabic at 1280 px: the point where layers matter
LAYERS = (
    ("figure", "Figures"),
    ("quote", "Quotes"),
    ("actor", "Actor mentions"),
    ("event", "Event evidence"),
)
LAYERS_ON = frozenset({"figure", "quote"})
_ARABIC = Markup('lang="ar" dir="rtl"')
_ANY_DIRECTION = Markup('dir="auto"')

_SCOPE_TITLES = {
    Scope.incident: "toll of this incident",
    Scope.period: "over a period",
    Scope.cumulative: "running total",
}


@dataclass(frozen=True)
class Incident:
    """The tolls of one reported event (or of none), as the casualty table groups them."""

    event: Event | None
    casualties: list[Casualty]

    @property
    def title(self) -> str:
        return self.event.description_en if self.event is not None else "Tolls not tied to one reported event"


@dataclass(frozen=True)
class DigestPage:
    key: str
    request: DigestRequest
    digest: Digest
    article_html: Markup
    highlight_counts: dict[str, int]
    misplaced: list[str]
    feedback: DigestFeedback = field(default_factory=DigestFeedback)
    max_note_chars: int = MAX_NOTE_CHARS
    layers: tuple[tuple[str, str], ...] = LAYERS
    layers_on: frozenset[str] = LAYERS_ON

    @property
    def text_language(self) -> Markup:
        """The attributes of text taken from the article: Arabic right-to-left, else the browser decides."""
        arabic = not any(w.code is WarningCode.not_arabic for w in self.digest.warnings)
        return _ARABIC if arabic else _ANY_DIRECTION

    @property
    def long_article(self) -> bool:
        return self.digest.article.chars > LONG_ARTICLE_CHARS

    @property
    def highlight_total(self) -> int:
        return sum(self.highlight_counts.values())

    @property
    def item_count(self) -> int:
        d = self.digest
        return len(d.figures) + len(d.events) + len(d.quotes) + len(d.actors)

    def anchor_of(self, item_id: str | None) -> str | None:
        """The element id of an item's entry on the page, to link a warning to it."""
        d = self.digest
        ids = {
            "figure": [f.id for f in d.figures],
            "event": [e.id for e in d.events],
            "quote": [q.id for q in d.quotes],
            "actor": [a.id for a in d.actors],
        }
        return next((f"item-{kind}-{item_id}" for kind, known in ids.items() if item_id in known), None)

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

    def figure_name(self, figure: Figure) -> str:
        """`more than 400 killed (civilians)`: a figure in words, for lists and screen readers."""
        subject = f" ({figure.subject_en})" if figure.subject_en else ""
        return f"{claim(figure)} {label(figure.metric).lower()}{subject}"

    def figures_of(self, event: Event) -> list[Figure]:
        return [f for f in (self.figure(figure_id) for figure_id in event.figure_ids) if f is not None]

    def event(self, event_id: str | None) -> Event | None:
        return next((e for e in self.digest.events if e.id == event_id), None)

    def incidents(self) -> list[Incident]:
        """The tolls grouped by incident (their event), incidents in the order of their first toll."""
        groups: dict[str | None, list[Casualty]] = {}
        for casualty in self.digest.casualties:
            groups.setdefault(casualty.event_id, []).append(casualty)
        return [Incident(self.event(event_id), tolls) for event_id, tolls in groups.items()]

    def scope_title(self, casualty: Casualty) -> str:
        return _SCOPE_TITLES[casualty.scope]

    def bound_claim(self, bound: Bound) -> str:
        """A low, best or high as the article states it: the claim of the first figure that gives it
        ("more than 400", never the derived 401)."""
        figure = self.figure(bound.figure_ids[0])
        if figure is None:
            raise ValueError(f"bound names figure {bound.figure_ids[0]}, which the digest does not have")
        return claim(figure)

    def claims(self, casualty: Casualty) -> list[Figure]:
        """The figures behind a casualty row, in the order of the article."""
        found = (self.figure(figure_id) for figure_id in casualty.figure_ids)
        return sorted((f for f in found if f is not None), key=lambda f: f.span.start)


def digest_page(
    key: str, request: DigestRequest, digest: Digest, feedback: DigestFeedback | None = None
) -> DigestPage:
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
        feedback=feedback or DigestFeedback(),
    )
