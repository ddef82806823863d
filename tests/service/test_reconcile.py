"""Casualty reconciliation on hand-made figure lists whose right answer is known."""

from __future__ import annotations

from itertools import count

import pytest

from schemas.digest import Casualty, Figure, Metric, Qualifier, Span
from service.reconcile import CASUALTY_METRICS, is_whole_war_toll, reconcile

_positions = count(0, 10)


def figure(
    id: str,
    value: int,
    qualifier: Qualifier = Qualifier.exact,
    *,
    metric: Metric = Metric.killed,
    source: str | None = None,
    part_of: str | None = None,
    event: str | None = None,
    period: str | None = None,
    low: int | None = None,
    high: int | None = None,
) -> Figure:
    """A figure claim; figures made later stand later in the (imaginary) article."""
    start = next(_positions)
    return Figure(
        id=id,
        value=value,
        low=low,
        high=high,
        qualifier=qualifier,
        metric=metric,
        source_actor_id=source,
        part_of=part_of,
        event_id=event,
        period_ar=period,
        span=Span(start=start, end=start + 3, text="abc"),
    )


def bounds(casualty: Casualty) -> tuple[int, int, int, bool]:
    return casualty.low.value, casualty.best.value, casualty.high.value, casualty.conflicting


def test_one_exact_figure() -> None:
    (casualty,) = reconcile([figure("f1", 80, source="a1")])
    assert casualty.metric is Metric.killed
    assert bounds(casualty) == (80, 80, 80, False)
    assert casualty.low.figure_ids == casualty.best.figure_ids == casualty.high.figure_ids == ["f1"]
    assert casualty.low.source_actor_ids == ["a1"]
    assert casualty.figure_ids == ["f1"]


def test_a_subset_is_not_added_to_its_total() -> None:
    figures = [
        figure("f1", 250, source="a1"),
        figure("f2", 60, Qualifier.about, source="a1", part_of="f1"),
    ]
    (casualty,) = reconcile(figures)
    assert bounds(casualty) == (250, 250, 250, False)
    assert casualty.figure_ids == ["f1"]


def test_a_later_higher_figure_of_the_same_source_supersedes() -> None:
    figures = [
        figure("f1", 75, source="a1"),
        figure("f2", 229, source="a1"),
    ]
    (casualty,) = reconcile(figures)
    assert bounds(casualty) == (229, 229, 229, False)
    assert casualty.figure_ids == ["f2"]


def test_a_later_lower_figure_of_the_same_source_supersedes_nothing() -> None:
    figures = [
        figure("f1", 229, source="a1"),
        figure("f2", 75, source="a1"),
    ]
    (casualty,) = reconcile(figures)
    assert casualty.figure_ids == ["f1", "f2"]
    assert (casualty.low.value, casualty.high.value) == (75, 229)
    assert casualty.conflicting is False  # one source


def test_figures_of_other_sources_never_supersede() -> None:
    figures = [
        figure("f1", 170, Qualifier.more_than, source="a2"),
        figure("f2", 207, Qualifier.more_than, source="a3"),
    ]
    (casualty,) = reconcile(figures)
    assert casualty.figure_ids == ["f1", "f2"]
    assert bounds(casualty) == (171, 171, 208, True)


def test_two_disagreeing_sources() -> None:
    figures = [
        figure("f1", 40000, metric=Metric.displaced, source="a4"),
        figure("f2", 4127, Qualifier.about, metric=Metric.displaced, source="a5"),
        figure("f3", 2500, Qualifier.more_than, metric=Metric.displaced, source="a6"),
    ]
    (casualty,) = reconcile(figures)
    assert casualty.metric is Metric.displaced
    assert bounds(casualty) == (2501, 4127, 40000, True)
    assert casualty.low.figure_ids == ["f3"]
    assert casualty.low.source_actor_ids == ["a6"]
    assert casualty.best.figure_ids == ["f2"]
    assert casualty.high.figure_ids == ["f1"]
    assert casualty.high.source_actor_ids == ["a4"]


def test_best_is_the_most_cited_value() -> None:
    figures = [
        figure("f1", 80, source="a1"),
        figure("f2", 95, source="a2"),
        figure("f3", 80, Qualifier.at_least, source="a3"),
    ]
    (casualty,) = reconcile(figures)
    assert bounds(casualty) == (80, 80, 95, True)
    assert casualty.best.figure_ids == ["f1", "f3"]
    assert casualty.best.source_actor_ids == ["a1", "a3"]


