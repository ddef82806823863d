"""A state's institutions named by its nisba: "الحكومة اليمنية"، "الجيش العراقي"، "قوات الأمن العراقية"،
"وزارة الداخلية السعودية"، "السلطات المصرية"; and a force named by its branch alone ("قوات الأمن").

Pattern: one or two institution words (a force, a government body, a ministry and its portfolio) followed
directly by a nisba adjective of a state (`service.arabic.states`). The English name is composed from the
parts, never romanised: the state's adjective, then the modifiers, then the head ("Iraqi security forces",
"Saudi interior ministry"). An institution in construct with a place ("شرطة قندز" → "Kunduz police") and
a body of a known organisation ("بعثة الأمم المتحدة في العراق" → "United Nations mission in Iraq") are
named the same way. After a title head the phrase is part of the title ("وزير الخارجية المصري").
The kind is the head's: forces and police are `state_force`, bodies
`government`. Mentions the gazetteer already holds are left to it ("الحكومة السورية").
"""

from __future__ import annotations

from collections.abc import Sequence

from schemas.digest import ActorKind, NameSource
from service.arabic.document import Document
from service.arabic.gazetteer import GazetteerEntry
from service.arabic.lexicon import lookup, table, words
from service.arabic.normalize import normalize_str
from service.arabic.states import nationality_of
from service.engines.offline.entities import EntityMention
from service.engines.offline.titles import (
    DESCRIPTIVE_ADJECTIVES,
    DESCRIPTIVE_NOUNS,
    PORTFOLIOS,
    body_owner_en,
    is_title_head,
    ministry_of,
    nationality_en,
)

_FORCE, _BODY, _MEDIA = "state_force", "government", "media"


# word → head in English | as a modifier | kind
_BY_WORD: dict[str, str] = table(
    {
        "قوات": f"forces|forces|{_FORCE}",
        "القوات": f"forces|forces|{_FORCE}",
        "الجيش": f"army|army|{_FORCE}",
        "جيش": f"army|army|{_FORCE}",
        "الشرطة": f"police|police|{_FORCE}",
        "الأمن": f"security forces|security|{_FORCE}",
        "البحرية": f"navy|naval|{_FORCE}",
        "الاستخبارات": f"intelligence|intelligence|{_BODY}",
        "المخابرات": f"intelligence|intelligence|{_BODY}",
        "الحكومة": f"government|government|{_BODY}",
        "حكومة": f"government|government|{_BODY}",
        "السلطات": f"authorities|authorities|{_BODY}",
        "البرلمان": f"parliament|parliamentary|{_BODY}",
        "الرئاسة": f"presidency|presidential|{_BODY}",
        "وزارة": f"ministry|ministry|{_BODY}",
        "الوزارة": f"ministry|ministry|{_BODY}",
        "شرطة": f"police|police|{_FORCE}",
        "سلطات": f"authorities|authorities|{_BODY}",
        "التلفزيون": f"television|television|{_MEDIA}",
        "الإذاعة": f"radio|radio|{_MEDIA}",
    }
)
# a body of an organisation, named with the organisation and the place it serves:
# "بعثة الأمم المتحدة في العراق" → "United Nations mission in Iraq"
_SUB_BODIES = table({"بعثة": "mission", "مكتب": "office", "مفوضية": "commission", "ممثلية": "office"})
_SUB_BODY_FILLERS = words("مساعدة", "الخاصة", "الخاص", "الدائمة")
_SERVING = words("في", "لدى", "إلى", "الى", "ب")
_HEAD_WORDS = frozenset(_BY_WORD) | PORTFOLIOS
_MAX_INSTITUTION_WORDS = 2


def read_institutions(document: Document, known: Sequence[EntityMention]) -> list[EntityMention]:
    """Every "institution + nisba" phrase that the known mentions do not cover; the nisba may be read as
    a state ("السعودية"): the institution is named, not the state."""
    states = {m.first_token for m in known if m.entry.also_place and m.first_token == m.last_token}
    taken = {token for m in known for token in range(m.first_token, m.last_token + 1)} - states
    found: list[EntityMention] = []
    for index in range(len(document.tokens)):
        state = nationality_of(document.word(index))
        if state is None or index in taken:
            continue
        first = _first_institution_word(document, index, taken)
        if first is not None and not is_title_head(document.word(first - 1)):
            found.append(_mention(document, first, index, state.adjective_en))
    found += _of_places(document, known) + _sub_bodies(document, known)
    return found + _unattached_forces(document, known, found)


def descriptive_name(head_en: str, arabic: str) -> str | None:
    """The English of a name made only of descriptive words after its head ("قوات" + "الجيش الوطني" →
    "national army forces"; `organisations.yaml`), or None when a word is no such word: each noun with
    its adjectives, the nouns of a construct chain from the last, then the head."""
    words_of_name = arabic.split()
    owner = body_owner_en(words_of_name[-1]) if words_of_name else None
    if owner is not None:
        words_of_name = words_of_name[:-1]
    head_adjectives: list[str] = []  # "المجلس المحلي": the head's own adjectives
    while words_of_name and (adjective := _adjective_en(words_of_name[0])) is not None:
        head_adjectives.append(adjective)
        words_of_name = words_of_name[1:]
    groups: list[list[str]] = []  # [noun, *adjectives], in English
    index = 0
    while index < len(words_of_name):
        pair = normalize_str(" ".join(words_of_name[index : index + 2]))
        if index + 1 < len(words_of_name) and pair in DESCRIPTIVE_NOUNS:
            groups.append([DESCRIPTIVE_NOUNS[pair]])
            index += 2
            continue
        word = words_of_name[index]
        if (noun := DESCRIPTIVE_NOUNS.get(normalize_str(word))) is not None:
            groups.append([noun])
        elif groups and (adjective := _adjective_en(word)) is not None:
            groups[-1].append(adjective)
        else:
            return None
        index += 1
    if not groups and not head_adjectives:
        return None
    english = " ".join(" ".join([*reversed(group[1:]), group[0]]) for group in reversed(groups))
    head = " ".join([*reversed(head_adjectives), head_en.lower()])
    if not english.endswith(head):  # "جيش الجيش الوطني": no "army army"
        english = f"{english} {head}".strip()
    return f"{english} of the {owner}" if owner else english


