"""Periods as written: "خلال ثلاثة أيام"، "منذ مساء الأحد"، "خلال 24 ساعة فقط"، "في الأيام الأربعة الماضية".

A period is a preposition of time (خلال، منذ، طوال، طيلة، على مدى، في ...) followed by up to six words
of time: time nouns, months, numbers, parts of the day, weekdays and the adjectives that qualify them
(الماضية، الأخيرة، القليلة، فقط ...). It must contain a time noun, a month or a weekday, so "في الغوطة" is
not one; a month after "في" is when an incident happened ("في منتصف يونيو الماضي"), not a period, while
"خلال شهر تموز" and "منذ منتصف مارس" are. "حصيلة" ("the toll of") opens one too, the period being the
words after it: "حصيلة شهر حزيران الماضي" → "شهر حزيران الماضي". A span of time called bloody is one
without a preposition: "مئات القتلى في غارات متواصلة أسبوع دام" → "أسبوع دام". So is a month or a past
span that "witnessed" a toll: "شهد تموز الماضي مقتل 844 مدنيا" → "تموز الماضي" (not a day: "شهد يوم
الجمعة الماضي" dates one incident); and the end of a war: "وبانتهاء الحرب كان قد قتل 74 ألف شخص" →
"بانتهاء الحرب" (the whole war's toll), "حتى نهاية الحرب".

After "منذ", the start of a war or of fighting is an anchor, with the war it names or a "قبل" and a count
of years: "منذ اندلاع الحرب"، "منذ بدء العدوان"، "منذ اندلاعه قبل ست سنوات"; so is the start of a term
or an agreement: "منذ تولي الرئيس الحكم"، "منذ توقيع الاتفاق" (word lists in
`service/arabic/data/toll_scope.yaml`, shared with `service.digest.reconcile.scope_of_period`).
"""

from __future__ import annotations

from dataclasses import dataclass

from service.arabic.clitics import clitic_variants
from service.arabic.document import Document
from service.arabic.lexicon import word_set, words
from service.engines.offline.metrics import TIME_NOUNS

_PERIOD_PREPOSITIONS = words("خلال", "منذ", "طوال", "طيلة", "مدى", "مدار", "في", "غضون")
WEEKDAYS = word_set("time_words", "weekdays")
DAY_PARTS = word_set("time_words", "day_parts", "day_parts_of_periods")
_TIME_ADJECTIVES = word_set("time_words", "past", "period_adjectives")
_MAX_WORDS = 6
_SINCE = words("منذ")
_BEFORE = words("قبل")
_WAR_START_PREFIXES = tuple(start.removesuffix("ه") for start in word_set("toll_scope", "war_starts"))
_PERIOD_STARTS = word_set("toll_scope", "starts_of_periods")
MONTHS = word_set("time_words", "months_gregorian", "months_levantine")
_TOLLS = word_set("time_words", "tolls")
_BLOODY = word_set("time_words", "bloody")
_WITNESSED = word_set("time_words", "witnessed")
_PAST = word_set("time_words", "past")
_WAR_ENDS = word_set("toll_scope", "war_ends")
_UNTIL = words("حتى")
_IN = words("في")
_WARS = word_set("toll_scope", "wars", "fighting")


@dataclass(frozen=True, slots=True)
class Period:
    start: int
    end: int
    first_token: int
    last_token: int


def find_periods(document: Document, number_tokens: set[int]) -> list[Period]:
    """Every period phrase of the document; `number_tokens` are the tokens of number mentions."""
    periods: list[Period] = []
    index = 0
    while index < len(document.tokens):
        opens = document.has(index, _PERIOD_PREPOSITIONS)
        toll = not opens and document.has(index, _TOLLS)
        witnessed = not opens and document.has(index, _WITNESSED)
        if opens or toll:
            last = _period_end(document, index, number_tokens)
        elif witnessed:
            last = _witnessed_span_end(document, index, number_tokens)
        else:
            last = _bloody_span(document, index) or _war_end(document, index)
        if last is None:
            index += 1
            continue
        first = index + 1 if toll or witnessed else index
        start, end = document.token_span(first, last)
        start = _after_proclitic(document, first, start)
        if document.has(first - 1, _UNTIL) and last == _war_end(document, first):
            start = document.token_span(first - 1, first - 1)[0]
        periods.append(Period(start, end, first, last))
        index = last + 1
    return periods


