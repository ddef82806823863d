"""People the gazetteer does not know, found by the title written before their name.

Pattern: a title head (وزير، المبعوث، الموفد، السفير، مندوب، مدير، رئيس، المتحدث باسم، منسق ...), the
words that complete the title (a ministry: الخارجية، الدفاع; a nationality: الروسي، الفرنسية; الأممي،
الدولي، الخاص، الرسمي; "باسم"/"لدى"/"إلى" with what the gazetteer names after them), then a name of two or
three words that are not function words, verbs of speech, time words or gazetteer names:
"وزير الخارجية التركي مولود جاويش أوغلو"، "المبعوث الأممي الخاص إلى اليمن مارتن غريفيث".

The English name is a letter-by-letter romanisation (the engine has no name dictionary beyond the
gazetteer); the title is composed in English from the parts it recognised.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from schemas.digest import NameSource
from service.arabic.document import Document
from service.arabic.gazetteer import GazetteerEntry
from service.arabic.lexicon import lookup, stems, table, word_set, word_table, words
from service.arabic.normalize import normalize_str
from service.arabic.states import nationality_of
from service.engines.offline.attribution import REPORTING_VERBS, TIME_WORDS
from service.engines.offline.entities import STANCE_VERBS, EntityMention

# a rank or honorific with the article stands right before a name: "اللواء الركن عبد الرحيم عتيق"
RANKS = {
    "اللواء": "major general",
    "العميد": "brigadier general",
    "العقيد": "colonel",
    "المقدم": "lieutenant colonel",
    "الرائد": "major",
    "النقيب": "captain",
    "الفريق": "lieutenant general",
    "الشيخ": "sheikh",
    "الملا": "mullah",
    "الأمير": "prince",
}
_HEADS = table(
    {
        "وزير": "minister",
        "وزيرة": "minister",
        "المبعوث": "envoy",
        "مبعوث": "envoy",
        "الموفد": "envoy",
        "السفير": "ambassador",
        "سفير": "ambassador",
        "السفيرة": "ambassador",
        "مندوب": "representative",
        "المندوب": "representative",
        "مندوبة": "representative",
        "مدير": "director",
        "مديرة": "director",
        "رئيس": "head",
        "الرئيس": "president",
        "رئيسة": "head",
        "المتحدث": "spokesperson",
        "المتحدثة": "spokesperson",
        "الناطق": "spokesperson",
        "منسق": "coordinator",
        "قائد": "commander",
        "مستشار": "adviser",
        "الطبيب": "doctor",
        "الطبيبة": "doctor",
        "الدكتور": "doctor",
        "الناشط": "activist",
        "الناشطة": "activist",
        "الصحفي": "journalist",
        "نائب": "deputy",
        "نائبة": "deputy",
        "محافظ": "governor",
        "حاكم": "governor",
        "مستشارة": "adviser",
        "منسقة": "coordinator",
        "زعيم": "leader",
        "الأمين": "secretary",
        "مسؤول": "official",
        "المسؤول": "official",
        **RANKS,
    }
)
_MINISTRIES = word_table("titles", "portfolios")
_OFFICES = word_table("titles", "offices")
DESCRIPTIVE_ADJECTIVES = word_table("organisations", "descriptive_adjectives")  # "المحلي" → local
DESCRIPTIVE_NOUNS = word_table("organisations", "descriptive_nouns")  # "البلدة" → town
_OFFICE_WORDS = max(len(office.split()) for office in _OFFICES)
PORTFOLIOS = frozenset(_MINISTRIES)
_PROFESSIONS = frozenset({"doctor", "activist", "journalist", *RANKS.values()})
_BODIES = words(
    "المنظمة", "المركز", "الهيئة", "اللجنة", "المجلس", "الوكالة", "الجمعية", "المكتب", "المستشفى", "الإدارة",
    "الوزارة", "الحكومة", "البلدية", "الدائرة",
)  # fmt: skip
_COMPLEMENTIZERS = words("إن", "أن", "ان", "بأن")
_CLOSING_MARKS = '.:؛«"'
_APPOSITIVE_REACH = 8
_INTERNATIONAL = table(
    {
        **dict.fromkeys(["الأممي", "الأممية"], "UN"),
        **dict.fromkeys(["الدولي", "الدولية"], "international"),
    }
)
_TITLE_WORDS = words(
    "الخاص", "الخاصة", "الرسمي", "الرسمية", "العام", "العامة", "عام", "الإقليمي", "الأعلى", "الشؤون", "الركن",
    "الإنسانية", "العسكري", "السياسي", "الإعلامي",
)  # fmt: skip
_LINK_WORDS = words("باسم", "لدى", "إلى", "الى", "في", "ل")
_NAME_STOPS = REPORTING_VERBS | STANCE_VERBS | TIME_WORDS | words(
    "إن", "أن", "ان", "بأن", "أنه", "إنه", "قوله", "قولها", "في", "على", "من", "عن", "إلى", "الى", "مع",
    "لدى", "خلال", "بعد", "قبل", "عقب", "حول", "هو", "هي", "الذي", "التي", "قد", "كان", "كانت", "أيضا",
    "بدوره", "بدورها", "مؤكدا", "مضيفا", "مشيرا", "قائلا", "قائلة", "حينذاك", "حينها", "آنذاك", "مسألة",
    "شؤون", "لشؤون", "وفقا", "حالة", "وكالة", "منظمة", "وزارة", "هيئة", "مجلس", "لجنة", "حكومة", "قوات",
    "أثناء", "اثناء", "وجود", "بطريقة", "بسبب", "نتيجة", "إثر", "جراء", "أمام", "داخل", "سيارة",
)  # fmt: skip
_ROLES_OF = frozenset({"director", "head", "spokesperson", "coordinator", "commander", "leader"})
_LED_BY = word_set("titles", "leadership")
_SPEECH_VERBS = word_set("reported_speech", "saying", "declaring")
_ANONYMOUS = word_set("titles", "not_a_speaker_name")
_ON_BEHALF = words("باسم")
_RANK_ROLES = frozenset(RANKS.values())  # a rank may also be a family name: "حسان الشيخ"
_SHEIKH = RANKS["الشيخ"]
_NAME_SPELLINGS = word_table("name_spellings", "name_words")
_NAME_JOINERS = words("عبد", "أبو", "أبي", "بن", "ابن", "بنت")  # "عبد الله"، "أبو بكر البغدادي"
_NAMES_LIKE_STOPS = frozenset({"علي"})  # spelled with ي it is the name Ali, not the preposition على
_MAX_BODY_WORDS = 4
_MAX_TITLE_WORDS = 8
_MAX_NAME_WORDS = 4
_MIN_NAME_WORDS = 2
_ROMAN = {
    "ا": "a", "ب": "b", "ت": "t", "ث": "th", "ج": "j", "ح": "h", "خ": "kh", "د": "d", "ذ": "dh", "ر": "r",
    "ز": "z", "س": "s", "ش": "sh", "ص": "s", "ض": "d", "ط": "t", "ظ": "z", "ع": "", "غ": "gh", "ف": "f",
    "ق": "q", "ك": "k", "ل": "l", "م": "m", "ن": "n", "ه": "h", "ء": "", "ة": "a", "ى": "a", "أ": "a",
    "إ": "i", "آ": "a", "ؤ": "", "ئ": "",
}  # fmt: skip
_VOWEL_LETTERS = frozenset("aeiou")


@dataclass(frozen=True, slots=True)
class _Title:
    last_token: int
    role: str
    nationality: str | None
    ministry: str | None
    affiliation: str | None
    complemented: bool  # a ministry, nationality, body or organisation completes the title


def read_titled_persons(document: Document, known: Sequence[EntityMention]) -> list[EntityMention]:
    """People named after a title, when the gazetteer (whose mentions are `known`) does not name them."""
    by_token = {token: m for m in known for token in range(m.first_token, m.last_token + 1)}
    found: list[EntityMention] = []
    for index in range(len(document.tokens)):
        role = lookup(document.word(index), _HEADS)
        if role is None or index in by_token or _family_name(document, index, role):
            continue
        title = _title(document, index, role, by_token)
        if title is None:
            continue
        person = _direct_name(document, title, by_token) or _appositive_name(document, title, by_token)
        if person is not None:
            found.append(person)
    return found + _untitled_people(document, by_token)


def _family_name(document: Document, index: int, role: str) -> bool:
    """ "حسان الشيخ": "الشيخ" right after a given name is the family name, not a title."""
    return (
        role == _SHEIKH
        and _name_like(document.word(index - 1))
        and not document.word(index - 1).startswith("ال")
    )


def _untitled_people(document: Document, by_token: dict[int, EntityMention]) -> list[EntityMention]:
    """ "بزعامة اياد علاوي": a leader named after a word of leading; "وقال يويشي ماسوزوي حاكم طوكيو إن":
    a speaker named right after a verb of saying, when a boundary closes the name (punctuation, the
    complementiser, a title)."""
    found: list[EntityMention] = []
    for index in range(len(document.tokens) - 1):
        if document.has(index, _LED_BY):
            before = by_token.get(index - 1)
            title = _Title(index, "leader", None, None, before.entry.name_en if before else None, True)
            person = _name_from(document, title, index + 1, by_token)
        elif document.has(index, _SPEECH_VERBS) and not _anonymous_or_defined(document, index + 1):
            person = _name_from(document, None, index + 1, by_token, closing=_ends_speaker_name)
        else:
            continue
        if person is not None:
            found.append(person)
    return found


def _anonymous_or_defined(document: Document, index: int) -> bool:
    """ "قال مصدر أمني"، "قالت مصادر"، "قال الجيش": no name follows."""
    return document.word(index).startswith("ال") or document.has(index, _ANONYMOUS)


def _ends_speaker_name(document: Document, following: int) -> bool:
    return _ends_apposition(document, following) or is_title_head(document.word(following))


def _direct_name(
    document: Document, title: _Title, by_token: dict[int, EntityMention]
) -> EntityMention | None:
    """ "وزير الخارجية التركي مولود جاويش أوغلو": the name right after a completed title."""
    if not title.complemented or document.has(title.last_token, _LINK_WORDS):
        return None
    return _name_from(document, title, title.last_token + 1, by_token)


def _appositive_name(
    document: Document, title: _Title, by_token: dict[int, EntityMention]
) -> EntityMention | None:
    """ "وزير الصحة في حكومة الإقليم، ياسر العلي، إن": the name between commas after a title."""
    for index in range(title.last_token + 1, min(len(document.tokens), title.last_token + _APPOSITIVE_REACH)):
        gap = document.gap_before(index)
        if "،" in gap or "," in gap:
            return _name_from(document, title, index, by_token, closing=_ends_apposition)
        if any(mark in gap for mark in _CLOSING_MARKS):
            return None
    return None


def _title(document: Document, head: int, role: str, by_token: dict[int, EntityMention]) -> _Title | None:
    nationality = ministry = affiliation = None
    complemented = role in _PROFESSIONS
    last = head
    if (office := _office_at(document, head)) is not None:
        last, role = office
        complemented = True
    index = last + 1
    while index < min(len(document.tokens), head + 1 + _MAX_TITLE_WORDS):
        if document.gap_before(index).strip():
            break
        word = document.word(index)
        mention = by_token.get(index)
        if mention is not None and mention.entry.kind == "person":
            return None
        if mention is not None:
            affiliation = affiliation or mention.entry.name_en
            last = index = mention.last_token
            complemented = True
        elif lookup(word, _MINISTRIES) is not None:
            ministry = lookup(word, _MINISTRIES)
            last, complemented = index, True
        elif (adjective := nationality_en(word)) is not None:
            nationality = adjective
            last, complemented = index, True
        elif document.has(index, _BODIES):
            last, complemented = index, True
        elif complemented and last == index - 1 and _describes_body(word):
            last = index  # "رئيس المجلس المحلي للبلدة كريم منصور"
        elif document.has(index - 1, _ON_BEHALF) and word.startswith("ال"):
            last, complemented = _defined_run(document, index), True  # "المتحدث باسم المقاومة الجنوبية"
            index = last
        elif not (document.has(index, _TITLE_WORDS) or document.has(index, _LINK_WORDS)):
            break
        else:
            last = index
        index += 1
    return _Title(last, role, nationality, ministry, affiliation, complemented)


def _describes_body(word: str) -> bool:
    """ "المحلي"، "العسكري"، "للبلدة": an adjective of a body, or the place it belongs to after "ل"."""
    return word in DESCRIPTIVE_ADJECTIVES or body_owner_en(word) is not None


def body_owner_en(word: str) -> str | None:
    """ "للبلدة" → "town": the place or owner of a body after "ل" ("المجلس المحلي للبلدة")."""
    normal = normalize_str(word)
    return DESCRIPTIVE_NOUNS.get("ال" + normal[2:]) if normal.startswith("لل") else None


def _office_at(document: Document, head: int) -> tuple[int, str] | None:
    """ "رئيس الوزراء"، "مستشارة الأمن القومي": a title of several words that names one office, as its
    last token and its English."""
    for last in range(min(len(document.tokens), head + _OFFICE_WORDS) - 1, head, -1):
        if any(document.gap_before(index).strip() for index in range(head + 1, last + 1)):
            continue
        rest = " ".join(document.word(index) for index in range(head + 1, last + 1))
        for stem in stems(document.word(head)):
            if (office := _OFFICES.get(f"{stem} {rest}")) is not None:
                return last, office
    return None


def _defined_run(document: Document, first: int) -> int:
    """The last of the words with the article from `first` (the body a spokesperson speaks for)."""
    last = first
    while (
        last + 1 < min(len(document.tokens), first + _MAX_BODY_WORDS)
        and not document.gap_before(last + 1).strip()
        and document.word(last + 1).startswith("ال")
    ):
        last += 1
    return last


def _name_from(
    document: Document,
    title: _Title | None,
    first: int,
    by_token: dict[int, EntityMention],
    *,
    closing: Callable[[Document, int], bool] | None = None,
) -> EntityMention | None:
    """The name of two to four words from `first`; with `closing`, only when it holds after the name."""
    last = first - 1
    for index in range(first, min(len(document.tokens), first + _MAX_NAME_WORDS)):
        word = document.word(index)
        punctuated = index > first and bool(document.gap_before(index).strip())
        spelled = document.text[document.tokens[index].start : document.tokens[index].end]
        if punctuated or index in by_token or not (_name_like(word) or spelled in _NAMES_LIKE_STOPS):
            break
        if word.startswith("ال") and index == first:
            return None  # a given name never takes the article: "الشؤون الإنسانية" is no name
        last = index
        if word.startswith("ال") and not document.has(index - 1, _NAME_JOINERS):
            break  # a family name with the article ends the name: "بشار الجعفري", not "عبد الله"
    if last - first + 1 < _MIN_NAME_WORDS:
        return None
    if closing is not None and not closing(document, last + 1):
        return None
    start, end = document.token_span(first, last)
    text = document.text[start:end]
    entry = GazetteerEntry(
        name_en=romanise(text),
        name_en_source=NameSource.transliterated,
        kind="person",
        forms=(text,),
        title_en=_title_en(title) if title is not None else None,
        affiliation=title.affiliation if title is not None else None,
    )
    return EntityMention(start, end, text, first, last, entry, False)


def _ends_apposition(document: Document, following: int) -> bool:
    """An appositive name is closed by punctuation or by the complementiser of the reported speech."""
    if following >= len(document.tokens):
        return True
    gap = document.gap_before(following)
    return any(mark in gap for mark in "،,:.") or document.has(following, _COMPLEMENTIZERS)


def _name_like(word: str) -> bool:
    """A word a name may have: no function word, verb of speech or time word, and no title ("ونائبة"),
    though a rank may be a family name ("حسان الشيخ")."""
    if not word.isalpha() or word in _NAME_STOPS or lookup(word, _HEADS) not in (None, *_RANK_ROLES):
        return False
    return not any(stem in _NAME_STOPS for stem in stems(word))


def _title_en(title: _Title) -> str:
    parts = [title.nationality or "", title.ministry or "", title.role]
    text = " ".join(part for part in parts if part)
    if title.affiliation and title.role in _ROLES_OF:
        text += f" of {title.affiliation}"
    elif title.affiliation:
        text += f" ({title.affiliation})"
    return text[:1].upper() + text[1:]


def is_title_head(word: str) -> bool:
    """ "وزير"، "الرئيس"، "المتحدث" ...: a word that opens a person's title."""
    return lookup(word, _HEADS) is not None


