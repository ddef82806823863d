"""Arabic normalisation for matching, with a map back to the original offsets.

Matching happens on the normalised text; every match is mapped back through
`NormalizedText.to_original` so that spans always refer to the article exactly
as received (docs/DESIGN.md §4).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

_DROPPED = frozenset(
    [chr(c) for c in range(0x064B, 0x0660)]  # tashkeel, incl. hamza marks above/below
    + ["\u0670", "\u0640"]  # dagger alef, tatweel
    + [chr(c) for c in range(0x06D6, 0x06EE)]  # Quranic annotation marks
    + ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"]  # zero-width, soft hyphen
    + ["\u200e", "\u200f", "\u061c"]  # direction marks
    + [chr(c) for c in range(0x202A, 0x202F)]  # bidi embeddings and overrides
    + [chr(c) for c in range(0x2066, 0x206A)]  # bidi isolates
)

_FOLDED: dict[str, str] = {
    "أ": "ا",
    "إ": "ا",
    "آ": "ا",
    "ٱ": "ا",
    "ٲ": "ا",
    "ٳ": "ا",
    "ؤ": "و",
    "ئ": "ي",
    "ى": "ي",
    "ة": "ه",
    "ک": "ك",
    "ی": "ي",
    "٫": ".",
    "٬": ",",
    "«": '"',
    "»": '"',
    "“": '"',
    "”": '"',
    "„": '"',
    "‟": '"',
    "″": '"',
    "‘": "'",
    "’": "'",
    "‚": "'",
    "‹": '"',
    "›": '"',
}
_FOLDED.update({chr(0x0660 + d): str(d) for d in range(10)})  # Arabic-Indic digits
_FOLDED.update({chr(0x06F0 + d): str(d) for d in range(10)})  # Persian digits


_SPACE_RUN = re.compile("  +")


@lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    """What one character of the original becomes: '' (dropped), ' ' (space) or a folded string."""
    if char in _DROPPED:
        return ""
    if char in _FOLDED:
        return _FOLDED[char]
    if char.isspace():
        return " "
    if "\ufb50" <= char <= "\ufdff" or "\ufe70" <= char <= "\ufeff":  # presentation forms
        decomposed = unicodedata.normalize("NFKC", char)
        if decomposed != char:
            return "".join(_fold_char(c) for c in decomposed)
    return char.lower()


@dataclass(frozen=True, slots=True)
class NormalizedText:
    """`text` is the normalised form of `original`; character i of `text` comes from
    `original[starts[i]:ends[i]]`."""

    original: str
    text: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map the normalised half-open range [start, end) to the original text."""
        if not 0 <= start <= end <= len(self.text):
            raise ValueError(f"range {start}:{end} is outside the normalised text of {len(self.text)}")
        if start == end:
            anchor = self.starts[start] if start < len(self.starts) else len(self.original)
            return anchor, anchor
        return self.starts[start], self.ends[end - 1]


def normalize(original: str) -> NormalizedText:
    """Normalise for matching: drop marks and controls, fold letter and digit forms,
    unify quote marks, lower-case Latin and collapse whitespace runs to one space."""
    fold = {char: _fold_char(char) for char in set(original)}
    pieces = [fold[char] for char in original]
    if any(len(piece) > 1 for piece in fold.values()):
        starts = [index for index, piece in enumerate(pieces) for _ in piece]
    else:
        starts = [index for index, piece in enumerate(pieces) if piece]
    text = "".join(pieces)
    ends = [start + 1 for start in starts]
    if "  " in text:
        text, starts, ends = _collapse_spaces(text, starts, ends)
    return NormalizedText(original, text, tuple(starts), tuple(ends))


def _collapse_spaces(text: str, starts: list[int], ends: list[int]) -> tuple[str, list[int], list[int]]:
    """One space for each run of spaces; it covers the whole run in the original."""
    kept_text: list[str] = []
    kept_starts: list[int] = []
    kept_ends: list[int] = []
    position = 0
    for run in _SPACE_RUN.finditer(text):
        first, last = run.start(), run.end() - 1
        kept_text.append(text[position : first + 1])
        kept_starts += starts[position : first + 1]
        kept_ends += [*ends[position:first], ends[last]]
        position = run.end()
    kept_text.append(text[position:])
    kept_starts += starts[position:]
    kept_ends += ends[position:]
    return "".join(kept_text), kept_starts, kept_ends


def normalize_str(text: str) -> str:
    """The normalised form only, for keys and lookups; surrounding spaces removed."""
    return normalize(text).text.strip()
