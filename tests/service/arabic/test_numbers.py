"""Numbers and qualifiers: a table of phrases, the seeds' offsets, and never raising on any text."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from schemas.digest import Qualifier
from service.arabic.numbers import NumberMention, find_numbers, parse_number
from tests.paths import SEED_FILES

SEEDS = SEED_FILES

EXACT, AT_LEAST, MORE_THAN = Qualifier.exact, Qualifier.at_least, Qualifier.more_than
ABOUT, UP_TO, VAGUE = Qualifier.about, Qualifier.up_to, Qualifier.vague

# (phrase, text of the number phrase found in it, value, low, high, qualifier)
FROM_SEEDS = [
    ("أكثر من 170 مدنيا", "أكثر من 170", 170, 171, None, MORE_THAN),
    ("زادت على 207 أشخاص", "زادت على 207", 207, 208, None, MORE_THAN),
    ("سبعة مدنيين على الأقل", "سبعة مدنيين على الأقل", 7, 7, None, AT_LEAST),
    ("80 قتيلاً على الأقل", "80 قتيلاً على الأقل", 80, 80, None, AT_LEAST),
    ("أكثر من 2.5 ألف شخص", "أكثر من 2.5 ألف", 2500, 2501, None, MORE_THAN),
    ("نحو 4127 شخصاً", "نحو 4127", 4127, None, None, ABOUT),
    ("أكثر من 40 ألف مدني", "أكثر من 40 ألف", 40000, 40001, None, MORE_THAN),
    ("نحو أربعمئة ألف شخص", "نحو أربعمئة ألف", 400000, None, None, ABOUT),
    ("نحو ستين طفلا", "نحو ستين", 60, None, None, ABOUT),
    ("بينهم متطوعان", "متطوعان", 2, 2, 2, EXACT),
    ("أن غارتين تسببتا", "غارتين", 2, 2, 2, EXACT),
    ("عشرات القذائف", "عشرات", 10, 10, None, VAGUE),
    ("مئات القتلى", "مئات", 100, 100, None, VAGUE),
    ("آلاف المدنيين", "آلاف", 1000, 1000, None, VAGUE),
    ("بضع ساعات", "بضع", 3, 3, 9, VAGUE),
    ("سفراء الدول ال15 الأعضاء", "ال15", 15, 15, 15, EXACT),
    ("أكثر من 400 مدني", "أكثر من 400", 400, 401, None, MORE_THAN),
    ("مقتل 4 مدنيين", "4", 4, 4, 4, EXACT),
    ("واصابة نحو 50 آخرين", "نحو 50", 50, None, None, ABOUT),
    ("قتلت 3 نساء", "3", 3, 3, 3, EXACT),
    ("واصيب 17 شخصا", "17", 17, 17, 17, EXACT),
    ('سقوط "عشرات القتلى والجرحى"', "عشرات", 10, 10, None, VAGUE),
    ("بعشرات القذائف", "عشرات", 10, 10, None, VAGUE),
    ("مقتل العديد واصابة العشرات", "العشرات", 10, 10, None, VAGUE),
    ("لمقتل وجرح مئات الأشخاص", "مئات", 100, 100, None, VAGUE),
    ("اصابت خمسة مستشفيات", "خمسة", 5, 5, 5, EXACT),
    ("وجرحوا ستة آخرين", "ستة", 6, 6, 6, EXACT),
    ("بعد 7 سنوات من الحرب", "7", 7, 7, 7, EXACT),
    ("الذي حصد المئات منذ شهر", "المئات", 100, 100, None, VAGUE),
    ("وسقط 80 قتيلاً", "80", 80, 80, 80, EXACT),
    ("و150 جريحاً", "150", 150, 150, 150, EXACT),
    ("خروج 40 ألفاً", "40 ألفاً", 40000, 40000, 40000, EXACT),
    ("شنت 14 غارة", "14", 14, 14, 14, EXACT),
    ("إلى 250 مدنيا", "250", 250, 250, 250, EXACT),
    ("جراء نحو 170 غارة جوية", "نحو 170", 170, None, None, ABOUT),
    ("وسقط مئة من القتلى", "مئة", 100, 100, 100, EXACT),
    ("خلال 24 ساعة فقط", "24", 24, 24, 24, EXACT),
    ("خلال 48 ساعة", "48", 48, 48, 48, EXACT),
    ("مقتل ستة أشخاص وإصابة 28", "ستة", 6, 6, 6, EXACT),
    ("ارتفع عدد القتلى إلى 75", "75", 75, 75, 75, EXACT),
    ("الأيام الثلاثة الماضية", "الثلاثة", 3, 3, 3, EXACT),
    ("خلال ثلاثة أيام", "ثلاثة", 3, 3, 3, EXACT),
    ("سقوط عشرين قذيفة صاروخية", "عشرين", 20, 20, 20, EXACT),
    ("بمقتل سبعة مدنيين", "سبعة", 7, 7, 7, EXACT),
    ("إلى سبعة مرافق حيوية", "سبعة", 7, 7, 7, EXACT),
    ("قتل أربعة أشخاص", "أربعة", 4, 4, 4, EXACT),
    ("مقتل عشرة مدنيين على الأقل", "عشرة مدنيين على الأقل", 10, 10, None, AT_LEAST),
    ("إن 229 شخصا قتلوا", "229", 229, 229, 229, EXACT),
    ("الأيام الأربعة الماضية", "الأربعة", 4, 4, 4, EXACT),
    ("بينهم 58 طفلا", "58", 58, 58, 58, EXACT),
    ("و43 إمرأة", "43", 43, 43, 43, EXACT),
    ("إجلاء 700 مدني", "700", 700, 700, 700, EXACT),
    ("في أسبوع واحد", "واحد", 1, 1, 1, EXACT),
    ("قتل فيها آلاف المدنيين", "آلاف", 1000, 1000, None, VAGUE),
]
NOT_FROM_SEEDS = [
    ("٤٠٠ مدني", "٤٠٠", 400, 400, 400, EXACT),
    ("١٢٠٠ نازح", "١٢٠٠", 1200, 1200, 1200, EXACT),
    ("۳۵ شخصا", "۳۵", 35, 35, 35, EXACT),
    ("1,200 عائلة", "1,200", 1200, 1200, 1200, EXACT),
    ("3,500,000 نازح", "3,500,000", 3500000, 3500000, 3500000, EXACT),
    ("مليون ونصف لاجئ", "مليون ونصف", 1500000, 1500000, 1500000, EXACT),
    ("نحو مليون ونصف المليون نازح", "نحو مليون ونصف المليون", 1500000, None, None, ABOUT),
    ("نصف مليون شخص", "نصف مليون", 500000, 500000, 500000, EXACT),
    ("مئتي ألف شخص", "مئتي ألف", 200000, 200000, 200000, EXACT),
    ("مائتي ألف", "مائتي ألف", 200000, 200000, 200000, EXACT),
    ("ثلاث مئة شخص", "ثلاث مئة", 300, 300, 300, EXACT),
    ("ثلاثمائة قتيل", "ثلاثمائة", 300, 300, 300, EXACT),
    ("ثلاثمئة وخمسين ألفا", "ثلاثمئة وخمسين ألفا", 350000, 350000, 350000, EXACT),
    ("مئة وخمسون جريحا", "مئة وخمسون", 150, 150, 150, EXACT),
    ("خمسة وعشرين قتيلا", "خمسة وعشرين", 25, 25, 25, EXACT),
    ("خمس وعشرون غارة", "خمس وعشرون", 25, 25, 25, EXACT),
    ("أحد عشر شخصا", "أحد عشر", 11, 11, 11, EXACT),
    ("اثنا عشر طفلا", "اثنا عشر", 12, 12, 12, EXACT),
    ("خمسة عشر مدنيا", "خمسة عشر", 15, 15, 15, EXACT),
    ("واحد وعشرين", "واحد وعشرين", 21, 21, 21, EXACT),
    ("ثلاثة آلاف لاجئ", "ثلاثة آلاف", 3000, 3000, 3000, EXACT),
    ("عشرة آلاف نازح", "عشرة آلاف", 10000, 10000, 10000, EXACT),
    ("ألف شخص", "ألف", 1000, 1000, 1000, EXACT),
    ("الف عائلة", "الف", 1000, 1000, 1000, EXACT),
    ("ألفي نازح", "ألفي", 2000, 2000, 2000, EXACT),
    ("قرابة ألفين", "قرابة ألفين", 2000, None, None, ABOUT),
    ("عشرات الآلاف من المدنيين", "عشرات الآلاف", 10000, 10000, None, VAGUE),
    ("مئات الآلاف من النازحين", "مئات الآلاف", 100000, 100000, None, VAGUE),
    ("بضعة آلاف", "بضعة آلاف", 3000, 3000, 9000, VAGUE),
    ("ما لا يقل عن 30 شخصا", "ما لا يقل عن 30", 30, 30, None, AT_LEAST),
    ("لا يقل عن عشرين", "لا يقل عن عشرين", 20, 20, None, AT_LEAST),
    ("ما يزيد على 100 قتيل", "ما يزيد على 100", 100, 101, None, MORE_THAN),
    ("ما يزيد عن 60", "ما يزيد عن 60", 60, 61, None, MORE_THAN),
    ("يزيد عن 12 ألف", "يزيد عن 12 ألف", 12000, 12001, None, MORE_THAN),
    ("حوالي 300 عائلة", "حوالي 300", 300, None, None, ABOUT),
    ("حوالى 40", "حوالى 40", 40, None, None, ABOUT),
    ("قرابة 500 شخص", "قرابة 500", 500, None, None, ABOUT),
    ("زهاء 70 عنصرا", "زهاء 70", 70, None, None, ABOUT),
    ("ما يقارب 900 نازح", "ما يقارب 900", 900, None, None, ABOUT),
    ("حتى 50 شخصا", "حتى 50", 50, None, 50, UP_TO),
    ("ما يصل إلى 1000 شخص", "ما يصل إلى 1000", 1000, None, 1000, UP_TO),
    ("لغاية 30", "لغاية 30", 30, None, 30, UP_TO),
    ("أقل من 10 أشخاص", "أقل من 10", 10, None, 9, UP_TO),
    ("أكثر من ثلاثين مدنيا", "أكثر من ثلاثين", 30, 31, None, MORE_THAN),
    ("نحو عشرة آلاف", "نحو عشرة آلاف", 10000, None, None, ABOUT),
    ("20 قتيلا تقريبا", "20 قتيلا تقريبا", 20, None, None, ABOUT),
    ("100 شخص أو أكثر", "100 شخص أو أكثر", 100, 100, None, AT_LEAST),
    ("مقتل شخصين", "شخصين", 2, 2, 2, EXACT),
    ("إصابة طفلين", "طفلين", 2, 2, 2, EXACT),
    ("سقوط قذيفتين", "قذيفتين", 2, 2, 2, EXACT),
    ("بغارتين", "غارتين", 2, 2, 2, EXACT),
    ("الطفلين", "الطفلين", 2, 2, 2, EXACT),
    ("مسعفان", "مسعفان", 2, 2, 2, EXACT),
    ("وسبعة جرحى", "سبعة", 7, 7, 7, EXACT),
    ("والثلاثة", "الثلاثة", 3, 3, 3, EXACT),
    ("قبل يومين", "يومين", 2, 2, 2, EXACT),
    ("خلال ساعتين", "ساعتين", 2, 2, 2, EXACT),
    ("ستة وثلاثون", "ستة وثلاثون", 36, 36, 36, EXACT),
    ("تسعمئة", "تسعمئة", 900, 900, 900, EXACT),
    ("أربعين ألفاً", "أربعين ألفاً", 40000, 40000, 40000, EXACT),
    ("ما يربو على 2000 لاجئ", "ما يربو على 2000", 2000, 2001, None, MORE_THAN),
    ("نحو مليون ونصف المليون نازح", "نحو مليون ونصف المليون", 1500000, None, None, ABOUT),
    ("ألف ونصف", "ألف ونصف", 1500, 1500, 1500, EXACT),
    ("ستون ألفا", "ستون ألفا", 60000, 60000, 60000, EXACT),
    ("مقتل 2015 شخصا", "2015", 2015, 2015, 2015, EXACT),
]


@pytest.mark.parametrize(("phrase", "text", "value", "low", "high", "qualifier"), FROM_SEEDS + NOT_FROM_SEEDS)
def test_phrase_table(
    phrase: str, text: str, value: int, low: int | None, high: int | None, qualifier: Qualifier
) -> None:
    mention = parse_number(phrase)
    assert mention is not None
    assert (mention.text, mention.value, mention.low, mention.high, mention.qualifier) == (
        text,
        value,
        low,
        high,
        qualifier,
    )
    assert phrase[mention.start : mention.end] == mention.text


def test_the_table_is_large_enough() -> None:
    assert len(FROM_SEEDS) >= 50
    assert len(FROM_SEEDS) + len(NOT_FROM_SEEDS) >= 90


@pytest.mark.parametrize(
    "phrase",
    [
        "منذ العام 2015",
        "أواخر 2016",
        "عام 2015",
        "في 12 كانون الثاني 2018",
        "20 فبراير 2018",
        "سنة 1990م",
        "العديد من الضحايا",
        "سقوط عدد من القتلى",
        "يوم الاثنين",
        "الإثنين الماضي",
        "منذ مساء الأحد",
        "أحد رجال الدفاع المدني",
        "واحدة من مناطق خفض التصعيد",
        "لست أدري",
        "طائرات F-16",
        "القرار 2401",
        "الساعة 10:30",
        "مقتل مدنيين",
        "بينهم متطوعين",
        "ق.د/وكالات",
        "بلدتي كفر بطنا وحزة",
        "بالمئة",
        "الخامس",
        "الثلاثاء",
        "الخميس",
        "نسبة 2.5",
    ],
)
def test_not_a_count(phrase: str) -> None:
    assert find_numbers(phrase) == []


def test_percent_reads_only_the_number() -> None:
    assert [mention.value for mention in find_numbers("ارتفعت بنسبة 50 في المئة")] == [50]


def test_number_offsets_exclude_clitics_and_qualifiers() -> None:
    text = "وأصيب نحو وسبعة... بل بنحو أربعين ألفاً من السكان"
    mention = find_numbers(text)[-1]
    assert mention.text == "نحو أربعين ألفاً"
    assert text[mention.number_start : mention.number_end] == "أربعين ألفاً"
    assert mention.value == 40000


def test_tashkeel_and_tatweel_stay_inside_spans() -> None:
    text = "قُتِلَ ثَلاثَةُ أشخاصٍ وأُصيبَ ســبعةٌ على الأقلّ"
    mentions = find_numbers(text)
    assert [(mention.text, mention.value, mention.qualifier) for mention in mentions] == [
        ("ثَلاثَةُ", 3, EXACT),
        ("ســبعةٌ على الأقلّ", 7, AT_LEAST),
    ]


def test_sentences_not_from_the_seeds() -> None:
    text = (
        "أعلنت الأمم المتحدة أن ما لا يقل عن 1,200 مدني قتلوا، وأن نحو مليون ونصف شخص نزحوا "
        "خلال ثلاثة أشهر، فيما أصيب عشرات آخرون بينهم طفلان."
    )
    found = [
        (mention.text, mention.value, mention.low, mention.high, mention.qualifier)
        for mention in find_numbers(text)
    ]
    assert found == [
        ("ما لا يقل عن 1,200", 1200, 1200, None, AT_LEAST),
        ("نحو مليون ونصف", 1500000, None, None, ABOUT),
        ("ثلاثة", 3, 3, 3, EXACT),
        ("عشرات", 10, 10, None, VAGUE),
        ("طفلان", 2, 2, 2, EXACT),
    ]


def test_a_qualifier_after_the_noun_stops_at_punctuation() -> None:
    mentions = find_numbers("قتل 12 مدنيا، على الأقل في رأي المرصد")
    assert [(mention.text, mention.qualifier) for mention in mentions] == [("12", EXACT)]


def test_two_numbers_joined_by_wa_stay_apart() -> None:
    mentions = find_numbers("وسقط 80 قتيلاً و150 جريحاً أغلبهم في بلدتي كفر بطنا وحزة")
    assert [(mention.text, mention.value) for mention in mentions] == [("80", 80), ("150", 150)]


# (text, number phrases found: text, value, low, high)
RANGES = [
    ("وقتل ما بين 25 و30 مسلحا في الاشتباكات", [("ما بين 25 و30", 25, 25, 30)]),
    ("وأصيب بين 10 و20 شخصا بجروح", [("بين 10 و20", 10, 10, 20)]),
    ("وأصيب بين 10 و 20 شخصا بجروح", [("بين 10 و 20", 10, 10, 20)]),  # و typed apart
    ("ونزح من 10 إلى 15 ألف شخص", [("من 10 إلى 15 ألف", 10000, 10000, 15000)]),
    ("وقتل من خمسة الى عشرة جنود في الكمين", [("من خمسة الى عشرة", 5, 5, 10)]),
    ("ويقدر عدد الضحايا بين ثلاثة وأربعة آلاف", [("بين ثلاثة وأربعة آلاف", 3000, 3000, 4000)]),
    ("وفر بين 3 و4 آلاف مدني", [("بين 3 و4 آلاف", 3000, 3000, 4000)]),  # the multiplier is shared
    ("وسقط بين 500 و4 آلاف جريح", [("بين 500 و4 آلاف", 500, 500, 4000)]),
    ("وما بين 40 و50 قذيفة سقطت على الحي", [("ما بين 40 و50", 40, 40, 50)]),
    ("وقال إن ما بين 35 إلى 40 شخصا غرقوا", [("ما بين 35 إلى 40", 35, 35, 40)]),  # بين ... إلى
    ("وقال الناجون إن 35 إلى 40 شخصا لقوا حتفهم", [("35 إلى 40", 35, 35, 40)]),  # no opening word
    # not ranges: a noun after the first number, a change of the count, a smaller second number
    ("وتوزع القتلى بين 12 مدنيا و8 عسكريين", [("12", 12, 12, 12), ("8", 8, 8, 8)]),
    ("وارتفع عدد القتلى في المدينة من 12 إلى 19 شخصا", [("12", 12, 12, 12), ("19", 19, 19, 19)]),
    ("وتراجع عدد النازحين من 300 إلى 200 شخص", [("300", 300, 300, 300), ("200", 200, 200, 200)]),
    ("وقتل 3 من 10 أشخاص كانوا في السيارة", [("3", 3, 3, 3), ("10", 10, 10, 10)]),
    ("وارتفع عدد القتلى 12 إلى 19 قتيلا", [("12", 12, 12, 12), ("19", 19, 19, 19)]),
    ("ونقل 5 إلى المستشفى في المدينة", [("5", 5, 5, 5)]),
]


@pytest.mark.parametrize(("text", "expected"), RANGES)
def test_a_stated_range_is_one_number_phrase(text: str, expected: list[tuple[str, int, int, int]]) -> None:
    found = [(mention.text, mention.value, mention.low, mention.high) for mention in find_numbers(text)]
    assert found == expected
    assert all(mention.qualifier is EXACT for mention in find_numbers(text))


def test_a_range_spans_from_its_first_word_to_its_second_number() -> None:
    text = "وقال المرصد إن ما بين 25 و30 مدنيا قتلوا"
    (mention,) = find_numbers(text)
    assert text[mention.start : mention.end] == "ما بين 25 و30"
    assert text[mention.number_start : mention.number_end] == "25 و30"


@pytest.mark.parametrize("path", SEEDS, ids=lambda path: path.stem)
def test_seed_spans_are_verbatim_ordered_and_disjoint(path: Path) -> None:
    article = path.read_text(encoding="utf-8")
    mentions = find_numbers(article)
    assert mentions
    previous_end = 0
    for mention in mentions:
        assert article[mention.start : mention.end] == mention.text
        assert mention.start <= mention.number_start < mention.number_end <= mention.end
        assert mention.start >= previous_end
        previous_end = mention.end


def test_seed_values_of_one_article() -> None:
    article = (SEEDS[0].parent / "ghouta-80-killed-40000-leave.txt").read_text(encoding="utf-8")
    assert [mention.value for mention in find_numbers(article)] == [
        80,
        100,
        80,
        150,
        40000,
        14,
        2500,
        4127,
        40000,
    ]


def test_characters_that_trip_the_normaliser_do_not_raise() -> None:
    text = "قتل \ufbb2 سبعة \ufd3e مدنيين \ufdd0 على الأقل"
    assert [mention.text for mention in find_numbers(text)] == ["سبعة"]


def _check(mention: NumberMention, text: str) -> None:
    assert text[mention.start : mention.end] == mention.text
    assert mention.start <= mention.number_start <= mention.number_end <= mention.end


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_never_raises_on_any_text(text: str) -> None:
    for mention in find_numbers(text):
        _check(mention, text)
    parsed = parse_number(text)
    if parsed is not None:
        _check(parsed, text)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "أكثر",
                "من",
                "نحو",
                "على",
                "الأقل",
                "ألف",
                "آلاف",
                "ونصف",
                "مليون",
                "عشرات",
                "بضعة",
                "مئة",
                "ثلاث",
                "وعشرين",
                "خمسة",
                "عشر",
                "غارتين",
                "ال15",
                "2.5",
                "1,200",
                "٤٠٠",
                "عام",
                "2015",
                ":",
                "/",
                " ",
                "،",
                "ً",
            ]
        ),
        max_size=12,
    ).map(" ".join)
)
def test_never_raises_on_number_like_text(text: str) -> None:
    for mention in find_numbers(text):
        _check(mention, text)
