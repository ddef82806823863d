"""The offline engine over the 40 real articles of `shared/real-dev` (journalists' reporting from the whole
region): no figure is a year, a date, an age, a duration or a percentage, and no English string holds a
number the article does not state (docs/DESIGN.md §3).

The articles sit outside the repository (`paths.REAL_DEV_ARTICLES`: beside the clone on CI); the test skips,
saying so, only off CI, and fails on CI when they are missing.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

import pytest
from helpers_offline import digest_of as offline_digest_of
from paths import REAL_DEV_ARTICLES

from schemas.digest import Digest, Figure, Qualifier
from service.arabic.lexicon import is_one_of, word_set, words
from service.arabic.normalize import normalize_str
from service.arabic.numbers import find_numbers
from service.digest.assemble import numbers_not_in_figures
from service.digest.claims import numbers_in_english, stated_numbers

ARTICLES = sorted(REAL_DEV_ARTICLES.glob("*.txt"))
if not ARTICLES and os.environ.get("CI") == "true":
    raise RuntimeError(f"CI must have the real development articles: none in {REAL_DEV_ARTICLES}")
pytestmark = pytest.mark.skipif(not ARTICLES, reason=f"no real development articles in {REAL_DEV_ARTICLES}")

_MONTHS = word_set("time_words", "months_gregorian", "months_levantine")
_TIME_NOUNS = word_set("time_words", "time_nouns")
_PER_CENT = words("%", "٪", "بالمئة", "بالمائة", "المئة", "المائة")
_AGE_WORDS = words("عمره", "عمرها", "عمر", "العمر", "عمرهم", "يبلغ", "تبلغ", "البالغ", "البالغة")


@cache
def digest_of(path: Path) -> Digest:
    return offline_digest_of(path.read_text(encoding="utf-8"))


def _words_around(text: str, figure: Figure) -> tuple[list[str], list[str]]:
    before = normalize_str(text[max(0, figure.span.start - 40) : figure.span.start]).split()[-3:]
    after = normalize_str(text[figure.span.end : figure.span.end + 30]).replace("%", " % ").split()[:2]
    return before, after


def not_a_count(text: str, figure: Figure) -> str | None:
    """What the figure's number is when it is not a count, by the words around it; None for a count."""
    before, after = _words_around(text, figure)
    if 1900 <= figure.value <= 2100 and any(c.isdigit() for c in figure.span.text):
        return "a year"
    if after and is_one_of(after[0], _MONTHS):
        return "a date"
    if after and (
        after[0] in _PER_CENT or (after[0] == normalize_str("في") and after[1:2] and after[1] in _PER_CENT)
    ):
        return "a percentage"
    span_words = normalize_str(figure.span.text).split()
    counted = span_words[-1] if len(span_words) > 1 else (after[0] if after else "")
    if is_one_of(counted, _TIME_NOUNS) and figure.qualifier is not Qualifier.vague:
        return "a duration"
    if any(is_one_of(word, _AGE_WORDS) for word in before):
        return "an age"
    return None


@pytest.mark.parametrize("path", ARTICLES, ids=[path.stem for path in ARTICLES])
def test_no_figure_is_a_year_date_age_duration_or_percentage(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    wrong = [
        f"{figure.id} «{figure.span.text}» is {kind}"
        for figure in digest_of(path).figures
        if (kind := not_a_count(text, figure)) is not None
    ]
    assert not wrong, f"{path.name}: {wrong}"


@pytest.mark.parametrize("path", ARTICLES, ids=[path.stem for path in ARTICLES])
def test_no_english_string_has_a_number_the_article_does_not_state(path: Path) -> None:
    digest = digest_of(path)
    assert numbers_not_in_figures(digest.summary, digest.figures) == [], path.name
    text = path.read_text(encoding="utf-8")
    in_article = {m.value for m in find_numbers(text) if m.qualifier is not Qualifier.vague}
    allowed = stated_numbers(digest.figures) | in_article
    english = [event.description_en for event in digest.events]
    english += [text for quote in digest.quotes for text in (quote.text_en, quote.gist_en) if text]
    english += [actor.name_en for actor in digest.actors]
    stray = [
        written for line in english for written, value in numbers_in_english(line) if value not in allowed
    ]
    assert stray == [], path.name


def test_the_real_dev_set_is_all_there() -> None:
    assert len(ARTICLES) == 40
