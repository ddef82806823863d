"""Comparable keys of names: actor names and place names, Arabic or English.

Two names are the same when any of their keys are equal. The Arabic keys are built on
`service.arabic.normalize.normalize_str` (tashkeel, hamza forms, ta marbuta, alef maqsura, digits...),
with punctuation dropped and then either

* the definite article and the clitics attached to it stripped from every word
  ("بالغوطة الشرقية" and "الغوطة الشرقية" both give "غوطه شرقيه"; "للمعارضة" gives "معارضه"), or
* every space removed ("عبدالرحمن" and "عبد الرحمن", or the glued "الأممالمتحدة").

Bare one-letter proclitics (و، ب، ل، ك، ف) are not stripped from words without the article:
too many names begin with those letters ("بشار", "وزارة").
"""

from __future__ import annotations

import re

from service.arabic.clitics import article_prefixes, strip_definite_article
from service.arabic.normalize import normalize_str

# The article with the clitics that may precede it in a name (one letter, or و and a preposition), and "لل".
_DEFINITE_PREFIXES = article_prefixes(("و", "ف", "ب", "ك", "وب", "وك"))
_PUNCTUATION = re.compile(r"[^\w\s]")
_LEADING_THE = re.compile(r"^the\s+")


def strip_name_article(word: str) -> str:
    """The word without a leading definite article (and the clitics before it), if a stem remains."""
    return strip_definite_article(word, _DEFINITE_PREFIXES)


def arabic_name_keys(name: str) -> frozenset[str]:
    """The keys of an Arabic name: its words without the article, and its letters without spaces."""
    words = _PUNCTUATION.sub(" ", normalize_str(name)).split()
    if not words:
        return frozenset()
    return frozenset({" ".join(strip_name_article(word) for word in words), "".join(words)})


def english_name_key(name: str) -> str:
    """Case-folded, punctuation as spaces, one space between words, a leading "the" dropped."""
    spaced = " ".join(_PUNCTUATION.sub(" ", name.casefold()).split())
    return _LEADING_THE.sub("", spaced)


def same_arabic_name(first: str, second: str) -> bool:
    return not arabic_name_keys(first).isdisjoint(arabic_name_keys(second))
