"""What a number counts: its metric and its subject, read from the words around it.

Rules, in order (docs/DESIGN.md §3):
1. Not a figure at all: a duration ("48 ساعة"، "ثلاثة أيام"، "الأيام الأربعة"، "بضع ساعات"), a definite
   count of a known set glued to the article ("الدول ال15 الأعضاء").
2. The counted noun right after the number decides when it is a metric noun (strikes, shells and
   facilities are only ever read from the counted noun: "المستشفى فقد اثنين" counts no hospitals):
   "80 قتيلاً" killed, "150 جريحاً" injured, "14 غارة" strikes, "عشرين قذيفة" shells, "خمسة مستشفيات"
   facilities; a dual ("غارتين"، "قتيلان"، "جريحين") is its own counted noun.
3. A population of a besieged area: "تضم/يعيش فيها نحو ... شخص" with a siege word in the sentence, or
   "... شخص ما زالوا محاصرين"; people right after "إجلاء" are evacuated ("لإجلاء نحو 150 جريحا").
4. Killed and injured counted together ("مئات القتلى والجرحى"، "مقتل وجرح مئات"، "أصيبوا أو قتلوا") are
   neither: `other`.
5. Otherwise the nearest trigger word in the number's clause wins, before it ("مقتل 4"، "حصيلة القتلى
   ... 207") or after it ("170 مدنيا قتلوا"، "4127 شخصاً غادروا"), but not past a word joined by و that
   counts the next number ("مقتل ما مجموعه 49 شخصا وإصابة مئات": the injured are the hundreds); failing
   that, in the sentence within a short window. "ضحايا" (casualties) is not a death toll and gives
   `other`, unless it is the toll itself ("حصيلة الضحايا"، "عدد الضحايا"); families and a place's
   population are `other`; the detained (معتقلين، أسرى، "اعتقال 20") and the missing (مفقودين) are their
   own metrics (detainees executed or killed are killed, detainees released are `other`); a detainee
   noun counts only the number it follows ("لجنة من 12 عضوا لمتابعة ملف المعتقلين" counts no detainees).
6. Nothing found: the number counts something else (states, members, meals, tents): not a figure.
"""

from __future__ import annotations

from dataclasses import dataclass

from schemas.digest import Metric
from service.arabic.clitics import ARTICLE, ELIDED_ARTICLE, PROCLITIC_LETTERS
from service.arabic.document import Document
from service.arabic.lexicon import is_one_of, lookup, table, word_set, word_table, words
from service.arabic.states import default_states

TIME_NOUNS = word_set("time_words", "time_nouns")


_DETAINED_NOUNS = word_set("coercion_and_explosions", "detained_nouns")
_MISSING_NOUNS = word_set("coercion_and_explosions", "missing_nouns")
_DETENTION_WORDS = word_set("coercion_and_explosions", "detention_words")
_LOSS_WORDS = word_set("coercion_and_explosions", "loss_words")
_KILLING_OF_DETAINEES = word_set("coercion_and_explosions", "execution", "killing_of_detainees")
_RELEASE_WORDS = word_set("coercion_and_explosions", "release")
_FATE_REACH = 3


def _with_duals(nouns: list[str]) -> list[str]:
    """The nouns and their duals: "مستشفى" → "مستشفيين"، "مدرسة" → "مدرستين"."""
    duals = [
        f"{noun[:-1]}ت{ending}" if noun.endswith("ة") else f"{noun}{ending}"
        for noun in nouns
        for ending in ("ين", "ان")
    ]
    return nouns + duals


