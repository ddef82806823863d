"""The characters that end a sentence in Arabic news text, and what may follow them.

Every reader ends a sentence at a full stop, ! ? or ؟. The Arabic semicolon ؛ and the ellipsis … are
weaker: the offline document ends its sentences there too (they end a statement in news text), while
the quote reader takes ؛ for a clause break and keeps a quote going across both.
"""

from __future__ import annotations

import re

FULL_STOPS = frozenset(".!?؟")
WEAK_STOPS = frozenset("؛…")  # the Arabic semicolon and the ellipsis
CLOSERS = frozenset("\"'»”’)]")  # closing quote marks and brackets that may follow a sentence's end


def char_class(chars: frozenset[str]) -> str:
    """A regular-expression character class matching any of `chars`."""
    return "[" + "".join(re.escape(char) for char in sorted(chars)) + "]"
