"""Figures: every number phrase that counts something, as a claim with its metric, source, period and place.

Numbers come from `service.arabic.numbers.find_numbers`; a singular person noun next to a verb of killing or
wounding ("إن مدنيا قتل"، "مقتل طفل") or right after "بينهم" ("بينهم طفل") is a figure of one.
What a number counts is read by `service.engines.offline.metrics`. Then, per figure:
- subset: a figure introduced by بينهم / منهم / بينها / من بينهم (or joined by و to such a figure) is
  part of the nearest total before it in the sentence; one after "بين الجرحى"/"من القتلى" ("among the
  injured"), or followed by "من بين القتلى" ("أربعة من القادة المحليين من بين القتلى"), is part of the
  latest total of that metric; a partitive "مئة من القتلى" ("a hundred of the dead", not "العشرات من
  المدنيين") is part of an earlier total of its metric in the sentence (a sub-period of the same toll). A
  subset takes the total's metric, and its period, place and source unless it has its own;
- period: the period phrase in the same clause, nearest first, with no other number between the two unless
  it is at most six words away ("موقعة 80 قتيلاً ... الذي حصد المئات منذ شهر": the month is the hundreds',
  not the 80's; "قتل 170 وجرح مئات خلال ثلاثة أيام": both tolls are the three days'), and not after an
  ordinal ("مقتل فلسطيني ثان خلال 24 ساعة": the second death of the day, one incident's), else a period that
  opens the sentence ("ومنذ تولي الرئيس الحكم في 29 مايو، قتل أكثر من 800 شخص"); a casualty figure with
  no period of its own takes that of the casualty figure before it in its sentence ("ارتفعت الحصيلة منذ مساء
  الأحد إلى 250 مدنيا، وأصيب مئات"). A flow of people (displaced, evacuated) told for one day ("غادر نحو 4127
  شخصا الغوطة أمس") is that day's share of the flow: the day word is its period. Its scope
  (`service.digest.reconcile.scope_of_period`) follows, with one reading of the clause (`scope_of`): a
  period opened by "منذ" in a clause that names a war before it ("نزاعا داميا تسبب منذ منتصف مارس
  بمقتل"، "الحرب التي قتلت منذ أكتوبر") is the war's running count, cumulative;
- place: the place its clause names, else the place named by the nearest clause before it in its sentence,
  else after it in the sentence, else a state its sentence names as a place when it is not the article's
  first ("وقتل 37 شخصا في غومبيه شمال شرقي نيجيريا" in news from Cameroon: an unknown town, so Nigeria), else
  the article's main place (the lead sets the scene), else a state named as a place;
- metric: a count that no word around it says the metric of, joined by و right after a casualty figure
  ("قتل جندي دولي وثمانية مقاتلين"), is counted by the same verb; so is one that opens its clause with و
  after the named victim of a word of killing or wounding ("وذهب ضحيتها القيادي صالح العاروري، واثنين من
  مرافقيه": `metrics.victim_conjoined_metric`);
- source: `Attributions.source_at` (nearest attribution before it in the sentence, then after, then carried).
A number in an order to the reader ("واكتب أن عدد القتلى 1000", `Document.is_command`) is no claim.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass, replace

from schemas.digest import Location, Metric, Qualifier, Scope
from schemas.metrics import CASUALTY_METRICS
from service.arabic.clitics import clitic_variants
from service.arabic.document import Document
from service.arabic.lexicon import is_one_of, lookup, word_set, words
from service.arabic.numbers import NumberMention
from service.digest.reconcile import scope_of_period
from service.engines.offline.attribution import Attributions
from service.engines.offline.entities import EntityMention
from service.engines.offline.metrics import (
    NATIONALS,
    SINGULAR_PERSONS,
    NumberWords,
    counted_noun,
    is_besieged_population,
    is_casualty_word,
    is_definite_digits,
    is_duration,
    is_evacuation,
    is_not_a_count,
    metric_from_context,
    subject_of,
    victim_conjoined_metric,
)
from service.engines.offline.periods import Period
from service.engines.offline.places import Places

_SUBSET_MARKERS = words("بينهم", "منهم", "بينها", "منها", "بينهن", "منهن")
_AMONG = words("بين", "ومن", "من")  # "وبين الجرحى طفلان": among the injured, two children
_BETWEEN = words("بين")
_AMONG_REACH = 5  # words from the end of a figure's phrase to "بين القتلى" ("من القادة المحليين من بين")
_AMONG_TOLL = {
    **dict.fromkeys(words("القتلى", "الضحايا", "الشهداء"), Metric.killed),
    **dict.fromkeys(words("الجرحى", "المصابين"), Metric.injured),
}
_CASUALTY_METRIC_OF_WORD = {
    **dict.fromkeys(words("قتل", "قتلت", "قتلوا", "مقتل", "استشهاد", "استشهد", "مقتله"), Metric.killed),
    **dict.fromkeys(words("جرح", "جرحوا", "أصيب", "أصيبت", "إصابة", "إصابته"), Metric.injured),
}
_KILLED_OR_INJURED_WORDS = frozenset(_CASUALTY_METRIC_OF_WORD)
_AND = "و"
_FLOWS = frozenset({Metric.displaced, Metric.evacuated})
_DAYS = word_set("time_words", "today", "yesterday")
_CONJOINED_REACH = 8  # words from the previous figure's last word to the conjoined count
_PERIOD_REACH_PAST_NUMBERS = 6  # words: a toll conjoined to the figure's shares its period
_OF = words("من")
_ORDINALS = word_set("number_words", "ordinals")
_SINCE = words("منذ")
_WARS = word_set("toll_scope", "wars")


@dataclass(frozen=True, slots=True)
class FigureDraft:
    """A figure before ids are given: offsets, reading, and links to other drafts by index."""

    start: int
    end: int
    number: NumberWords
    value: int
    low: int | None
    high: int | None
    qualifier: Qualifier
    metric: Metric
    subject_en: str | None
    period: Period | None
    location: Location | None
    source: EntityMention | None
    part_of: int | None  # index of the total in the list of drafts
    partitive: bool = False  # "مئة من القتلى": some of the dead already counted


def read_figures(
    document: Document,
    numbers: Sequence[NumberMention],
    periods: Sequence[Period],
    places: Places,
    attributions: Attributions,
) -> list[FigureDraft]:
    candidates = [c for c in _candidates(document, numbers) if _counts_something(document, c)]
    candidates += _singular_figures(document, candidates)
    candidates = [c for c in candidates if not document.is_command(c[1].first)]
    candidates.sort(key=lambda candidate: candidate[0].start)
    blocked = {index for _, number in candidates for index in range(number.first, number.last + 1)}
    drafts: list[FigureDraft] = []
    for mention, number in candidates:
        read, counts = _draft(document, mention, number, blocked, periods, places, attributions)
        if not counts and drafts and _conjoined(document, drafts[-1], read):
            read, counts = replace(read, metric=drafts[-1].metric), True
        draft = _with_sentence_period(document, _as_subset(document, read, drafts), drafts)
        if counts or draft.part_of is not None:
            _date_total_by_subset(drafts, draft)
            drafts.append(draft)
    return drafts


def _date_total_by_subset(drafts: list[FigureDraft], subset: FigureDraft) -> None:
    """ "قتلت 1200 من عناصر التنظيم بينهم 40 قياديا خلال ثمانية أشهر": the period closing the clause
    after a subset dates its total too (the subset is an aside within the total's clause)."""
    if subset.part_of is None or subset.period is None or subset.period.first_token < subset.number.last:
        return
    total = drafts[subset.part_of]
    if total.period is None:
        drafts[subset.part_of] = replace(total, period=subset.period)


def _conjoined(document: Document, previous: FigureDraft, draft: FigureDraft) -> bool:
    """ "وقتل جندي دولي وثمانية مقاتلين"، "مقتل 11 من تنظيم داعش و11 مدنيا": a count joined by و to a
    casualty figure of its clause, with no word of another toll between, is counted by the same word."""
    if previous.metric not in CASUALTY_METRICS:
        return False
    first = document.token_index_at(draft.start)
    previous_last = document.token_index_at(previous.end - 1)
    return (
        0 < first - previous_last <= _CONJOINED_REACH
        and document.word(first).startswith(_AND)
        and document.clause_of_token(first) == document.clause_of_token(previous.number.first)
        and not any(is_casualty_word(document, index) for index in range(previous_last + 1, first))
    )


def _candidates(
    document: Document, numbers: Sequence[NumberMention]
) -> list[tuple[NumberMention, NumberWords]]:
    found = []
    for mention in numbers:
        tokens = document.tokens_in(mention.number_start, mention.number_end)
        if tokens:
            found.append((mention, NumberWords(tokens.start, tokens.stop - 1)))
    return found


def _counts_something(document: Document, candidate: tuple[NumberMention, NumberWords]) -> bool:
    mention, number = candidate
    number_text = document.text[mention.number_start : mention.number_end]
    return not (
        is_definite_digits(number_text)
        or is_duration(document, number)
        or is_not_a_count(document, number, number_text, mention.value)
    )


def _singular_figures(
    document: Document, candidates: Sequence[tuple[NumberMention, NumberWords]]
) -> list[tuple[NumberMention, NumberWords]]:
    """ "إن مدنيا قتل"، "مقتل طفل"، "بينهم طفل": a singular person noun that is a count of one."""
    taken = {index for _, number in candidates for index in range(number.first - 1, number.last + 2)}
    found = []
    for index, token in enumerate(document.tokens):
        person, national = _indefinite_singular_person(token.text), _national(token.text)
        if index in taken or not (person or national):
            continue
        before, after = document.word(index - 1), document.word(index + 1)
        spaced_before = not document.gap_before(index).strip()
        spaced_after = not document.gap_before(index + 1).strip()
        casualty = (spaced_before and is_one_of(before, _KILLED_OR_INJURED_WORDS)) or (
            person and spaced_after and is_one_of(after, _KILLED_OR_INJURED_WORDS)
        )
        if casualty or (spaced_before and is_one_of(before, _SUBSET_MARKERS)):
            found.append((_mention_of_one(document, index), NumberWords(index, index)))
    return found


def _indefinite_singular_person(word: str) -> bool:
    return any(stem in SINGULAR_PERSONS for stem, _ in clitic_variants(word))


def _national(word: str) -> bool:
    """ "فلسطيني"، "يمنيا": one person of a state, counted only right after a word of killing or wounding
    ("مقتل فلسطيني"; "قصف روسي قتل" is no count)."""
    return any(stem in NATIONALS for stem, _ in clitic_variants(word))


def _mention_of_one(document: Document, index: int) -> NumberMention:
    skipped = next(
        skip
        for stem, skip in clitic_variants(document.word(index))
        if stem in SINGULAR_PERSONS or stem in NATIONALS
    )
    start = document.original_offset(index, skipped)
    end = document.tokens[index].end
    text = document.text[start:end]
    return NumberMention(start, end, text, start, end, 1, 1, 1, Qualifier.exact)


def _draft(
    document: Document,
    mention: NumberMention,
    number: NumberWords,
    blocked: set[int],
    periods: Sequence[Period],
    places: Places,
    attributions: Attributions,
) -> tuple[FigureDraft, bool]:
    """The figure read at `number`, and whether any word says what it counts (else it is no figure)."""
    counted = counted_noun(document, number)
    metric: Metric | None
    if is_evacuation(document, document.token_index_at(mention.start)):
        metric = Metric.evacuated
    elif counted is not None and counted[1] is not None:
        metric = Metric(counted[1])
    elif is_besieged_population(document, number):
        metric = Metric.besieged_population
    else:
        metric = (
            _singular_metric(document, number)
            or metric_from_context(document, number, blocked, document.token_index_at(mention.end - 1))
            or victim_conjoined_metric(document, number, blocked)
        )
    end = mention.end
    if counted is not None:
        end = max(end, document.tokens[counted[0]].end)
    draft = FigureDraft(
        start=mention.start,
        end=end,
        number=number,
        value=mention.value,
        low=mention.low,
        high=mention.high,
        qualifier=mention.qualifier,
        metric=metric or Metric.other,
        subject_en=_subject(document, number, counted),
        period=_period_in_clause(document, number, periods, blocked)
        or _fronted_period(document, number, periods)
        or (_day_of_flow(document, number) if metric in _FLOWS else None),
        location=_location(document, number, places),
        source=attributions.source_at(number.first),
        part_of=None,
        partitive=_partitive(document, number, counted),
    )
    return draft, metric is not None


def period_text(document: Document, draft: FigureDraft) -> str | None:
    """The figure's period as written."""
    return document.text[draft.period.start : draft.period.end] if draft.period else None


def scope_of(document: Document, draft: FigureDraft) -> Scope:
    """The toll's scope from its period as written, and cumulative for a war's count since a date."""
    scope = scope_of_period(period_text(document, draft))
    if scope is Scope.period and draft.period is not None and _war_since(document, draft.period):
        return Scope.cumulative
    return scope


def _war_since(document: Document, period: Period) -> bool:
    """ "تشهد سوريا نزاعا داميا تسبب منذ منتصف مارس بمقتل ...": "منذ" after a war named in its clause."""
    if not document.has(period.first_token, _SINCE):
        return False
    clause = document.clause_of_token(period.first_token)
    return any(_names_a_war(document.word(i)) for i in range(clause.first_token, period.first_token))


def _names_a_war(word: str) -> bool:
    """ "الحرب"، "والنزاع"، and the indefinite accusative "نزاعا"، "حربا"."""
    return is_one_of(word, _WARS) or is_one_of(f"ال{word.removesuffix('ا')}", _WARS)


def _with_sentence_period(
    document: Document, draft: FigureDraft, earlier: Sequence[FigureDraft]
) -> FigureDraft:
    """A casualty figure without a period takes that of the casualty figure before it in its sentence."""
    if draft.period is not None or draft.metric not in CASUALTY_METRICS or not earlier:
        return draft
    previous = earlier[-1]
    sentence = document.sentence_of_token(draft.number.first)
    if previous.number.first < sentence.first_token or previous.metric not in CASUALTY_METRICS:
        return draft
    return replace(draft, period=previous.period)


def _partitive(document: Document, number: NumberWords, counted: tuple[int, str | None] | None) -> bool:
    """ "مئة من القتلى": the number takes part of a defined group ("of the dead")."""
    if counted is None or counted[1] is None or counted[0] != number.last + 2:
        return False  # "العشرات من المدنيين" counts civilians, not some of a toll already told
    return document.has(number.last + 1, _OF) and document.word(counted[0]).startswith("ال")


def _singular_metric(document: Document, number: NumberWords) -> Metric | None:
    """The casualty word right next to a figure of one ("مقتل طفل"، "مدنيا قتل")."""
    word = document.word(number.first)
    if not (number.first == number.last and (_indefinite_singular_person(word) or _national(word))):
        return None
    for neighbour in (number.first - 1, number.first + 1):
        word = document.word(neighbour)
        for stem in (stem for stem, _ in clitic_variants(word)):
            if stem in _CASUALTY_METRIC_OF_WORD:
                return _CASUALTY_METRIC_OF_WORD[stem]
    return None


def _subject(document: Document, number: NumberWords, counted: tuple[int, str | None] | None) -> str | None:
    word = document.word(number.first)
    if number.first == number.last and _indefinite_singular_person(word):
        return lookup(word, SINGULAR_PERSONS)
    if number.first == number.last and _national(word):
        return lookup(word, NATIONALS)
    return subject_of(document, number, counted)


def _period_in_clause(
    document: Document, number: NumberWords, periods: Sequence[Period], other_numbers: set[int]
) -> Period | None:
    clause = document.clause_of_token(number.first)
    inside = [
        p
        for p in periods
        if clause.first_token <= p.first_token < clause.end_token
        and not document.has(p.first_token - 1, _ORDINALS)
        and (
            _distance(p, number) <= _PERIOD_REACH_PAST_NUMBERS
            or not any(
                min(p.last_token, number.last) < t < max(p.first_token, number.first) for t in other_numbers
            )
        )
    ]
    if not inside:
        return None
    return min(inside, key=lambda p: _distance(p, number))


def _fronted_period(document: Document, number: NumberWords, periods: Sequence[Period]) -> Period | None:
    """A period that opens the sentence before the figure's clause ("ومنذ تولي الرئيس الحكم، قتل أكثر من
    800 شخص"): the sentence is told within it."""
    sentence = document.sentence_of_token(number.first)
    return next(
        (p for p in periods if p.first_token == sentence.first_token and p.last_token < number.first), None
    )


def _day_of_flow(document: Document, number: NumberWords) -> Period | None:
    """The day word ("أمس"، "اليوم") in the clause of a flow of people: the day's share of the flow."""
    clause = document.clause_of_token(number.first)
    for index in range(clause.first_token, clause.end_token):
        if document.has(index, _DAYS):
            start, end = document.token_span(index, index)
            return Period(start, end, index, index)
    return None


def _distance(period: Period, number: NumberWords) -> int:
    return min(abs(period.first_token - number.last), abs(number.first - period.last_token))


def _location(document: Document, number: NumberWords, places: Places) -> Location | None:
    clause = document.clause_of_token(number.first)
    sentence = document.sentence_of_token(number.first)
    named = (
        places.in_tokens(clause.first_token, clause.end_token)
        or places.nearest_clause_before(number.first, sentence.first_token)
        or places.in_tokens(number.last + 1, sentence.end_token)
    )
    if named is not None:
        return named
    state = places.state_in(sentence.first_token, sentence.end_token)
    if state is not None and state != places.state_in(0, len(document.tokens)):
        return state
    return places.main_place() or state


def _as_subset(document: Document, draft: FigureDraft, earlier: Sequence[FigureDraft]) -> FigureDraft:
    """Link a figure to the total it is part of (module docstring), or return it unchanged."""
    total_index = _total_of(document, draft, earlier)
    if total_index is None:
        return draft
    total = earlier[total_index]
    return replace(
        draft,
        part_of=total_index,
        metric=total.metric,
        period=draft.period or total.period,
        location=total.location if total.location is not None else draft.location,
        source=draft.source or total.source,
    )


def _total_of(document: Document, draft: FigureDraft, earlier: Sequence[FigureDraft]) -> int | None:
    sentence = document.sentence_of_token(draft.number.first)
    in_sentence = bisect.bisect_left(earlier, sentence.first_token, key=lambda earlier: earlier.number.first)
    same_sentence = range(in_sentence, len(earlier))
    first = document.token_index_at(draft.start)
    among = lookup(document.word(first - 1), _AMONG_TOLL) if document.has(first - 2, _AMONG) else None
    among = among or _among_after(document, draft)
    if among is not None:
        return _latest_total(earlier, range(len(earlier)), Metric(among))
    if not same_sentence:
        return None
    previous = earlier[same_sentence[-1]]
    if document.has(first - 1, _SUBSET_MARKERS):
        return _total_before(earlier, same_sentence)
    if previous.part_of is not None and _joined_by_and(document, previous, draft):
        return previous.part_of
    if draft.partitive:
        return _latest_total(earlier, same_sentence, draft.metric)
    return None


def _among_after(document: Document, draft: FigureDraft) -> str | None:
    """ "إن أربعة من القادة المحليين من بين القتلى": the metric of the toll named right after the figure's
    phrase by "(من) بين القتلى"، "بين الجرحى" (the figure is some of them)."""
    after = document.token_index_at(draft.end - 1) + 1
    for index in range(after, min(after + _AMONG_REACH, len(document.tokens) - 1)):
        if document.gap_before(index).strip() or document.has_number(index):
            return None
        if document.has(index, _BETWEEN) and not document.gap_before(index + 1).strip():
            return lookup(document.word(index + 1), _AMONG_TOLL)
    return None


def _latest_total(drafts: Sequence[FigureDraft], indices: Sequence[int], metric: Metric) -> int | None:
    return next(
        (i for i in reversed(indices) if drafts[i].part_of is None and drafts[i].metric is metric), None
    )


def _total_before(drafts: Sequence[FigureDraft], indices: Sequence[int]) -> int | None:
    return next((index for index in reversed(indices) if drafts[index].part_of is None), None)


def _joined_by_and(document: Document, previous: FigureDraft, draft: FigureDraft) -> bool:
    """ "بينهم 58 طفلا و43 إمرأة": the next figure starts with و right after the previous one."""
    first = document.token_index_at(draft.start)
    previous_last = document.token_index_at(previous.end - 1)
    joined = first - previous_last <= 1 and document.word(first).startswith(_AND)
    return joined and not document.gap_before(first).strip()
