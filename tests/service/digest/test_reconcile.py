"""Casualty reconciliation on hand-made figure lists whose right answer is known (the rule: module
docstring of `service.digest.reconcile`)."""

from __future__ import annotations

from itertools import count

import pytest

from schemas.digest import Casualty, Figure, Location, Metric, Qualifier, Scope, Span
from schemas.metrics import CASUALTY_METRICS
from service.digest.reconcile import period_key, place_key, reconcile, scope_of_period

_positions = count(0, 10)

GHOUTA = Location(name_ar="الغوطة الشرقية", name_en="Eastern Ghouta")
IDLIB = Location(name_ar="ريف إدلب")


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
    scope: Scope = Scope.incident,
    location: Location | None = GHOUTA,
    low: int | None = None,
    high: int | None = None,
) -> Figure:
    """A figure claim (at Eastern Ghouta unless told); later figures stand later in the imaginary article."""
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
        scope=scope,
        location=location,
        span=Span(start=start, end=start + 3, text="abc"),
    )


def bounds(casualty: Casualty) -> tuple[int, int, int, bool]:
    return casualty.low.value, casualty.best.value, casualty.high.value, casualty.conflicting


def test_one_exact_figure() -> None:
    (casualty,) = reconcile([figure("f1", 80, source="a1")])
    assert casualty.metric is Metric.killed
    assert casualty.location == GHOUTA
    assert bounds(casualty) == (80, 80, 80, False)
    assert casualty.low.figure_ids == casualty.best.figure_ids == casualty.high.figure_ids == ["f1"]
    assert casualty.low.source_actor_ids == ["a1"]
    assert casualty.figure_ids == ["f1"]


def test_a_subset_is_not_added_to_its_total() -> None:
    figures = [
        figure("f1", 229, source="a1"),
        figure("f2", 58, source="a1", part_of="f1"),
        figure("f3", 43, source="a1", part_of="f1"),
    ]
    (casualty,) = reconcile(figures)
    assert bounds(casualty) == (229, 229, 229, False)
    assert casualty.figure_ids == ["f1"]


def test_a_later_figure_of_the_same_source_supersedes_the_earlier() -> None:
    figures = [figure("f1", 12, source="a1"), figure("f2", 19, source="a1")]  # ارتفعت الحصيلة إلى 19
    (casualty,) = reconcile(figures)
    assert bounds(casualty) == (19, 19, 19, False)
    assert casualty.figure_ids == ["f2"]


def test_a_later_lower_figure_of_the_same_source_supersedes_too() -> None:
    figures = [figure("f1", 229, source="a1"), figure("f2", 75, source="a1")]
    (casualty,) = reconcile(figures)
    assert bounds(casualty) == (75, 75, 75, False)
    assert casualty.figure_ids == ["f2"]


def test_supersession_keeps_only_the_latest_figure_of_each_source() -> None:
    figures = [
        figure("f1", 10, Qualifier.vague, low=10, source="a1"),
        figure("f2", 19, source=None),
        figure("f3", 23, Qualifier.at_least, source="a2"),
        figure("f4", 30, source="a1"),
        figure("f5", 37, Qualifier.at_least, source="a1"),
    ]
    (casualty,) = reconcile(figures)
    assert casualty.figure_ids == ["f2", "f3", "f5"]
    assert bounds(casualty) == (19, 23, 37, True)


def test_unattributed_figures_never_supersede() -> None:
    figures = [
        figure("f1", 80, Qualifier.at_least),
        figure("f2", 100, Qualifier.vague, low=100),
        figure("f3", 80),
    ]
    (casualty,) = reconcile(figures)
    assert casualty.figure_ids == ["f1", "f2", "f3"]
    assert bounds(casualty) == (80, 80, 100, False)  # no source stated: no disagreement between sources
    assert casualty.low.figure_ids == casualty.best.figure_ids == ["f1", "f3"]
    assert casualty.best.source_actor_ids == []