def _after_proclitic(document: Document, index: int, start: int) -> int:
    """Leave a leading و/ف/ل out of the period ("وخلال" → "خلال"، "وبانتهاء" → "بانتهاء")."""
    for stem, skipped in clitic_variants(document.word(index)):
        if skipped and (stem in _PERIOD_PREPOSITIONS or _by_the_end(stem)):
            return document.original_offset(index, skipped)
    return start


def _period_end(document: Document, first: int, number_tokens: set[int]) -> int | None:
    """Index of the last word of a period opened at `first`, or None if none follows."""
    last = None
    for index in range(first + 1, min(first + 1 + _MAX_WORDS, len(document.tokens))):
        if document.gap_before(index).strip():
            break
        is_anchor = (
            document.has(index, TIME_NOUNS)
            or document.has(index, WEEKDAYS)
            or (document.has(index, MONTHS) and not document.has(first, _IN))
            or _starts_a_war(document, first, index)
            or (last is not None and document.has(index, _WARS))
        )
        qualifies = document.has(index, DAY_PARTS) or document.has(index, _TIME_ADJECTIVES)
        counts = index in number_tokens or _is_year(document.word(index)) or document.has(index, _BEFORE)
        if is_anchor or (last is not None and (qualifies or _is_year(document.word(index)))):
            last = index
        elif not (counts or qualifies):
            break
    return last


def _witnessed_span_end(document: Document, index: int, number_tokens: set[int]) -> int | None:
    """ "شهد تموز الماضي"، "شهدت الأشهر الماضية": the last word of a month or past span after "شهد"."""
    last = _period_end(document, index, number_tokens)
    if last is None:
        return None
    span = range(index + 1, last + 1)
    month = any(document.has(i, MONTHS) for i in span)
    a_day = any(document.has(i, WEEKDAYS) or document.has(i, DAY_PARTS) for i in span)
    past = any(document.has(i, _PAST) for i in span)
    return last if month or (past and not a_day) else None


def _war_end(document: Document, index: int) -> int | None:
    """ "بانتهاء الحرب"، "حتى نهاية الحرب": the index of the war word after the war's end, else None."""
    following = index + 1
    if following >= len(document.tokens) or not document.has(following, _WARS):
        return None
    by_the_end = any(_by_the_end(stem) for stem, _ in clitic_variants(document.word(index)))
    until_the_end = document.has(index, _WAR_ENDS) and document.has(index - 1, _UNTIL)
    return following if by_the_end or until_the_end else None


def _by_the_end(stem: str) -> bool:
    """ "بانتهاء"، "بنهاية": by the end of (a war named next)."""
    return stem.startswith("ب") and stem[1:] in _WAR_ENDS


def _bloody_span(document: Document, index: int) -> int | None:
    """ "أسبوع دام"، "أيام دامية": the index of the adjective after a time noun, else None."""
    following = index + 1
    bloody = following < len(document.tokens) and document.has(following, _BLOODY)
    if document.has(index, TIME_NOUNS) and bloody and not document.gap_before(following).strip():
        return following
    return None


def _starts_a_war(document: Document, first: int, index: int) -> bool:
    """ "منذ اندلاع..."، "منذ بدايتها"، "منذ تولي ...": a war's, fighting's or term's start right after
    "منذ"."""
    return (
        index == first + 1
        and document.has(first, _SINCE)
        and (document.word(index).startswith(_WAR_START_PREFIXES) or document.has(index, _PERIOD_STARTS))
    )


def _is_year(word: str) -> bool:
    return len(word) == 4 and word.isdigit()
