"""Arabic normalisation for matching, with a map back to the original offsets.

Matching happens on the normalised text; every match is mapped back through
`NormalizedText.to_original` so that spans always refer to the article exactly
as received (DESIGN §4).
"""

from __future__ import annotations

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
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for index, char in enumerate(original):
        folded = _fold_char(char)
        if not folded:
            continue
        if folded == " " and out and out[-1] == " ":
            ends[-1] = index + 1
            continue
        for piece in folded:
            out.append(piece)
            starts.append(index)
            ends.append(index + 1)
    return NormalizedText(original, "".join(out), tuple(starts), tuple(ends))


def normalize_str(text: str) -> str:
    """The normalised form only, for keys and lookups; surrounding spaces removed."""
    return normalize(text).text.strip()