def test_figures_of_other_sources_never_supersede() -> None:
    figures = [
        figure("f1", 170, Qualifier.more_than, source="a2"),
        figure("f2", 207, Qualifier.more_than, source="a3"),
    ]
    (casualty,) = reconcile(figures)
    assert casualty.figure_ids == ["f1", "f2"]
    # values [170, 207]: lower median 170, clamped up to low 171; high = 207 + 1
    assert bounds(casualty) == (171, 171, 208, True)
    assert casualty.best.figure_ids == ["f1"]


def test_two_disagreeing_sources() -> None:
    figures = [
        figure("f1", 40000, metric=Metric.displaced, source="a4"),
        figure("f2", 2500, Qualifier.more_than, metric=Metric.displaced, source="a6"),
        figure("f3", 4127, Qualifier.about, metric=Metric.displaced, source="a5"),
        figure("f4", 40000, Qualifier.more_than, metric=Metric.displaced, source="a7"),
    ]
    (casualty,) = reconcile(figures)
    assert casualty.metric is Metric.displaced
    assert bounds(casualty) == (2501, 4127, 40001, True)
    assert (casualty.low.figure_ids, casualty.low.source_actor_ids) == (["f2"], ["a6"])
    assert (casualty.best.figure_ids, casualty.best.source_actor_ids) == (["f3"], ["a5"])
    assert (casualty.high.figure_ids, casualty.high.source_actor_ids) == (["f4"], ["a7"])


def test_best_is_the_lower_median_of_the_values() -> None:
    figures = [
        figure("f1", 14, source="a3"),
        figure("f2", 10, source="a1"),
        figure("f3", 20, source="a4"),
        figure("f4", 12, Qualifier.about, source="a2"),
    ]
    (casualty,) = reconcile(figures)
    assert bounds(casualty) == (10, 12, 20, True)  # sorted 10, 12, 14, 20: element (4 - 1) // 2
    assert casualty.best.figure_ids == ["f4"]


def test_bound_sources_are_deduplicated_in_text_order() -> None:
    figures = [
        figure("f1", 7, source="a9"),
        figure("f2", 7),
        figure("f3", 7, Qualifier.at_least, source="a2"),
    ]
    (casualty,) = reconcile(figures)
    assert bounds(casualty) == (7, 7, 7, False)
    assert casualty.best.figure_ids == ["f1", "f2", "f3"]
    assert casualty.best.source_actor_ids == ["a9", "a2"]


def test_the_same_value_from_two_sources_is_no_conflict() -> None:
    figures = [figure("f1", 80, source="a1"), figure("f2", 80, Qualifier.at_least, source="a2")]
    (casualty,) = reconcile(figures)
    assert bounds(casualty) == (80, 80, 80, False)


def test_a_lone_more_than_claim() -> None:
    (casualty,) = reconcile([figure("f1", 400, Qualifier.more_than, source="a2")])
    assert bounds(casualty) == (401, 401, 401, False)
    assert casualty.low.figure_ids == casualty.best.figure_ids == casualty.high.figure_ids == ["f1"]
    assert casualty.best.source_actor_ids == ["a2"]


def test_vague_claims_count_their_value() -> None:
    figures = [
        figure("f1", 3, Qualifier.vague, low=3, high=9, metric=Metric.injured, source="a1"),
        figure("f2", 10, Qualifier.vague, low=10, metric=Metric.injured, source="a2"),
    ]
    (casualty,) = reconcile(figures)
    assert bounds(casualty) == (3, 3, 10, True)


# ------------------------------------------------------------------ up_to


def test_a_lone_up_to_claim_gives_a_low_of_zero() -> None:
    (casualty,) = reconcile([figure("f1", 30, Qualifier.up_to, source="a1")])
    assert bounds(casualty) == (0, 30, 30, False)
    assert casualty.low.figure_ids == ["f1"]


