"""Alignment of candidate strings to the article: exact, normalised, fuzzy, glued words, clitics, near."""

from __future__ import annotations

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from schemas.digest import MatchKind, Span
from service.arabic.align import MIN_FUZZY_CHARS, align, align_all
from tests.paths import SEEDS_DIR

SEEDS = SEEDS_DIR
DEADLIEST_WEEK = (SEEDS / "ghouta-deadliest-week-idlib-raids.txt").read_text(encoding="utf-8")
BOMBING = (SEEDS / "ghouta-bombing-resumes.txt").read_text(encoding="utf-8")
EIGHTY_KILLED = (SEEDS / "ghouta-80-killed-40000-leave.txt").read_text(encoding="utf-8")


def _found(article: str, candidate: str, *, near: int | None = None) -> Span:
    span = align(article, candidate, near=near)
    assert span is not None
    assert article[span.start : span.end] == span.text
    return span


def test_exact() -> None:
    span = _found(DEADLIEST_WEEK, "قتل سبعة مدنيين على الأقل")
    assert (span.text, span.match) == ("قتل سبعة مدنيين على الأقل", MatchKind.exact)


@pytest.mark.parametrize(
    ("article", "candidate", "expected"),
    [
        pytest.param("قُتِلَ سبعةُ مدنيين", "قتل سبعة مدنيين", "قُتِلَ سبعةُ مدنيين", id="tashkeel-in-article"),
        pytest.param("قتل سبعة مدنيين", "قُتِلَ سبعةُ", "قتل سبعة", id="tashkeel-in-candidate"),
        pytest.param("في إدلب وأريحا", "في ادلب واريحا", "في إدلب وأريحا", id="hamza-forms"),
        pytest.param("الغوطه الشرقيه", "الغوطة الشرقية", "الغوطه الشرقيه", id="ta-marbuta"),
        pytest.param("ذهب إلى مستشفى", "الى مستشفي", "إلى مستشفى", id="alef-maqsura"),
        pytest.param("قتل ٤٠٠ مدني", "400 مدني", "٤٠٠ مدني", id="arabic-indic-digits"),
        pytest.param("قال: «لا تعليق» ثم خرج", '"لا تعليق"', "«لا تعليق»", id="guillemets-vs-straight"),
        pytest.param("وقال  الجيش\nالسوري إن", "الجيش السوري", "الجيش\nالسوري", id="whitespace-run"),
        pytest.param("موقعة 80 قتيلاً على الأقل", "80 قتيلا", "80 قتيلاً", id="trailing-tanween-kept"),
    ],
)
def test_normalized(article: str, candidate: str, expected: str) -> None:
    span = _found(article, candidate)
    assert (span.text, span.match) == (expected, MatchKind.normalized)


def test_normalized_span_does_not_begin_or_end_with_whitespace() -> None:
    article = "قال مدير  المرصد \n\n إن القصف"
    span = _found(article, "\tالمرصد  \n")
    assert (span.text, span.match) == ("المرصد", MatchKind.normalized)
    span = _found(article, "مدير المرصد إن")
    assert span.text == "مدير  المرصد \n\n إن"


def test_fuzzy_one_letter_changed_in_a_quote() -> None:
    quote = "المدنيون هم الأهداف في إدلب وفي غربي دمشق"  # the article says شرقي
    span = _found(DEADLIEST_WEEK, quote)
    assert span.match is MatchKind.fuzzy
    assert span.text == "المدنيون هم الأهداف في إدلب وفي شرقي دمشق"


def test_fuzzy_edges_snap_to_words_when_a_letter_is_missing() -> None:
    span = _found(DEADLIEST_WEEK, "نحن قلقون جدا ونرقب الوضع على الرض عن كثب")
    assert span.match is MatchKind.fuzzy
    assert span.text == "نحن قلقون جدا ونرقب الوضع على الأرض عن كثب"


def test_fuzzy_below_threshold_is_no_match() -> None:
    assert align(DEADLIEST_WEEK, "هذا نص مختلف تماما عن كل ما في المقال من كلمات") is None


def test_short_candidates_never_match_fuzzily() -> None:
    assert len("حلبي") < MIN_FUZZY_CHARS
    assert align("قصف في حلب", "حلبي") is None
    assert align("قصف في حلب", "حلبي", fuzzy_threshold=0) is None


def test_characters_that_trip_the_normaliser_do_not_raise() -> None:
    article = "قتل \ufbb2 سبعة \ufd3e مدنيين"
    assert _found(article, "سبعه \ufd3e").text == "سبعة \ufd3e"
    span = align(article, "\ufdd0 مدنيين")
    assert span is not None
    assert (span.text, span.match) == ("مدنيين", MatchKind.fuzzy)
    assert [span.text for span in align_all(article, "\ufbb2")] == ["\ufbb2"]


def test_no_match() -> None:
    assert align(BOMBING, "مجلس الشيوخ الأمريكي") is None
    assert align(BOMBING, "") is None


@pytest.mark.parametrize(
    ("article", "candidate", "expected"),
    [
        pytest.param(DEADLIEST_WEEK, "الأمم المتحدة", "الأممالمتحدة", id="united-nations"),
        pytest.param(DEADLIEST_WEEK, "الولايات المتحدة", "الولاياتالمتحدة", id="united-states"),
        pytest.param("في الغوطة الشرقيةلدمشق", "الشرقية لدمشق", "الشرقيةلدمشق", id="ghouta-damascus"),
        pytest.param(
            "مدير المرصد رامي عبد الرحمن", "رامي عبدالرحمن", "رامي عبد الرحمن", id="split-in-article"
        ),
    ],
)
def test_glued_words(article: str, candidate: str, expected: str) -> None:
    span = _found(article, candidate)
    assert (span.text, span.match) == (expected, MatchKind.normalized)