def test_the_same_value_from_two_sources_is_no_conflict() -> None:
    figures = [figure("f1", 80, source="a1"), figure("f2", 80, Qualifier.at_least, source="a2")]
    (casualty,) = reconcile(figures)
    assert bounds(casualty) == (80, 80, 80, False)


def test_figures_without_a_source_count_as_sources_of_their_own() -> None:
    (casualty,) = reconcile([figure("f1", 10), figure("f2", 12), figure("f3", 12)])
    assert bounds(casualty) == (10, 12, 12, True)
    assert casualty.best.figure_ids == ["f2", "f3"]
    assert casualty.best.source_actor_ids == []


def test_repeating_a_figure_does_not_make_it_more_cited() -> None:
    figures = [
        figure("f1", 10, source="a1"),
        figure("f2", 10, source="a1"),
        figure("f3", 12, source="a2"),
        figure("f4", 14, source="a3"),
    ]
    (casualty,) = reconcile(figures)
    assert casualty.best.value == 12  # three values cited once each: the median


def test_qualifiers_set_the_claim_bounds() -> None:
    figures = [
        figure("f1", 50, Qualifier.up_to, source="a1"),
        figure("f2", 3, Qualifier.vague, low=3, high=9, source="a2"),
        figure("f3", 10, Qualifier.vague, low=10, source="a3"),
    ]
    (casualty,) = reconcile(figures)
    assert (casualty.low.value, casualty.high.value) == (3, 50)
    assert casualty.low.figure_ids == ["f2"]
    assert casualty.high.figure_ids == ["f1"]


def test_only_up_to_claims_give_a_low_of_zero() -> None:
    (casualty,) = reconcile([figure("f1", 30, Qualifier.up_to)])
    assert bounds(casualty) == (0, 30, 30, False)


def test_metrics_are_kept_apart_and_non_casualty_metrics_skipped() -> None:
    figures = [
        figure("f1", 150, metric=Metric.injured, source="a1"),
        figure("f2", 80, metric=Metric.killed, source="a1"),
        figure("f3", 14, metric=Metric.strikes, source="a2"),
        figure("f4", 20, metric=Metric.shells, source="a2"),
        figure("f5", 400000, Qualifier.about, metric=Metric.besieged_population),
        figure("f6", 5, metric=Metric.facilities_hit),
        figure("f7", 40000, metric=Metric.displaced, source="a4"),
        figure("f8", 700, metric=Metric.evacuated),
    ]
    casualties = reconcile(figures)
    assert [casualty.metric for casualty in casualties] == list(CASUALTY_METRICS)
    assert [casualty.best.value for casualty in casualties] == [80, 150, 40000, 700]


def test_tolls_of_different_events_are_not_weighed_against_each_other() -> None:
    figures = [
        figure("f1", 75, source="a1", event="e1"),
        figure("f2", 7, Qualifier.at_least, source="a2", event="e2"),
    ]
    casualties = reconcile(figures)
    assert [(casualty.figure_ids, bounds(casualty)) for casualty in casualties] == [
        (["f1"], (75, 75, 75, False)),
        (["f2"], (7, 7, 7, False)),
    ]


@pytest.mark.parametrize(
    ("period", "whole_war"),
    [
        ("منذ اندلاع الحرب", True),
        ("منذ بدء النزاع في سوريا", True),
        ("منذ بداية الثورة", True),
        ("منذ آذار 2011", True),
        ("منذ عام 2011", True),
        ("منذ مساء الأحد", False),
        ("خلال ثلاثة أيام", False),
        (None, False),
    ],
)
def test_whole_war_periods(period: str | None, whole_war: bool) -> None:
    assert is_whole_war_toll(figure("f1", 1, period=period)) is whole_war


def test_a_whole_war_toll_is_left_out() -> None:
    figures = [
        figure("f1", 250, source="a1", period="منذ مساء الأحد"),
        figure("f2", 350000, source="a1", period="منذ اندلاع النزاع"),
    ]
    (casualty,) = reconcile(figures)
    assert casualty.figure_ids == ["f1"]


def test_the_caller_decides_what_is_a_whole_war_toll() -> None:
    figures = [figure("f1", 250, source="a1"), figure("f2", 500000, source="a2")]
    (casualty,) = reconcile(figures, whole_war=lambda figure_: figure_.id == "f2")
    assert casualty.figure_ids == ["f1"]


def test_nothing_to_reconcile() -> None:
    assert reconcile([]) == []
    assert reconcile([figure("f1", 3, metric=Metric.strikes)]) == []
    assert reconcile([figure("f1", 3, part_of="f0")]) == []