_COUNTED_NOUNS: dict[str, str] = table(
    {
        **dict.fromkeys([*_with_duals(["قتيل", "شهيد", "جثة"]), "قتيلا", "قتلى", "شهيدا", "شهداء", "جثث"],
                        Metric.killed),
        **dict.fromkeys([*_with_duals(["جريح", "مصاب"]), "جريحا", "جرحى", "مصابا", "مصابون"], Metric.injured),
        **dict.fromkeys(["نازح", "نازحا", "نازحين", "نازحون", "لاجئ", "لاجئا", "لاجئين", "مهجر", "مهجرين"],
                        Metric.displaced),
        **dict.fromkeys(_DETAINED_NOUNS, Metric.detained),
        **dict.fromkeys(_MISSING_NOUNS, Metric.missing),
        **dict.fromkeys(["غارة", "غارات", "غارتين", "غارتان", "ضربة", "ضربات", "ضربتين", "طلعة", "طلعات"],
                        Metric.strikes),
        **dict.fromkeys(["قذيفة", "قذائف", "قذيفتين", "صاروخ", "صواريخ", "صاروخا", "صاروخين", "برميل",
                         "براميل", "برميلا", "برميلين", "قنبلة", "قنابل", "عبوة", "عبوات"], Metric.shells),
        **dict.fromkeys([*_with_duals(["مستشفى", "مشفى", "مستوصف", "مرفق", "مدرسة", "منشأة", "مركز"]),
                         "مستشفيات", "مشافي", "مستوصفات", "مستوصفا", "مرافق", "مدارس", "منشآت", "مراكز"],
                        Metric.facilities_hit),
    }
)  # fmt: skip

_CONTEXT_METRICS = frozenset({Metric.killed, Metric.injured, Metric.displaced, Metric.missing})
_TRIGGERS: dict[str, str] = table(
    {
        **{word: metric for word, metric in _COUNTED_NOUNS.items() if metric in _CONTEXT_METRICS},
        **dict.fromkeys(
            ["قتل", "قتلت", "قتلوا", "قتلا", "يقتل", "تقتل", "مقتل", "مقتلهم", "استشهاد", "استشهد",
             "استشهدوا",
             "حصد", "حصدت", "وفاة", "توفي", "حتفهم", "حتفه", "الموت", "إعدام", "أعدم", "بحياة", "أودى",
             "أودت", "ضحيته", "ضحيتها", "ضحيتهم"],  # "ذهب ضحيتها": died in it
            Metric.killed,
        ),
        **dict.fromkeys(
            ["جرح", "جرحوا", "يجرح", "أصيب", "أصيبت", "أصيبوا", "إصابة", "إصابات", "جروح", "إصابتهم", "أصيبا",
             "جرحا", "أصاب",
             "أصابت", "أصابوا"],
            Metric.injured,
        ),
        **dict.fromkeys(
            ["نزوح", "نزح", "نزحوا", "فروا", "فر", "فارين", "فارون", "غادروا", "غادر", "غادرت", "مغادرة",
             "خرجوا", "خرج", "خروج", "تهجير", "هجروا", "تدفق"],
            Metric.displaced,
        ),
        **dict.fromkeys(["إجلاء", "أجلي", "أجليت", "إخلاء"], Metric.evacuated),
        **dict.fromkeys(_DETENTION_WORDS, Metric.detained),
        **dict.fromkeys(_LOSS_WORDS, Metric.missing),
        **dict.fromkeys(["ضحايا", "الضحايا", "عائلة", "عائلات", "أسرة", "أسر"], Metric.other),
        **dict.fromkeys(["يؤوي", "تؤوي", "يقطنها", "يسكنها", "يقيم", "تقيم", "يقيمون"], Metric.other),
    }
)  # fmt: skip
_TOLL_WORDS = words("حصيلة", "الحصيلة", "عدد")  # "حصيلة الضحايا": a death toll
_VICTIMS = words("ضحايا", "الضحايا")
_EVACUATION = words("إجلاء", "لإجلاء", "إخلاء")
_BESIEGED_AFTER = words("محاصرين", "محاصرون", "المحاصرين")
_COMBINABLE = words("مقتل", "قتلى", "قتيل", "جرح", "جرحى", "جريح", "إصابة", "إصابات", "مصابين")
_WEAK_KILLED = words("حصيلة", "الحصيلة")  # "the toll": a death toll unless a nearer word says otherwise
_BESIEGED_VERBS = words("تضم", "يضم", "يعيش", "يعيشون", "يقطن", "يقطنها", "يسكن", "يسكنها", "تؤوي", "يؤوي")
_BESIEGED_NOUNS = words("محاصر", "محاصرين", "المحاصرة", "المحاصر", "حصار", "محاصرة", "نسمة")
_OF = words("من")
_TOLLS = frozenset({Metric.killed, Metric.injured})
_ONE = words("واحد", "واحدة")
_PER_CENT = word_set("non_counts", "per_cent")
_CURRENCIES = word_set("non_counts", "currencies")
_INCIDENTS = word_set("non_counts", "incidents")
_PLACES_COUNTED = word_set("non_counts", "places")
_IN = words("في")
_RANKS = words("صفوف")  # "في صفوف المدنيين": among the civilians
_AND = "و"
_OR = words("أو")

