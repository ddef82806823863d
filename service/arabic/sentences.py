"""Where sentences end in Arabic news text: the one sentence splitter of the toolkit.

A sentence ends at a run of stops, with the closing quote marks or brackets after it, followed by
whitespace or the end of the text (so the dots of "2.5" and "ق.د" end nothing), and at line breaks.
Every reader ends a sentence at a full stop, ! ? or ؟. The Arabic semicolon ؛ and the ellipsis … are
weaker: the offline document ends its sentences there too (they end a statement in news text), while
the quote reader takes ؛ for a clause break and keeps a quote going across both; it also keeps
what quote marks enclose in one sentence.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

FULL_STOPS = frozenset(".!?؟")
WEAK_STOPS = frozenset("؛…")  # the Arabic semicolon and the ellipsis
CLOSERS = frozenset("\"'»”’)]")  # closing quote marks and brackets that may follow a sentence's end


def char_class(chars: frozenset[str]) -> str:
    """A regular-expression character class matching any of `chars`."""
    return "[" + "".join(re.escape(char) for char in sorted(chars)) + "]"


def sentence_breaks(text: str, stops: frozenset[str]) -> Iterator[re.Match[str]]:
    """Every sentence break of `text`: a run of `stops` and the closers after it, or of line breaks."""
    return _break_re(stops).finditer(text)


@cache
def _break_re(stops: frozenset[str]) -> re.Pattern[str]:
    return re.compile(rf"{char_class(stops)}+{char_class(CLOSERS)}*(?=\s|$)|\n+")


def sentence_pieces(text: str) -> list[str]:
    """The text cut after each sentence break at full stops and line breaks; joined, they are the text."""
    pieces: list[str] = []
    start = 0
    for end in sentence_breaks(text, FULL_STOPS):
        piece = text[start : end.end()]
        if pieces and not piece.strip():
            pieces[-1] += piece  # a line break right after a full stop ends no further sentence
        else:
            pieces.append(piece)
        start = end.end()
    if start < len(text):
        pieces.append(text[start:])
    return pieces
