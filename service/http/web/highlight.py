"""The article as HTML with every item's span highlighted, nested where spans nest.

The text is cut at every span boundary. Spans are opened in order of start (longest first, then by
kind), so a span inside another becomes a nested ``<mark>``; a span that crosses the end of an open
one is split into fragments, each properly nested. Every fragment carries the item's kind and id,
the offsets of the whole span and of the fragment, so the fragments of one span put together give
exactly ``article[start:end]``.

The one highlighter of the project: the digest page draws items by `Kind`, the eval report
(`evals/html_report.py`) draws gold and predicted spans by its own kinds with its own CSS classes.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from markupsafe import Markup, escape


class Kind(StrEnum):
    """The kinds of item that point into the article; the order is the nesting order for equal spans."""

    event = "event"
    quote = "quote"
    actor = "actor"
    figure = "figure"


WEB_CSS_PREFIX = "hl hl-"


@dataclass(frozen=True)
class Highlight:
    """One span of one item: `article[start:end]` belongs to item `item_id` of kind `kind`; for equal
    spans, the kinds nest in the order of their enum."""

    kind: StrEnum
    item_id: str
    start: int
    end: int
    label: str = ""


@dataclass(frozen=True)
class _Fragment:
    highlight: Highlight
    start: int
    end: int

    def order(self) -> tuple[int, int, int, str]:
        return (self.start, -self.end, _nesting_rank(self.highlight.kind), self.highlight.item_id)


def _nesting_rank(kind: StrEnum) -> int:
    members: list[Any] = list(type(kind))
    return members.index(kind)


def drawable(text: str, highlights: list[Highlight]) -> list[Highlight]:
    """The highlights that can be drawn: inside the text, not empty, each span once."""
    unique: dict[tuple[StrEnum, str, int, int], Highlight] = {}
    for h in highlights:
        if 0 <= h.start < h.end <= len(text):
            unique.setdefault((h.kind, h.item_id, h.start, h.end), h)
    return list(unique.values())


def render_highlighted(text: str, highlights: list[Highlight], css_prefix: str = WEB_CSS_PREFIX) -> Markup:
    """`text`, HTML-escaped, with a ``<mark>`` per fragment of every drawable highlight, of CSS class
    `css_prefix` + the highlight's kind."""
    parts: list[str] = []
    open_marks: list[_Fragment] = []
    queue = [(fragment.order(), n, fragment) for n, fragment in enumerate(_whole(drawable(text, highlights)))]
    heapq.heapify(queue)
    position = 0
    serial = len(queue)
    while queue:
        _, _, fragment = heapq.heappop(queue)
        position = _close_until(text, parts, open_marks, position, fragment.start)
        parts.append(escape(text[position : fragment.start]))
        position = fragment.start
        if open_marks and open_marks[-1].end < fragment.end:
            rest = _Fragment(fragment.highlight, open_marks[-1].end, fragment.end)
            heapq.heappush(queue, (rest.order(), serial, rest))
            serial += 1
            fragment = _Fragment(fragment.highlight, fragment.start, open_marks[-1].end)
        parts.append(_open_tag(fragment, css_prefix))
        open_marks.append(fragment)
    position = _close_until(text, parts, open_marks, position, len(text))
    parts.append(escape(text[position:]))
    return Markup("".join(parts))


def _whole(highlights: list[Highlight]) -> list[_Fragment]:
    return [_Fragment(h, h.start, h.end) for h in highlights]


def _close_until(text: str, parts: list[str], open_marks: list[_Fragment], position: int, limit: int) -> int:
    """Close the open marks that end at or before `limit`; return the new text position."""
    while open_marks and open_marks[-1].end <= limit:
        closing = open_marks.pop()
        parts.append(escape(text[position : closing.end]))
        parts.append("</mark>")
        position = closing.end
    return position


def _open_tag(fragment: _Fragment, css_prefix: str) -> str:
    h = fragment.highlight
    first = fragment.start == h.start
    attributes = {
        "class": f"{css_prefix}{h.kind.value}",
        "data-kind": h.kind.value,
        "data-item": h.item_id,
        "data-start": str(h.start),
        "data-end": str(h.end),
        "data-frag-start": str(fragment.start),
        "data-frag-end": str(fragment.end),
        "title": h.label or f"{h.kind.value} {h.item_id}",
    }
    if first:
        attributes["tabindex"] = "0"
    rendered = " ".join(f'{name}="{escape(value)}"' for name, value in attributes.items())
    return f"<mark {rendered}>"