def _adjective_en(word: str) -> str | None:
    return DESCRIPTIVE_ADJECTIVES.get(normalize_str(word)) or nationality_en(word)


def _of_places(document: Document, known: Sequence[EntityMention]) -> list[EntityMention]:
    """ "شرطة قندز"، "حكومة إقليم كردستان": an institution in construct with a place or a state."""
    found = []
    for place in known:
        head = place.first_token - 1
        if (
            not (place.is_place or place.entry.also_place)
            or head < 0
            or document.gap_before(place.first_token).strip()
        ):
            continue
        if document.word(head).startswith("ال") or lookup(document.word(head), _BY_WORD) is None:
            continue
        head_en, _, kind = _part(document, head) or ("", "", "")
        found.append(_composed(document, head, place.last_token, f"{place.entry.name_en} {head_en}", kind))
    return found


def _unattached_forces(
    document: Document, known: Sequence[EntityMention], institutions: Sequence[EntityMention]
) -> list[EntityMention]:
    """ "قوات الأمن"، "قوات الشرطة": a force named by its branch and no state, composed ("security forces"),
    never romanised as if "الأمن" were a name."""
    taken = {t for m in (*known, *institutions) for t in range(m.first_token, m.last_token + 1)}
    found = []
    for index in range(len(document.tokens) - 1):
        if index in taken or index + 1 in taken or document.word(index).startswith("ال"):
            continue
        head, branch = _part(document, index), _part(document, index + 1)
        if (
            head is None
            or branch is None
            or head[2] != _FORCE
            or not document.word(index + 1).startswith("ال")
        ):
            continue
        if is_title_head(document.word(index - 1)) or document.gap_before(index + 1).strip():
            continue
        if index + 2 < len(document.tokens) and _continues_name(document, index + 2):
            continue  # "قوات الجيش الوطني": a longer name, the pattern reader's
        found.append(_composed(document, index, index + 1, f"{branch[1]} {head[0]}", _FORCE))
    return found


def _continues_name(document: Document, index: int) -> bool:
    return document.word(index).startswith("ال") and not document.gap_before(index).strip()


def _sub_bodies(document: Document, known: Sequence[EntityMention]) -> list[EntityMention]:
    """ "بعثة الأمم المتحدة في العراق"، "مكتب الأمم المتحدة": a body of a known organisation."""
    by_first = {m.first_token: m for m in known}
    found = []
    for index in range(len(document.tokens)):
        body = lookup(document.word(index), _SUB_BODIES)
        if body is None or document.word(index).startswith("ال"):
            continue
        at = index + 1 + int(document.has(index + 1, _SUB_BODY_FILLERS))
        organisation = by_first.get(at)
        if organisation is None or organisation.entry.kind != ActorKind.international_org.value:
            continue
        last, name_en = organisation.last_token, f"{organisation.entry.name_en} {body}"
        place = by_first.get(last + 2) if document.has(last + 1, _SERVING) else None
        if place is not None and (place.is_place or place.entry.also_place):
            last, name_en = place.last_token, f"{name_en} in {place.entry.name_en}"
        found.append(_composed(document, index, last, name_en, ActorKind.international_org.value))
    return found


def _composed(document: Document, first: int, last: int, name_en: str, kind: str) -> EntityMention:
    start = document.start_without_proclitics(first, _HEAD_WORDS | frozenset(_SUB_BODIES))
    end = document.tokens[last].end
    text = document.text[start:end]
    entry = GazetteerEntry(name_en=name_en, kind=kind, forms=(text,), name_en_source=NameSource.composed)
    return EntityMention(start, end, text, first, last, entry, False)


def _part(document: Document, index: int) -> tuple[str, str, str] | None:
    """(head, modifier, kind) in English of an institution word or a ministry's portfolio."""
    word = document.word(index)
    label = lookup(word, _BY_WORD)
    if label is not None:
        head, modifier, kind = label.split("|")
        return head, modifier, kind
    portfolio = ministry_of(word)
    return (f"{portfolio} ministry", portfolio, _BODY) if portfolio is not None else None


def _first_institution_word(document: Document, nisba: int, taken: set[int]) -> int | None:
    first = None
    for index in range(nisba - 1, max(-1, nisba - 1 - _MAX_INSTITUTION_WORDS), -1):
        if index in taken or document.gap_before(index + 1).strip() or _part(document, index) is None:
            break
        first = index
    return first


def _mention(document: Document, first: int, nisba: int, adjective: str) -> EntityMention:
    parts = [part for index in range(first, nisba) if (part := _part(document, index)) is not None]
    head, _, kind = parts[0]
    if len(parts) == 2:
        second_head, second_modifier, _ = parts[1]
        english = second_head if head == "ministry" else f"{second_modifier} {head}"
    else:
        english = head
    return _composed(document, first, nisba, f"{adjective} {english}", kind)