SUBJECTS: dict[str, str] = word_table("counted_people", "subjects") | word_table(
    "counted_people", "possessed"
)
SINGULAR_PERSONS: dict[str, str] = word_table("counted_people", "singular_persons")
# "مقتل فلسطيني"، "استشهاد يمني": a masculine nisba of a state after a word of killing is one person of it
NATIONALS: dict[str, str] = table(
    {
        form: f"{state.adjective_en}s"
        for state in default_states()
        for nisba in state.nisba
        if not nisba.endswith("ة")
        for form in (nisba, f"{nisba}ا")
    }
)
OTHERS = word_set("counted_people", "others")
_COUNTED_NOUN_REACH = 2  # a counted noun may follow "من": "المئات من القتلى"
_CLAUSE_BEFORE, _CLAUSE_AFTER = 14, 7
_SENTENCE_BEFORE, _SENTENCE_AFTER = 6, 4


@dataclass(frozen=True, slots=True)
class NumberWords:
    """Token indices of one number: [first, last] of the number itself."""

    first: int
    last: int


def is_duration(document: Document, number: NumberWords) -> bool:
    """ "48 ساعة"، "ثلاثة أيام"، "الأيام الأربعة"، "أسبوع واحد": a length of time, not a count."""
    after = document.word(number.last + 1)
    before = document.word(number.first - 1)
    if is_one_of(after, TIME_NOUNS) or document.has(number.last, TIME_NOUNS):
        return True
    return is_one_of(before, TIME_NOUNS) and _definite_or_one(document.word(number.first))


def is_not_a_count(document: Document, number: NumberWords, number_text: str, value: int) -> bool:
    """A percentage ("80%"، "60 في المئة"), a sum of money ("20 مليون دولار"), a count of incidents ("ثلاث
    عمليات") or a year told alone ("مقارنة بالنصف الأول من 2014"، "في 2012."): four digits from 1900 to 2100
    with no counted noun after them."""
    after = document.word(number.last + 1)
    if any(mark in document.gap_before(number.last + 1) for mark in "%٪") or is_one_of(after, _PER_CENT):
        return True
    if document.has(number.last + 1, _IN) and is_one_of(document.word(number.last + 2), _PER_CENT):
        return True
    if is_one_of(after, _CURRENCIES) or _counts_incidents(document, number):
        return True
    digits = number_text.strip()
    return (
        len(digits) == 4
        and digits.isdigit()
        and 1900 <= value <= 2100
        and counted_noun(document, number) is None
    )


def _counts_incidents(document: Document, number: NumberWords) -> bool:
    """ "ثلاث عمليات"، "تفجيرات كابل الثلاثة": the number counts incidents (the noun after it, or for a
    definite number the noun it qualifies, one or two words before it), or places ("بضع بلدات")."""
    if document.has(number.last + 1, _INCIDENTS) or document.has(number.last + 1, _PLACES_COUNTED):
        return True
    definite = document.word(number.first).lstrip("".join(PROCLITIC_LETTERS)).startswith(ARTICLE)
    return definite and any(document.has(i, _INCIDENTS) for i in (number.first - 1, number.first - 2))


def _definite_or_one(word: str) -> bool:
    return word.startswith("ال") or word in _ONE


def is_definite_digits(number_text: str) -> bool:
    """ "ال15": digits glued to the article count a known set ("الدول ال15 الأعضاء")."""
    stripped = number_text.lstrip("".join(PROCLITIC_LETTERS))
    return (stripped.startswith(ARTICLE) or stripped.startswith(ELIDED_ARTICLE)) and any(
        c.isdigit() for c in stripped
    )


