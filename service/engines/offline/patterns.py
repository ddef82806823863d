"""Organisations, places and outlets the gazetteer does not know, found by the words that introduce them.

- Organisations: a head noun (منظمة، وكالة أنباء، قوات، جبهة، مرصد، لجنة، حكومة، وزارة، هيئة، حركة، المجلس
  المحلي ...) followed by its name: a first word, then words with the article ("منظمة أطباء الميدان"،
  "قوات الحرس الوطني"، "مرصد السهل لحقوق الإنسان" — "ل" + a defined word continues the name). The kind
  follows the head (منظمة → ngo, وكالة أنباء → media, قوات → state_force, جبهة → armed_group ...).
- Places: a head noun (مدينة، بلدة، قرية، حي، منطقة، مديرية، إقليم، مخيم ...) followed by one or two words
  ("بلدة عين الصفا"، "بلدة كفر نجمة"، "منطقة الرضمة"; a camp keeps its head: "مخيم الأمل"; a first word may
  stand in quote marks: "قرية «المشيك»"); a front after في / على / ب is a place ("في جبهة سناح"، "بجبهة
  «جعولة»"), not a group. Words that describe a place do not name it ("حي شعبي"، "منطقة حدودية"، "من ناحية
  ثانية"، "منطقة الانفجار") nor end its name ("مديرية لودر الاستراتيجية").
Heads are in construct state: "البلدة" (the town already named) introduces no name.
- Outlets named in marks after their head: "صحيفة (توتو سبورت)"، "قناة «الغد»" (the mention is the name).
- The outlet of a closing source line: "المصدر: البيان".
English names are romanised after the English head ("Organisation Atba al-Midan"; common name words
in their usual spelling, `titles.romanise`), unless every word of the name is descriptive ("قوات الجيش
الوطني" → national army forces, `institutions.descriptive_name`): the engine has no dictionary for names;
a ministry of a known portfolio is named in English ("وزارة الدفاع" → "Ministry of defence").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from schemas.digest import NameSource
from service.arabic.clitics import ARTICLE, ELIDED_ARTICLE, PROCLITIC_LETTERS, clitic_variants
from service.arabic.document import Document
from service.arabic.gazetteer import PLACE_KIND, GazetteerEntry
from service.arabic.lexicon import word_set, word_table, words
from service.engines.offline.attribution import REPORTING_VERBS, TIME_WORDS
from service.engines.offline.entities import EntityMention
from service.engines.offline.institutions import descriptive_name
from service.engines.offline.titles import ministry_of, romanise

_ORGANISATION_HEADS = word_table("organisations", "organisation_heads")
_PLACE_HEADS = word_set("places", "named_place_heads")
_NAMED_WITH_HEAD = word_set("places", "named_with_head")
_FRONTS = word_set("places", "fronts")
_FRONT_MARKERS = word_set("places", "front_markers")
_NOT_PLACE_NAMES = word_set("places", "not_place_names")
_LOCATIVE_PROCLITIC = "ب"
_OPENING_MARKS = frozenset('«“"(')
_CLOSING_MARKS = frozenset('»”")')
_SOURCE_LINE_HEADS = words("المصدر")
_NAME_STOPS = REPORTING_VERBS | TIME_WORDS | word_set("organisations", "name_stops")
_MAX_NAME_WORDS = 4


def read_pattern_mentions(document: Document, known: Sequence[EntityMention]) -> list[EntityMention]:
    """Organisations, places and a source-line outlet, where the gazetteer names nothing."""
    taken = {token for m in known for token in range(m.first_token, m.last_token + 1)}
    found: list[EntityMention] = []
    index = 0
    while index < len(document.tokens):
        mention = None if index in taken else _mention_at(document, index, taken)
        if mention is None:
            index += 1
            continue
        found.append(mention)
        taken.update(range(mention.first_token, mention.last_token + 1))
        index = mention.last_token + 1
    return found


def _mention_at(document: Document, index: int, taken: set[int]) -> EntityMention | None:
    if document.has(index, _SOURCE_LINE_HEADS) and ":" in document.gap_before(index + 1):
        return _named(document, index + 1, _line_end(document, index + 1), index + 1, "media", "")
    if _is_front(document, index):
        return _place_at(document, index, taken)
    return (
        _marked_outlet_at(document, index, taken)
        or _organisation_at(document, index, taken)
        or _place_at(document, index, taken)
    )


def _organisation_at(document: Document, index: int, taken: set[int]) -> EntityMention | None:
    organisation = _head(document.word(index), _ORGANISATION_HEADS)
    if organisation is None:
        return None
    kind, english = organisation.split("|")
    head = 2 if document.has(index, _AGENCY) and document.has(index + 1, _NEWS) else 1
    last = _name_end(document, index + head - 1, taken, place=False)
    if last is None or not _has_defined_word(document, index + head, last):
        return None
    mention = _named(document, index, last, index + head, kind, english)
    portfolio = ministry_of(document.word(index + 1)) if document.has(index, _MINISTRY) else None
    if mention is not None and portfolio is not None and last == index + 1:
        entry = replace(mention.entry, name_en=f"Ministry of {portfolio}", name_en_source=NameSource.composed)
        return replace(mention, entry=entry)
    return mention


def _marked_outlet_at(document: Document, index: int, taken: set[int]) -> EntityMention | None:
    """An outlet named in quote marks or brackets after its head: "صحيفة (توتو سبورت)"، "قناة «الغد»"."""
    organisation = _head(document.word(index), _ORGANISATION_HEADS)
    if organisation is None or not organisation.startswith("media|"):
        return None
    name = index + 2 if document.has(index, _AGENCY) and document.has(index + 1, _NEWS) else index + 1
    if name in taken or not _opens_marks(document, name):
        return None
    last = name
    while last - name + 1 < _MAX_NAME_WORDS and last + 1 < len(document.tokens):
        if document.gap_before(last + 1).strip() or last + 1 in taken:
            break
        last += 1
    if not _CLOSING_MARKS.intersection(document.gap_before(last + 1)):
        return None
    return _named(document, name, last, name, "media", organisation.split("|")[1])


def _opens_marks(document: Document, index: int) -> bool:
    gap = document.gap_before(index).strip()
    return bool(gap) and set(gap) <= _OPENING_MARKS


def _is_front(document: Document, index: int) -> bool:
    """ "في جبهة سناح"، "بجبهة نهم": a front, a place, not a group."""
    for stem, before in clitic_variants(document.word(index)):
        if stem in _FRONTS:
            glued = _LOCATIVE_PROCLITIC in document.word(index)[:before]
            return glued or document.has(index - 1, _FRONT_MARKERS)
    return False


def _place_at(document: Document, index: int, taken: set[int]) -> EntityMention | None:
    word = document.word(index)
    if not (_is_head(word, _PLACE_HEADS) or _is_front(document, index)) or index + 1 in taken:
        return None
    if document.has(index + 1, _NOT_PLACE_NAMES):
        return None  # "حي شعبي"، "من ناحية ثانية": a description, not a name
    last = _name_end(document, index, taken, place=True)
    if last is None:
        return None
    first = index if _is_head(word, _NAMED_WITH_HEAD) else index + 1
    return _named(document, first, last, index + 1, PLACE_KIND, "")


def _head(word: str, heads: dict[str, str]) -> str | None:
    """The label of a head noun in construct state: without the article ("بلدة"، not "البلدة")."""
    return next((heads[stem] for stem, _ in clitic_variants(word) if stem in heads), None)


def _is_head(word: str, heads: frozenset[str]) -> bool:
    return any(stem in heads for stem, _ in clitic_variants(word))


def _has_defined_word(document: Document, first: int, last: int) -> bool:
    return any(document.word(i).startswith(("ال", "لل")) for i in range(first, last + 1))


_NEWS = words("أنباء", "الأنباء")
_HEAD_WORDS = frozenset(_ORGANISATION_HEADS) | _PLACE_HEADS | _FRONTS
_MINISTRY = words("وزارة")
_AGENCY = words("وكالة")


def _name_end(document: Document, head: int, taken: set[int], *, place: bool) -> int | None:
    """Last token of the name after `head`: a first word, then words with the article (or ل + article);
    a place name has at most two words, the second with the article."""
    last = None
    for index in range(head + 1, min(len(document.tokens), head + 1 + _MAX_NAME_WORDS)):
        word = document.word(index)
        quoted = place and index == head + 1 and _opens_marks(document, index)  # "قرية «المشيك»"
        spaced = quoted or not document.gap_before(index).strip()
        if index in taken or not spaced or word in _NAME_STOPS or not word.isalpha():
            break
        if index > head + 1 and not _continues_name(document, index, place=place, second=index == head + 2):
            break
        last = index
    return last


def _continues_name(document: Document, index: int, *, place: bool, second: bool) -> bool:
    """Organisation names go on with defined words ("أطباء الميدان"، "لحقوق الإنسان"); place names take
    one more word, defined or plain ("عين الصفا"، "كفر نجمة"), never a word with a proclitic nor one that
    describes the place ("مديرية لودر الاستراتيجية")."""
    word = document.word(index)
    if place:
        named = word.startswith(ARTICLE) or word[:1] not in PROCLITIC_LETTERS
        return second and named and not document.has(index, _NOT_PLACE_NAMES)
    return word.startswith((ARTICLE, ELIDED_ARTICLE)) or (
        word.startswith("ل") and document.word(index + 1)[:2] == ARTICLE
    )


def _line_end(document: Document, first: int) -> int:
    last = first
    while last + 1 < len(document.tokens) and "\n" not in document.gap_before(last + 1):
        last += 1
    return min(last, first + 2)


def _named(
    document: Document, first: int, last: int, name_first: int, kind: str, english_head: str
) -> EntityMention | None:
    """The mention of tokens first..last; its English name romanises the name part from `name_first`."""
    if first >= len(document.tokens) or last < first:
        return None
    start = document.start_without_proclitics(first, _HEAD_WORDS) if first < name_first else None
    start = document.tokens[first].start if start is None else start
    end = document.tokens[last].end
    text = document.text[start:end]
    name = document.text[document.tokens[name_first].start : end]
    composed = descriptive_name(english_head, name) if english_head else None
    entry = GazetteerEntry(
        name_en=composed or f"{english_head} {romanise(name)}".strip(),
        kind=kind,
        forms=(text,),
        name_en_source=NameSource.composed if composed else NameSource.transliterated,
    )
    return EntityMention(start, end, text, first, last, entry, kind == PLACE_KIND)