def test_up_to_claims_only_give_a_low_of_zero() -> None:
    figures = [figure("f1", 30, Qualifier.up_to, source="a1"), figure("f2", 50, Qualifier.up_to, source="a2")]
    (casualty,) = reconcile(figures)
    assert bounds(casualty) == (0, 30, 50, True)
    assert casualty.low.figure_ids == ["f1", "f2"]


def test_an_up_to_claim_next_to_others_is_ignored_for_low() -> None:
    figures = [
        figure("f1", 40, Qualifier.up_to, metric=Metric.injured, source="a1"),
        figure("f2", 60, Qualifier.about, metric=Metric.injured, source="a2"),
    ]
    (casualty,) = reconcile(figures)
    # values [40, 60]: the lower median 40 is clamped up to low = 60
    assert bounds(casualty) == (60, 60, 60, True)
    assert casualty.low.figure_ids == casualty.best.figure_ids == casualty.high.figure_ids == ["f2"]
    assert casualty.figure_ids == ["f1", "f2"]


def test_an_up_to_claim_still_counts_for_high_and_best() -> None:
    figures = [
        figure("f1", 20, source="a1"),
        figure("f2", 50, Qualifier.up_to, source="a2"),
        figure("f3", 30, Qualifier.at_least, source="a3"),
    ]
    (casualty,) = reconcile(figures)
    assert bounds(casualty) == (20, 30, 50, True)
    assert casualty.high.figure_ids == ["f2"]


# ------------------------------------------------------------------ grouping


def test_two_places_are_kept_apart() -> None:
    figures = [
        figure("f1", 75, source="a1", location=GHOUTA),
        figure("f2", 7, Qualifier.at_least, location=IDLIB),
        figure("f3", 7, location=IDLIB),
    ]
    casualties = reconcile(figures)
    assert [(c.location, c.figure_ids, bounds(c)) for c in casualties] == [
        (GHOUTA, ["f1"], (75, 75, 75, False)),
        (IDLIB, ["f2", "f3"], (7, 7, 7, False)),
    ]


def test_places_group_without_clitics_and_spelling_variants() -> None:
    with_clitic = Location(name_ar="والغوطة الشرقية")
    variant = Location(name_ar="بالغوطه الشرقيّة")
    figures = [
        figure("f1", 80, source="a1", location=with_clitic),
        figure("f2", 95, source="a2", location=GHOUTA),
        figure("f3", 90, source="a3", location=variant),
    ]
    (casualty,) = reconcile(figures)
    assert casualty.figure_ids == ["f1", "f2", "f3"]
    assert casualty.location == with_clitic  # the location of the group's earliest figure
    assert bounds(casualty) == (80, 90, 95, True)


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("الغوطة الشرقية", "الغوطه الشرقيه"),
        ("والغوطة الشرقية", "الغوطه الشرقيه"),
        ("فالرقة", "الرقه"),
        ("لالرقة", "الرقه"),
        ("بإدلب", "بادلب"),  # no ال after the ب: kept
        ("وادي الغار", "وادي الغار"),  # و is part of the name
        ("ولا", "ولا"),
        ("  حلب ", "حلب"),
    ],
)
def test_place_key(name: str, key: str) -> None:
    assert place_key(Location(name_ar=name)) == key


def test_incident_figures_without_event_or_place_are_each_their_own_toll() -> None:
    figures = [  # nothing says the 3 and the "about 4" are one incident: no claim is weighed against another
        figure("f1", 3, location=None),
        figure("f2", 75, source="a1"),
        figure("f3", 4, Qualifier.about, location=None),
    ]
    casualties = reconcile(figures)
    assert [(c.location, c.figure_ids) for c in casualties] == [
        (None, ["f1"]),
        (GHOUTA, ["f2"]),
        (None, ["f3"]),
    ]
    assert place_key(None) is None


def test_running_counts_without_a_place_are_one_toll() -> None:
    figures = [
        figure("f1", 9000, location=None, scope=Scope.cumulative, source="a1"),
        figure("f2", 9500, location=None, scope=Scope.cumulative, source="a2"),
    ]
    assert [c.figure_ids for c in reconcile(figures)] == [["f1", "f2"]]


