"""Numbers and their qualifiers in Arabic news text (docs/DESIGN.md §3).

`find_numbers` reads every number phrase of an article; `parse_number` reads one short phrase.
Matching runs on the normalised text (`service.arabic.normalize`), so hamza, ta marbuta, tanween and
Arabic-Indic digits need no special cases; every offset is mapped back to the original text.

What counts as a number
- Digits, with "," as thousands separator when followed by groups of three digits ("1,200") and
  "." as decimal point ("2.5 ألف" = 2500); a multiplier word may follow (ألف/آلاف/مليون/مليار,
  "مليون ونصف"). Results that are not whole numbers ("2.5" alone) are not mentions.
- Number words with their case endings and spelling variants: units, teens ("خمسة عشر"), tens
  ("ستين"), compounds ("خمسة وعشرين"), hundreds ("مئة"، "مائتي"، "ثلاث مئة"، "ثلاثمائة"), and
  multipliers ("أربعمئة ألف"، "نصف مليون"). "أحد"/"إحدى" count only inside a teen ("أحد عشر"):
  alone they are "one of" or Sunday; "واحد(ة) من" ("one of") is skipped; the definite "الاثنين"
  is Monday and never 2. Definite forms are read for 3..10 ("الأيام الثلاثة") and for digits ("ال15");
  a definite ten or hundred is not ("القرن العشرين" is an ordinal, "في المئة" is per cent).
- Vague quantities keep `qualifier = vague`: بضع/بضعة → value 3, low 3, high 9; عشرات → 10;
  مئات → 100; آلاف → 1000; ملايين → 1e6; a following plural multiplier multiplies
  ("عشرات الآلاف" → 10000). "العديد" and "عدد من" are not numbers.
- A stated range is one phrase: "بين 10 و20"، "ما بين 25 و30"، "من 10 إلى 20" (إلى، حتى، لغاية), "ما بين
  35 إلى 40" and, with no opening word, "35 إلى 40 شخصا": value 10 (the lower, stated number), low 10,
  high 20, qualifier exact, the span from "ما"/"بين"/"من" (else the first number) to the second number;
  the second number follows the first with only و or إلى between ("بين 12 مدنيا و8 عسكريين" is two
  counts) and is larger; a multiplier after the second alone is shared ("بين 3 و4 آلاف": 3,000 to 4,000).
  "من 12 إلى 19" after a word of change ("ارتفع عدد القتلى من 12 إلى 19", back to
  the clause's punctuation, at most eight words) is the count's change, not a range: two numbers.
- Duals mean 2 only for a lexicon of countable nouns of conflict news (`_DUAL_NOUNS_*`). Rule: the
  accusative/genitive dual "-ين" is spelled like the sound masculine plural, so for nouns whose
  plural is sound masculine (مدني → مدنيين, متطوع → متطوعين) only the nominative "-ان" counts
  ("متطوعان"); nouns with a broken or feminine plural (طفل → أطفال, غارة → غارات) count in both
  cases ("طفلين"، "غارتين"). Construct duals ("بلدتي X وY") are not read: they are spelled like
  the first-person possessive.
- Skipped as not counts: years (four digits 1900-2100 after a year cue such as "عام"، "منذ"،
  "أواخر" or a month name, or before "م"/"ميلادي"), days of the month (1-31 before a month name),
  numbers glued to "/" or ":" (dates, times), model numbers ("F-16"), numbers after an identifier
  word ("القرار 2401"), and numbers longer than 15 digits. Durations ("48 ساعة"، "ثلاثة أيام")
  are returned: the caller decides by the following noun. Short number words take no proclitic
  but و ("لست" is "I am not", not ل + ست).

Qualifiers and the span rule
- A qualifier before the number ("أكثر من 170 مدنيا") makes the phrase run from the qualifier to
  the end of the number: "أكثر من 170". It must stand right before the number, across whitespace
  only, and the number must carry no conjunction of its own. It wins over a qualifier after.
- A qualifier after it ("سبعة مدنيين على الأقل") makes the phrase run from the number to the end of
  the qualifier, including up to two words in between (the counted noun and an adjective), when no
  punctuation or other number stands between them (على الأقل، على أقل تقدير، أو أكثر، ونيف،
  تقريبا).
- Conjunction/preposition proclitics (و، ف، ب، ل، ك) are left out of both spans; the article "ال"
  is part of the number word ("الثلاثة"، "ال15").
- at_least: low = value; more_than: low = value + 1; about: no bounds; up_to: high = value
  ("أقل من" is read as up_to with high = value - 1); vague: low = value, high only when known;
  exact: low = high = value.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from functools import lru_cache

from schemas.digest import Qualifier
from service.arabic.align import extend_over_marks, normalized_article
from service.arabic.clitics import ARTICLE, ELIDED_ARTICLE, PROCLITICS, proclitic_splits
from service.arabic.lexicon import word_set, word_table, word_values
from service.arabic.normalize import NormalizedText, normalize_str
from service.arabic.tokens import TextToken, words_and_numbers


@dataclass(frozen=True, slots=True)
class NumberMention:
    """One number phrase; all offsets are into the original text given."""

    start: int
    end: int
    text: str
    number_start: int
    number_end: int
    value: int
    low: int | None
    high: int | None
    qualifier: Qualifier


# --- lexicon: number words (service/arabic/data/number_words.yaml) -------------------------------

_NUMBER_WORDS = "number_words"
_UNITS = word_values(_NUMBER_WORDS, "units")
_TEN = word_values(_NUMBER_WORDS, "ten")
_TEEN_UNITS = {**_UNITS, **word_values(_NUMBER_WORDS, "teen_units")}
_TENS = {
    f"{stem}{ending}": value
    for stem, value in word_values(_NUMBER_WORDS, "tens_stems").items()
    for ending in ("ون", "ين")
}
_HUNDRED = word_set(_NUMBER_WORDS, "hundred_words")
_HUNDREDS = {
    **dict.fromkeys(_HUNDRED, 100),
    **dict.fromkeys(
        [
            f"{stem}{ending}"
            for stem in word_set(_NUMBER_WORDS, "two_hundred_stems")
            for ending in ("ان", "ين", "ا", "ي")
        ],
        200,
    ),
    **{
        f"{unit}{hundred}": value * 100
        for unit, value in word_values(_NUMBER_WORDS, "hundreds_units").items()
        for hundred in _HUNDRED
    },
}
_DEFINITE_UNITS = {f"ال{word}": value for word, value in {**_UNITS, **_TEN}.items() if 3 <= value <= 10}
_SCALE_AFTER_NUMBER = word_values(_NUMBER_WORDS, "scales_after_number")
_SCALE_ALONE = word_values(_NUMBER_WORDS, "scales_alone")
_FRACTIONS_OF_SCALE = {
    word: Fraction(1, denominator)
    for word, denominator in word_values(_NUMBER_WORDS, "fractions_of_scale").items()
}
_SINGULAR_SCALES = (1000, 10**6, 10**9)
_AND = ("و",)
_AND_HALF = "و" + normalize_str("نصف")
_ONE_WORDS = word_set(_NUMBER_WORDS, "one")

_VAGUE = word_values(_NUMBER_WORDS, "vague")
_VAGUE_PLURAL_SCALE = word_values(_NUMBER_WORDS, "vague_plural_scales")
_FEW = word_set(_NUMBER_WORDS, "few")
_FEW_LOW, _FEW_HIGH = 3, 9

_RANGE_BETWEEN = word_set(_NUMBER_WORDS, "range_between")
_RANGE_BETWEEN_LEAD = word_set(_NUMBER_WORDS, "range_between_lead")
_RANGE_FROM = word_set(_NUMBER_WORDS, "range_from")
_RANGE_TO = word_set(_NUMBER_WORDS, "range_to")
_COUNT_CHANGES = word_set(_NUMBER_WORDS, "count_changes")
_CHANGE_REACH = 8  # words back from "من" to a word of change

# --- duals that mean 2 (see the module docstring for the rule) -------------------------------------


def _dual_forms() -> frozenset[str]:
    """The dual forms of the listed nouns; a feminine noun's final ة (normalised ه) becomes ت."""
    broken, feminine, sound = (
        word_set(_NUMBER_WORDS, f"dual_nouns_{kind}")
        for kind in ("broken_plural", "feminine", "sound_plural")
    )
    forms = {f"{noun}{ending}" for noun in broken for ending in ("ان", "ين")}
    forms |= {f"{noun[:-1]}ت{ending}" for noun in feminine for ending in ("ان", "ين")}
    forms |= {f"{noun}ان" for noun in sound}
    return frozenset(forms) | frozenset(f"ال{form}" for form in forms)


