"""What a saved eval run holds (`run.json`): its configuration, per-article matches and the metrics.

Models are lenient on read (unknown keys are ignored) so that runs saved by an older or newer
version of the harness can still be compared.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

RUN_FORMAT = "digest-eval-run/1"


class Record(BaseModel):
    model_config = ConfigDict(extra="ignore")


class FieldName(StrEnum):
    """The item lists of a digest that are scored with precision, recall and F1."""

    actors = "actors"
    figures = "figures"
    quotes = "quotes"
    events = "events"


FIELDS: tuple[FieldName, ...] = tuple(FieldName)


class SpanRef(Record):
    start: int
    end: int


class ItemRef(Record):
    """One gold or predicted item as the reports show it."""

    id: str
    label: str = Field(description="A one-line English description: metric and value, type and place ...")
    text_ar: str = Field(description="The Arabic it stands on: the name, the quote, the figure's phrase")
    spans: list[SpanRef] = Field(default_factory=list)


class MatchedPair(Record):
    gold: ItemRef
    predicted: ItemRef
    similarity: float


class FieldMatches(Record):
    pairs: list[MatchedPair] = Field(default_factory=list)
    missed: list[ItemRef] = Field(default_factory=list, description="Gold items no prediction matched")
    spurious: list[ItemRef] = Field(default_factory=list, description="Predictions that match no gold item")


class FieldScore(Record):
    true_positives: int
    predicted: int
    gold: int
    precision: float
    recall: float
    f1: float


class CasualtyCheck(Record):
    """One gold casualty entry and the predicted entry it was matched with (by metric and place)."""

    metric: str
    place: str | None
    gold: list[int] = Field(description="low, best, high")
    predicted: list[int] | None = Field(description="low, best, high; null when nothing matched")
    values_equal: int


class ArticleMetrics(Record):
    fields: dict[FieldName, FieldScore]
    grounded_items: int
    predicted_items: int
    grounding_rate: float
    schema_valid: bool
    casualty_values_equal: int
    casualty_values_total: int
    casualty_accuracy: float
    latency_ms: float | None = None
    total_tokens: int | None = None
    cached: bool = False


class ArticleResult(Record):
    id: str
    title: str | None = None
    article_file: str
    synthetic: bool = False
    kind: str | None = Field(default=None, description="seed, challenge or real (evals.gold.GoldKind)")
    article_text: str
    error: str | None = Field(default=None, description="Why the engine gave no digest, if it failed")
    metrics: ArticleMetrics
    matches: dict[FieldName, FieldMatches]
    casualties: list[CasualtyCheck] = Field(default_factory=list)
    digest: dict[str, Any] | None = Field(default=None, description="The predicted digest as JSON")


class SetMetrics(Record):
    """Micro-averaged over every article of the gold set (counts summed, then the ratios)."""

    articles: int
    fields: dict[FieldName, FieldScore]
    macro_f1: dict[FieldName, float] = Field(description="Mean of the per-article F1, for reference")
    grounding_rate: float
    schema_validity_rate: float
    casualty_accuracy: float
    failed_articles: int = 0
    latency_ms_mean: float | None = None
    latency_ms_total: float | None = None
    tokens_mean: float | None = None
    tokens_total: int | None = None


class RunConfig(Record):
    engine: str
    model: str | None = None
    prompt_file: str | None = None
    prompt_version: str | None = None
    schema_version: str
    gold_dir: str
    gold_articles: list[str]
    gold_fingerprint: str | None = Field(default=None, description="Hash of the gold labels and articles")
    refresh: bool = False
    git_commit: str | None = None
    started_at: dt.datetime
    duration_s: float = 0.0


class RunRecord(Record):
    format: str = RUN_FORMAT
    config: RunConfig
    metrics: SetMetrics
    metrics_by_kind: dict[str, SetMetrics] = Field(
        default_factory=dict, description="The same metrics over each kind of gold article apart"
    )
    articles: list[ArticleResult]

    def article(self, article_id: str) -> ArticleResult | None:
        return next((article for article in self.articles if article.id == article_id), None)
