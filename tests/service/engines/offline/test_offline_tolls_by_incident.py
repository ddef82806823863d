"""Which toll a figure belongs to: its incident and its scope, on sentences written for these tests."""

from __future__ import annotations

import pytest
from helpers_offline import digest_of, figure_at

from schemas.digest import Metric, Scope


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("وقال التقرير إن النزاع في دارفور تسبب منذ منتصف أبريل بمقتل أكثر من 12 ألف شخص.", "12"),
        ("وتشهد البلاد حربا أهلية أودت منذ أكتوبر بحياة 9 آلاف شخص.", "9"),
    ],
)
def test_a_war_counted_since_a_date_is_a_running_count(text: str, phrase: str) -> None:
    figure = figure_at(digest_of(text), text, phrase)
    assert (figure.scope, figure.event_id) == (Scope.cumulative, None)


@pytest.mark.parametrize(
    "text",
    [
        "وقتل 40 شخصا منذ منتصف أبريل في مدينة الفاشر.",
        "وأسفرت الحملة العسكرية منذ الأحد عن مقتل 40 شخصا في مدينة الفاشر.",  # a campaign: a period
    ],
)
def test_a_count_since_a_date_without_a_war_is_a_period(text: str) -> None:
    assert figure_at(digest_of(text), text, "40").scope is Scope.period


@pytest.mark.parametrize(
    ("text", "phrase", "value", "metric"),
    [
        ("وقتل في الغارة القيادي في الحركة أبو خالد، وثلاثة من مرافقيه.", "ثلاثة", 3, Metric.killed),
        ("وأصيب في القصف رئيس البلدية، واثنان من حراسه.", "اثنان", 2, Metric.injured),
    ],
)
def test_a_count_joined_to_a_named_victim_is_counted_by_the_victims_verb(
    text: str, phrase: str, value: int, metric: Metric
) -> None:
    figure = figure_at(digest_of(text), text, phrase)
    assert (figure.value, figure.metric) == (value, metric)


def test_a_count_joined_to_a_visitor_is_no_toll() -> None:
    assert digest_of("وزار الوزير المستشفى في المدينة، وثلاثة من مرافقيه.").figures == []


def test_a_span_of_time_called_bloody_is_the_period_of_its_toll() -> None:
    text = "أسبوع دام في الموصل: مئات القتلى في غارات متواصلة على المدينة.\nوقال مسؤول إن 12 مدنيا قتلوا أمس."
    digest = digest_of(text)
    week = figure_at(digest, text, "مئات")
    assert (week.scope, week.period_ar) == (Scope.period, "أسبوع دام")
    assert figure_at(digest, text, "12").scope is Scope.incident


def test_a_bloody_attack_is_no_period() -> None:
    text = "وقتل 5 أشخاص في هجوم دام على سوق مدينة الموصل."
    assert figure_at(digest_of(text), text, "5").scope is Scope.incident


@pytest.mark.parametrize(
    ("text", "phrase", "period"),
    [
        ("وشهد شهر آب الماضي مقتل 120 مدنيا في المحافظة.", "120", "شهر آب الماضي"),
        ("وشهدت الأسابيع الماضية نزوح 3000 شخص من المدينة.", "3000", "الأسابيع الماضية"),
    ],
)
def test_a_month_or_past_span_that_witnessed_a_toll_is_its_period(
    text: str, phrase: str, period: str
) -> None:
    figure = figure_at(digest_of(text), text, phrase)
    assert (figure.period_ar, figure.scope) == (period, Scope.period)


def test_a_day_that_witnessed_a_toll_dates_an_incident() -> None:
    text = "وشهد يوم الجمعة الماضي مقتل 8 أشخاص في انفجار في السوق."
    figure = figure_at(digest_of(text), text, "8")
    assert (figure.period_ar, figure.scope) == (None, Scope.incident)


def test_a_conjoined_toll_takes_the_period_the_month_witnessed() -> None:
    text = "وشهد تموز الماضي مقتل 300 مدني، وقالت البعثة إن حصيلة الجرحى بلغت 700 شخص."
    injured = figure_at(digest_of(text), text, "700")
    assert (injured.metric, injured.scope, injured.period_ar) == (Metric.injured, Scope.period, "تموز الماضي")


def test_an_incident_told_after_kana_is_an_earlier_incident_not_the_news() -> None:
    text = (
        "قتل 12 شخصا في تفجير انتحاري استهدف سوقا في مدينة الموصل صباح اليوم.\n"
        "وكانت انتحاريتان قد نفذتا هجوما على المدينة ما أسفر عن مقتل 7 أشخاص في حي مجاور."
    )
    digest = digest_of(text)
    today, earlier = figure_at(digest, text, "12"), figure_at(digest, text, "7")
    assert today.event_id is not None and earlier.event_id is not None
    assert today.event_id != earlier.event_id
    assert sorted(c.best.value for c in digest.casualties if c.metric is Metric.killed) == [7, 12]


def test_a_report_told_after_kana_is_more_of_the_same_incident() -> None:
    text = (
        "قتل 12 شخصا في تفجير انتحاري استهدف سوقا في مدينة الموصل صباح اليوم.\n"
        "وكانت مصادر أمنية ذكرت في وقت سابق أن 10 أشخاص على الأقل قتلوا في هذا التفجير."
    )
    digest = digest_of(text)
    assert figure_at(digest, text, "12").event_id == figure_at(digest, text, "10").event_id