def test_two_incidents_at_one_place_are_two_tolls() -> None:
    figures = [  # a strike on a hospital and the shelling of a neighbourhood, in one city
        figure("f1", 3, source="a7", event="e3"),
        figure("f2", 4, source="a5", event="e2"),
        figure("f3", 3, source="a8", event="e3"),
    ]
    casualties = reconcile(figures)
    assert [(c.event_id, c.figure_ids, bounds(c)) for c in casualties] == [
        ("e3", ["f1", "f3"], (3, 3, 3, False)),
        ("e2", ["f2"], (4, 4, 4, False)),
    ]


def test_a_later_figure_of_another_incident_supersedes_nothing() -> None:
    figures = [figure("f1", 12, source="a1", event="e1"), figure("f2", 19, source="a1", event="e2")]
    assert [c.figure_ids for c in reconcile(figures)] == [["f1"], ["f2"]]


def test_an_incident_a_period_and_a_running_count_are_three_tolls() -> None:
    figures = [
        figure("f1", 80, Qualifier.at_least, event="e1"),  # yesterday's strikes
        figure("f2", 100, Qualifier.vague, low=100, event="e1", period="منذ شهر", scope=Scope.period),
        figure("f3", 350000, source="a1", period="منذ اندلاع النزاع", scope=Scope.cumulative, location=None),
        figure("f4", 80, event="e1"),
    ]
    casualties = reconcile(figures)
    assert [(c.scope, c.event_id, c.figure_ids, bounds(c)) for c in casualties] == [
        (Scope.incident, "e1", ["f1", "f4"], (80, 80, 80, False)),
        (Scope.period, "e1", ["f2"], (100, 100, 100, False)),
        (Scope.cumulative, None, ["f3"], (350000, 350000, 350000, False)),
    ]


def test_sources_disagree_only_between_named_sources() -> None:
    unattributed = [figure("f1", 80, Qualifier.at_least), figure("f2", 100, Qualifier.vague, low=100)]
    assert not reconcile(unattributed)[0].conflicting
    one_named = [figure("f1", 80, source="a1"), figure("f2", 95)]
    assert not reconcile(one_named)[0].conflicting
    two_named = [figure("f1", 80, source="a1"), figure("f2", 95), figure("f3", 90, source="a2")]
    assert reconcile(two_named)[0].conflicting


def test_metrics_are_kept_apart_and_non_casualty_metrics_skipped() -> None:
    figures = [
        figure("f8", 700, metric=Metric.evacuated),
        figure("f1", 150, metric=Metric.injured, source="a1"),
        figure("f2", 80, metric=Metric.killed, source="a1"),
        figure("f3", 14, metric=Metric.strikes, source="a2"),
        figure("f4", 20, metric=Metric.shells, source="a2"),
        figure("f5", 400000, Qualifier.about, metric=Metric.besieged_population),
        figure("f6", 5, metric=Metric.facilities_hit),
        figure("f9", 9, metric=Metric.other),
        figure("f7", 40000, metric=Metric.displaced, source="a4"),
    ]
    casualties = reconcile(figures)
    assert [casualty.metric for casualty in casualties] == list(CASUALTY_METRICS)
    assert [casualty.best.value for casualty in casualties] == [80, 150, 40000, 700]


def test_output_is_in_metric_order_then_text_order_whatever_the_input_order() -> None:
    figures = [
        figure("f1", 5, metric=Metric.injured, location=IDLIB),
        figure("f2", 7, location=IDLIB),
        figure("f3", 9, metric=Metric.injured, location=GHOUTA),
        figure("f4", 75, location=GHOUTA),
    ]
    expected = [
        (Metric.killed, ["f2"]),
        (Metric.killed, ["f4"]),
        (Metric.injured, ["f1"]),
        (Metric.injured, ["f3"]),
    ]
    assert [(c.metric, c.figure_ids) for c in reconcile(figures)] == expected
    assert [(c.metric, c.figure_ids) for c in reconcile(figures[::-1])] == expected
    assert reconcile(figures) == reconcile(figures[::-1])


