"""What the service's own Arabic readers find in an article, given to the model as hints.

A small model misses most figures and quotes of an article and rewrites the ones it finds, which
then do not ground. The number reader and the quote finder (`service.arabic`) find candidates that
are verbatim by construction: a prompt that names `$hints` in its figures or quotes task lists them,
and the model keeps, labels and translates the ones that fit the task instead of looking for them.
Nothing here is trusted: the model's answer is grounded like any other.
"""

from __future__ import annotations

import re

from service.arabic.numbers import find_numbers
from service.arabic.quotes import find_quotes

MAX_HINTS = 24
_NEXT_WORD = re.compile(r"[ \t]*[^\s،,.؛:«»\"()]+")
NO_HINTS = "(none found)"


def figure_hints(text: str) -> str:
    """Each number phrase the reader finds with the word after it (what it counts), once, in order."""
    phrases: list[str] = []
    for mention in find_numbers(text):
        following = _NEXT_WORD.match(text, mention.end)
        phrase = text[mention.start : following.end() if following else mention.end].strip()
        if phrase not in phrases:
            phrases.append(phrase)
    return _lines(phrases)


def quote_hints(text: str) -> str:
    """Each quote the quote finder reads, with its speaker as written when it names one."""
    found = []
    for mention in find_quotes(text):
        speaker = f" (speaker: {mention.speaker_text})" if mention.speaker_text else ""
        found.append(f"{mention.mode.value}: «{mention.text}»{speaker}")
    return _lines(found)


def _lines(hints: list[str]) -> str:
    return "\n".join(f"- {hint}" for hint in hints[:MAX_HINTS]) or NO_HINTS
