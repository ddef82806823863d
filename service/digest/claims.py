"""Claims as written: how a figure reads in English, and which numbers English may write (docs/DESIGN.md §3).

A figure's derived bounds (more_than → low = value + 1, عشرات → value 10) are data for reconciliation;
English shows the claim as the article states it, the number with thousands separators:

    exact 80 → "80"                     at_least 80 → "at least 80"     more_than 2500 → "more than 2,500"
    about 50 → "about 50"               up_to 20 → "up to 20"           a stated range → "between 10 and 20"
    vague → words: 3 "a few", 10 "dozens", 100 "hundreds", 1000 "thousands", 10000 "tens of thousands",
            100000 "hundreds of thousands", 3000 "a few thousand", and the same with "million(s)"

A stated range is a figure, exact or about, whose `low` and `high` are both given and differ ("بين 10
و20" → low 10, high 20). A vague value outside the table reads "a number of" (never a bare number).

The numbers English may write (`stated_numbers`) are the figures' values, vague ones excepted, and the
bounds of stated ranges when the figure's span states them: "أكثر من 2.5 ألف" allows 2,500 and not 2,501,
"العشرات" allows no number at all. `numbers_in_english` reads "2,500", "40000" and "2.5 million".
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path

import yaml

from schemas.digest import Figure, Qualifier
from service.arabic.numbers import NumberMention, find_numbers

_QUALIFIER_WORDS = {
    Qualifier.exact: "",
    Qualifier.at_least: "at least ",
    Qualifier.more_than: "more than ",
    Qualifier.about: "about ",
    Qualifier.up_to: "up to ",
}
_RANGE_QUALIFIERS = frozenset({Qualifier.exact, Qualifier.about})
_VAGUE_COUNTS = {3: "a few", 10: "dozens", 100: "hundreds"}
_VAGUE_SCALES = {10**3: "thousand", 10**6: "million", 10**9: "billion"}
_VAGUE_UNKNOWN = "a number"
_ENGLISH_NUMBER = re.compile(
    r"(?<![\w.])(\d{1,3}(?:,\d{3})+(?!\d)|\d+)(\.\d+)?(?:\s+(thousand|million|billion)\b)?", re.IGNORECASE
)
_ENGLISH_SCALES = {"thousand": 10**3, "million": 10**6, "billion": 10**9}
_NUMBER_WORDS = yaml.safe_load((Path(__file__).parent / "data" / "english_numbers.yaml").read_text("utf-8"))
_UNITS: dict[str, int] = _NUMBER_WORDS["units"]
_TENS: dict[str, int] = _NUMBER_WORDS["tens"]
_DIGIT_WORDS = "|".join(word for word, value in _UNITS.items() if 0 < value < 10)
_TEEN_WORDS = "|".join(word for word, value in _UNITS.items() if value >= 10)
_ENGLISH_NUMBER_WORDS = re.compile(
    rf"\b(?:({'|'.join(_TENS)})(?:[- ]({_DIGIT_WORDS}))?|({_TEEN_WORDS})"
    rf"|({_DIGIT_WORDS})(?=\s+(?:hundred|thousand|million|billion)\b))"
    r"(?:\s+(hundred))?(?:\s+(thousand|million|billion))?\b",
    re.IGNORECASE,
)


def number(value: int) -> str:
    """12500 → "12,500"."""
    return f"{value:,}"


def is_stated_range(figure: Figure) -> bool:
    return (
        figure.qualifier in _RANGE_QUALIFIERS
        and figure.low is not None
        and figure.high is not None
        and figure.low < figure.high
    )


def vague_words(value: int) -> str:
    """The words of a vague quantity: 10 → "dozens", 10000 → "tens of thousands", 3000 → "a few thousand"."""
    if value in _VAGUE_COUNTS:
        return _VAGUE_COUNTS[value]
    for scale, word in sorted(_VAGUE_SCALES.items(), reverse=True):
        count, rest = divmod(value, scale)
        if rest == 0 and count == 1:
            return f"{word}s"
        if rest == 0 and count == 3:
            return f"a few {word}"
        if rest == 0 and count in _VAGUE_COUNTS:
            return f"{'tens' if count == 10 else _VAGUE_COUNTS[count]} of {word}s"
    return _VAGUE_UNKNOWN


def amount(value: int, qualifier: Qualifier, low: int | None = None, high: int | None = None) -> str:
    """The claim's quantity as written: "more than 2,500", "dozens", "between 10 and 20"."""
    if qualifier is Qualifier.vague:
        return vague_words(value)
    if qualifier in _RANGE_QUALIFIERS and low is not None and high is not None and low < high:
        return f"between {number(low)} and {number(high)}"
    return f"{_QUALIFIER_WORDS[qualifier]}{number(value)}"


