"""Arabic proclitics: the letters glued before a word, and the ways of peeling them off.

Words here are normalised (`service.arabic.normalize.normalize_str`). A word may begin with a conjunction
(و "and", ف "so"), then a preposition (ب "in/with", ل "for/to", ك "like"), then the article "ال";
ل + ال is written "لل" (the alef elided). The readers peel these differently on purpose (one keeps ك
out, one needs a longer stem): the differences are the parameters of the functions below.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

CONJUNCTIONS = frozenset("وف")
PREPOSITIONS = frozenset("بلك")
LIKE = "ك"  # the comparative preposition "like, as"
PROCLITIC_LETTERS = CONJUNCTIONS | PREPOSITIONS
ARTICLE = "ال"
ELIDED_ARTICLE = "لل"  # ل + ال
# The proclitic groups a word may begin with (before any article): one letter, or a conjunction and a
# preposition. The order is the order in which they are tried.
PROCLITICS = ("و", "ف", "ب", "ل", "ك", "وب", "ول", "فب", "فل", "وك")
# "لل" alone and after a conjunction.
ELIDED_ARTICLE_PREFIXES = ("لل", "ولل", "فلل")
MIN_STEM = 2


def article_prefixes(clitics_before_article: Iterable[str]) -> tuple[str, ...]:
    """The article alone and after each of `clitics_before_article`, then the "لل" forms; longest first
    (so that the first prefix a word starts with is the longest)."""
    prefixes = [ARTICLE, *(clitic + ARTICLE for clitic in clitics_before_article), *ELIDED_ARTICLE_PREFIXES]
    return tuple(sorted(dict.fromkeys(prefixes), key=len, reverse=True))


def clitic_variants(word: str, *, strip_article: bool = False) -> list[tuple[str, int]]:
    """(stem, characters of `word` before it) for each way of peeling proclitics, the word itself first.

    "وبالغوطه" → ("وبالغوطه", 0), ("بالغوطه", 1), ("الغوطه", 2); "للغوطه" → ("الغوطه", 1), since
    "لل" is ل + ال with the alef elided. With `strip_article`, "ال" is peeled too ("الغوطه" → "غوطه").
    Every stem keeps at least `MIN_STEM` letters.
    """
    variants = [(word, 0)]
    rest, skipped = word, 0
    if rest[:1] in CONJUNCTIONS and len(rest) - 1 >= MIN_STEM:
        rest, skipped = rest[1:], 1
        variants.append((rest, skipped))
    if rest.startswith(ELIDED_ARTICLE) and len(rest) - 2 >= MIN_STEM:
        variants.append((ARTICLE + rest[2:], skipped + 1))
    if rest[:1] in PREPOSITIONS and len(rest) - 1 >= MIN_STEM:
        variants.append((rest[1:], skipped + 1))
    if strip_article:
        variants += [
            (stem[2:], offset + 2)
            for stem, offset in list(variants)
            if stem.startswith(ARTICLE) and len(stem) - 2 >= MIN_STEM and offset + 2 <= len(word)
        ]
    return variants


def proclitic_splits(word: str) -> Iterator[tuple[str, str]]:
    """(clitic, stem) for each of `PROCLITICS` the word starts with, the unsplit word ("", word) first;
    any non-empty stem counts. A "لل" form gives its clitic without the ل of "لل" and the stem with "ال"
    restored ("وللجرحى" → ("ول", "الجرحى"))."""
    for clitic in ("", *PROCLITICS):
        if word.startswith(clitic) and len(word) > len(clitic):
            yield clitic, word[len(clitic) :]
    for prefix in ELIDED_ARTICLE_PREFIXES:
        if word.startswith(prefix) and len(word) > len(prefix):
            yield prefix[:-1], ARTICLE + word[len(prefix) :]


def strip_conjunction(word: str, *, min_stem: int = MIN_STEM) -> str:
    """The word without a leading و/ف when at least `min_stem` letters remain, else the word."""
    return word[1:] if word[:1] in CONJUNCTIONS and len(word) - 1 >= min_stem else word


def strip_clitic_before_article(word: str, letters: frozenset[str] = PROCLITIC_LETTERS) -> str:
    """The word without one leading proclitic letter of `letters` directly before "ال", else the word."""
    if len(word) > 1 and word[0] in letters and word[1:].startswith(ARTICLE):
        return word[1:]
    return word


def strip_definite_article(word: str, prefixes: tuple[str, ...], *, min_stem: int = MIN_STEM) -> str:
    """The word without the first of `prefixes` (see `article_prefixes`) it starts with that leaves at
    least `min_stem` letters, else the word."""
    for prefix in prefixes:
        if word.startswith(prefix) and len(word) - len(prefix) >= min_stem:
            return word[len(prefix) :]
    return word
