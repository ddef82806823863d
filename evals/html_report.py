"""The self-contained HTML report of a run (inline CSS, no external assets).

Per article and field: gold vs predicted pairs, missed and spurious items with their Arabic shown
right-to-left, and the article with that field's gold spans underlined (green when matched, red when
missed) and predicted spans shaded (blue when matched, orange when spurious), drawn by the digest
page's highlighter (`service/http/web/highlight.py`), nested where spans nest.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, Template, select_autoescape
from markupsafe import Markup

from evals.records import FIELDS, ArticleResult, FieldMatches, FieldName, ItemRef, RunRecord
from service.http.web.highlight import Highlight, render_highlighted

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"
TEMPLATE = "report.html.j2"


class MarkKind(StrEnum):
    """How a span of the report's article is drawn (its CSS class); gold nests outside predicted."""

    gold_matched = "gold-matched"
    gold_missed = "gold-missed"
    predicted_matched = "predicted-matched"
    predicted_spurious = "predicted-spurious"


@dataclass(frozen=True)
class FieldView:
    name: str
    matches: FieldMatches
    precision: float
    recall: float
    f1: float
    article_html: Markup
    open: bool


@lru_cache(maxsize=1)
def environment() -> Environment:
    """The templates of the eval pages (run report, compare view), sharing their CSS and filter script."""
    return Environment(
        loader=FileSystemLoader(TEMPLATE_DIR),
        autoescape=select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _template() -> Template:
    return environment().get_template(TEMPLATE)


def search_text(article: ArticleResult) -> str:
    """What the report's search box looks in: the article's id and title, and its items' labels and Arabic."""
    items = [
        item
        for matches in article.matches.values()
        for item in (*(pair.gold for pair in matches.pairs), *matches.missed, *matches.spurious)
    ]
    words = [article.id, article.title or "", *(f"{item.label} {item.text_ar}" for item in items)]
    return " ".join(words).casefold()


def render_html(record: RunRecord) -> str:
    articles = [(article, [field_view(article, name) for name in FIELDS]) for article in record.articles]
    return _template().render(record=record, fields=FIELDS, articles=articles, search_text=search_text)


def field_view(article: ArticleResult, name: FieldName) -> FieldView:
    matches = article.matches[name]
    score = article.metrics.fields[name]
    return FieldView(
        name=name.value,
        matches=matches,
        precision=score.precision,
        recall=score.recall,
        f1=score.f1,
        article_html=render_highlighted(article.article_text, field_highlights(matches), css_prefix=""),
        open=bool(matches.missed or matches.spurious),
    )


def _highlights(items: Iterable[ItemRef], kind: MarkKind, side: str) -> list[Highlight]:
    return [
        Highlight(kind, item.id, span.start, span.end, f"{side} {item.id}: {item.label}")
        for item in items
        for span in item.spans
    ]


def field_highlights(matches: FieldMatches) -> list[Highlight]:
    return (
        _highlights((pair.gold for pair in matches.pairs), MarkKind.gold_matched, "gold")
        + _highlights(matches.missed, MarkKind.gold_missed, "gold (missed)")
        + _highlights((pair.predicted for pair in matches.pairs), MarkKind.predicted_matched, "predicted")
        + _highlights(matches.spurious, MarkKind.predicted_spurious, "predicted (spurious)")
    )
