"""The one tokenizer of the Arabic toolkit: the words, numbers and marks of a normalised text.

- A word is a run of letters.
- A number is a run of digits with "," or "." between digit groups ("1,200", "2.5"); the letters
  glued before it are its `prefix` ("ال" in "ال15", "و" in "و150"); letters glued after it are the
  next token ("15شخصا" is "15" and "شخصا").
- Any other character that is neither a space nor an underscore is a mark of its own (punctuation,
  quote marks, symbols).

The number reader reads words and numbers, the quote reader all three, the gazetteer's match text
(and so the offline engine's document) words and numbers. Offsets are into the text given: the
readers tokenize the normalised text and map offsets back through its offset map.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_TOKEN_RE = re.compile(r"([^\W\d_]*+)([0-9]+(?:[.,][0-9]+)*)|[^\W\d_]+|([^\w\s])")


@dataclass(frozen=True, slots=True)
class TextToken:
    start: int
    end: int
    text: str
    digits: str  # the digit group of a number ("15" in "ال15"), "" for a word or a mark
    prefix: str  # the letters glued before a number's digits, "" for a word or a mark
    is_mark: bool  # punctuation or another symbol: neither a word nor a number


def tokenize(text: str) -> list[TextToken]:
    """Every word, number and mark of `text`, in order."""
    tokens = []
    for match in _TOKEN_RE.finditer(text):
        prefix, digits, mark = match.group(1) or "", match.group(2) or "", match.group(3) is not None
        tokens.append(TextToken(match.start(), match.end(), match.group(0), digits, prefix, mark))
    return tokens


def words_and_numbers(text: str) -> list[TextToken]:
    """The tokens of `text` that are words or numbers."""
    return [token for token in tokenize(text) if not token.is_mark]