def test_a_flow_of_people_told_in_two_sections_is_one_event() -> None:
    text = (
        "نزوح آلاف المدنيين من مدينة سرت\n"
        "أعلن الهلال الأحمر نزوح 5000 شخص من مدينة سرت أمس هربا من المعارك.\n"
        "معارك عنيفة\n"
        "واندلعت اشتباكات عنيفة في محيط المدينة بين القوات الحكومية والمسلحين.\n"
        "وقال مسؤول محلي إن أكثر من 5000 شخص فروا من مدينة سرت أمس."
    )
    digest = digest_of(text)
    first, second = figure_at(digest, text, "5000 شخص من"), figure_at(digest, text, "أكثر من 5000")
    assert first.metric is second.metric is Metric.displaced
    assert first.event_id is not None and first.event_id == second.event_id


@pytest.mark.parametrize(
    ("text", "phrase", "period"),
    [
        ("وقتل نحو 40 ألف شخص في اليوم الأول، وبانتهاء الحرب كان قد قتل 74 ألف شخص.", "74", "بانتهاء الحرب"),
        ("وقتل 300 ألف شخص في البلاد حتى نهاية الحرب.", "300", "حتى نهاية الحرب"),
    ],
)
def test_a_toll_by_the_end_of_a_war_is_the_whole_wars(text: str, phrase: str, period: str) -> None:
    digest = digest_of(text)
    figure = figure_at(digest, text, phrase)
    assert (figure.period_ar, figure.scope, figure.event_id) == (period, Scope.cumulative, None)
    assert all(c.figure_ids == [figure.id] for c in digest.casualties if figure.id in c.figure_ids)


def test_the_end_of_a_meeting_is_no_period() -> None:
    text = "وقتل 6 أشخاص في قصف على المدينة بانتهاء الاجتماع."
    assert figure_at(digest_of(text), text, "6").scope is Scope.incident


def test_a_toll_at_the_same_place_dated_another_month_or_day_is_not_the_news() -> None:
    text = (
        "قتل 14 شخصا على الأقل في تفجير انتحاري استهدف السوق المركزية في مدينة الموصل أمس السبت.\n\n"
        "وأشارت الحصيلة غير النهائية إلى مقتل 14 شخصا وجرح 74 آخرين في المدينة.\n\n"
        "وأعلنت الجماعة مسؤوليتها عن الهجوم المزدوج الذي أسفر عن مقتل 38 شخصا "
        "في منتصف يونيو الماضي في الموصل.\n\n"
        "ومساء الجمعة، قتل 11 شخصا على أيدي مسلحين في الموصل."
    )
    digest = digest_of(text)
    news = figure_at(digest, text, "14 شخصا على")
    assert news.event_id is not None
    assert figure_at(digest, text, "14 شخصا وجرح").event_id == news.event_id
    assert figure_at(digest, text, "38").event_id != news.event_id
    assert figure_at(digest, text, "11").event_id != news.event_id
    (toll,) = [c for c in digest.casualties if c.event_id == news.event_id and c.metric is Metric.killed]
    assert (toll.low.value, toll.best.value, toll.high.value) == (14, 14, 14)


def test_a_toll_told_weeks_after_an_earlier_attack_is_that_attacks() -> None:
    text = (
        "أعلنت وزارة الداخلية مقتل عنصر إرهابي واعتقال 13 آخرين في عملية أمنية في مدينة بنزرت أمس، "
        "وذلك بعد أسابيع من الهجوم على فندق في مدينة سوسة خلف 38 قتيلا من السياح."
    )
    digest = digest_of(text)
    operation = figure_at(digest, text, "13")
    tourists = figure_at(digest, text, "38")
    assert operation.event_id is not None and tourists.event_id != operation.event_id
    assert all(tourists.id not in c.figure_ids or c.figure_ids == [tourists.id] for c in digest.casualties)
    assert digest.summary.headline_en.startswith("A member killed")


@pytest.mark.parametrize(
    "text",
    [
        "وقتلت الغارات 1200 من عناصر التنظيم بينهم 40 قياديا خلال ثمانية أشهر.",
        "وقتل 600 مسلح بينهم عشرات القادة منذ بدء الحملة.",
    ],
)
def test_a_period_after_a_subset_dates_its_total_too(text: str) -> None:
    digest = digest_of(text)
    total = next(figure for figure in digest.figures if figure.part_of is None)
    assert total.scope is Scope.period and total.period_ar is not None


def test_a_subset_without_a_period_leaves_its_total_one_incident() -> None:
    text = "وقتل 30 شخصا بينهم 4 أطفال في القصف."
    assert figure_at(digest_of(text), text, "30").scope is Scope.incident


def test_an_attack_told_hours_after_another_is_two_incidents() -> None:
    text = (
        "قتل 50 شخصا في تفجيرين انتحاريين استهدفا سوقا في مدينة الموصل أمس.\n"
        "ووقع التفجيران بعد مرور أقل من 12 ساعة على مقتل 34 شخصا في انفجار بمدينة الموصل."
    )
    digest = digest_of(text)
    today, earlier = figure_at(digest, text, "50"), figure_at(digest, text, "34")
    assert today.event_id is not None and earlier.event_id is not None
    assert today.event_id != earlier.event_id
    assert digest.summary.headline_en.startswith("50 people killed")


def test_two_incidents_told_apart_by_ordinals_are_two_tolls_not_two_claims() -> None:
    text = (
        "وهز انفجاران سوقا شعبيا في مدينة كركوك ظهر اليوم. "
        "وقتل 20 شخصا في الانفجار الأول، فيما قتل أربعة آخرون في الانفجار الثاني."
    )
    digest = digest_of(text)
    first, second = figure_at(digest, text, "20"), figure_at(digest, text, "أربعة")
    assert first.event_id != second.event_id
    assert sorted(c.best.value for c in digest.casualties) == [4, 20]
