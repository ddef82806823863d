"""Organisations, places and outlets the gazetteer does not know, found by the words that introduce them.

- Organisations: a head noun (منظمة، وكالة أنباء، قوات، جبهة، مرصد، لجنة، حكومة، وزارة، هيئة، حركة، المجلس
  المحلي ...) followed by its name: a first word, then words with the article ("منظمة أطباء الميدان"،
  "قوات الحرس الوطني"، "مرصد السهل لحقوق الإنسان" — "ل" + a defined word continues the name). The kind
  follows the head (منظمة → ngo, وكالة أنباء → media, قوات → state_force, جبهة → armed_group ...).
- Places: a head noun (مدينة، بلدة، قرية، حي، مخيم) followed by one or two words ("بلدة عين الصفا"،
  "بلدة كفر نجمة"، "مدينة النخيلات"; a camp keeps its head: "مخيم الأمل").
Heads are in construct state: "البلدة" (the town already named) introduces no name.
- The outlet of a closing source line: "المصدر: البيان".
English names are romanised letter by letter after the English head ("Organisation Atba Almidan"): the
engine has no dictionary for names it does not know; a ministry of a known portfolio is named in English
("وزارة الدفاع" → "Ministry of defence").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from schemas.digest import NameSource
from service.arabic.clitics import ARTICLE, ELIDED_ARTICLE, PROCLITIC_LETTERS, clitic_variants
from service.arabic.document import Document
from service.arabic.gazetteer import PLACE_KIND, GazetteerEntry
from service.arabic.lexicon import table, words
from service.engines.offline.attribution import REPORTING_VERBS, TIME_WORDS
from service.engines.offline.entities import EntityMention
from service.engines.offline.titles import ministry_of, romanise

_ORGANISATION_HEADS: dict[str, str] = table(
    {
        "منظمة": "ngo|Organisation",
        "جمعية": "ngo|Association",
        "مرصد": "ngo|Observatory",
        "لجنة": "ngo|Committee",
        "اتحاد": "ngo|Union",
        "شبكة": "ngo|Network",
        "وكالة": "media|Agency",
        "صحيفة": "media|Newspaper",
        "قناة": "media|Channel",
        "إذاعة": "media|Radio",
        "قوات": "state_force|Forces",
        "لواء": "armed_group|Brigade",
        "جبهة": "armed_group|Front",
        "حركة": "armed_group|Movement",
        "كتائب": "armed_group|Brigades",
        "فصيل": "armed_group|Faction",
        "حكومة": "government|Government",
        "وزارة": "government|Ministry",
        "المجلس": "government|Council",
        "مجلس": "government|Council",
        "هيئة": "other|Authority",
        "مفوضية": "other|Commission",
        "جيش": "armed_group|Army",
        "ميليشيا": "armed_group|Militia",
        "ميليشيات": "armed_group|Militias",
        "مليشيا": "armed_group|Militia",
        "مليشيات": "armed_group|Militias",
        "تنظيم": "armed_group|Organisation",
        "جماعة": "armed_group|Group",
        "حزب": "other|Party",
        "مكتب": "other|Office",
        "قيادة": "state_force|Command",
        "ائتلاف": "other|Coalition",
        "تحالف": "other|Alliance",
        "تيار": "other|Movement",
        "كتلة": "other|Bloc",
        "بعثة": "international_org|Mission",
        "كتيبة": "armed_group|Battalion",
    }
)
_NAMED_WITH_HEAD = "camp"  # "مخيم الأمل" is the camp's name; "بلدة عين الصفا" is the town "عين الصفا"
_PLACE_HEADS = table({"مدينة": "", "بلدة": "", "قرية": "", "حي": "", "ناحية": "", "مخيم": _NAMED_WITH_HEAD})
_SOURCE_LINE_HEADS = words("المصدر")
_NAME_STOPS = REPORTING_VERBS | TIME_WORDS | words(
    "في", "على", "من", "عن", "إلى", "الى", "مع", "لدى", "خلال", "بعد", "قبل", "إن", "أن", "بأن", "التي",
    "الذي", "قد", "كان", "كانت", "ما", "لا", "لم", "هذه", "هذا", "تلك", "عبر", "حول", "منذ", "بين", "أو",
    "ثم", "التابع", "التابعة", "الموالي", "الموالية", "المدعوم", "المدعومة", "أقصى", "أدنى", "شمال", "جنوب",
    "شرق", "غرب", "شمالي", "جنوبي", "شرقي", "غربي", "وسط", "قرب", "شمالا", "جنوبا", "شرقا", "غربا",
)  # fmt: skip
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
    return _organisation_at(document, index, taken) or _place_at(document, index, taken)


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


def _place_at(document: Document, index: int, taken: set[int]) -> EntityMention | None:
    place = _head(document.word(index), _PLACE_HEADS)
    if place is None or index + 1 in taken:
        return None
    last = _name_end(document, index, taken, place=True)
    if last is None:
        return None
    first = index if place == _NAMED_WITH_HEAD else index + 1
    return _named(document, first, last, index + 1, PLACE_KIND, "")


def _head(word: str, heads: dict[str, str]) -> str | None:
    """The label of a head noun in construct state: without the article ("بلدة"، not "البلدة")."""
    return next((heads[stem] for stem, _ in clitic_variants(word) if stem in heads), None)


def _has_defined_word(document: Document, first: int, last: int) -> bool:
    return any(document.word(i).startswith(("ال", "لل")) for i in range(first, last + 1))


_NEWS = words("أنباء", "الأنباء")
_HEAD_WORDS = frozenset(_ORGANISATION_HEADS) | frozenset(_PLACE_HEADS)
_MINISTRY = words("وزارة")
_AGENCY = words("وكالة")


def _name_end(document: Document, head: int, taken: set[int], *, place: bool) -> int | None:
    """Last token of the name after `head`: a first word, then words with the article (or ل + article);
    a place name has at most two words, the second with the article."""
    last = None
    for index in range(head + 1, min(len(document.tokens), head + 1 + _MAX_NAME_WORDS)):
        word = document.word(index)
        if index in taken or document.gap_before(index).strip() or word in _NAME_STOPS or not word.isalpha():
            break
        if index > head + 1 and not _continues_name(document, index, place=place, second=index == head + 2):
            break
        last = index
    return last


def _continues_name(document: Document, index: int, *, place: bool, second: bool) -> bool:
    """Organisation names go on with defined words ("أطباء الميدان"، "لحقوق الإنسان"); place names take
    one more word, defined or plain ("عين الصفا"، "كفر نجمة"), never a word with a proclitic."""
    word = document.word(index)
    if place:
        return second and (word.startswith(ARTICLE) or word[:1] not in PROCLITIC_LETTERS)
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
    name_start = document.tokens[name_first].start
    name_en = f"{english_head} {romanise(document.text[name_start:end])}".strip()
    entry = GazetteerEntry(
        name_en=name_en, kind=kind, forms=(text,), name_en_source=NameSource.transliterated
    )
    return EntityMention(start, end, text, first, last, entry, kind == PLACE_KIND)
