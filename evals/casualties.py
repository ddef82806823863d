"""Casualty reconciliation checked against the gold: low / best / high per toll (metric, scope, incident).

Each gold toll is matched, one to one, with a predicted toll of the same metric and scope that is the
same incident: their figures' spans overlap, or their places agree (names compared by `evals.names`
keys; a missing place is compatible with any place). Overlapping figures are preferred, then an equal
place, then equal values. A match scores the number of its low / best / high values the prediction
equals, 0 when nothing matches. Predicted tolls with no gold counterpart are not penalised here: their
figures already count as spurious figures.
"""

from __future__ import annotations

from collections.abc import Sequence

from evals.assignment import assign
from evals.matching import same_place
from evals.names import arabic_name_keys
from evals.records import CasualtyCheck
from schemas.digest import Casualty, Figure, Span


def _bounds(casualty: Casualty) -> list[int]:
    return [casualty.low.value, casualty.best.value, casualty.high.value]


def _place_label(casualty: Casualty) -> str | None:
    if casualty.location is None:
        return None
    return casualty.location.name_en or casualty.location.name_ar


def _values_equal(gold: Sequence[int], predicted: Sequence[int]) -> int:
    return sum(1 for mine, theirs in zip(gold, predicted, strict=False) if mine == theirs)


def _equal_places(gold: Casualty, predicted: Casualty) -> bool:
    if gold.location is None or predicted.location is None:
        return False
    return not arabic_name_keys(gold.location.name_ar).isdisjoint(
        arabic_name_keys(predicted.location.name_ar)
    )


def _spans(casualty: Casualty, figures: Sequence[Figure]) -> list[Span]:
    ids = set(casualty.figure_ids)
    return [figure.span for figure in figures if figure.id in ids]


def _casualty_similarity(gold: Casualty, predicted: Casualty, overlap: bool) -> float | None:
    """None unless metric and scope agree and the incident is the same (figures overlap or places agree)."""
    if predicted.metric != gold.metric or predicted.scope != gold.scope:
        return None
    if not overlap and not same_place(gold.location, predicted.location):
        return None
    shared = 8 if overlap else 0
    equal_place = 4 if _equal_places(gold, predicted) else 0
    return (_values_equal(_bounds(gold), _bounds(predicted)) + equal_place + shared) / 15


def casualty_checks(
    gold: Sequence[Casualty],
    predicted: Sequence[Casualty],
    gold_figures: Sequence[Figure],
    predicted_figures: Sequence[Figure],
) -> list[CasualtyCheck]:
    """Each gold toll with the predicted toll it matched, and how many values agree."""
    gold_spans = [_spans(casualty, gold_figures) for casualty in gold]
    predicted_spans = [_spans(casualty, predicted_figures) for casualty in predicted]
    similarity = [
        [
            _casualty_similarity(
                mine, theirs, any(a.overlaps(b) for a in gold_spans[i] for b in predicted_spans[j])
            )
            for j, theirs in enumerate(predicted)
        ]
        for i, mine in enumerate(gold)
    ]
    pairs = dict(assign(similarity))
    checks = []
    for index, entry in enumerate(gold):
        match = predicted[pairs[index]] if index in pairs else None
        predicted_bounds = _bounds(match) if match is not None else None
        checks.append(
            CasualtyCheck(
                metric=entry.metric.value,
                place=_place_label(entry),
                gold=_bounds(entry),
                predicted=predicted_bounds,
                values_equal=_values_equal(_bounds(entry), predicted_bounds or []),
            )
        )
    return checks