def counted_noun(document: Document, number: NumberWords) -> tuple[int, str | None] | None:
    """(token, metric or None) of the noun counted by the number, if one follows it directly; "القتلى
    والجرحى" (killed and injured counted together) gives `other`."""
    own = lookup(document.word(number.last), _COUNTED_NOUNS)
    if own is not None and number.first == number.last:
        return number.last, own
    for offset in range(1, _COUNTED_NOUN_REACH + 1):
        index = number.last + offset
        if not _spaced(document, index):
            return None
        word = document.word(index)
        metric = lookup(word, _COUNTED_NOUNS)
        if metric is not None and _killed_and_injured(document, index, metric):
            return index, Metric.other
        if metric == Metric.detained:
            return index, _fate_of_detainees(document, number)
        if metric is not None or word in SUBJECTS or is_one_of(word, SUBJECTS) or is_one_of(word, OTHERS):
            return index, metric
        if not is_one_of(word, _OF):
            return None
    return None


def _fate_of_detainees(document: Document, number: NumberWords) -> str:
    """Detainees counted by what happened to them: executed or killed ("إعدام 12 أسيرا") are killed,
    released ("الإفراج عن 39 محتجزا") are no longer detained (`other`)."""
    before = range(max(0, number.first - _FATE_REACH), number.first)
    if any(document.has(i, _KILLING_OF_DETAINEES) for i in before):
        return Metric.killed
    if any(document.has(i, _RELEASE_WORDS) for i in before):
        return Metric.other
    return Metric.detained


def _spaced(document: Document, index: int) -> bool:
    """The token exists and only spaces separate it from the previous one."""
    return 0 < index < len(document.tokens) and not document.gap_before(index).strip()


def is_besieged_population(document: Document, number: NumberWords) -> bool:
    """ "تضم نحو ... شخص" of a besieged area, or "30 ألف شخص ما زالوا محاصرين"."""
    if any(document.has(i, _BESIEGED_AFTER) for i in range(number.last + 1, number.last + 5)):
        return True
    sentence = document.sentence_of_token(number.first)
    near = [*range(number.first - 4, number.first), *range(number.last + 1, number.last + 4)]
    near_verb = any(document.has(i, _BESIEGED_VERBS) for i in near)
    return near_verb and document.any_has(sentence.first_token, sentence.end_token, _BESIEGED_NOUNS)


def is_evacuation(document: Document, phrase_first: int) -> bool:
    """ "لإجلاء نحو 150 جريحا": the people are counted as evacuated, whatever their noun says."""
    return document.has(phrase_first - 1, _EVACUATION)


def metric_from_context(
    document: Document, number: NumberWords, blocked: set[int], phrase_last: int | None = None
) -> Metric | None:
    """The nearest trigger in the clause, then in a short sentence window; `blocked` tokens belong to
    other numbers and are not crossed. The clause window after the number is counted from the end of its
    phrase (`phrase_last`: "22 شخصا على الأقل معظمهم من رجال ميليشيا محلية قتلوا"), so the counted noun and
    the qualifier take none of it. None: nothing says what the number counts, so it is no figure."""
    clause = document.clause_of_token(number.first)
    after_from = max(number.last, phrase_last or number.last)
    found = _nearest_trigger(
        document,
        number,
        max(clause.first_token, number.first - _CLAUSE_BEFORE),
        min(clause.end_token, after_from + _CLAUSE_AFTER + 1),
        blocked,
    )
    if found is None:
        sentence = document.sentence_of_token(number.first)
        found = _nearest_trigger(
            document,
            number,
            max(sentence.first_token, number.first - _SENTENCE_BEFORE),
            min(sentence.end_token, number.last + _SENTENCE_AFTER + 1),
            blocked,
        )
    return Metric(found) if found is not None else None


def victim_conjoined_metric(document: Document, number: NumberWords, blocked: set[int]) -> Metric | None:
    """ "وذهب ضحيتها القيادي صالح العاروري، واثنين من مرافقيه": a count that opens its clause with و
    after a clause of the same sentence with a word of killing or wounding (the victim it names is not
    checked: no other number may come between, within `_CLAUSE_BEFORE` words) is counted by that word."""
    clause = document.clause_of_token(number.first)
    sentence = document.sentence_of_token(number.first)
    if number.first != clause.first_token or clause.first_token <= sentence.first_token:
        return None
    if not document.word(number.first).startswith(_AND):
        return None
    previous = document.clause_of_token(clause.first_token - 1)
    for index in range(
        clause.first_token - 1, max(previous.first_token, number.first - _CLAUSE_BEFORE) - 1, -1
    ):
        if index in blocked:
            return None
        metric = lookup(document.word(index), _TRIGGERS)
        if metric in _TOLLS:
            return Metric(metric)
    return None


