"""A curated Arabic → English gazetteer of actors and places, and the matcher that finds them.

The data is `service/arabic/data/gazetteer.yaml` (see its header for the fields). Matching runs on the
normalised text (`service.arabic.normalize`), word by word, so that:

- hamza, ta marbuta, alef maqsura and tashkeel variants need no extra forms;
- proclitics are peeled off the first word (و ف ب ل ك and their pairs, "لل" = ل + ال);
- spaces lost in print are tolerated: a form matches whether its words are spaced or glued
  ("الأممالمتحدة"), and a word ending in ة or ى, letters that only end words, is split from a
  word glued after it ("الشرقيةلدمشق");
- the longest form wins at each position;
- every match is mapped back to offsets of the original text.

`MatchText` (the normalised, word-split text with its offset map) is public: the offline engine's
rules match on the same words.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

import yaml

from schemas.digest import ActorKind, NameSource
from service.arabic.align import extend_over_marks
from service.arabic.clitics import clitic_variants
from service.arabic.lexicon import DATA_DIR, YAML_LOADER
from service.arabic.normalize import NormalizedText, normalize, normalize_str
from service.arabic.states import State, default_states
from service.arabic.tokens import words_and_numbers

PLACE_KIND = "place"
DEFAULT_PATH = DATA_DIR / "gazetteer.yaml"

_GLUED_AFTER_WORD_FINAL_RE = re.compile(r"[هي](?=[^\W\d_])")
_WORD_FINAL_LETTERS = frozenset("ةى")


class Token(NamedTuple):
    """One word of a `MatchText`: its normalised text, its place there and in the original."""

    position: int
    text: str
    mstart: int
    mend: int
    start: int
    end: int
    joined_to_next: bool  # only spaces (or a lost space) separate it from the next word


@dataclass(frozen=True, slots=True)
class MatchText:
    """The normalised text with glued words split, its words, and a map back to the original."""

    original: str
    text: str
    tokens: tuple[Token, ...]
    _normalized: NormalizedText
    _origin: tuple[int, ...]  # index into the normalised text of each character of `text`

    @classmethod
    def of(cls, original: str) -> MatchText:
        normalized = normalize(original)
        text, origin = _split_glued_words(normalized)
        provisional = cls(original, text, (), normalized, origin)
        return cls(original, text, tuple(provisional._tokenize()), normalized, origin)

    def to_original(self, mstart: int, mend: int) -> tuple[int, int]:
        """Original offsets of the match-text range [mstart, mend) (a non-empty range of words), the
        marks after its last letter included."""
        if mstart >= mend:
            anchor = self._normalized.starts[self._origin[mstart]] if mstart < len(self._origin) else 0
            return anchor, anchor
        start, end = self._normalized.to_original(self._origin[mstart], self._origin[mend - 1] + 1)
        return start, extend_over_marks(self.original, end)

    def _tokenize(self) -> Iterator[Token]:
        spans = [(token.start, token.end) for token in words_and_numbers(self.text)]
        starts, ends, origin = self._normalized.starts, self._normalized.ends, self._origin
        for index, (mstart, mend) in enumerate(spans):
            following = spans[index + 1][0] if index + 1 < len(spans) else mend
            joined = index + 1 < len(spans) and not self.text[mend:following].strip()
            start, end = starts[origin[mstart]], extend_over_marks(self.original, ends[origin[mend - 1]])
            yield Token(index, self.text[mstart:mend], mstart, mend, start, end, joined)


def _split_glued_words(normalized: NormalizedText) -> tuple[str, tuple[int, ...]]:
    """Insert a space after a word-final ة/ى glued to the next word; the space maps to no character."""
    text = normalized.text
    pieces: list[str] = []
    origin: list[int] = []
    last = 0
    for match in _GLUED_AFTER_WORD_FINAL_RE.finditer(text):
        position = match.start()
        if normalized.original[normalized.starts[position]] not in _WORD_FINAL_LETTERS:
            continue
        pieces.append(text[last : position + 1])
        origin.extend(range(last, position + 1))
        pieces.append(" ")
        origin.append(position + 1)
        last = position + 1
    pieces.append(text[last:])
    origin.extend(range(last, len(text)))
    return "".join(pieces), tuple(origin)


@dataclass(frozen=True, slots=True)
class GazetteerEntry:
    name_en: str
    kind: str  # an ActorKind value or PLACE_KIND
    forms: tuple[str, ...]
    title_en: str | None = None
    affiliation: str | None = None
    admin1: str | None = None
    parent: str | None = None
    district: bool = False
    also_place: bool = False
    stands_for: str | None = None
    capital: bool = False  # a state's capital ("العاصمة" alone may name it); `stands_for` implies it
    forum: bool = False
    source: str | None = None  # a key of the file's `sources`
    name_en_source: NameSource = NameSource.gazetteer
    country: str | None = None  # the state whose articles its `epithets` stand for it in
    epithets: tuple[str, ...] = ()  # generic forms ("النظام"، "المتمردين") read only where `country` is named

    @property
    def is_place(self) -> bool:
        return self.kind == PLACE_KIND

    @property
    def is_capital(self) -> bool:
        return self.capital or self.stands_for is not None

    @property
    def actor_kind(self) -> ActorKind | None:
        return None if self.is_place else ActorKind(self.kind)


@dataclass(frozen=True, slots=True)
class GazetteerMatch:
    entry: GazetteerEntry
    start: int
    end: int
    text: str  # original[start:end]
    first_token: int
    last_token: int
    by_epithet: bool = False  # matched one of the entry's `epithets`


def _form_key(form: str) -> tuple[str, ...]:
    return tuple(normalize_str(form).split())


class Gazetteer:
    """Entries and a word-level longest-match lookup of their forms."""

    def __init__(self, entries: Sequence[GazetteerEntry]) -> None:
        self.entries = tuple(entries)
        self._by_key: dict[str, GazetteerEntry] = {}
        self._prefixes: set[str] = set()
        self._max_words = 1
        self._places = {entry.name_en: entry for entry in self.entries if entry.is_place}
        self._actors = {entry.name_en: entry for entry in self.entries if not entry.is_place}
        self._epithet_keys: set[str] = set()
        for entry in self.entries:
            for form in (*entry.forms, *entry.epithets):
                self._add_form(entry, form)
            self._epithet_keys.update("".join(_form_key(form)) for form in entry.epithets)

    def _add_form(self, entry: GazetteerEntry, form: str) -> None:
        words = _form_key(form)
        if not words:
            raise ValueError(f"gazetteer entry {entry.name_en!r} has an empty form")
        key = "".join(words)
        owner = self._by_key.get(key)
        if owner is not None and owner is not entry:
            raise ValueError(
                f"gazetteer form {form!r} belongs to both {owner.name_en!r} and {entry.name_en!r}"
            )
        self._by_key[key] = entry
        self._prefixes.update("".join(words[:count]) for count in range(1, len(words)))
        self._max_words = max(self._max_words, len(words))

    def entry(self, name_en: str, *, place: bool) -> GazetteerEntry | None:
        """The place (or, with `place=False`, the actor) of that English name."""
        return self._places.get(name_en) if place else self._actors.get(name_en)

    def lineage(self, place: GazetteerEntry) -> list[GazetteerEntry]:
        """The place and its parents, smallest first."""
        chain = [place]
        while chain[-1].parent is not None and (parent := self._places.get(chain[-1].parent)) is not None:
            if parent in chain:
                break
            chain.append(parent)
        return chain

    def find(self, text: str | MatchText) -> list[GazetteerMatch]:
        """Every form in the text, left to right, longest first, never overlapping."""
        mtext = text if isinstance(text, MatchText) else MatchText.of(text)
        tokens = mtext.tokens
        matches: list[GazetteerMatch] = []
        index = 0
        while index < len(tokens):
            found = self._longest_at(tokens, index)
            if found is None:
                index += 1
                continue
            entry, skipped, last, key = found
            start, end = mtext.to_original(tokens[index].mstart + skipped, tokens[last].mend)
            text = mtext.original[start:end]
            matches.append(GazetteerMatch(entry, start, end, text, index, last, key in self._epithet_keys))
            index = last + 1
        return matches

    def _longest_at(self, tokens: Sequence[Token], first: int) -> tuple[GazetteerEntry, int, int, str] | None:
        best: tuple[GazetteerEntry, int, int, str] | None = None
        for stem, skipped in clitic_variants(tokens[first].text):
            key, last = stem, first
            while True:
                entry = self._by_key.get(key)
                if entry is not None and (best is None or last > best[2]):
                    best = (entry, skipped, last, key)
                too_long = last - first + 1 >= self._max_words or last + 1 >= len(tokens)
                if too_long or key not in self._prefixes or not tokens[last].joined_to_next:
                    break
                last += 1
                key += tokens[last].text
        return best


def _entry_from_yaml(raw: dict[str, Any], sources: dict[str, Any]) -> GazetteerEntry:
    kind = str(raw["kind"])
    if kind != PLACE_KIND and kind not in ActorKind.__members__:
        raise ValueError(f"gazetteer entry {raw.get('name_en')!r} has an unknown kind {kind!r}")
    if raw.get("source") not in sources:
        raise ValueError(f"gazetteer entry {raw.get('name_en')!r} has no known source: {raw.get('source')!r}")
    return GazetteerEntry(
        name_en=str(raw["name_en"]),
        kind=kind,
        forms=tuple(str(form) for form in raw["forms"]),
        title_en=raw.get("title_en"),
        affiliation=raw.get("affiliation"),
        admin1=raw.get("admin1"),
        parent=raw.get("parent"),
        district=bool(raw.get("district", False)),
        also_place=bool(raw.get("also_place", False)),
        stands_for=raw.get("stands_for"),
        capital=bool(raw.get("capital", False)),
        forum=bool(raw.get("forum", False)),
        source=str(raw["source"]),
        country=raw.get("country"),
        epithets=tuple(str(form) for form in raw.get("epithets") or ()),
    )


def _state_entry(state: State) -> GazetteerEntry:
    return GazetteerEntry(
        name_en=state.name_en,
        kind=ActorKind.government.value,
        forms=state.forms,
        also_place=True,
        source=f"states:{state.source}",
    )


def _check_names(entries: Sequence[GazetteerEntry]) -> None:
    seen: set[tuple[str, str]] = set()
    places = {entry.name_en for entry in entries if entry.is_place}
    actors = {entry.name_en for entry in entries if not entry.is_place}
    for entry in entries:
        if entry.stands_for is not None and entry.stands_for not in actors:
            raise ValueError(
                f"gazetteer place {entry.name_en!r} stands for an unknown actor {entry.stands_for!r}"
            )
        if (entry.kind, entry.name_en) in seen:
            raise ValueError(f"gazetteer name {entry.name_en!r} is used twice for kind {entry.kind!r}")
        seen.add((entry.kind, entry.name_en))
        if entry.parent is not None and entry.parent not in places:
            raise ValueError(f"gazetteer place {entry.name_en!r} has an unknown parent {entry.parent!r}")


def read_gazetteer(path: Path = DEFAULT_PATH, states: Sequence[State] | None = None) -> Gazetteer:
    """Load and check a gazetteer file (see the header of service/arabic/data/gazetteer.yaml), with the
    states (`service.arabic.states`, all of them unless given) as entries."""
    raw = yaml.load(path.read_text(encoding="utf-8"), Loader=YAML_LOADER)
    sources = raw.get("sources") or {}
    entries = [_entry_from_yaml(item, sources) for item in raw["entries"]]
    entries += [_state_entry(state) for state in (default_states() if states is None else states)]
    _check_names(entries)
    return Gazetteer(entries)


@cache
def default_gazetteer() -> Gazetteer:
    return read_gazetteer(DEFAULT_PATH)