_DUALS = _dual_forms()

# --- qualifiers, as token sequences -------------------------------------------------------------------


def _phrases(name: str) -> list[tuple[tuple[str, ...], Qualifier]]:
    """Qualifier phrases as normalised token tuples, longest first."""
    phrases = [
        (tuple(phrase.split()), Qualifier(label)) for phrase, label in word_table(_NUMBER_WORDS, name).items()
    ]
    return sorted(phrases, key=lambda item: -len(item[0]))


_LESS_THAN = (normalize_str("أقل"), normalize_str("من"))
_PRE_QUALIFIERS = _phrases("qualifiers_before")
_PRE_QUALIFIER_ENDS = frozenset(phrase[-1] for phrase, _ in _PRE_QUALIFIERS)
_POST_QUALIFIERS = _phrases("qualifiers_after")
_MAX_WORDS_BEFORE_POST_QUALIFIER = 2

# --- lexicon: context that makes digits something other than a count ----------------------------

_YEAR_CUES = word_set(_NUMBER_WORDS, "year_cues")
_MONTHS = word_set("time_words", "months_gregorian", "months_levantine")
_ERA_MARKS = word_set(_NUMBER_WORDS, "era_marks")
_IDENTIFIER_CUES = word_set(_NUMBER_WORDS, "identifier_cues")
_OF = normalize_str("من")
_YEAR_RANGE = range(1900, 2101)
_MAX_DIGITS = 15

