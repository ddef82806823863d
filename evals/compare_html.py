"""The run-vs-run HTML view (`digest eval compare A B --html FILE`), self-contained like the run report.

Per field the deltas; per shared article (collapsed) the field F1 of both runs, and every flipped
gold item side by side: what A predicted for it and what B did (or that it was missed). Filters
show only the articles that changed, or those matching a search; the page is usable at 390 px.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from jinja2 import Template

from evals.compare import Comparison, Flip, describe_side, other_metrics, scope_lines
from evals.html_report import environment, search_text
from evals.records import FIELDS, ArticleResult, FieldName, ItemRef
from evals.tables import delta

TEMPLATE = "compare.html.j2"


@dataclass(frozen=True)
class FieldDelta:
    name: str
    a: float
    b: float

    @property
    def change(self) -> str:
        return delta(self.b - self.a)


@dataclass(frozen=True)
class FlipView:
    """A gold item matched by one run and missed by the other, with each run's prediction for it."""

    field: str
    gold: ItemRef
    a: ItemRef | None
    b: ItemRef | None


@dataclass(frozen=True)
class ArticleDelta:
    id: str
    title: str | None
    fields: list[FieldDelta]
    flips: list[FlipView]
    new_spurious: list[tuple[str, ItemRef]]  # (field, item) spurious in B and not in A
    gone_spurious: list[tuple[str, ItemRef]]  # spurious in A and not in B
    search_text: str

    @property
    def changed(self) -> bool:
        moved = any(field.change != "0" for field in self.fields)
        return moved or bool(self.flips or self.new_spurious or self.gone_spurious)


def trend(change: float) -> str:
    """The class of a delta cell: up, down, or none for a change too small to print."""
    if delta(change) == "0":
        return ""
    return "up" if change > 0 else "down"


@lru_cache(maxsize=1)
def _template() -> Template:
    return environment().get_template(TEMPLATE)


def render_comparison_html(comparison: Comparison) -> str:
    run_a, run_b = comparison.a.run, comparison.b.run
    articles = (
        [_article_delta(comparison, article_a, article_b) for article_a, article_b in _pairs(comparison)]
        if run_a is not None and run_b is not None
        else None
    )
    return _template().render(
        comparison=comparison,
        sides=[describe_side("A", comparison.a), describe_side("B", comparison.b)],
        scope=scope_lines(comparison),
        fields=FIELDS,
        others=other_metrics(comparison.a.scores, comparison.b.scores),
        articles=articles,
        delta=delta,
        trend=trend,
    )


def _pairs(comparison: Comparison) -> list[tuple[ArticleResult, ArticleResult]]:
    run_a, run_b = comparison.a.run, comparison.b.run
    assert run_a is not None and run_b is not None
    pairs = []
    for article_id in comparison.shared:
        article_a, article_b = run_a.article(article_id), run_b.article(article_id)
        if article_a is not None and article_b is not None:
            pairs.append((article_a, article_b))
    return pairs


def _article_delta(comparison: Comparison, a: ArticleResult, b: ArticleResult) -> ArticleDelta:
    flips = [flip for flip in comparison.flips if flip.article_id == a.id]
    return ArticleDelta(
        id=a.id,
        title=a.title,
        fields=[
            FieldDelta(name.value, a.metrics.fields[name].f1, b.metrics.fields[name].f1) for name in FIELDS
        ],
        flips=[_flip_view(flip, a, b) for flip in flips],
        new_spurious=_spurious_only(b, a),
        gone_spurious=_spurious_only(a, b),
        search_text=f"{search_text(a)} {search_text(b)}",
    )


def _prediction_for(article: ArticleResult, name: FieldName, gold_id: str) -> ItemRef | None:
    return next((pair.predicted for pair in article.matches[name].pairs if pair.gold.id == gold_id), None)


def _flip_view(flip: Flip, a: ArticleResult, b: ArticleResult) -> FlipView:
    return FlipView(
        field=flip.field.value,
        gold=flip.item,
        a=_prediction_for(a, flip.field, flip.item.id),
        b=_prediction_for(b, flip.field, flip.item.id),
    )


def _spurious_only(mine: ArticleResult, other: ArticleResult) -> list[tuple[str, ItemRef]]:
    """Spurious predictions of `mine` that `other` did not also make (same label and Arabic)."""
    found = []
    for name in FIELDS:
        theirs = {(item.label, item.text_ar) for item in other.matches[name].spurious}
        found += [
            (name.value, item)
            for item in mine.matches[name].spurious
            if (item.label, item.text_ar) not in theirs
        ]
    return found
