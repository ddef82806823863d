"""Word lists as data: written as printed, normalised once at import, matched with proclitics peeled.

`words(...)` turns Arabic words (or multi-word phrases, kept space-separated) into a set of normalised
keys. `stems(word)` gives every way of reading a normalised word without its proclitics and article,
so a list needs only the bare form: "قتلى" also finds "والقتلى"، "للقتلى"، "بالقتلى".
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache

from service.arabic.clitics import clitic_variants
from service.arabic.normalize import normalize_str


def words(*arabic: str) -> frozenset[str]:
    return frozenset(normalize_str(word) for word in arabic)


def table(mapping: dict[str, str]) -> dict[str, str]:
    """A word → label table with normalised keys."""
    return {normalize_str(word): label for word, label in mapping.items()}


@lru_cache(maxsize=8192)
def stems(word: str) -> tuple[str, ...]:
    """The word and its readings without proclitics and without the article, the word itself first."""
    return tuple(stem for stem, _ in clitic_variants(word, strip_article=True))


def is_one_of(word: str, lexicon: frozenset[str] | Mapping[str, str]) -> bool:
    return any(stem in lexicon for stem in stems(word)) if word else False


def lookup(word: str, lexicon: Mapping[str, str]) -> str | None:
    """The label of the first reading of `word` found in `lexicon`."""
    if not word:
        return None
    return next((lexicon[stem] for stem in stems(word) if stem in lexicon), None)