# --- tokens -----------------------------------------------------------------------------------------

_PROCLITICS = ("", *PROCLITICS)  # "" for the word without one
_SHORT_STEM_CLITICS = ("", "و")  # "لست" is "I am not", "بست" a sit-in: short stems take only و
_DATE_OR_TIME_GLUE = frozenset("/:")


@lru_cache(maxsize=16384)
def _splits(word: str) -> tuple[tuple[str, str], ...]:
    return tuple(proclitic_splits(word))


def _lookup(
    word: str, table: Mapping[str, object] | frozenset[str], clitics: Sequence[str]
) -> tuple[str, str] | None:
    """(clitic, stem) such that the stem is an entry of `table`, or None."""
    for clitic, stem in _splits(word):
        if clitic not in clitics or stem not in table:
            continue
        if len(stem) <= 2 and clitic not in _SHORT_STEM_CLITICS:
            continue
        return clitic, stem
    return None


_NUMBER_STEMS = frozenset().union(
    _UNITS,
    _TEN,
    _TEEN_UNITS,
    _TENS,
    _HUNDREDS,
    _DEFINITE_UNITS,
    _SCALE_ALONE,
    _FRACTIONS_OF_SCALE,
    _VAGUE,
    _FEW,
    _DUALS,
)


@lru_cache(maxsize=16384)
def _may_be_number(word: str) -> bool:
    """Whether the word, with or without a proclitic, is in any number lexicon: a quick first filter."""
    return any(stem in _NUMBER_STEMS for _, stem in _splits(word))


# --- the number itself ------------------------------------------------------------------------------

_Read = tuple[Fraction, str, int]  # value, clitic of the first token, index after the last token


@dataclass(frozen=True, slots=True)
class _Core:
    first: int  # token indexes, last exclusive
    last: int
    clitic: str  # proclitic of the first token, left out of the span
    value: int
    low: int | None = None
    high: int | None = None
    vague: bool = False
    range_opener: tuple[int, str] | None = None  # (token, clitic) of "بين"/"ما بين"/"من" of a stated range