def nationality_en(word: str) -> str | None:
    """The English adjective of a nisba or of "الأممي"/"الدولي": "التركي" → "Turkish"."""
    state = nationality_of(word)
    return state.adjective_en if state is not None else lookup(word, _INTERNATIONAL)


def ministry_of(word: str) -> str | None:
    """The English portfolio of a ministry word ("الدفاع" → "defence"), if known."""
    return lookup(word, _MINISTRIES)


def romanise(arabic: str) -> str:
    """A name in Latin letters: common name words in their usual spelling ("محمد" → "Mohammed",
    `name_spellings.yaml`), the rest romanised letter by letter ("مولود جاويش" → "Mulud Jawish")."""
    words_of_name, out, index = arabic.split(), [], 0
    while index < len(words_of_name):
        pair = normalize_str(" ".join(words_of_name[index : index + 2]))
        if index + 1 < len(words_of_name) and pair in _NAME_SPELLINGS:
            out.append(_NAME_SPELLINGS[pair])
            index += 2
            continue
        out.append(_romanise_word(words_of_name[index]))
        index += 1
    text = " ".join(out).strip()
    return text[:1].upper() + text[1:]


def _romanise_word(word: str) -> str:
    if (spelling := _NAME_SPELLINGS.get(normalize_str(word))) is not None:
        return spelling
    if word.startswith("ال") and len(word) > 3:  # the article as names print it: "al-Hariri"
        return "al-" + _romanise_word(word[2:])
    out: list[str] = []
    letters = [c for c in word if c.isalpha()]
    for position, char in enumerate(letters):
        if char in "وي":
            previous_vowel = not out or out[-1][-1:] in _VOWEL_LETTERS
            following = letters[position + 1] if position + 1 < len(letters) else ""
            consonant_next = not following or following not in "اويى"
            glide = previous_vowel or not consonant_next
            out.append(("w" if char == "و" else "y") if glide else ("u" if char == "و" else "i"))
        else:
            out.append(_ROMAN.get(char, char))
    text = "".join(out)
    return text[:1].upper() + text[1:]