# ------------------------------------------------------------------ scope


@pytest.mark.parametrize(
    ("period", "scope"),
    [
        ("منذ اندلاع الحرب", Scope.cumulative),
        ("منذ بدء النزاع في سوريا", Scope.cumulative),
        ("منذ بداية الثورة", Scope.cumulative),
        ("منذ بدء العدوان على غزة", Scope.cumulative),
        ("منذ الانقلاب", Scope.cumulative),
        ("طوال الحرب", Scope.cumulative),
        ("منذ اندلاع المعارك في نيسان", Scope.cumulative),
        ("منذ آذار 2011", Scope.cumulative),
        ("منذ عام 2011", Scope.cumulative),
        ("منذ عام 2015", Scope.cumulative),
        ("منذ مارس 2015", Scope.cumulative),
        ("خلال 2016", Scope.cumulative),
        ("منذ مطلع العام", Scope.cumulative),
        ("منذ بداية العام الجاري", Scope.cumulative),
        ("خلال العام الماضي", Scope.cumulative),
        ("منذ اندلاعه قبل ست سنوات", Scope.cumulative),
        ("خلال سبع سنوات", Scope.cumulative),
        ("خلال السنوات الماضية", Scope.cumulative),
        ("منذ سنوات", Scope.cumulative),
        ("منذ بداية الشهر", Scope.period),
        ("منذ بدء الحملة", Scope.period),
        ("منذ بدء الهجوم على المدينة", Scope.period),
        ("خلال المعارك الأخيرة", Scope.period),
        ("الأسبوع الماضي", Scope.period),
        ("منذ مساء الأحد", Scope.period),
        ("خلال ثلاثة أيام", Scope.period),
        ("خلال 24 ساعة", Scope.period),
        ("منذ شهر", Scope.period),
        ("", Scope.incident),
        (None, Scope.incident),
    ],
)
def test_scope_of_period(period: str | None, scope: Scope) -> None:
    assert scope_of_period(period) is scope


def test_nothing_to_reconcile() -> None:
    assert reconcile([]) == []
    assert reconcile([figure("f1", 3, metric=Metric.strikes)]) == []
    assert reconcile([figure("f1", 3, part_of="f0")]) == []


def test_two_periods_are_two_tolls_and_one_period_written_twice_is_one() -> None:
    figures = [
        figure("f1", 1332, source="a8", period="خلال شهر تموز الماضي", scope=Scope.period),
        figure("f2", 1446, period="شهر حزيران الماضي", scope=Scope.period),
        figure(
            "f3",
            170,
            Qualifier.more_than,
            source="a5",
            period="خلال الأيام الثلاثة الماضية",
            scope=Scope.period,
        ),
        figure("f4", 207, Qualifier.more_than, source="a1", period="خلال ثلاثة أيام", scope=Scope.period),
    ]
    casualties = reconcile(figures)
    assert [(c.period_ar, c.figure_ids, c.conflicting) for c in casualties] == [
        ("خلال شهر تموز الماضي", ["f1"], False),
        ("شهر حزيران الماضي", ["f2"], False),
        ("خلال الأيام الثلاثة الماضية", ["f3", "f4"], True),
    ]
    assert period_key("في الأيام الأربعة الماضية") != period_key("خلال ثلاثة أيام")


def test_a_stated_range_gives_its_own_bounds() -> None:
    (casualty,) = reconcile([figure("f1", 25, low=25, high=30, source="a1")])
    assert bounds(casualty) == (25, 25, 30, False)
    assert casualty.high.figure_ids == ["f1"]


def test_a_range_beside_an_exact_claim_spans_both() -> None:
    (casualty,) = reconcile([figure("f1", 12, source="a1"), figure("f2", 15, low=15, high=20, source="a2")])
    assert bounds(casualty) == (12, 12, 20, True)
    assert casualty.high.figure_ids == ["f2"]
