"""The numbers of a run: precision / recall / F1, grounding, schema validity, casualty agreement.

Conventions:
* precision = matched / predicted, recall = matched / gold, F1 = their harmonic mean. Predicting
  nothing is not precise: precision over zero predictions is 0 when the gold has items (an engine
  that failed, or found nothing, scores 0, not 1); recall over an empty gold field is 1. Only a
  field with nothing to find and nothing predicted is perfect (P = R = F1 = 1);
* set figures are micro averages: counts summed over the articles first, then the ratios;
* grounding rate = predicted items whose every span is verbatim at its offsets / predicted items
  (an actor's spans are its mentions, an event's its evidence); 0 when nothing was predicted;
* schema-validity rate = articles whose digest validates as `Digest` / articles (a failed engine
  call counts as invalid);
* casualty accuracy = low/best/high values equal to the gold entry's / (3 × gold casualty entries),
  see `evals.casualties`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from statistics import fmean
from typing import Any

from pydantic import ValidationError

from evals.gold import GoldKind
from evals.records import (
    FIELDS,
    ArticleMetrics,
    ArticleResult,
    CasualtyCheck,
    FieldName,
    FieldScore,
    SetMetrics,
)
from schemas.digest import Digest
from service.digest.spans import is_verbatim, spans_of


def ratio(numerator: int | float, denominator: int | float) -> float:
    """numerator / denominator, 1.0 when the denominator is 0."""
    return numerator / denominator if denominator else 1.0


def f1_score(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def precision_of(true_positives: int, predicted: int, gold: int) -> float:
    """matched / predicted; over zero predictions 0, unless there was nothing to find either."""
    if predicted == 0:
        return 1.0 if gold == 0 else 0.0
    return true_positives / predicted


def field_score(true_positives: int, predicted: int, gold: int) -> FieldScore:
    precision, recall = precision_of(true_positives, predicted, gold), ratio(true_positives, gold)
    return FieldScore(
        true_positives=true_positives,
        predicted=predicted,
        gold=gold,
        precision=precision,
        recall=recall,
        f1=f1_score(precision, recall),
    )


def summed_score(scores: Iterable[FieldScore]) -> FieldScore:
    """The micro average: counts summed, then the ratios."""
    items = list(scores)
    return field_score(
        sum(score.true_positives for score in items),
        sum(score.predicted for score in items),
        sum(score.gold for score in items),
    )


# --------------------------------------------------------------------------- grounding and validity


@dataclass(frozen=True)
class GroundingCount:
    grounded: int
    items: int


def grounding_count(article: str, digest: Digest) -> GroundingCount:
    items = spans_of(digest)
    grounded = sum(1 for item in items if all(is_verbatim(article, span) for span in item.spans))
    return GroundingCount(grounded=grounded, items=len(items))


def grounding_rate(grounded: int, items: int) -> float:
    """Grounded / predicted items; 0 when nothing was predicted (nothing shown is nothing trusted)."""
    return grounded / items if items else 0.0


def validates_as_digest(digest_json: dict[str, Any] | str | None) -> bool:
    if digest_json is None:
        return False
    try:
        if isinstance(digest_json, str):
            Digest.model_validate_json(digest_json)
        else:
            Digest.model_validate(digest_json)
    except ValidationError:
        return False
    return True


# --------------------------------------------------------------------------- one article, the whole set


def article_metrics(
    field_scores: dict[FieldName, FieldScore],
    grounding: GroundingCount,
    schema_valid: bool,
    casualties: Sequence[CasualtyCheck],
    *,
    latency_ms: float | None = None,
    total_tokens: int | None = None,
    cached: bool = False,
) -> ArticleMetrics:
    values_equal = sum(check.values_equal for check in casualties)
    values_total = 3 * len(casualties)
    return ArticleMetrics(
        fields=field_scores,
        grounded_items=grounding.grounded,
        predicted_items=grounding.items,
        grounding_rate=grounding_rate(grounding.grounded, grounding.items),
        schema_valid=schema_valid,
        casualty_values_equal=values_equal,
        casualty_values_total=values_total,
        casualty_accuracy=ratio(values_equal, values_total),
        latency_ms=latency_ms,
        total_tokens=total_tokens,
        cached=cached,
    )


def set_metrics(articles: Sequence[ArticleMetrics], failed_articles: int = 0) -> SetMetrics:
    latencies = [article.latency_ms for article in articles if article.latency_ms is not None]
    tokens = [article.total_tokens for article in articles if article.total_tokens is not None]
    return SetMetrics(
        articles=len(articles),
        fields={name: summed_score(article.fields[name] for article in articles) for name in FIELDS},
        macro_f1={
            name: fmean(article.fields[name].f1 for article in articles) if articles else 1.0
            for name in FIELDS
        },
        grounding_rate=grounding_rate(
            sum(article.grounded_items for article in articles),
            sum(article.predicted_items for article in articles),
        ),
        schema_validity_rate=ratio(sum(1 for article in articles if article.schema_valid), len(articles)),
        casualty_accuracy=ratio(
            sum(article.casualty_values_equal for article in articles),
            sum(article.casualty_values_total for article in articles),
        ),
        failed_articles=failed_articles,
        latency_ms_mean=round(fmean(latencies), 2) if latencies else None,
        latency_ms_total=round(sum(latencies), 2) if latencies else None,
        tokens_mean=round(fmean(tokens), 1) if tokens else None,
        tokens_total=sum(tokens) if tokens else None,
    )


def metrics_by_kind(results: Sequence[ArticleResult]) -> dict[str, SetMetrics]:
    """`set_metrics` over the articles of each kind (seed, challenge, real) that the run scored."""
    return {
        kind.value: set_metrics(
            [result.metrics for result in of_kind],
            sum(1 for result in of_kind if result.error is not None),
        )
        for kind in GoldKind
        if (of_kind := [result for result in results if result.kind == kind.value])
    }
