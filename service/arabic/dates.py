"""When an event happened: time expressions as written, resolved against the publication date if given.

An expression is anchored on أمس، اليوم، a weekday or "الليلة الماضية", and takes in the words around the
anchor that belong to it: a part of the day before it ("صباح اليوم"، "ليلة الخميس"), "خلال" before a part
of the day, a weekday or "الماضي/الماضية" after it ("أمس الجمعة"، "الإثنين الماضي"), and a second weekday
after "الى" ("ليلة الخميس الى الجمعة"). After "منذ" it is a period, not a date, and is left out.

Resolution (docs/DESIGN.md §3), only when the request gives `published_at`: اليوم = that day; أمس and "الليلة
الماضية" = the day before; a weekday = the most recent such day on or before publication, strictly before
it with "الماضي"; a night "ليلة X الى Y" = day X. Otherwise the date stays empty, precision unresolved.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from schemas.digest import DatePrecision, EventTime
from service.arabic.clitics import clitic_variants, strip_conjunction
from service.arabic.document import Document
from service.arabic.lexicon import is_one_of, word_set, word_values, words

_SHORTEST_TIME_WORD = 3  # "امس": a leading و/ف is peeled only when a word this long remains
_WEEKDAY_NUMBERS = word_values("time_words", "weekdays")
_TODAY = word_set("time_words", "today")
_YESTERDAY = word_set("time_words", "yesterday")
_LAST_NIGHT = word_set("time_words", "last_night")
_PAST = word_set("time_words", "past")
_DAY_PARTS = word_set("time_words", "day_parts")
_DURING = words("خلال", "طوال")
_UNTIL = words("الى", "إلى", "حتى")
_SINCE = words("منذ")


@dataclass(frozen=True, slots=True)
class TimeExpression:
    start: int
    end: int
    first_token: int
    last_token: int
    days_back: int | None  # 0 today, 1 yesterday; None for a weekday
    weekday: int | None
    strictly_before: bool

    def resolve(self, text: str, published: dt.date | None) -> EventTime:
        if published is None:
            return EventTime(text_ar=text, date=None, precision=DatePrecision.unresolved)
        return EventTime(text_ar=text, date=self._date(published), precision=DatePrecision.day)

    def _date(self, published: dt.date) -> dt.date:
        if self.days_back is not None:
            return published - dt.timedelta(days=self.days_back)
        assert self.weekday is not None
        back = (published.weekday() - self.weekday) % 7
        if back == 0 and self.strictly_before:
            back = 7
        return published - dt.timedelta(days=back)


def resolve_when(text_ar: str, published: dt.date | None) -> EventTime:
    """An event time given as text (e.g. by the LLM), resolved when it holds a time expression."""
    expressions = find_time_expressions(Document(text_ar)) if published is not None else []
    if published is None or not expressions:
        return EventTime(text_ar=text_ar, date=None, precision=DatePrecision.unresolved)
    return expressions[0].resolve(text_ar, published)


def find_time_expressions(document: Document) -> list[TimeExpression]:
    found: list[TimeExpression] = []
    index = 0
    while index < len(document.tokens):
        expression = _expression_at(document, index)
        if expression is None:
            index += 1
            continue
        found.append(expression)
        index = expression.last_token + 1
    return found


def _expression_at(document: Document, anchor: int) -> TimeExpression | None:
    kind = _anchor_kind(document, anchor)
    if kind is None:
        return None
    days_back, weekday, last = kind
    first = _extend_left(document, anchor)
    if document.has(first - 1, _SINCE):
        return None
    last, weekday, strictly_before = _extend_right(document, last, weekday)
    start = _start_after_proclitic(document, first)
    end = document.tokens[last].end
    return TimeExpression(start, end, first, last, days_back, weekday, strictly_before)


def _anchor_kind(document: Document, index: int) -> tuple[int | None, int | None, int] | None:
    """(days back, weekday, last token of the anchor) if a time anchor starts at `index`."""
    word = document.word(index)
    if _bare(word) in _TODAY:
        return 0, None, index
    if _bare(word) in _YESTERDAY:
        return 1, None, index
    if _bare(word) in _LAST_NIGHT and document.has(index + 1, _PAST):
        return 1, None, index + 1
    weekday = _weekday(word)
    if weekday is not None:
        return None, weekday, index
    return None


def _bare(word: str) -> str:
    """The word without a leading و/ف (the only proclitics time words take here)."""
    return strip_conjunction(word, min_stem=_SHORTEST_TIME_WORD)


def _weekday(word: str) -> int | None:
    for stem, _ in clitic_variants(word):
        if stem in _WEEKDAY_NUMBERS:
            return _WEEKDAY_NUMBERS[stem]
    return None


def _extend_left(document: Document, anchor: int) -> int:
    first = anchor
    while (
        first - 1 >= 0 and not document.gap_before(first).strip() and _is_day_part(document.word(first - 1))
    ):
        first -= 1
    if first - 1 >= 0 and document.has(first - 1, _DURING) and not document.gap_before(first).strip():
        first -= 1
    return first


def _is_day_part(word: str) -> bool:
    return any(stem in _DAY_PARTS for stem, _ in clitic_variants(word))


def _extend_right(document: Document, last: int, weekday: int | None) -> tuple[int, int | None, bool]:
    strictly_before = False
    following = document.word(last + 1)
    if _weekday(following) is not None and _spaced(document, last + 1):
        last += 1
        following = document.word(last + 1)
    if is_one_of(following, _PAST) and _spaced(document, last + 1):
        last, strictly_before = last + 1, True
    elif is_one_of(following, _UNTIL) and _weekday(document.word(last + 2)) is not None:
        last += 2
    return last, weekday, strictly_before


def _spaced(document: Document, index: int) -> bool:
    return index < len(document.tokens) and not document.gap_before(index).strip()


def _start_after_proclitic(document: Document, first: int) -> int:
    word = document.word(first)
    skipped = len(word) - len(_bare(word))
    return document.original_offset(first, skipped) if skipped else document.tokens[first].start
