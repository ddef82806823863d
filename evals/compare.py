"""Two runs side by side: per field and per article, the gold items that flipped, and the verdict.

Run A is the reference (the previous run, the baseline), run B the candidate. The comparison fails
when any field's F1 or the grounding rate of B is lower than A's by more than `max_drop`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from evals.gate import DEFAULT_MAX_DROP, GatedScores, Regression, regressions
from evals.records import FIELDS, ArticleResult, FieldName, ItemRef, RunRecord, SetMetrics
from evals.tables import delta, score, text_table


@dataclass(frozen=True)
class Flip:
    """A gold item matched in one run and missed in the other."""

    article_id: str
    field: FieldName
    item: ItemRef
    matched_in: str  # "A" or "B"


@dataclass(frozen=True)
class Comparison:
    a: RunRecord
    b: RunRecord
    a_name: str
    b_name: str
    max_drop: float
    regressions: list[Regression]
    flips: list[Flip] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return bool(self.regressions)


def compare_runs(
    a: RunRecord, b: RunRecord, *, a_name: str = "A", b_name: str = "B", max_drop: float = DEFAULT_MAX_DROP
) -> Comparison:
    return Comparison(
        a=a,
        b=b,
        a_name=a_name,
        b_name=b_name,
        max_drop=max_drop,
        regressions=regressions(GatedScores.of(a.metrics), GatedScores.of(b.metrics), max_drop),
        flips=list(flipped_items(a, b)),
    )


def _common_articles(a: RunRecord, b: RunRecord) -> Iterator[tuple[ArticleResult, ArticleResult]]:
    for article in a.articles:
        other = b.article(article.id)
        if other is not None:
            yield article, other


def flipped_items(a: RunRecord, b: RunRecord) -> Iterator[Flip]:
    """Gold items (by id) matched in A and missed in B, then those missed in A and matched in B."""
    for article_a, article_b in _common_articles(a, b):
        for name in FIELDS:
            matched_a = {pair.gold.id: pair.gold for pair in article_a.matches[name].pairs}
            matched_b = {pair.gold.id: pair.gold for pair in article_b.matches[name].pairs}
            missed_a = {item.id for item in article_a.matches[name].missed}
            missed_b = {item.id for item in article_b.matches[name].missed}
            for item_id, item in matched_a.items():
                if item_id in missed_b:
                    yield Flip(article_a.id, name, item, "A")
            for item_id, item in matched_b.items():
                if item_id in missed_a:
                    yield Flip(article_a.id, name, item, "B")


# --------------------------------------------------------------------------- rendering


def render_comparison(comparison: Comparison) -> str:
    parts = [
        _runs_header(comparison),
        "Per field (micro-averaged)",
        _field_table(comparison.a.metrics, comparison.b.metrics),
        "Other metrics",
        _other_table(comparison.a.metrics, comparison.b.metrics),
        "Per article (F1 A → B)",
        _article_table(comparison),
        _flip_lines(comparison),
        _verdict(comparison),
    ]
    return "\n\n".join(part for part in parts if part) + "\n"


def _describe_run(name: str, record: RunRecord) -> str:
    config = record.config
    prompt = f", prompt {config.prompt_version}" if config.prompt_version else ""
    model = f", model {config.model}" if config.model else ""
    return (
        f"{name}: {config.engine}{model}{prompt}, {len(config.gold_articles)} articles, "
        f"started {config.started_at:%Y-%m-%d %H:%M:%S}"
    )


def _runs_header(comparison: Comparison) -> str:
    lines = [
        _describe_run(f"A ({comparison.a_name})", comparison.a),
        _describe_run(f"B ({comparison.b_name})", comparison.b),
    ]
    config_a, config_b = comparison.a.config, comparison.b.config
    if config_a.gold_fingerprint != config_b.gold_fingerprint:
        lines.append("note: the runs were scored on different gold sets (labels or articles changed)")
    only_a = sorted(set(config_a.gold_articles) - set(config_b.gold_articles))
    only_b = sorted(set(config_b.gold_articles) - set(config_a.gold_articles))
    if only_a:
        lines.append(f"only in A: {', '.join(only_a)}")
    if only_b:
        lines.append(f"only in B: {', '.join(only_b)}")
    return "\n".join(lines)


def _field_table(a: SetMetrics, b: SetMetrics) -> str:
    rows = []
    for name in FIELDS:
        mine, theirs = a.fields[name], b.fields[name]
        rows.append(
            [
                name.value,
                score(mine.precision),
                score(mine.recall),
                score(mine.f1),
                score(theirs.precision),
                score(theirs.recall),
                score(theirs.f1),
                delta(theirs.precision - mine.precision),
                delta(theirs.recall - mine.recall),
                delta(theirs.f1 - mine.f1),
            ]
        )
    headers = ["field", "P A", "R A", "F1 A", "P B", "R B", "F1 B", "ΔP", "ΔR", "ΔF1"]
    return text_table(headers, rows)


def _other_table(a: SetMetrics, b: SetMetrics) -> str:
    pairs = [
        ("grounding rate", a.grounding_rate, b.grounding_rate),
        ("schema-validity rate", a.schema_validity_rate, b.schema_validity_rate),
        ("casualty accuracy", a.casualty_accuracy, b.casualty_accuracy),
    ]
    rows = [[label, score(mine), score(theirs), delta(theirs - mine)] for label, mine, theirs in pairs]
    rows.append(["failed articles", str(a.failed_articles), str(b.failed_articles), ""])
    return text_table(["metric", "A", "B", "Δ"], rows)


def _article_table(comparison: Comparison) -> str:
    rows = []
    for article_a, article_b in _common_articles(comparison.a, comparison.b):
        cells = []
        for name in FIELDS:
            mine, theirs = article_a.metrics.fields[name].f1, article_b.metrics.fields[name].f1
            change = delta(theirs - mine)
            cells.append(f"{mine:.2f}→{theirs:.2f}" + ("" if change == "0" else f" ({change})"))
        grounding = f"{article_a.metrics.grounding_rate:.2f}→{article_b.metrics.grounding_rate:.2f}"
        rows.append([article_a.id, *cells, grounding])
    return text_table(["article", *(name.value for name in FIELDS), "grounded"], rows)


def _flip_lines(comparison: Comparison) -> str:
    if not comparison.flips:
        return "Flipped items: none"
    lines = ["Flipped items (gold items matched in one run and missed in the other)"]
    for flip in comparison.flips:
        change = "matched in A, missed in B" if flip.matched_in == "A" else "missed in A, matched in B"
        text = flip.item.text_ar if len(flip.item.text_ar) <= 80 else flip.item.text_ar[:79] + "…"
        lines.append(
            f"  {change}: {flip.article_id} {flip.field.value} {flip.item.id} «{text}» ({flip.item.label})"
        )
    return "\n".join(lines)


def _verdict(comparison: Comparison) -> str:
    if not comparison.failed:
        return f"OK: no field F1 and not the grounding rate dropped by more than {comparison.max_drop:g}"
    lines = [f"REGRESSION: dropped by more than {comparison.max_drop:g}:"]
    lines += [f"  {regression.describe()}" for regression in comparison.regressions]
    return "\n".join(lines)
