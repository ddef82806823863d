"""Word lists as data: written as printed, normalised once at load, matched with proclitics peeled.

The lists live in `service/arabic/data/<concept>.yaml`, one file per concept (reporting verbs, time
words, number words...), each a mapping of named lists: a list of words, or a table of word → value.
Where two readers deliberately take different words, each takes the union of the named lists it
needs; no list is copied. `word_set(concept, *lists)` and `word_table(concept, list)` /
`word_values(concept, list)` load them normalised (a multi-word phrase stays space-separated).

`words(...)` turns a few Arabic words written in code into the same normalised keys. `stems(word)`
gives every way of reading a normalised word without its proclitics and article, so a list needs only
the bare form: "قتلى" also finds "والقتلى"، "للقتلى"، "بالقتلى".
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache, lru_cache
from pathlib import Path

import yaml
from pydantic import TypeAdapter

from service.arabic.clitics import clitic_variants
from service.arabic.normalize import normalize_str

DATA_DIR = Path(__file__).resolve().parent / "data"
YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the C loader reads YAML ten times faster
_WordLists = dict[str, list[str] | dict[str, str | int]]
_WORD_LISTS: TypeAdapter[_WordLists] = TypeAdapter(_WordLists)


class UnknownWordList(LookupError):
    """A concept file or a list in it that the data folder does not have."""


@cache
def _word_lists(concept: str) -> _WordLists:
    path = DATA_DIR / f"{concept}.yaml"
    if not path.is_file():
        raise UnknownWordList(f"no word-list file {path}")
    with path.open(encoding="utf-8") as handle:
        return _WORD_LISTS.validate_python(yaml.load(handle, Loader=YAML_LOADER))


def _raw(concept: str, name: str) -> list[str] | dict[str, str | int]:
    lists = _word_lists(concept)
    if name not in lists:
        raise UnknownWordList(f"{concept}.yaml has no list {name!r} (it has {', '.join(lists)})")
    return lists[name]


def word_set(concept: str, *names: str) -> frozenset[str]:
    """The normalised words of the named lists of `concept` (the keys of a table)."""
    return frozenset(normalize_str(word) for name in names for word in _raw(concept, name))


def word_table(concept: str, name: str) -> dict[str, str]:
    """A word → label table of `concept`, keys normalised."""
    return {normalize_str(word): str(label) for word, label in _table(concept, name).items()}


def word_values(concept: str, name: str) -> dict[str, int]:
    """A word → number table of `concept`, keys normalised."""
    values = _table(concept, name)
    wrong = [word for word, value in values.items() if not isinstance(value, int)]
    if wrong:
        raise ValueError(f"{concept}.yaml: {name!r} must map words to whole numbers, not {wrong[0]!r}")
    return {normalize_str(word): int(value) for word, value in values.items()}


def _table(concept: str, name: str) -> dict[str, str | int]:
    found = _raw(concept, name)
    if not isinstance(found, dict):
        raise ValueError(f"{concept}.yaml: {name!r} is a list of words, not a table")
    return found


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
