"""Matching and metrics on hand-made cases whose right numbers are worked out by hand below."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from evals.assignment import assign
from evals.casualties import casualty_checks
from evals.gold import GoldArticle, GoldKind
from evals.matching import (
    actor_similarity,
    event_similarity,
    figure_similarity,
    quote_similarity,
    span_iou,
)
from evals.metrics import field_score, set_metrics
from evals.names import arabic_name_keys, english_name_key, same_arabic_name
from evals.records import FieldName
from evals.scoring import score_article
from schemas.digest import Bound, Casualty, EventType, Location, Metric, Qualifier, Scope, Span
from tests.evals.builders import actor, digest, event, figure, quote, span

ARTICLE = (
    "قال المرصد السوري لحقوق الإنسان إن 12 مدنيا قتلوا وأصيب 30 آخرون في قصف على دوما. "
    "وأفاد الدفاع المدني بمقتل 15 شخصا في دوما. "
    "وقال المتحدث باسم الدفاع المدني: «الوضع كارثي في الغوطة الشرقية ولا مستشفيات تعمل». "
    "وأكد المرصد أن الغارات استهدفت سوقا شعبيا."
)
SECOND_ARTICLE = "قتل 7 أشخاص في قصف على حمص."


def gold_article() -> GoldArticle:
    return GoldArticle(
        id="hand-made",
        article_file="(in memory)",
        synthetic=True,
        kind=GoldKind.challenge,
        actors=[
            actor(
                ARTICLE,
                "a1",
                "المرصد السوري لحقوق الإنسان",
                "Syrian Observatory for Human Rights",
                "المرصد السوري لحقوق الإنسان",
                "المرصد",
            ),
            actor(ARTICLE, "a2", "الدفاع المدني", "Civil Defence"),
        ],
        figures=[
            figure(ARTICLE, "f1", "12 مدنيا", 12, Metric.killed),
            figure(ARTICLE, "f2", "30 آخرون", 30, Metric.injured),
            figure(ARTICLE, "f3", "15 شخصا", 15, Metric.killed),
        ],
        quotes=[
            quote(ARTICLE, "q1", "الوضع كارثي في الغوطة الشرقية ولا مستشفيات تعمل"),
            quote(ARTICLE, "q2", "الغارات استهدفت سوقا شعبيا"),
        ],
        events=[event(ARTICLE, "e1", EventType.shelling, "دوما", "قصف على دوما")],
        casualties=[
            casualty(Metric.killed, "دوما", 12, 12, 15),
            casualty(Metric.injured, "دوما", 30, 30, 30),
        ],
    )


def casualty(
    metric: Metric,
    place: str | None,
    low: int,
    best: int,
    high: int,
    scope: Scope = Scope.incident,
    figure_id: str = "f1",
) -> Casualty:
    return Casualty(
        metric=metric,
        scope=scope,
        location=Location(name_ar=place) if place else None,
        low=Bound(value=low, figure_ids=[figure_id]),
        best=Bound(value=best, figure_ids=[figure_id]),
        high=Bound(value=high, figure_ids=[figure_id]),
        conflicting=low != high,
        figure_ids=[figure_id],
    )


def predicted_digest():
    return digest(
        ARTICLE,
        actors=[
            actor(ARTICLE, "a1", "المرصد", "SOHR"),  # = a gold mention of a1
            actor(ARTICLE, "a2", "الدفاع المدني", "Civil Defense"),  # = name_ar of a2
            actor(ARTICLE, "a3", "المتحدث", "spokesman"),  # spurious
        ],
        figures=[
            figure(ARTICLE, "f1", "12 مدنيا", 12, Metric.killed),  # = f1
            figure(ARTICLE, "f2", "30 آخرون", 30, Metric.killed),  # wrong metric: spurious, f2 missed
            figure(ARTICLE, "f3", "15 شخصا", 15, Metric.killed),  # = f3
        ],
        quotes=[quote(ARTICLE, "q1", "الوضع كارثي في الغوطة الشرقية")],  # IoU 29/47 with q1; q2 missed
        events=[
            event(ARTICLE, "e1", EventType.shelling, None, "قصف على دوما"),  # no place: compatible, = e1
            event(ARTICLE, "e2", EventType.shelling, "الغوطة الشرقية", "في قصف"),  # other place: spurious
        ],
        casualties=[casualty(Metric.killed, None, 12, 15, 15)],  # low and high equal gold, best not
        latency_ms=100.0,
        total_tokens=1000,
    )


# --------------------------------------------------------------------------- one article, every field


def test_hand_made_article_scores_what_hand_calculation_says():
    result = score_article(gold_article(), ARTICLE, predicted_digest())
    fields = result.metrics.fields

    # actors: 2 matched (a1 by mention «المرصد», a2 by name), 1 spurious, 0 missed
    #   P = 2/3, R = 2/2 = 1, F1 = 2·(2/3)·1 / (2/3 + 1) = (4/3)/(5/3) = 0.8
    assert (fields[FieldName.actors].precision, fields[FieldName.actors].recall) == (
        pytest.approx(2 / 3),
        1.0,
    )
    assert fields[FieldName.actors].f1 == pytest.approx(0.8)
    # figures: f1 and f3 matched, predicted "30 killed" has the wrong metric → 1 spurious + f2 missed
    #   P = 2/3, R = 2/3, F1 = 2/3
    assert fields[FieldName.figures].f1 == pytest.approx(2 / 3)
    assert [item.id for item in result.matches[FieldName.figures].missed] == ["f2"]
    # quotes: q1 matched (IoU 29/47 ≈ 0.62 ≥ 0.5), q2 missed, nothing spurious
    #   P = 1/1, R = 1/2, F1 = 2·1·0.5 / 1.5 = 2/3
    assert (fields[FieldName.quotes].precision, fields[FieldName.quotes].recall) == (1.0, 0.5)
    assert fields[FieldName.quotes].f1 == pytest.approx(2 / 3)
    assert result.matches[FieldName.quotes].pairs[0].similarity == pytest.approx(29 / 47, abs=1e-4)
    # events: e1 matched (no predicted place is compatible), the Ghouta one is spurious (other place)
    #   P = 1/2, R = 1/1, F1 = 2·0.5·1 / 1.5 = 2/3
    assert (fields[FieldName.events].precision, fields[FieldName.events].recall) == (0.5, 1.0)
    # grounding: 3 actors + 3 figures + 1 quote + 2 events = 9 items, all verbatim → 9/9
    assert (result.metrics.grounded_items, result.metrics.predicted_items) == (9, 9)
    # casualties: killed (place-less prediction is compatible): low 12 = 12, best 15 ≠ 12, high 15 = 15 → 2;
    # injured: no prediction → 0.  Accuracy = (2 + 0) / (3 · 2) = 1/3
    assert result.metrics.casualty_accuracy == pytest.approx(1 / 3)
    assert result.metrics.schema_valid
    assert (result.metrics.latency_ms, result.metrics.total_tokens) == (100.0, 1000)


def test_micro_average_sums_counts_over_articles_and_macro_averages_f1():
    first = score_article(gold_article(), ARTICLE, predicted_digest())
    second_gold = GoldArticle(
        id="second",
        article_file="(in memory)",
        synthetic=True,
        kind=GoldKind.challenge,
        figures=[figure(SECOND_ARTICLE, "f1", "7 أشخاص", 7)],
    )
    second = score_article(second_gold, SECOND_ARTICLE, digest(SECOND_ARTICLE, latency_ms=300.0))
    overall = set_metrics([first.metrics, second.metrics])

    figures = overall.fields[FieldName.figures]
    # figures: TP = 2 + 0, predicted = 3 + 0, gold = 3 + 1
    #   P = 2/3, R = 2/4, F1 = 2·(2/3)·(1/2) / (2/3 + 1/2) = (2/3)/(7/6) = 4/7
    assert (figures.true_positives, figures.predicted, figures.gold) == (2, 3, 4)
    assert figures.f1 == pytest.approx(4 / 7)
    # per article F1: 2/3 and 0 (nothing predicted, one missed) → macro 1/3
    assert second.metrics.fields[FieldName.figures].f1 == 0.0
    assert overall.macro_f1[FieldName.figures] == pytest.approx(1 / 3)
    # quotes: the second article has none and predicts none; micro stays TP 1, pred 1, gold 2
    assert second.metrics.fields[FieldName.quotes].f1 == 1.0
    assert overall.fields[FieldName.quotes].recall == 0.5
    # casualties: second article has no gold entry, so it adds nothing: 2 / 6
    assert overall.casualty_accuracy == pytest.approx(1 / 3)
    # latency mean (100 + 300) / 2 = 200; tokens only known for the first article
    assert (overall.latency_ms_mean, overall.latency_ms_total) == (200.0, 400.0)
    assert (overall.tokens_mean, overall.tokens_total) == (1000.0, 1000)


def test_spans_not_verbatim_at_their_offsets_lower_the_grounding_rate():
    predicted = predicted_digest()
    # same length, other text: the span claims «XXXXXXXX» where the article has «12 مدنيا»
    predicted.figures[0].span = Span(
        start=predicted.figures[0].span.start, end=predicted.figures[0].span.end, text="X" * 8
    )
    result = score_article(gold_article(), ARTICLE, predicted)
    # 8 of the 9 items are verbatim
    assert result.metrics.grounding_rate == pytest.approx(8 / 9)


def test_engine_failure_misses_everything_and_is_schema_invalid():
    result = score_article(gold_article(), ARTICLE, None, error="UpstreamError: bad output")
    metrics = result.metrics
    assert not metrics.schema_valid
    # nothing predicted: P = 1 (empty denominator), R = 0, F1 = 0 for every field
    assert all(score.f1 == 0.0 and score.recall == 0.0 for score in metrics.fields.values())
    assert metrics.casualty_accuracy == 0.0
    overall = set_metrics([metrics, score_article(gold_article(), ARTICLE, predicted_digest()).metrics])
    assert overall.schema_validity_rate == 0.5


def test_precision_recall_conventions_on_empty_sides():
    assert field_score(0, 0, 0).model_dump(exclude={"true_positives", "predicted", "gold"}) == {
        "precision": 1.0,
        "recall": 1.0,
        "f1": 1.0,
    }
    hallucinated = field_score(0, 3, 0)  # nothing to find, three predicted
    assert (hallucinated.precision, hallucinated.recall, hallucinated.f1) == (0.0, 1.0, 0.0)
    # TP 3, predicted 4, gold 6: P = 0.75, R = 0.5, F1 = 2·0.375/1.25 = 0.6
    assert field_score(3, 4, 6).f1 == pytest.approx(0.6)


# --------------------------------------------------------------------------- field by field


def test_figures_match_on_metric_value_within_bounds_and_overlapping_span():
    gold = figure(ARTICLE, "f1", "12 مدنيا", 12, low=10, high=15, qualifier=Qualifier.about)
    assert figure_similarity(gold, figure(ARTICLE, "x1", "12 مدنيا", 12)) == 1.0
    assert figure_similarity(gold, figure(ARTICLE, "x1", "12 مدنيا", 14)) == 1.0  # inside [10, 15]
    assert figure_similarity(gold, figure(ARTICLE, "x1", "12 مدنيا", 16)) is None  # outside
    assert figure_similarity(gold, figure(ARTICLE, "x1", "12 مدنيا", 12, Metric.injured)) is None
    assert figure_similarity(gold, figure(ARTICLE, "x1", "15 شخصا", 12)) is None  # no overlap
    # overlapping but wider: «إن 12 مدنيا قتلوا» (17 chars) around «12 مدنيا» (8 chars) → IoU 8/17
    assert figure_similarity(gold, figure(ARTICLE, "x1", "إن 12 مدنيا قتلوا", 12)) == pytest.approx(8 / 17)
    at_least = figure(ARTICLE, "f1", "12 مدنيا", 12, low=12, qualifier=Qualifier.at_least)
    assert figure_similarity(at_least, figure(ARTICLE, "x1", "12 مدنيا", 13)) is None  # no high: exact only


def test_quotes_match_from_character_iou_one_half():
    text = "abcdefghijklmnopqrst"
    gold = quote(text, "q1", "abcdefghij")  # [0, 10)
    assert quote_similarity(gold, quote(text, "x1", "abcde")) == 0.5  # 5 / 10
    assert quote_similarity(gold, quote(text, "x1", "abcd")) is None  # 4 / 10
    # [5, 15) against [0, 10): 5 shared of 15 → 1/3
    assert span_iou(span(text, "fghijklmno"), gold.span) == pytest.approx(1 / 3)
    assert quote_similarity(gold, quote(text, "x1", "fghijklmno")) is None


def test_actors_match_on_normalised_name_mention_or_english_name():
    gold = actor(
        ARTICLE,
        "a1",
        "المرصد السوري لحقوق الإنسان",
        "Syrian Observatory for Human Rights",
        "المرصد السوري لحقوق الإنسان",
        "المرصد",
    )
    # hamza folded, article and clitic stripped
    assert (
        actor_similarity(
            gold, actor("بالمرصد السوري لحقوق الانسان", "x1", "بالمرصد السوري لحقوق الانسان", "?")
        )
        == 1.0
    )
    assert actor_similarity(gold, actor(ARTICLE, "x1", "المرصد", "?")) == 0.75  # a gold mention
    assert (
        actor_similarity(gold, actor("المراقب", "x1", "المراقب", "the syrian observatory for human rights"))
        == 0.5
    )
    assert actor_similarity(gold, actor(ARTICLE, "x1", "الدفاع المدني", "Civil Defence")) is None


def test_events_match_on_type_place_and_overlapping_evidence():
    gold = event(ARTICLE, "e1", EventType.shelling, "دوما", "قصف على دوما")
    assert event_similarity(gold, event(ARTICLE, "x1", EventType.shelling, "دوما", "قصف على دوما")) == 1.0
    assert event_similarity(gold, event(ARTICLE, "x1", EventType.shelling, None, "قصف على دوما")) == 1.0
    assert event_similarity(gold, event(ARTICLE, "x1", EventType.air_strike, "دوما", "قصف على دوما")) is None
    assert event_similarity(gold, event(ARTICLE, "x1", EventType.shelling, "الغوطة", "قصف على دوما")) is None
    assert event_similarity(gold, event(ARTICLE, "x1", EventType.shelling, "دوما", "15 شخصا")) is None


def test_names_fold_letters_strip_the_article_and_see_through_lost_spaces():
    assert same_arabic_name("للمعارضة", "المعارضة")
    assert same_arabic_name("الأمم المتحدة", "الأممالمتحدة")
    assert same_arabic_name("رامي عبدالرحمن", "رامي عبد الرحمن")
    assert same_arabic_name("الغوطة الشرقية", "بالغوطة الشرقيّة")
    assert not same_arabic_name("بشار", "شار")  # a bare ب is not stripped
    assert arabic_name_keys("") == frozenset()
    assert english_name_key("The  United-Nations") == "united nations"


def test_casualties_prefer_the_entry_at_the_same_place():
    gold = [casualty(Metric.killed, "دوما", 10, 12, 15)]
    elsewhere = casualty(Metric.killed, "حمص", 10, 12, 15)
    here = casualty(Metric.killed, "دوما", 10, 11, 15)
    anywhere = casualty(Metric.killed, None, 10, 12, 15)
    assert casualty_checks(gold, [elsewhere], [], [])[0].predicted is None  # other place: no match, 0 of 3
    # the same-place entry wins over the place-less one even though it agrees on fewer values
    check = casualty_checks(gold, [anywhere, here], [], [])[0]
    assert (check.predicted, check.values_equal) == ([10, 11, 15], 2)


def test_casualties_of_another_scope_never_match():
    gold = [casualty(Metric.killed, "دوما", 80, 80, 80)]
    month = casualty(Metric.killed, "دوما", 80, 80, 80, scope=Scope.period)
    assert casualty_checks(gold, [month], [], [])[0].predicted is None


def test_casualties_prefer_the_toll_whose_figures_overlap():
    gold_figures = [figure(ARTICLE, "f1", "12 مدنيا", 12, Metric.killed)]
    predicted_figures = [
        figure(ARTICLE, "f1", "30 آخرون", 30, Metric.killed),
        figure(ARTICLE, "f2", "12 مدنيا", 12, Metric.killed),
    ]
    gold = [casualty(Metric.killed, "دوما", 12, 12, 12)]
    same_place_other_figures = casualty(Metric.killed, "دوما", 12, 12, 12, figure_id="f1")
    overlapping_elsewhere = casualty(Metric.killed, "حمص", 12, 12, 30, figure_id="f2")
    check = casualty_checks(
        gold, [same_place_other_figures, overlapping_elsewhere], gold_figures, predicted_figures
    )
    assert check[0].predicted == [12, 12, 30]  # the same figures are the same incident, whatever the place


# --------------------------------------------------------------------------- the assignment


def test_assignment_is_optimal_where_greedy_is_not():
    # gold A, B; prediction x fits A (0.9) or B (0.5), y fits only A (0.3).
    # greedy takes A–x first and leaves y unmatched: 1 pair. The optimum pairs A–y, B–x: 2 pairs.
    assert assign([[0.9, 0.3], [0.5, None]]) == [(0, 1), (1, 0)]
    # with equally many pairs, the larger total similarity wins: A–x + B–y (0.9 + 0.8) over A–y + B–x
    assert assign([[0.9, 0.2], [0.3, 0.8]]) == [(0, 0), (1, 1)]
    assert assign([]) == [] and assign([[None, None]]) == []


def _brute_force(matrix: list[list[float | None]]) -> tuple[int, float]:
    rows, columns = len(matrix), len(matrix[0])
    best = (0, 0.0)
    for chosen in itertools.permutations(range(max(rows, columns)), rows):
        scores = [matrix[r][c] for r, c in enumerate(chosen) if c < columns and matrix[r][c] is not None]
        best = max(best, (len(scores), round(sum(s for s in scores if s is not None), 9)))
    return best


@settings(max_examples=150, deadline=None)
@given(
    st.integers(1, 4).flatmap(
        lambda rows: st.integers(1, 4).flatmap(
            lambda columns: st.lists(
                st.lists(st.one_of(st.none(), st.floats(0, 1)), min_size=columns, max_size=columns),
                min_size=rows,
                max_size=rows,
            )
        )
    )
)
def test_assignment_maximises_pairs_then_similarity(matrix):
    pairs = assign(matrix)
    assert len({g for g, _ in pairs}) == len(pairs) == len({p for _, p in pairs})
    count, total = _brute_force(matrix)
    assert len(pairs) == count
    assert sum(matrix[g][p] or 0.0 for g, p in pairs) == pytest.approx(total, abs=1e-6)


def test_precision_over_zero_predictions_is_zero_unless_there_was_nothing_to_find() -> None:
    assert field_score(0, 0, 5).precision == 0.0
    assert field_score(0, 0, 5).f1 == 0.0
    assert (field_score(0, 0, 0).precision, field_score(0, 0, 0).recall) == (1.0, 1.0)
