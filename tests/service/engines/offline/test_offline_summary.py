"""Headline, summary, key points and the Arabic lead, on articles written for these tests."""

from __future__ import annotations

import pytest
from helpers_offline import digest_of, numbers_in

from schemas.digest import Figure, Location, Metric, Qualifier, Span
from schemas.metrics import CASUALTY_METRICS, METRIC_FACTS
from service.arabic.document import Document
from service.digest.reconcile import reconcile
from service.engines.offline.summary import SUMMARY_AR_MAX, SummaryWriter, lead_ar

ARTICLES = [
    "قتل 12 مدنيا وأصيب 30 آخرون في غارات جوية على مدينة دوما، وفقا للمرصد السوري لحقوق الإنسان. "
    "وقال الدفاع المدني إن 15 شخصا قتلوا في الغارات، بينهم 4 أطفال.",
    "نزح أكثر من 2.5 ألف شخص من مدينة سراقب خلال 48 ساعة. وقالت الأمم المتحدة إن نحو 400 ألف شخص "
    "يعيشون في المنطقة المحاصرة منذ 7 سنوات، ودعت إلى وقف إطلاق النار.",
    "عقد مجلس الأمن الدولي جلسة طارئة لمدة ثلاث ساعات في عام 2018 لبحث الهدنة في سوريا.",
    "سقطت عشرات القذائف على أحياء دمشق، وتحدثت وكالة سانا عن سقوط مئات الضحايا. وقتل طفل في حي جوبر.",
    "نص لا يذكر أي رقم ولا أي حدث.",
]


@pytest.mark.parametrize("text", ARTICLES)
def test_english_numbers_are_only_figure_values(text: str) -> None:
    digest = digest_of(text)
    values = {figure.value for figure in digest.figures}
    summary = digest.summary
    for english in (summary.headline_en, summary.summary_en, *summary.key_points_en):
        assert numbers_in(english) <= values, english
    for item in (*digest.events, *digest.quotes):
        english = item.description_en if hasattr(item, "description_en") else item.english
        assert numbers_in(english) <= values, english


@pytest.mark.parametrize("text", ARTICLES)
def test_summary_shape(text: str) -> None:
    summary = digest_of(text).summary
    assert 0 < len(summary.headline_en) <= 90
    assert summary.summary_en.endswith(".")
    assert 2 <= summary.summary_en.count(". ") + 1 <= 5
    assert len(summary.key_points_en) <= 6


def test_headline_reports_the_main_toll_with_its_place_and_cause() -> None:
    digest = digest_of(ARTICLES[0])
    assert digest.summary.headline_en == "12 civilians killed in air strikes in Douma"  # the lower median
    assert "according to" in digest.summary.summary_en


def test_the_lead_is_the_toll_of_the_incident_reported_first_not_a_larger_one_later() -> None:
    digest = digest_of(
        "قتل 8 مدنيين وأصيب 20 آخرون في انفجار سيارة مفخخة في سوق مدينة الحديدة صباح اليوم، وفقا لمصادر "
        "طبية. وقال مسؤول محلي إن عدد القتلى قد يرتفع. وفي هجوم منفصل يوم الجمعة الماضي، قتل 30 شخصا في "
        "غارة جوية على قرية في محافظة صعدة."
    )
    assert digest.summary.headline_en.startswith("8 civilians killed"), digest.summary.headline_en
    assert digest.summary.summary_en.startswith("8 civilians were killed in Hodeidah")
    assert "30 people were killed in Saada" in digest.summary.summary_en


def test_vague_and_single_counts_are_written_in_words() -> None:
    summary = digest_of(ARTICLES[3]).summary
    assert "A child was killed" in summary.summary_en or "a child" in summary.headline_en.lower()


def test_a_qualified_count_of_one_is_one_person_in_words() -> None:
    text = "وقال الأمين العام إن الهجوم على الفندق في مدينة الموصل تسبب بمقتل موظف واحد على الأقل."
    summary = digest_of(text).summary
    assert "At least one person was killed in Mosul" in summary.summary_en
    assert "1 people" not in summary.summary_en + summary.headline_en + " ".join(summary.key_points_en)


def test_one_person_of_a_state_is_a_national_in_the_singular() -> None:
    summary = digest_of("وأعلنت وزارة الصحة مقتل فلسطيني برصاص الجنود قرب مدينة رام الله.").summary
    assert summary.headline_en.startswith("A Palestinian killed")
    assert "1 Palestinians" not in summary.headline_en + summary.summary_en


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("قتل فلسطيني برصاص الجنود قرب مدينة الخليل.", "A Palestinian was killed"),
        ("وقتل عراقي في انفجار عبوة ناسفة في مدينة الموصل.", "An Iraqi was killed in Mosul"),
    ],
)
def test_a_count_of_one_reads_in_the_singular(text: str, written: str) -> None:
    summary = digest_of(text).summary
    assert written in summary.summary_en
    assert "1 " not in summary.summary_en + summary.headline_en + " ".join(summary.key_points_en)


def test_lead_is_the_first_sentences_within_the_limit() -> None:
    text = "الجملة الأولى قصيرة. والجملة الثانية أيضا. والثالثة لا تدخل."
    assert lead_ar(Document(text)) == "الجملة الأولى قصيرة. والجملة الثانية أيضا."


def test_a_long_first_sentence_is_cut_at_a_clause_break() -> None:
    text = "بداية الخبر، " + "كلمة " * 100 + "نهاية."
    lead = lead_ar(Document(text))
    assert lead == "بداية الخبر…" and len(lead) <= SUMMARY_AR_MAX + 1


@pytest.mark.parametrize("metric", list(Metric))
def test_a_figure_of_every_metric_is_summarised(metric: Metric) -> None:
    """Every metric's English words come from one table (schemas/metrics.py): none is missing."""
    text = "قتل 12 مدنيا في مدينة دوما."
    figure = Figure(
        id="f1",
        value=12,
        qualifier=Qualifier.exact,
        metric=metric,
        span=Span(start=4, end=6, text="12"),
        location=Location(name_ar="دوما", name_en="Douma"),
    )
    casualties = reconcile([figure])
    summary = SummaryWriter(Document(text), [figure], casualties, [], [], []).write()
    if metric in CASUALTY_METRICS:
        assert (
            summary.headline_en.startswith("12 ") and METRIC_FACTS[metric].passive_en in summary.headline_en
        )
    else:
        assert not casualties and summary.headline_en


def test_an_article_with_nothing_found_says_so_without_calling_it_arabic() -> None:
    digest = digest_of("Five people were killed in an air strike on Monday, a monitor said.")
    assert digest.summary.headline_en == "No events or figures found by the offline engine"
    assert [warning.code.value for warning in digest.warnings] == ["not_arabic"]
