"""Degenerate article shapes at 10k characters (`bench/shapes.py`): the digest they get is the right one.

These shapes once made the pipeline quadratic; `bench/bench_complexity.py` measures their growth. Here
only the output is checked: nothing is invented from repetition, every item stays grounded.
"""

from __future__ import annotations

import pytest
from helpers_offline import digest_of

from bench.shapes import SEEDS, SHAPES
from schemas.digest import Digest, Metric

LENGTH = 10_000
NOTHING_TO_REPORT = [
    "colons",
    "percentages",
    "ranges",
    "number words",
    "according to",
    "number-word run",
    "one long word",
    "alternating scripts",
    "among them",
]


def assert_grounded(digest: Digest, text: str) -> None:
    spans = [item.span for item in (*digest.figures, *digest.quotes)]
    spans += [span for event in digest.events for span in event.evidence]
    spans += [span for actor in digest.actors for span in actor.mentions]
    assert all(span.text == text[span.start : span.end] and span.end > span.start for span in spans)


@pytest.mark.parametrize("shape", NOTHING_TO_REPORT)
def test_repetition_without_a_counted_noun_or_a_cue_reports_nothing(shape: str) -> None:
    digest = digest_of(SHAPES[shape](LENGTH))
    assert (digest.figures, digest.quotes, digest.events) == ([], [], [])


def test_each_repeated_killed_count_is_its_own_figure() -> None:
    text = SHAPES["killed counts, no stop"](LENGTH)
    digest = digest_of(text)
    assert len(digest.figures) == text.count("قتل 5 أشخاص")
    assert {(figure.metric, figure.value, figure.span.text) for figure in digest.figures} == {
        (Metric.killed, 5, "5 أشخاص")
    }


@pytest.mark.parametrize(("shape", "said"), [("said colon", "قال"), ("said that", "قال إن")])
def test_a_chain_of_reporting_verbs_quotes_the_words_after_each_cue(shape: str, said: str) -> None:
    text = SHAPES[shape](LENGTH)
    digest = digest_of(text)
    assert digest.quotes
    assert {quote.span.text for quote in digest.quotes} == {said}
    assert_grounded(digest, text)


def test_unclosed_marks_quote_what_follows_the_cue_without_the_next_mark() -> None:
    text = SHAPES["unclosed quote"](LENGTH)
    digest = digest_of(text)
    assert {quote.span.text for quote in digest.quotes} == {"القصف مستمر"}
    assert_grounded(digest, text)


def test_nested_marks_are_one_quote() -> None:
    text = SHAPES["nested quotes"](LENGTH)
    digest = digest_of(text)
    assert len(digest.quotes) == 1
    assert_grounded(digest, text)


def test_a_repeated_article_repeats_its_figures() -> None:
    text = SHAPES["normal article"](LENGTH)
    single = digest_of((SEEDS / "aleppo-shelling-de-mistura-moscow.txt").read_text(encoding="utf-8"))
    digest = digest_of(text)
    assert {figure.value for figure in digest.figures} >= {figure.value for figure in single.figures}
    assert_grounded(digest, text)
