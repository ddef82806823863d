"""The self-contained HTML report of a run (inline CSS, no external assets).

Per article and field: gold vs predicted pairs, missed and spurious items with their Arabic shown
right-to-left, and the article with that field's gold spans underlined (green when matched, red when
missed) and predicted spans shaded (blue when matched, orange when spurious).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, Template, select_autoescape

from evals.records import FIELDS, ArticleResult, FieldMatches, FieldName, ItemRef, RunRecord

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"
TEMPLATE = "report.html.j2"


@dataclass(frozen=True)
class Mark:
    """One span to highlight: which side it is on, its state, and the item it belongs to."""

    start: int
    end: int
    css_class: str  # gold-matched, gold-missed, predicted-matched, predicted-spurious
    note: str


@dataclass(frozen=True)
class Segment:
    text: str
    css_classes: str
    title: str


@dataclass(frozen=True)
class FieldView:
    name: str
    matches: FieldMatches
    precision: float
    recall: float
    f1: float
    segments: list[Segment]
    open: bool


@lru_cache(maxsize=1)
def _template() -> Template:
    environment = Environment(
        loader=FileSystemLoader(TEMPLATE_DIR),
        autoescape=select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return environment.get_template(TEMPLATE)


def render_html(record: RunRecord) -> str:
    articles = [(article, [field_view(article, name) for name in FIELDS]) for article in record.articles]
    return _template().render(record=record, fields=FIELDS, articles=articles)


def field_view(article: ArticleResult, name: FieldName) -> FieldView:
    matches = article.matches[name]
    score = article.metrics.fields[name]
    return FieldView(
        name=name.value,
        matches=matches,
        precision=score.precision,
        recall=score.recall,
        f1=score.f1,
        segments=highlighted(article.article_text, field_marks(matches)),
        open=bool(matches.missed or matches.spurious),
    )


def _marks(items: Iterable[ItemRef], css_class: str, side: str) -> list[Mark]:
    return [
        Mark(span.start, span.end, css_class, f"{side} {item.id}: {item.label}")
        for item in items
        for span in item.spans
    ]


def field_marks(matches: FieldMatches) -> list[Mark]:
    return (
        _marks((pair.gold for pair in matches.pairs), "gold-matched", "gold")
        + _marks(matches.missed, "gold-missed", "gold (missed)")
        + _marks((pair.predicted for pair in matches.pairs), "predicted-matched", "predicted")
        + _marks(matches.spurious, "predicted-spurious", "predicted (spurious)")
    )


def highlighted(text: str, marks: Sequence[Mark]) -> list[Segment]:
    """The text cut at every mark boundary; each piece carries the classes and notes of the marks over it."""
    inside = [mark for mark in marks if 0 <= mark.start < mark.end <= len(text)]
    cuts = sorted({0, len(text), *(mark.start for mark in inside), *(mark.end for mark in inside)})
    segments = []
    for start, end in itertools.pairwise(cuts):
        covering = [mark for mark in inside if mark.start <= start and end <= mark.end]
        classes = sorted({mark.css_class for mark in covering})
        notes = list(dict.fromkeys(mark.note for mark in covering))
        segments.append(Segment(text[start:end], " ".join(classes), "\n".join(notes)))
    return segments
