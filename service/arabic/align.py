"""Alignment of a candidate string (an LLM quote, a figure phrase, a name) to the article (docs/DESIGN.md §4).

Match order, the first that finds something wins:
1. exact: the candidate is a substring of the article;
2. normalized: the normalised candidate is a substring of the normalised article (tashkeel, hamza
   forms, ta marbuta, digits, quote marks, whitespace runs...), or, with every space removed from
   both, of the article's space-free view, which finds words glued by a lost space ("الأممالمتحدة"
   for "الأمم المتحدة") and the reverse; a candidate starting with the article "ال" also finds its
   "لل" form ("للغوطة" → span "لغوطة");
3. fuzzy: rapidfuzz's best partial alignment on the normalised texts, for candidates of at least
   `MIN_FUZZY_CHARS` normalised characters scoring at least the threshold; its edges are then moved
   to the nearby word boundaries that give the best similarity.

Occurrences on word boundaries are tried first, in that order, then occurrences inside words, in that
order again: so "80 قتيلا" finds "80 قتيلاً" (normalised, whole word) rather than the exact prefix
that leaves the tanween out. A word may begin with a proclitic before the match ("بالغوطة الشرقية"
for "الغوطة الشرقية": the span covers the word part only). Among the occurrences of one kind, the one
nearest `near` (an original offset) wins, else the first.
Offsets are always into the article as received: normalised matches are mapped back through
`NormalizedText.to_original`, trimmed of surrounding whitespace and extended over the combining
marks that follow their last letter.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz

from schemas.digest import MatchKind, Span
from service.arabic.clitics import ARTICLE, CONJUNCTIONS, LIKE, PROCLITICS, article_prefixes
from service.arabic.normalize import NormalizedText, normalize, normalize_str

MIN_FUZZY_CHARS = 6
_EDGE_SEARCH = 4  # how far, in normalised characters, a fuzzy edge may move to reach a word boundary
# A word may begin with these before an aligned span: a proclitic group, or the article after nothing
# or one letter ("وال", not "وبال"), or "لل".
_PROCLITIC_PREFIXES = frozenset(PROCLITICS) | frozenset(article_prefixes(CONJUNCTIONS | {"ب", LIKE}))
_TATWEEL = "\u0640"


@dataclass(frozen=True, slots=True)
class _SpaceFree:
    """The normalised text without spaces; its character i sits at `positions[i]` of the normalised text."""

    text: str
    positions: tuple[int, ...]


@lru_cache(maxsize=32)
def normalized_article(article: str) -> NormalizedText:
    """`normalize(article)`, cached: many candidates are aligned against one article, and
    the number and quote readers normalise the same article too."""
    return normalize(article)


@lru_cache(maxsize=32)
def _space_free(article: str) -> _SpaceFree:
    normalized = normalized_article(article).text
    positions = tuple(index for index, char in enumerate(normalized) if char != " ")
    return _SpaceFree("".join(normalized[index] for index in positions), positions)


def extend_over_marks(text: str, end: int) -> int:
    """`end` moved past the combining marks and tatweel that belong to the letter before it."""
    while end < len(text) and (text[end] == _TATWEEL or unicodedata.category(text[end]) == "Mn"):
        end += 1
    return end


def _is_word_char(char: str) -> bool:
    return char.isalnum() or unicodedata.category(char) == "Mn"


def _on_word_boundaries(text: str, start: int, end: int) -> bool:
    """True when text[start:end] is whole words, a word may begin with a proclitic before `start`."""
    if end < len(text) and _is_word_char(text[end]) and end > start and _is_word_char(text[end - 1]):
        return False
    word_start = start
    while word_start > 0 and _is_word_char(text[word_start - 1]):
        word_start -= 1
    if word_start == start or start == end:
        return True
    prefix = normalize_str(text[word_start:start])
    return prefix in _PROCLITIC_PREFIXES


def _occurrences(haystack: str, needle: str) -> list[int]:
    found: list[int] = []
    position = haystack.find(needle)
    while position >= 0 and needle:
        found.append(position)
        position = haystack.find(needle, position + 1)
    return found


def _best(
    spans: list[tuple[int, int]], article: str, near: int | None, *, on_boundaries: bool
) -> tuple[int, int] | None:
    """The occurrence nearest `near` (else the first), among those on word boundaries if asked."""
    pool = [span for span in spans if _on_word_boundaries(article, *span)] if on_boundaries else spans
    if not pool:
        return None
    if near is None:
        return pool[0]
    return min(pool, key=lambda span: (abs(span[0] - near), span[0]))


def _trimmed(article: str, start: int, end: int) -> tuple[int, int]:
    end = extend_over_marks(article, end)
    while start < end and article[start].isspace():
        start += 1
    while end > start and article[end - 1].isspace():
        end -= 1
    return start, end


def _span(article: str, start: int, end: int, match: MatchKind) -> Span:
    return Span(start=start, end=end, text=article[start:end], match=match)


def _exact_spans(article: str, candidate: str) -> list[tuple[int, int]]:
    return [(start, start + len(candidate)) for start in _occurrences(article, candidate)]


def _normalized_spans(article: str, candidate: str) -> list[tuple[int, int]]:
    """Occurrences of the normalised candidate, as trimmed original ranges."""
    normalized = normalized_article(article)
    needle = normalize_str(candidate)
    ranges = [(start, start + len(needle)) for start in _occurrences(normalized.text, needle)]
    if not ranges and needle.startswith(ARTICLE) and len(needle) > len(ARTICLE) + 1:
        elided = "ل" + needle[len(ARTICLE) :]
        ranges = [
            (start + 1, start + 1 + len(elided)) for start in _occurrences(normalized.text, "ل" + elided)
        ]
    return [_trimmed(article, *normalized.to_original(start, end)) for start, end in ranges]


def _space_free_spans(article: str, candidate: str) -> list[tuple[int, int]]:
    """Occurrences with every space ignored on both sides: words glued by a lost space, or split."""
    needle = normalize_str(candidate).replace(" ", "")
    if len(needle) < MIN_FUZZY_CHARS:
        return []
    view = _space_free(article)
    normalized = normalized_article(article)
    spans = []
    for start in _occurrences(view.text, needle):
        first, last = view.positions[start], view.positions[start + len(needle) - 1] + 1
        spans.append(_trimmed(article, *normalized.to_original(first, last)))
    return spans


def _word_edges(text: str, around: int, *, starts: bool) -> list[int]:
    """Word starts (or ends) within `_EDGE_SEARCH` characters of `around`, and `around` itself."""
    low, high = max(0, around - _EDGE_SEARCH), min(len(text), around + _EDGE_SEARCH)
    edges = {around}
    for position in range(low, high + 1):
        before = position > 0 and text[position - 1].isalnum()
        after = position < len(text) and text[position].isalnum()
        if (after and not before) if starts else (before and not after):
            edges.add(position)
    return sorted(edges)


def _fuzzy_range(text: str, needle: str, threshold: float) -> tuple[int, int] | None:
    """The normalised range that best matches `needle`, edges moved to word boundaries."""
    if len(needle) < MIN_FUZZY_CHARS or len(needle) > len(text):
        return None
    alignment = fuzz.partial_ratio_alignment(needle, text, score_cutoff=threshold)
    if alignment is None:
        return None
    best: tuple[float, int, int] | None = None
    for start in _word_edges(text, alignment.dest_start, starts=True):
        for end in _word_edges(text, alignment.dest_end, starts=False):
            if end <= start:
                continue
            score = fuzz.ratio(needle, text[start:end])
            if best is None or score > best[0]:
                best = (score, start, end)
    if best is None:
        return alignment.dest_start, alignment.dest_end
    return best[1], best[2]


def _fuzzy_span(article: str, candidate: str, threshold: float) -> Span | None:
    normalized = normalized_article(article)
    found = _fuzzy_range(normalized.text, normalize_str(candidate), threshold)
    if found is None:
        return None
    start, end = _trimmed(article, *normalized.to_original(*found))
    return _span(article, start, end, MatchKind.fuzzy) if end > start else None


def align(
    article: str, candidate: str, *, fuzzy_threshold: float = 90.0, near: int | None = None
) -> Span | None:
    """The span of `article` that `candidate` stands for: exact, then normalised, then fuzzy; None if none."""
    if not candidate:
        return None
    occurrences: dict[int, list[tuple[int, int]]] = {}
    for on_boundaries in (True, False):
        for index, (kind, finder) in enumerate(_FINDERS):
            if index not in occurrences:
                occurrences[index] = [span for span in finder(article, candidate) if span[1] > span[0]]
            best = _best(occurrences[index], article, near, on_boundaries=on_boundaries)
            if best is not None:
                return _span(article, *best, kind)
    return _fuzzy_span(article, candidate, fuzzy_threshold)


_Finder = Callable[[str, str], list[tuple[int, int]]]
_FINDERS: tuple[tuple[MatchKind, _Finder], ...] = (
    (MatchKind.exact, _exact_spans),
    (MatchKind.normalized, _normalized_spans),
    (MatchKind.normalized, _space_free_spans),
)


def align_all(article: str, candidate: str) -> list[Span]:
    """Every non-overlapping exact or normalised occurrence of `candidate` on word boundaries, in order."""
    if not normalize_str(candidate):
        return []
    found = {span for span in _normalized_spans(article, candidate) if span[1] > span[0]}
    found |= {span for span in _space_free_spans(article, candidate) if span[1] > span[0]}
    spans: list[Span] = []
    for start, end in sorted(found, key=lambda span: (span[0], -span[1])):
        if not _on_word_boundaries(article, start, end) or (spans and start < spans[-1].end):
            continue
        match = MatchKind.exact if article[start:end] == candidate else MatchKind.normalized
        spans.append(_span(article, start, end, match))
    return spans
