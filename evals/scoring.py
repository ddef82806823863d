"""Score one predicted digest against one gold article."""

from __future__ import annotations

from evals.casualties import casualty_checks
from evals.gold import GoldArticle
from evals.matching import match_actors, match_events, match_figures, match_quotes
from evals.metrics import GroundingCount, article_metrics, field_score, grounding_count, validates_as_digest
from evals.records import ArticleResult, FieldMatches, FieldName
from schemas.digest import Digest


def field_matches(gold: GoldArticle, digest: Digest | None) -> dict[FieldName, FieldMatches]:
    """Per field: matched pairs, missed gold items, spurious predictions (all missed without a digest)."""
    if digest is None:
        return {
            FieldName.actors: match_actors(gold.actors, []),
            FieldName.figures: match_figures(gold.figures, []),
            FieldName.quotes: match_quotes(gold.quotes, []),
            FieldName.events: match_events(gold.events, []),
        }
    return {
        FieldName.actors: match_actors(gold.actors, digest.actors),
        FieldName.figures: match_figures(gold.figures, digest.figures),
        FieldName.quotes: match_quotes(gold.quotes, digest.quotes),
        FieldName.events: match_events(gold.events, digest.events),
    }


def score_article(
    gold: GoldArticle, article_text: str, digest: Digest | None, error: str | None = None
) -> ArticleResult:
    matches = field_matches(gold, digest)
    scores = {
        name: field_score(
            len(found.pairs), len(found.pairs) + len(found.spurious), len(found.pairs) + len(found.missed)
        )
        for name, found in matches.items()
    }
    digest_json = digest.model_dump(mode="json") if digest is not None else None
    casualties = casualty_checks(
        gold.casualties,
        digest.casualties if digest is not None else [],
        gold.figures,
        digest.figures if digest is not None else [],
    )
    provenance = digest.provenance if digest is not None else None
    metrics = article_metrics(
        scores,
        grounding_count(article_text, digest) if digest is not None else GroundingCount(0, 0),
        validates_as_digest(digest_json),
        casualties,
        latency_ms=provenance.latency_ms if provenance is not None else None,
        total_tokens=provenance.usage.total_tokens if provenance and provenance.usage else None,
        cached=provenance.cached if provenance is not None else False,
    )
    return ArticleResult(
        id=gold.id,
        title=gold.title,
        article_file=gold.article_file,
        synthetic=gold.synthetic,
        kind=gold.kind.value,
        article_text=article_text,
        error=error,
        metrics=metrics,
        matches=matches,
        casualties=casualties,
        digest=digest_json,
    )