def counted(
    value: int, qualifier: Qualifier, noun: str, low: int | None = None, high: int | None = None
) -> str:
    """The quantity with its noun: "more than 2,500 civilians", "dozens of civilians", "a few shells"."""
    words = amount(value, qualifier, low, high)
    joiner = " of " if qualifier is Qualifier.vague and not words.startswith("a few") else " "
    return f"{words}{joiner}{noun}"


def claim_text(figure: Figure, noun: str | None = None) -> str:
    """The figure as the article states it, with `noun` (default: its subject, else "people")."""
    noun = noun or figure.subject_en or "people"
    return counted(figure.value, figure.qualifier, noun, figure.low, figure.high)


def stated_numbers(figures: Iterable[Figure]) -> frozenset[int]:
    """The numbers the figures state as written (module docstring): what English may write."""
    stated: set[int] = set()
    for figure in figures:
        if figure.qualifier is Qualifier.vague:
            continue
        stated.add(figure.value)
        if is_stated_range(figure):
            in_span = arabic_numbers(figure.span.text)
            stated.update(bound for bound in (figure.low, figure.high) if bound in in_span)
    return frozenset(stated)


def arabic_numbers(text: str) -> frozenset[int]:
    """The numbers Arabic `text` writes (vague quantities write none): what its translation may write."""
    return frozenset(number for mention in find_numbers(text) for number in _written(mention))


def _written(mention: NumberMention) -> tuple[int, ...]:
    """The numbers a mention writes: its value, and both ends of a range ("بين 10 و20")."""
    if mention.qualifier is Qualifier.vague:
        return ()
    if mention.qualifier in _RANGE_QUALIFIERS and mention.low is not None and mention.high is not None:
        return (mention.value, mention.low, mention.high)
    return (mention.value,)


def numbers_in_english(text: str) -> list[tuple[str, int | None]]:
    """Every number written in English text, as written and as a whole number (None when it is not one):
    in digits ("2,500", "2.5 million") or in words from ten ("twenty-five", "three hundred", "three
    thousand"). "one" to "nine" alone are left out: as often "one of them", a dual ("تفجيرين": two
    bombings) or an ordinal ("الثالثة": three o'clock) as a count the Arabic writes."""
    found = []
    for match in _ENGLISH_NUMBER.finditer(text):
        digits, decimals, scale = match.groups()
        scale_value = _ENGLISH_SCALES.get((scale or "").lower(), 1)
        value = Decimal(digits.replace(",", "") + (decimals or "")) * scale_value
        found.append(
            (match.start(), match.group(), int(value) if value == value.to_integral_value() else None)
        )
    for match in _ENGLISH_NUMBER_WORDS.finditer(text):
        found.append((match.start(), match.group(), _number_words_value(match)))
    return [(written, value) for _, written, value in sorted(found)]


def _number_words_value(match: re.Match[str]) -> int:
    tens, unit, teen, multiplied, hundred, scale = (part.lower() if part else "" for part in match.groups())
    value = _TENS[tens] + _UNITS.get(unit, 0) if tens else _UNITS[teen or multiplied]
    value = value * 100 if hundred else value
    return value * _ENGLISH_SCALES[scale] if scale else value
