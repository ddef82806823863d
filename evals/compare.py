"""Two runs side by side: per field and per article, the gold items that flipped, and the verdict.

Run A is the reference (the previous run, the baseline), run B the candidate. Only the articles
both runs scored are compared: the set scores of each side are recomputed over those articles, so
adding a gold article (scored by one run only) never reads as a regression. A recorded baseline
(`evals/baselines/<engine>.json`) holds set scores only, no articles: it can stand for either side
when the run scored the same gold articles. The comparison fails when any field's F1 or the
grounding rate of B is lower than A's by more than `max_drop`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from evals.baseline import Baseline
from evals.errors import EvalError
from evals.gate import DEFAULT_MAX_DROP, GatedScores, Regression, regressions
from evals.metrics import set_metrics
from evals.records import FIELDS, ArticleResult, FieldName, FieldScore, ItemRef, RunRecord
from evals.tables import delta, score, text_table

Compared = RunRecord | Baseline


@dataclass(frozen=True)
class Flip:
    """A gold item matched in one run and missed in the other."""

    article_id: str
    field: FieldName
    item: ItemRef
    matched_in: str  # "A" or "B"

    @property
    def change(self) -> str:
        return "matched in A, missed in B" if self.matched_in == "A" else "missed in A, matched in B"


@dataclass(frozen=True)
class Scores:
    """The set scores of one side, over the articles both sides scored."""

    fields: dict[FieldName, FieldScore]
    grounding_rate: float
    schema_validity_rate: float
    casualty_accuracy: float
    failed_articles: int | None  # a baseline does not record it

    def gated(self) -> GatedScores:
        return GatedScores({name: self.fields[name].f1 for name in FIELDS}, self.grounding_rate)


@dataclass(frozen=True)
class Side:
    name: str
    source: Compared
    scores: Scores

    @property
    def articles(self) -> list[str]:
        return _article_ids(self.source)

    @property
    def run(self) -> RunRecord | None:
        return self.source if isinstance(self.source, RunRecord) else None


@dataclass(frozen=True)
class Comparison:
    a: Side
    b: Side
    shared: list[str]  # the ids of the articles both runs scored, in A's order
    max_drop: float
    regressions: list[Regression]
    flips: list[Flip] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return bool(self.regressions)

    @property
    def only_a(self) -> list[str]:
        return [article for article in self.a.articles if article not in self.shared]

    @property
    def only_b(self) -> list[str]:
        return [article for article in self.b.articles if article not in self.shared]


def compare_runs(
    a: Compared,
    b: Compared,
    *,
    a_name: str = "A",
    b_name: str = "B",
    max_drop: float = DEFAULT_MAX_DROP,
) -> Comparison:
    """Compare B with A on the articles both scored; raise EvalError when that cannot be done. A baseline
    keeps set scores only, so the run compared with it must have scored all of its articles; the run's
    other articles (added to the gold set since) are left out and named."""
    if isinstance(a, Baseline) and isinstance(b, Baseline):
        raise EvalError(
            f"{a_name} and {b_name} are both baselines: compare a run with a baseline, or two runs"
        )
    a_ids, b_ids = _article_ids(a), _article_ids(b)
    shared = [article for article in a_ids if article in set(b_ids)]
    for name, record, other, other_ids in ((a_name, a, b_name, b_ids), (b_name, b, a_name, a_ids)):
        if isinstance(record, Baseline) and not set(record.gold_articles) <= set(other_ids):
            raise _baseline_mismatch(
                name, record, other, [i for i in record.gold_articles if i not in other_ids]
            )
    if not shared:
        raise EvalError(f"{a_name} and {b_name} scored no article in common: nothing to compare")
    side_a = Side(a_name, a, _scores(a, shared))
    side_b = Side(b_name, b, _scores(b, shared))
    return Comparison(
        a=side_a,
        b=side_b,
        shared=shared,
        max_drop=max_drop,
        regressions=regressions(side_a.scores.gated(), side_b.scores.gated(), max_drop),
        flips=list(flipped_items(a, b)) if isinstance(a, RunRecord) and isinstance(b, RunRecord) else [],
    )


def _baseline_mismatch(name: str, baseline: Baseline, other: str, missing: list[str]) -> EvalError:
    return EvalError(
        f"{name} is a baseline of {len(baseline.gold_articles)} articles with no per-article scores, and "
        f"{other} did not score {len(missing)} of them ({', '.join(missing)}); a baseline compares only "
        f"with a run that scored all of its articles: pass a run of `digest eval run --engine "
        f"{baseline.engine}` (default --gold evals/gold), or two run directories, or re-record the "
        f"baseline with `digest eval baseline`"
    )


def _article_ids(source: Compared) -> list[str]:
    if isinstance(source, Baseline):
        return source.gold_articles
    return [article.id for article in source.articles]


def _scores(source: Compared, shared: list[str]) -> Scores:
    if isinstance(source, Baseline):
        return Scores(
            fields=dict(source.fields),
            grounding_rate=source.grounding_rate,
            schema_validity_rate=source.schema_validity_rate,
            casualty_accuracy=source.casualty_accuracy,
            failed_articles=None,
        )
    articles = [article for article in source.articles if article.id in set(shared)]
    metrics = set_metrics(
        [article.metrics for article in articles], sum(1 for article in articles if article.error)
    )
    return Scores(
        fields=metrics.fields,
        grounding_rate=metrics.grounding_rate,
        schema_validity_rate=metrics.schema_validity_rate,
        casualty_accuracy=metrics.casualty_accuracy,
        failed_articles=metrics.failed_articles,
    )


def common_articles(a: RunRecord, b: RunRecord) -> Iterator[tuple[ArticleResult, ArticleResult]]:
    for article in a.articles:
        other = b.article(article.id)
        if other is not None:
            yield article, other


def flipped_items(a: RunRecord, b: RunRecord) -> Iterator[Flip]:
    """Gold items (by id) matched in A and missed in B, then those missed in A and matched in B."""
    for article_a, article_b in common_articles(a, b):
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
        "Per field (micro-averaged over the shared articles)",
        _field_table(comparison.a.scores, comparison.b.scores),
        "Other metrics",
        _other_table(comparison.a.scores, comparison.b.scores),
        "Per article (F1 A → B)",
        _article_table(comparison),
        _flip_lines(comparison),
        _verdict(comparison),
    ]
    return "\n\n".join(part for part in parts if part) + "\n"


def describe_side(label: str, side: Side) -> str:
    if isinstance(side.source, Baseline):
        engine = side.source.engine
        return f"{label} ({side.name}): baseline of the {engine} engine, {len(side.articles)} articles"
    config = side.source.config
    prompt = f", prompt {config.prompt_version}" if config.prompt_version else ""
    model = f", model {config.model}" if config.model else ""
    return (
        f"{label} ({side.name}): {config.engine}{model}{prompt}, {len(side.articles)} articles, "
        f"started {config.started_at:%Y-%m-%d %H:%M:%S}"
    )


def scope_lines(comparison: Comparison) -> list[str]:
    """Which articles were compared, and the ones left out because only one run scored them."""
    lines = [f"compared on the {len(comparison.shared)} articles both runs scored"]
    if comparison.only_a:
        lines.append(f"only in A, not compared: {', '.join(comparison.only_a)}")
    if comparison.only_b:
        lines.append(f"only in B, not compared: {', '.join(comparison.only_b)}")
    fingerprints = {_fingerprint(side.source) for side in (comparison.a, comparison.b)}
    if len(fingerprints) > 1 and not (comparison.only_a or comparison.only_b):
        lines.append("note: the gold labels or article texts differ between the runs")
    return lines


def _fingerprint(source: Compared) -> str | None:
    return source.gold_fingerprint if isinstance(source, Baseline) else source.config.gold_fingerprint


def _runs_header(comparison: Comparison) -> str:
    return "\n".join(
        [describe_side("A", comparison.a), describe_side("B", comparison.b), *scope_lines(comparison)]
    )


def _field_table(a: Scores, b: Scores) -> str:
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


def other_metrics(a: Scores, b: Scores) -> list[tuple[str, float, float]]:
    return [
        ("grounding rate", a.grounding_rate, b.grounding_rate),
        ("schema-validity rate", a.schema_validity_rate, b.schema_validity_rate),
        ("casualty accuracy", a.casualty_accuracy, b.casualty_accuracy),
    ]


def _count(value: int | None) -> str:
    return "—" if value is None else str(value)


def _other_table(a: Scores, b: Scores) -> str:
    rows = [
        [label, score(mine), score(theirs), delta(theirs - mine)]
        for label, mine, theirs in other_metrics(a, b)
    ]
    rows.append(["failed articles", _count(a.failed_articles), _count(b.failed_articles), ""])
    return text_table(["metric", "A", "B", "Δ"], rows)


def _article_table(comparison: Comparison) -> str:
    run_a, run_b = comparison.a.run, comparison.b.run
    if run_a is None or run_b is None:
        return "(a baseline holds no per-article scores: compare two runs to see articles and flipped items)"
    rows = []
    for article_a, article_b in common_articles(run_a, run_b):
        cells = []
        for name in FIELDS:
            mine, theirs = article_a.metrics.fields[name].f1, article_b.metrics.fields[name].f1
            change = delta(theirs - mine)
            cells.append(f"{mine:.2f}→{theirs:.2f}" + ("" if change == "0" else f" ({change})"))
        grounding = f"{article_a.metrics.grounding_rate:.2f}→{article_b.metrics.grounding_rate:.2f}"
        rows.append([article_a.id, *cells, grounding])
    return text_table(["article", *(name.value for name in FIELDS), "grounded"], rows)


def _flip_lines(comparison: Comparison) -> str:
    if comparison.a.run is None or comparison.b.run is None:
        return ""
    if not comparison.flips:
        return "Flipped items: none"
    lines = ["Flipped items (gold items matched in one run and missed in the other)"]
    for flip in comparison.flips:
        text = flip.item.text_ar if len(flip.item.text_ar) <= 80 else flip.item.text_ar[:79] + "…"
        where = f"{flip.article_id} {flip.field.value} {flip.item.id}"
        lines.append(f"  {flip.change}: {where} «{text}» ({flip.item.label})")
    return "\n".join(lines)


def _verdict(comparison: Comparison) -> str:
    scope = f"on the {len(comparison.shared)} shared articles"
    if not comparison.failed:
        return (
            f"OK: {scope}, no field F1 and not the grounding rate dropped by more than "
            f"{comparison.max_drop:g}"
        )
    lines = [f"REGRESSION {scope}: dropped by more than {comparison.max_drop:g}:"]
    lines += [f"  {regression.describe()}" for regression in comparison.regressions]
    return "\n".join(lines)