def _nearest_trigger(
    document: Document, number: NumberWords, lo: int, hi: int, blocked: set[int]
) -> str | None:
    best: tuple[int, int, str] | None = None  # (distance, token, metric)
    weak: tuple[int, int, str] | None = None
    for index in range(number.first - 1, lo - 1, -1):
        if index in blocked:
            break
        best, weak = _consider(document, index, number.first - index - 1, best, weak)
    for index in range(number.last + 1, hi):
        if index in blocked:
            break
        if index + 1 in blocked and document.word(index).startswith(_AND):
            break  # "مقتل 49 شخصا وإصابة مئات": the conjoined word counts the next number
        best, weak = _consider(document, index, index - number.last - 1, best, weak)
    if best is not None and (
        _killed_and_injured(document, best[1], best[2]) or _killed_or_injured(document, best[1], best[2])
    ):
        return Metric.other
    if best is not None and document.has(best[1], _VICTIMS) and _after_toll_word(document, best[1]):
        return Metric.killed
    chosen = best or weak
    return chosen[2] if chosen else None


def _consider(
    document: Document,
    index: int,
    distance: int,
    best: tuple[int, int, str] | None,
    weak: tuple[int, int, str] | None,
) -> tuple[tuple[int, int, str] | None, tuple[int, int, str] | None]:
    metric = lookup(document.word(index), _TRIGGERS)
    if metric is not None and (best is None or distance < best[0]):
        best = (distance, index, metric)
    elif metric is None and document.has(index, _WEAK_KILLED) and (weak is None or distance < weak[0]):
        weak = (distance, index, Metric.killed)
    return best, weak


def is_casualty_word(document: Document, index: int) -> bool:
    """The word at `index` says what a count counts ("قتلوا"، "وإصابة"، "نزح")."""
    return lookup(document.word(index), _TRIGGERS) is not None


def _after_toll_word(document: Document, index: int) -> bool:
    return any(document.has(i, _TOLL_WORDS) for i in (index - 1, index - 2))


def _killed_and_injured(document: Document, index: int, metric: str) -> bool:
    """ "مقتل وجرح"، "القتلى والجرحى": killed and injured nouns counted together, which is neither
    ("قتلوا وجرح مئات" is two tolls: the verb has its own subject)."""
    if metric not in _TOLLS or not document.has(index, _COMBINABLE):
        return False
    following, current = document.word(index + 1), document.word(index)
    after = (
        lookup(following, _TRIGGERS)
        if following.startswith("و") and document.has(index + 1, _COMBINABLE)
        else None
    )
    combinable_before = current.startswith("و") and document.has(index - 1, _COMBINABLE)
    before = lookup(document.word(index - 1), _TRIGGERS) if combinable_before else None
    return any(other in _TOLLS and other != metric for other in (after, before))


def names_killed_or_injured(document: Document, first: int, end: int) -> bool:
    """A word of killing or wounding in the tokens [first, end) ("أصيبوا أو قتلوا"، "القتلى والجرحى")."""
    return any(lookup(document.word(index), _TRIGGERS) in _TOLLS for index in range(first, end))


def _killed_or_injured(document: Document, index: int, metric: str) -> bool:
    """ "أصيبوا أو قتلوا"، "قتيل أو جريح": one count of the killed or injured, which is neither."""
    if metric not in _TOLLS:
        return False
    for other in (index + 2, index - 2):
        between = min(index, other) + 1
        if document.has(between, _OR) and lookup(document.word(other), _TRIGGERS) in _TOLLS - {metric}:
            return True
    return False


def subject_of(document: Document, number: NumberWords, counted: tuple[int, str | None] | None) -> str | None:
    """ "civilians"، "children" ...: the counted noun, else "في صفوف X", else a subject noun just before."""
    if counted is not None:
        subject = lookup(document.word(counted[0]), SUBJECTS)
        if subject is not None:
            return subject
    own = lookup(document.word(number.last), SUBJECTS)
    if own is not None:
        return own
    clause = document.clause_of_token(number.first)
    for index in range(number.first - 1, max(clause.first_token, number.first - 8) - 1, -1):
        if document.has(index, _RANKS):
            return lookup(document.word(index + 1), SUBJECTS)
    return None