@pytest.mark.parametrize(
    ("article", "candidate", "expected"),
    [
        pytest.param("قصف بالغوطة الشرقية أمس", "الغوطة الشرقية", "الغوطة الشرقية", id="ba-al"),
        pytest.param("في بلدتي كفر بطنا وحزة", "حزة", "حزة", id="wa"),
        pytest.param("وشمل القصف كفربطنا وحزّة", "حزة", "حزّة", id="wa-with-shadda"),
        pytest.param("تصعيد قصفهما للغوطة الشرقية", "الغوطة الشرقية", "لغوطة الشرقية", id="lam-lam"),
        pytest.param("وقال فالمرصد السوري", "المرصد السوري", "المرصد السوري", id="fa-al"),
        pytest.param("الغوطةالشرقية وبالغوطه الشرقيه", "الغوطة الشرقية", "الغوطه الشرقيه", id="bounded-wins"),
    ],
)
def test_clitics(article: str, candidate: str, expected: str) -> None:
    span = _found(article, candidate)
    assert span.text == expected


def test_a_word_boundary_occurrence_wins_over_one_inside_a_word() -> None:
    article = "مقتل شخص ثم قتل آخر"
    span = _found(article, "قتل")
    assert span.start == article.index(" قتل") + 1


def test_near_picks_the_nearest_occurrence() -> None:
    first = BOMBING.index("الغوطة الشرقية")
    last = BOMBING.rindex("الغوطة الشرقية")
    assert _found(BOMBING, "الغوطة الشرقية").start == first
    assert _found(BOMBING, "الغوطة الشرقية", near=len(BOMBING)).start == last
    assert _found(BOMBING, "الغوطة الشرقية", near=0).start == first


def test_near_also_applies_to_normalized_matches() -> None:
    article = "الغوطه هنا ثم الغوطه هناك"
    assert _found(article, "الغوطة", near=20).start == article.rindex("الغوطه")


def test_align_all_returns_every_mention_on_word_boundaries() -> None:
    spans = align_all(DEADLIEST_WEEK, "الأمم المتحدة")
    assert [span.text for span in spans] == ["الأممالمتحدة"] * DEADLIEST_WEEK.count("الأممالمتحدة")
    assert all(span.match is MatchKind.normalized for span in spans)


def test_align_all_mixes_exact_and_normalized_and_skips_inside_words() -> None:
    article = "روسيا قالت، وقالت روسيا ثم الروسي وروسيّا"
    spans = align_all(article, "روسيا")
    assert [(span.text, span.match) for span in spans] == [
        ("روسيا", MatchKind.exact),
        ("روسيا", MatchKind.exact),
        ("روسيّا", MatchKind.normalized),
    ]
    assert align_all(article, "   ") == []


def test_align_all_keeps_spans_apart() -> None:
    spans = align_all("حلب حلب حلب", "حلب حلب")
    assert [(span.start, span.end) for span in spans] == [(0, 7)]


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_any_substring_aligns_exactly(data: st.DataObject) -> None:
    text = data.draw(st.text(min_size=1))
    start = data.draw(st.integers(min_value=0, max_value=len(text) - 1))
    end = data.draw(st.integers(min_value=start + 1, max_value=len(text)))
    candidate = text[start:end]
    span = align(text, candidate)
    assert span is not None
    assert text[span.start : span.end] == span.text
    if span.match is MatchKind.exact:
        assert span.text == candidate


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_any_run_of_whole_words_aligns_exactly(data: st.DataObject) -> None:
    vocabulary = ["قتل", "سبعة", "مدنيين", "في", "حلب", "أمس", "80", "«قال»"]
    words = data.draw(st.lists(st.sampled_from(vocabulary), min_size=1))
    text = " ".join(words)
    first = data.draw(st.integers(min_value=0, max_value=len(words) - 1))
    last = data.draw(st.integers(min_value=first + 1, max_value=len(words)))
    candidate = " ".join(words[first:last])
    span = align(text, candidate)
    assert span is not None
    assert (span.text, span.match) == (candidate, MatchKind.exact)


ARABIC_NOISE = st.text(alphabet=st.sampled_from('قتلحبغوطةأإآىيـًٌَّ ٤0«»"\u200c\n'), max_size=40)


@settings(max_examples=300, deadline=None)
@given(ARABIC_NOISE, ARABIC_NOISE)
def test_any_candidate_gives_a_verbatim_span_or_none(text: str, candidate: str) -> None:
    span = align(text, candidate, fuzzy_threshold=50)
    if span is not None:
        assert text[span.start : span.end] == span.text
        assert 0 <= span.start <= span.end <= len(text)
    for found in align_all(text, candidate):
        assert text[found.start : found.end] == found.text


@settings(max_examples=200, deadline=None)
@given(st.text(), st.text())
def test_never_raises(text: str, candidate: str) -> None:
    assume(len(text) < 500)
    span = align(text, candidate, near=len(text) // 2)
    if span is not None:
        assert text[span.start : span.end] == span.text