class _Reader:
    """Reads the number phrases of one normalised text, token by token."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = words_and_numbers(text)

    def word(self, index: int) -> str:
        if 0 <= index < len(self.tokens) and not self.tokens[index].digits:
            return self.tokens[index].text
        return ""

    def spaced(self, left: int, right: int) -> bool:
        """True when only whitespace separates token `left` from token `right` (left < right)."""
        if left < 0 or right >= len(self.tokens):
            return False
        return not self.text[self.tokens[left].end : self.tokens[right].start].strip()

    def joined_word(self, index: int) -> str:
        """The word at `index` when only whitespace separates it from the previous token."""
        return self.word(index) if self.spaced(index - 1, index) else ""

    def core(self, index: int) -> _Core | None:
        token = self.tokens[index]
        if not token.digits and not _may_be_number(token.text):
            return None
        return (
            self.digits(index)
            or self.vague(index)
            or self.words(index)
            or self.definite_unit(index)
            or self.dual(index)
        )

    # digits ------------------------------------------------------------------------------------------
    def digits(self, index: int) -> _Core | None:
        token = self.tokens[index]
        if not token.digits or not self.countable_digits(index):
            return None
        clitic = _digit_clitic(token.prefix)
        base = _digit_value(token.digits)
        if clitic is None or base is None:
            return None
        value, last = self.scaled(base, index + 1)
        if value.denominator != 1:
            return None
        return _Core(index, last, clitic, int(value))

    def countable_digits(self, index: int) -> bool:
        token = self.tokens[index]
        if len(token.digits) > _MAX_DIGITS or self.glued_to_date_or_model(token):
            return False
        previous = self.word(index - 1) if self.spaced(index - 1, index) else ""
        if _is_one_of(previous, _IDENTIFIER_CUES):
            return False
        following = self.joined_word(index + 1)
        whole = token.digits.split(".")[0].replace(",", "")
        if following in _MONTHS and whole.isdigit() and 1 <= int(whole) <= 31:
            return False
        return not self.is_year(index, previous, following)

    def glued_to_date_or_model(self, token: TextToken) -> bool:
        before = self.text[token.start - 1] if token.start > 0 else ""
        after = self.text[token.end] if token.end < len(self.text) else ""
        if before in _DATE_OR_TIME_GLUE or after in _DATE_OR_TIME_GLUE:
            return True
        latin_before = token.start > 1 and "a" <= self.text[token.start - 2] <= "z"
        return before == "-" and latin_before

    def is_year(self, index: int, previous: str, following: str) -> bool:
        digits = self.tokens[index].digits
        if not digits.isdigit() or len(digits) != 4 or int(digits) not in _YEAR_RANGE:
            return False
        after_month = self.word(index - 2) in _MONTHS and self.spaced(index - 1, index)
        cued = _is_one_of(previous, _YEAR_CUES) or _is_one_of(previous, _MONTHS)
        return cued or after_month or following in _ERA_MARKS

    def scaled(self, base: Fraction, index: int) -> tuple[Fraction, int]:
        """`base` times a multiplier word at `index` if there is one, plus "ونصف" after it."""
        scale = _SCALE_AFTER_NUMBER.get(self.joined_word(index))
        if scale is None:
            return base, index
        return self.plus_half(base * scale, scale, index + 1)

    def plus_half(self, value: Fraction, scale: int, index: int) -> tuple[Fraction, int]:
        """`value` plus half its multiplier when "ونصف" (or "ونصف المليون") stands at `index`."""
        if self.joined_word(index) != _AND_HALF:
            return value, index
        after = index + 1
        repeated = self.joined_word(after)
        if repeated.startswith(ARTICLE) and _SCALE_AFTER_NUMBER.get(repeated[len(ARTICLE) :]) == scale:
            after += 1
        return value + Fraction(scale, 2), after

    # vague quantities ------------------------------------------------------------------------------
    def vague(self, index: int) -> _Core | None:
        word = self.word(index)
        few = _lookup(word, _FEW, _PROCLITICS)
        if few is not None:
            scale = _VAGUE_PLURAL_SCALE.get(self.joined_word(index + 1))
            multiplier, last = (scale, index + 2) if scale else (1, index + 1)
            low, high = _FEW_LOW * multiplier, _FEW_HIGH * multiplier
            return _Core(index, last, few[0], low, low, high, vague=True)
        found = _lookup(word, _VAGUE, _PROCLITICS)
        if found is None:
            return None
        clitic, stem = found
        value = _VAGUE[stem]
        scale = _VAGUE_PLURAL_SCALE.get(self.joined_word(index + 1))
        if scale and scale > value:
            return _Core(index, index + 2, clitic, value * scale, value * scale, vague=True)
        return _Core(index, index + 1, clitic, value, value, vague=True)

    # number words ------------------------------------------------------------------------------------
    def words(self, index: int) -> _Core | None:
        """Groups below a thousand joined by multipliers and "و": "ثلاثمئة وخمسين ألفا"."""
        first = self.scaled_group(index, _PROCLITICS, None)
        if first is None:
            return None
        total, lead_clitic, position, scale = first
        while scale is not None and position < len(self.tokens):
            following = self.scaled_group(position, _AND, scale)
            if following is None:
                break
            value, _, position, scale = following
            total += value
        if total.denominator != 1 or self.is_one_of(index, position):
            return None
        return _Core(index, position, lead_clitic, int(total))

    def scaled_group(
        self, index: int, clitics: Sequence[str], previous_scale: int | None
    ) -> tuple[Fraction, str, int, int | None] | None:
        """(value, clitic, next index, its multiplier or None) of one group and its multiplier."""
        if previous_scale is not None and not self.spaced(index - 1, index):
            return None
        group = self.group(index, clitics)
        if group is None:
            return self.scale_alone(index, clitics, previous_scale)
        value, clitic, position = group
        scale = _SCALE_AFTER_NUMBER.get(self.joined_word(position))
        if scale is None or (previous_scale is not None and scale >= previous_scale):
            return value, clitic, position, None
        total, after = self.scaled(value, position)
        return total, clitic, after, scale

    def scale_alone(
        self, index: int, clitics: Sequence[str], previous_scale: int | None
    ) -> tuple[Fraction, str, int, int | None] | None:
        """A multiplier word standing for its own value: "ألف"، "ألفين"، "مليون ونصف"، "نصف مليون"."""
        word = self.word(index)
        fraction = _lookup(word, _FRACTIONS_OF_SCALE, clitics)
        if fraction is not None:
            scale = _SCALE_ALONE.get(self.joined_word(index + 1))
            if scale not in _SINGULAR_SCALES or previous_scale is not None:
                return None
            return _FRACTIONS_OF_SCALE[fraction[1]] * scale, fraction[0], index + 2, scale
        found = _lookup(word, _SCALE_ALONE, clitics)
        if found is None:
            return None
        value = _SCALE_ALONE[found[1]]
        unit = 10 ** (len(str(value)) - 1)
        if previous_scale is not None and unit >= previous_scale:
            return None
        total, position = self.plus_half(Fraction(value), unit, index + 1)
        return total, found[0], position, unit

    def group(self, index: int, clitics: Sequence[str]) -> _Read | None:
        """A number below a thousand."""
        hundreds = self.hundreds(index, clitics)
        if hundreds is None:
            return self.below_hundred(index, clitics)
        value, clitic, position = hundreds
        rest = self.below_hundred(position, _AND) if self.spaced(position - 1, position) else None
        if rest is not None:
            return value + rest[0], clitic, rest[2]
        return hundreds

    def hundreds(self, index: int, clitics: Sequence[str]) -> _Read | None:
        word = self.word(index)
        found = _lookup(word, _HUNDREDS, clitics)
        if found is not None:
            return Fraction(_HUNDREDS[found[1]]), found[0], index + 1
        found = _lookup(word, _UNITS, clitics)
        if found is not None and self.joined_word(index + 1) in _HUNDRED and _UNITS[found[1]] >= 3:
            return Fraction(_UNITS[found[1]] * 100), found[0], index + 2
        return None

    def below_hundred(self, index: int, clitics: Sequence[str]) -> _Read | None:
        word = self.word(index)
        if not word:
            return None
        teen = _lookup(word, _TEEN_UNITS, clitics)
        if teen is not None and self.joined_word(index + 1) in _TEN:
            return Fraction(10 + _TEEN_UNITS[teen[1]]), teen[0], index + 2
        unit = _lookup(word, _UNITS, clitics)
        if unit is not None:
            tens = _lookup(self.joined_word(index + 1), _TENS, _AND)
            if tens is not None and tens[0] == "و":
                return Fraction(_UNITS[unit[1]] + _TENS[tens[1]]), unit[0], index + 2
            return Fraction(_UNITS[unit[1]]), unit[0], index + 1
        for table in (_TENS, _TEN):
            found = _lookup(word, table, clitics)
            if found is not None:
                return Fraction(table[found[1]]), found[0], index + 1
        return None

    def is_one_of(self, first: int, last: int) -> bool:
        """ "واحد من" / "واحدة من" mean "one of", not a count of one."""
        return (
            last == first + 1 and self.joined_word(last) == _OF and _is_one_of(self.word(first), _ONE_WORDS)
        )

    # stated ranges ----------------------------------------------------------------------------------
    def as_range(self, core: _Core, earliest: int) -> _Core:
        """ "بين 10 و20"، "ما بين 25 و30"، "من 10 إلى 20"، "35 إلى 40": one core over both numbers (module
        docstring)."""
        if core.clitic or core.vague:
            return core
        opener = core.first - 1
        word = self.word(opener) if opener >= earliest and self.spaced(opener, core.first) else ""
        between = _lookup(word, _RANGE_BETWEEN, _SHORT_STEM_CLITICS) if word else None
        if between is not None:
            second, clitic = self.second_of_range(core.last, _AND[0])
            if second is None or second.clitic != clitic:  # "ما بين 35 إلى 40 شخصا"
                second, clitic = self.second_after_to(core)
            lead = _lookup(self.word(opener - 1), _RANGE_BETWEEN_LEAD, _SHORT_STEM_CLITICS)
            if (
                lead is not None
                and between[0] == ""
                and opener > earliest
                and self.spaced(opener - 1, opener)
            ):
                opener, between = opener - 1, lead
            opener_clitic = between[0]
        else:
            start = _lookup(word, _RANGE_FROM, _SHORT_STEM_CLITICS) if word else None
            if self.count_changes_before(opener if start is not None else core.first):
                return core
            second, clitic = self.second_after_to(core)
            if start is None:  # "إن 35 إلى 40 شخصا لقوا حتفهم": a range with no opening word
                opener, opener_clitic = core.first, ""
            else:
                opener_clitic = start[0]
        if second is None or second.clitic != clitic or second.vague:
            return core
        low = self.shared_multiplier(core, second)
        if second.value <= low:
            return core
        opened = (opener, opener_clitic)
        return _Core(core.first, second.last, "", low, low, second.value, range_opener=opened)

    def shared_multiplier(self, first: _Core, second: _Core) -> int:
        """The range's first number, times the second's multiplier when only the second has one ("بين 3 و4
        آلاف" is 3,000 to 4,000)."""
        scale = _SCALE_AFTER_NUMBER.get(self.word(second.last - 1))
        alone = second.last - second.first == 1 or first.last - first.first > 1
        if scale is None or alone or first.value * scale >= second.value:
            return first.value
        return first.value * scale

    def second_after_to(self, core: _Core) -> tuple[_Core | None, str]:
        """The second number of "10 إلى 20" (إلى، حتى، لغاية right after the first), if there is one."""
        to = _lookup(self.joined_word(core.last), _RANGE_TO, ("",))
        return self.second_of_range(core.last + 1, "") if to else (None, "")

    def second_of_range(self, index: int, clitic: str) -> tuple[_Core | None, str]:
        """The range's second number at `index` with the expected clitic; "و 20" (و apart) also counts."""
        if not self.spaced(index - 1, index):
            return None, clitic
        if clitic and self.word(index) == clitic and self.spaced(index, index + 1):
            return (self.core(index + 1), "") if index + 1 < len(self.tokens) else (None, "")
        return (self.core(index) if index < len(self.tokens) else None), clitic

    def count_changes_before(self, index: int) -> bool:
        """A word of change ("ارتفع") before token `index` in its stretch of text without punctuation."""
        for before in range(index - 1, max(index - 1 - _CHANGE_REACH, -1), -1):
            if not self.spaced(before, before + 1):
                return False
            if _is_one_of(self.word(before), _COUNT_CHANGES):
                return True
        return False

    # definite units and duals ---------------------------------------------------------------------
    def definite_unit(self, index: int) -> _Core | None:
        found = _lookup(self.word(index), _DEFINITE_UNITS, _PROCLITICS)
        return None if found is None else _Core(index, index + 1, found[0], _DEFINITE_UNITS[found[1]])

    def dual(self, index: int) -> _Core | None:
        found = _lookup(self.word(index), _DUALS, _PROCLITICS)
        return None if found is None else _Core(index, index + 1, found[0], 2)

    # qualifiers ----------------------------------------------------------------------------------------
    def qualifier_before(self, core: _Core, earliest: int) -> tuple[int, str, Qualifier, bool] | None:
        """(first token, its clitic, qualifier, is "less than") of a qualifier right before the number."""
        before = self.word(core.first - 1)
        if core.clitic or not any(stem in _PRE_QUALIFIER_ENDS for _, stem in _splits(before)):
            return None
        for phrase, qualifier in _PRE_QUALIFIERS:
            first = core.first - len(phrase)
            if first < earliest or not self.spaced(core.first - 1, core.first):
                continue
            clitic = self.phrase_at(first, phrase, _PROCLITICS)
            if clitic is not None:
                return first, clitic, qualifier, phrase == _LESS_THAN
        return None

    def qualifier_after(self, core: _Core) -> tuple[int, Qualifier] | None:
        """(index after the qualifier, qualifier) of a qualifier at most two words after the number."""
        for gap in range(_MAX_WORDS_BEFORE_POST_QUALIFIER + 1):
            start = core.last + gap
            if not self.spaced(start - 1, start):
                return None
            if gap and (not self.word(start - 1) or self.core(start - 1) is not None):
                return None
            for phrase, qualifier in _POST_QUALIFIERS:
                if self.phrase_at(start, phrase, ("",)) is not None:
                    return start + len(phrase), qualifier
        return None

    def phrase_at(self, first: int, phrase: tuple[str, ...], lead_clitics: Sequence[str]) -> str | None:
        """The clitic of the first word when the words from `first` on spell `phrase`, else None."""
        if first < 0 or first + len(phrase) > len(self.tokens):
            return None
        lead = next((clitic for clitic, stem in _splits(self.word(first)) if stem == phrase[0]), None)
        if lead is None or lead not in lead_clitics:
            return None
        for offset, expected in enumerate(phrase[1:], 1):
            if self.word(first + offset) != expected or not self.spaced(first + offset - 1, first + offset):
                return None
        return lead

    # mentions --------------------------------------------------------------------------------------------
    def phrase(self, core: _Core, earliest: int) -> tuple[int, int, Qualifier, bool, int]:
        """(start, end, qualifier, is "less than", next token index) of the phrase around `core`."""
        start = self.tokens[core.first].start + len(core.clitic)
        end = self.tokens[core.last - 1].end
        before = self.qualifier_before(core, earliest)
        if before is not None:
            first, clitic, qualifier, less_than = before
            return self.tokens[first].start + len(clitic), end, qualifier, less_than, core.last
        after = self.qualifier_after(core)
        if after is not None:
            last, qualifier = after
            return start, self.tokens[last - 1].end, qualifier, False, last
        return start, end, Qualifier.exact, False, core.last


def _digit_clitic(prefix: str) -> str | None:
    """The proclitic part of the letters glued before digits ("وال" → "و"), None if not a clitic."""
    if prefix.endswith(ARTICLE):
        clitic = prefix[: -len(ARTICLE)]
    elif prefix.endswith(ELIDED_ARTICLE):
        clitic = prefix[:-1]
    else:
        clitic = prefix
    return clitic if clitic in _PROCLITICS else None


def _is_one_of(word: str, words: frozenset[str]) -> bool:
    """True when `word`, with or without a proclitic, is one of `words`."""
    return bool(word) and _lookup(word, words, _PROCLITICS) is not None


def _digit_value(digits: str) -> Fraction | None:
    """ "1,200" → 1200, "2.5" → 5/2, "1.200.000" → 1200000; "," before other than 3 digits is a decimal."""
    groups = digits.split(",")
    if len(groups) > 1 and all(len(group) == 3 and group.isdigit() for group in groups[1:]):
        digits = "".join(groups)
    else:
        digits = digits.replace(",", ".")
    dots = digits.split(".")
    if len(dots) > 2 and all(len(group) == 3 for group in dots[1:]):
        digits = "".join(dots)
    try:
        return Fraction(Decimal(digits))
    except (InvalidOperation, ValueError):
        return None


def _bounds(value: int, qualifier: Qualifier, less_than: bool) -> tuple[int | None, int | None]:
    if qualifier is Qualifier.exact:
        return value, value
    if qualifier is Qualifier.at_least:
        return value, None
    if qualifier is Qualifier.more_than:
        return value + 1, None
    if qualifier is Qualifier.up_to:
        return None, (max(value - 1, 0) if less_than else value)
    return None, None


def _mention(
    normalized: NormalizedText, reader: _Reader, core: _Core, earliest: int
) -> tuple[NumberMention, int]:
    """The mention around `core` and the token index where the next one may start."""
    if core.range_opener is not None:
        opener, opener_clitic = core.range_opener
        start, end = reader.tokens[opener].start + len(opener_clitic), reader.tokens[core.last - 1].end
        qualifier, low, high, next_index = Qualifier.exact, core.low, core.high, core.last
    else:
        start, end, qualifier, less_than, next_index = reader.phrase(core, earliest)
        if core.vague:
            qualifier, low, high = Qualifier.vague, core.low, core.high
        else:
            low, high = _bounds(core.value, qualifier, less_than)
    number_start = reader.tokens[core.first].start + len(core.clitic)
    number_end = reader.tokens[core.last - 1].end
    original_start, original_end = normalized.to_original(start, end)
    original_end = extend_over_marks(normalized.original, original_end)
    original_number_start, original_number_end = normalized.to_original(number_start, number_end)
    original_number_end = extend_over_marks(normalized.original, original_number_end)
    mention = NumberMention(
        start=original_start,
        end=original_end,
        text=normalized.original[original_start:original_end],
        number_start=original_number_start,
        number_end=original_number_end,
        value=core.value,
        low=low,
        high=high,
        qualifier=qualifier,
    )
    return mention, next_index


def find_numbers(text: str) -> list[NumberMention]:
    """Every number phrase of `text`, in order and non-overlapping (see the module docstring)."""
    normalized = normalized_article(text)
    reader = _Reader(normalized.text)
    mentions: list[NumberMention] = []
    index = earliest = 0
    while index < len(reader.tokens):
        core = reader.core(index)
        if core is None:
            index += 1
            continue
        core = reader.as_range(core, earliest)
        mention, index = _mention(normalized, reader, core, earliest)
        mentions.append(mention)
        earliest = index
    return mentions


def parse_number(phrase: str) -> NumberMention | None:
    """The first number phrase of a short phrase ("أكثر من 170 مدنيا"), offsets into `phrase`."""
    mentions = find_numbers(phrase)
    return mentions[0] if mentions else None
