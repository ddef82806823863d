"""The highlighted article: nesting, crossing, edges, escaping, and text that never changes."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from service.http.web.highlight import Highlight, Kind, drawable, render_highlighted
from service.http.web.spans import digest_highlights
from tests.service.http.web.marks import read_marks, span_texts
from tests.service.http.web.sample import ARTICLE, sample_digest

TEXT = "أعلن المرصد السوري مقتل 80 مدنيا في الغوطة الشرقية"


def at(fragment: str, kind: Kind = Kind.figure, item_id: str = "f1", text: str = TEXT) -> Highlight:
    start = text.index(fragment)
    return Highlight(kind, item_id, start, start + len(fragment))


def check_faithful(text: str, highlights: list[Highlight]) -> None:
    """The page shows the article unchanged and every span's fragments give exactly its text."""
    shown, marks = read_marks(render_highlighted(text, highlights))
    assert shown == text
    expected = {
        (h.kind.value, h.item_id, h.start, h.end): text[h.start : h.end] for h in drawable(text, highlights)
    }
    assert span_texts(marks) == expected
    for mark in marks:
        a = mark.attrs
        assert mark.text == text[int(a["data-frag-start"]) : int(a["data-frag-end"])]


def test_nested_spans_become_nested_marks() -> None:
    outer = at("مقتل 80 مدنيا في الغوطة", Kind.event, "e1")
    inner = at("80 مدنيا", Kind.figure, "f1")
    _, marks = read_marks(render_highlighted(TEXT, [inner, outer]))
    assert [(m.attrs["data-item"], m.depth, m.text) for m in marks] == [
        ("e1", 0, "مقتل 80 مدنيا في الغوطة"),
        ("f1", 1, "80 مدنيا"),
    ]
    check_faithful(TEXT, [inner, outer])


def test_crossing_spans_are_split_into_nested_fragments() -> None:
    first = at("المرصد السوري مقتل", Kind.actor, "a1")
    second = at("مقتل 80", Kind.figure, "f1")
    _, marks = read_marks(render_highlighted(TEXT, [first, second]))
    fragments = [(m.attrs["data-item"], m.depth, m.text) for m in marks]
    assert fragments == [("a1", 0, "المرصد السوري مقتل"), ("f1", 1, "مقتل"), ("f1", 0, " 80")]
    assert [m.attrs.get("tabindex") for m in marks] == ["0", "0", None]  # one stop per span
    check_faithful(TEXT, [first, second])


def test_identical_spans_nest_by_kind_event_outermost() -> None:
    same = [
        at("80 مدنيا", kind, f"{kind.value[0]}1")
        for kind in (Kind.figure, Kind.actor, Kind.event, Kind.quote)
    ]
    _, marks = read_marks(render_highlighted(TEXT, same))
    assert [(m.attrs["data-kind"], m.depth) for m in marks] == [
        ("event", 0),
        ("quote", 1),
        ("actor", 2),
        ("figure", 3),
    ]
    check_faithful(TEXT, same)


def test_spans_at_both_edges_of_the_text() -> None:
    spans = [
        Highlight(Kind.event, "e1", 0, len(TEXT)),
        at("أعلن", Kind.actor, "a1"),
        at("الشرقية", Kind.figure, "f1"),
    ]
    html = render_highlighted(TEXT, spans)
    assert html.startswith("<mark") and html.endswith("</mark></mark>")
    check_faithful(TEXT, spans)


def test_markup_in_the_article_is_escaped() -> None:
    text = 'قبل <script>alert("x")</script> & بعد'
    spans = [at('<script>alert("x")</script>', Kind.quote, "q1", text), at("&", Kind.figure, "f1", text)]
    html = str(render_highlighted(text, spans))
    assert "<script>" not in html and "&lt;script&gt;" in html and "&amp;" in html
    check_faithful(text, spans)


def test_attribute_values_are_escaped() -> None:
    evil = Highlight(Kind.actor, 'a1"><script>', 0, 4, label='"><img src=x onerror=alert(1)>')
    html = str(render_highlighted(TEXT, [evil]))
    assert "<script>" not in html and "<img" not in html and html.count("<mark") == 1


def test_empty_reversed_outside_and_repeated_spans_are_not_drawn() -> None:
    spans = [
        Highlight(Kind.figure, "f1", 3, 3),
        Highlight(Kind.figure, "f2", 5, 2),
        Highlight(Kind.figure, "f3", 10, len(TEXT) + 1),
        Highlight(Kind.figure, "f4", -1, 2),
        Highlight(Kind.actor, "a1", 0, 4),
        Highlight(Kind.actor, "a1", 0, 4, label="again"),
    ]
    assert drawable(TEXT, spans) == [Highlight(Kind.actor, "a1", 0, 4)]
    _, marks = read_marks(render_highlighted(TEXT, spans))
    assert len(marks) == 1


def test_text_without_highlights_is_only_escaped() -> None:
    assert str(render_highlighted("a < b\n", [])) == "a &lt; b\n"


def test_digest_spans_that_do_not_match_the_article_are_reported_not_drawn() -> None:
    digest = sample_digest()
    digest.figures[0].span.text = "x" * len(digest.figures[0].span.text)
    spans = digest_highlights(digest, ARTICLE)
    assert spans.misplaced == ["f1"]
    assert all(h.item_id != "f1" for h in spans.highlights)


def test_every_item_span_of_the_sample_digest_is_drawn_faithfully() -> None:
    spans = digest_highlights(sample_digest(), ARTICLE)
    assert {h.item_id for h in spans.highlights} == {"a1", "a2", "a3", "f1", "f2", "q1", "q2", "e1"}
    check_faithful(ARTICLE, spans.highlights)


@st.composite
def text_and_spans(draw: st.DrawFn) -> tuple[str, list[Highlight]]:
    text = draw(st.text(alphabet="ab <&>\"'\nقتل٨٠", min_size=1, max_size=40))
    bound = st.integers(min_value=0, max_value=len(text))
    spans = []
    for n in range(draw(st.integers(min_value=0, max_value=8))):
        start, end = sorted((draw(bound), draw(bound)))
        spans.append(Highlight(draw(st.sampled_from(list(Kind))), f"x{n % 3}", start, end))
    return text, spans


@given(text_and_spans())
def test_any_spans_render_balanced_and_faithful(case: tuple[str, list[Highlight]]) -> None:
    check_faithful(*case)
