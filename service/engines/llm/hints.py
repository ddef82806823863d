"""What the service's own Arabic readers find in an article, given to the model as hints.

A small model misses most figures and quotes of an article and rewrites the ones it finds, which
then do not ground. The number reader and the quote finder (`service.arabic`) find candidates that
are verbatim by construction: a prompt that names `$hints` in its figures or quotes task lists them,
and the model keeps, labels and translates the ones that fit the task instead of looking for them
(or, with numbered answers, names them by number: `service.engines.llm.numbered`).
Nothing here is trusted: the model's answer is grounded like any other.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from service.arabic.numbers import find_numbers
from service.arabic.quotes import QuoteMention, find_quotes

MAX_HINTS = 40
_NEXT_WORD = re.compile(r"[ \t]*[^\s،,.؛:«»\"()]+")
NO_HINTS = "(none found)"


@dataclass(frozen=True)
class FigureCandidate:
    phrase: str  # the number phrase and the word after it (what it counts), verbatim
    value: int


def figure_candidates(text: str) -> list[FigureCandidate]:
    """Each number phrase the reader finds with the word after it, once, in order."""
    found: dict[str, FigureCandidate] = {}
    for mention in find_numbers(text):
        following = _NEXT_WORD.match(text, mention.end)
        phrase = text[mention.start : following.end() if following else mention.end].strip()
        found.setdefault(phrase, FigureCandidate(phrase, mention.value))
    return list(found.values())[:MAX_HINTS]


def quote_candidates(text: str) -> list[QuoteMention]:
    return find_quotes(text)[:MAX_HINTS]


def quote_line(mention: QuoteMention) -> str:
    """A quote as the model is shown it: its mode, its words, its speaker as written when named."""
    speaker = f" (speaker: {mention.speaker_text})" if mention.speaker_text else ""
    return f"{mention.mode.value}: «{mention.text}»{speaker}"


def figure_hints(text: str) -> str:
    return _lines([candidate.phrase for candidate in figure_candidates(text)])


def quote_hints(text: str) -> str:
    return _lines([quote_line(mention) for mention in quote_candidates(text)])


def _lines(hints: list[str]) -> str:
    return "\n".join(f"- {hint}" for hint in hints) or NO_HINTS
