"""Reads the highlighted article back: its plain text and every <mark> with the text inside it."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Mark:
    attrs: dict[str, str]
    depth: int
    text: str = ""

    @property
    def key(self) -> tuple[str, str, int, int]:
        a = self.attrs
        return a["data-kind"], a["data-item"], int(a["data-start"]), int(a["data-end"])


@dataclass
class _Reader(HTMLParser):
    text: str = ""
    marks: list[Mark] = field(default_factory=list)
    _open: list[Mark] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(convert_charrefs=True)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        assert tag == "mark", f"unexpected <{tag}> in the article"
        mark = Mark({name: value or "" for name, value in attrs}, depth=len(self._open))
        self.marks.append(mark)
        self._open.append(mark)

    def handle_endtag(self, tag: str) -> None:
        assert tag == "mark" and self._open, f"unbalanced </{tag}>"
        self._open.pop()

    def handle_data(self, data: str) -> None:
        self.text += data
        for mark in self._open:
            mark.text += data


def read_marks(html: str) -> tuple[str, list[Mark]]:
    reader = _Reader()
    reader.feed(str(html))  # a plain str: Markup would re-escape what the parser decodes
    reader.close()
    assert not reader._open, "marks left open"
    return reader.text, reader.marks


def span_texts(marks: list[Mark]) -> dict[tuple[str, str, int, int], str]:
    """Each span's text, put together from its fragments in document order."""
    joined: dict[tuple[str, str, int, int], str] = {}
    for mark in marks:
        joined[mark.key] = joined.get(mark.key, "") + mark.text
    return joined
