"""Casualty reconciliation checked against the gold: low / best / high per metric and place.

Each gold casualty entry is matched, one to one, with the predicted entry of the same metric and
place (names compared by `evals.names` keys; a missing place is compatible with any place, an equal
place is preferred); it scores the number of its low / best / high values the prediction equals,
0 when nothing matches. Predicted entries with no gold counterpart are not penalised here: their
figures already count as spurious figures.
"""

from __future__ import annotations

from collections.abc import Sequence

from evals.assignment import assign
from evals.matching import same_place
from evals.names import arabic_name_keys
from evals.records import CasualtyCheck
from schemas.digest import Casualty


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


def _casualty_similarity(gold: Casualty, predicted: Casualty) -> float | None:
    """None unless metric and place agree; an equal place scores above any place-less entry, then values."""
    if predicted.metric != gold.metric or not same_place(gold.location, predicted.location):
        return None
    equal_place = 3 if _equal_places(gold, predicted) else 0
    return (_values_equal(_bounds(gold), _bounds(predicted)) + equal_place) / 6


def casualty_checks(gold: Sequence[Casualty], predicted: Sequence[Casualty]) -> list[CasualtyCheck]:
    """Each gold casualty entry with the predicted entry it matched, and how many values agree."""
    pairs = dict(assign([[_casualty_similarity(mine, theirs) for theirs in predicted] for mine in gold]))
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
