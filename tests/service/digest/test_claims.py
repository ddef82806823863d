"""Claims as written in English, and the check that English writes only numbers the article states
(`service.digest.claims`, `service.digest.assemble.numbers_not_in_figures`)."""

from __future__ import annotations

import pytest

from schemas.digest import Figure, Metric, Qualifier, Span, Summary
from service.arabic.numbers import parse_number
from service.digest.assemble import numbers_not_in_figures
from service.digest.claims import claim_text, numbers_in_english, stated_numbers, vague_words


def read(phrase: str, subject: str | None = None, figure_id: str = "f1") -> Figure:
    """The figure of an Arabic phrase as the number reader reads it (value, bounds, qualifier, span)."""
    mention = parse_number(phrase)
    assert mention is not None, phrase
    return Figure(
        id=figure_id,
        value=mention.value,
        low=mention.low,
        high=mention.high,
        qualifier=mention.qualifier,
        metric=Metric.killed,
        subject_en=subject,
        span=Span(start=0, end=len(phrase), text=phrase),
    )


def ranged(phrase: str, low: int, high: int) -> Figure:
    return Figure(
        id="f9",
        value=low,
        low=low,
        high=high,
        qualifier=Qualifier.exact,
        metric=Metric.killed,
        span=Span(start=0, end=len(phrase), text=phrase),
    )


@pytest.mark.parametrize(
    ("phrase", "subject", "english"),
    [
        ("أكثر من 2.5 ألف مدني", "civilians", "more than 2,500 civilians"),
        ("أكثر من أربعين ألفا", None, "more than 40,000 people"),
        ("80 قتيلا على الأقل", None, "at least 80 people"),
        ("ما لا يقل عن 80 شخصا", None, "at least 80 people"),
        ("العشرات من المدنيين", "civilians", "dozens of civilians"),
        ("مئات القتلى", None, "hundreds of people"),
        ("آلاف النازحين", None, "thousands of people"),
        ("عشرات الآلاف من النازحين", None, "tens of thousands of people"),
        ("بضعة جرحى", None, "a few people"),
        ("نحو 50 شخصا", None, "about 50 people"),
        ("ما يصل إلى 20 قتيلا", None, "up to 20 people"),
        ("قتل 12 مدنيا", "civilians", "12 civilians"),
    ],
)
def test_a_claim_reads_as_the_article_states_it(phrase: str, subject: str | None, english: str) -> None:
    assert claim_text(read(phrase, subject)) == english


def test_a_stated_range_reads_between_its_bounds() -> None:
    assert claim_text(ranged("بين 10 و20 قتيلا", 10, 20)) == "between 10 and 20 people"


@pytest.mark.parametrize(
    ("value", "words"),
    [
        (3, "a few"),
        (10, "dozens"),
        (100, "hundreds"),
        (1000, "thousands"),
        (3000, "a few thousand"),
        (10000, "tens of thousands"),
        (100000, "hundreds of thousands"),
        (10**6, "millions"),
        (7, "a number"),
    ],
)
def test_vague_quantities_are_words(value: int, words: str) -> None:
    assert vague_words(value) == words


def test_stated_numbers_exclude_derived_bounds_and_vague_values() -> None:
    figures = [read("أكثر من 2.5 ألف", figure_id="f1"), read("العشرات", figure_id="f2")]
    figures.append(ranged("بين 10 و20 قتيلا", 10, 20))
    assert stated_numbers(figures) == {2500, 10, 20}
    assert stated_numbers(figures[:2]) == {2500}


def test_both_ends_of_a_range_with_a_shared_multiplier_are_stated() -> None:
    assert stated_numbers([ranged("بين 3 و4 آلاف نازح", 3000, 4000)]) == {3000, 4000}


def test_range_bounds_not_in_the_span_are_not_stated() -> None:
    assert stated_numbers([ranged("نحو 50 قتيلا", 45, 55)]) == {45}


@pytest.mark.parametrize(
    ("text", "numbers"),
    [
        ("more than 2,500 people and 40000 displaced", [("2,500", 2500), ("40000", 40000)]),
        ("2.5 million people", [("2.5 million", 2500000)]),
        ("a ratio of 2.5", [("2.5", None)]),
        ("10,20 and 1,2345", [("10", 10), ("20", 20), ("1", 1), ("2345", 2345)]),
        ("no numbers here", []),
        ("three thousand vehicles and twenty-five shells", [("three thousand", 3000), ("twenty-five", 25)]),
        ("Seven hundred fled; forty thousand stayed", [("Seven hundred", 700), ("forty thousand", 40000)]),
        ("one of the two bombings, at three o'clock", []),  # under ten alone: a dual, an ordinal
        ("eleven killed", [("eleven", 11)]),
    ],
)
def test_numbers_in_english(text: str, numbers: list[tuple[str, int | None]]) -> None:
    assert numbers_in_english(text) == numbers


def summary(text: str) -> Summary:
    return Summary(headline_en="Headline", summary_en=text, key_points_en=[])


def test_the_checker_accepts_claims_as_written() -> None:
    figures = [read("أكثر من 2.5 ألف", figure_id="f1"), read("العشرات", figure_id="f2")]
    text = summary("More than 2,500 people and dozens more were killed.")
    assert numbers_not_in_figures(text, figures) == []


def test_the_checker_rejects_derived_bounds_vague_values_and_strays() -> None:
    figures = [read("أكثر من 2.5 ألف", figure_id="f1"), read("العشرات", figure_id="f2")]
    text = "2,501 were killed, 10 injured and 2,501 displaced in 2011."
    assert numbers_not_in_figures(summary(text), figures) == ["2,501", "10", "2011"]


def test_the_checker_reads_headline_and_key_points() -> None:
    figures = [read("80 قتيلا")]
    text = Summary(headline_en="81 killed", summary_en="80 killed.", key_points_en=["Killed: 79"])
    assert numbers_not_in_figures(text, figures) == ["81", "79"]
