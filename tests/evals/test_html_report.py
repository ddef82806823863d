"""The eval report's article: gold and predicted spans drawn by the digest page's highlighter."""

from __future__ import annotations

from evals.html_report import field_highlights
from evals.records import FieldMatches, ItemRef, MatchedPair, SpanRef
from service.http.web.highlight import render_highlighted
from tests.service.http.web.marks import read_marks, span_texts

TEXT = "قتل 12 مدنيا في دوما وقال المرصد إن القصف مستمر."


def _item(item_id: str, start: int, end: int) -> ItemRef:
    return ItemRef(
        id=item_id, label=f"item {item_id}", text_ar=TEXT[start:end], spans=[SpanRef(start=start, end=end)]
    )


def test_gold_and_predicted_spans_nest_and_keep_their_text() -> None:
    gold, predicted = _item("f1", 4, 12), _item("f1", 4, 6)  # the prediction covers only the number
    matches = FieldMatches(
        pairs=[MatchedPair(gold=gold, predicted=predicted, similarity=0.3)],
        missed=[_item("q1", 27, 47)],
        spurious=[_item("f2", 16, 20), _item("out", 40, 400)],  # a span beyond the text is not drawn
    )
    shown, marks = read_marks(str(render_highlighted(TEXT, field_highlights(matches), css_prefix="")))
    assert shown == TEXT
    by_class = {mark.attrs["class"]: mark for mark in marks}
    assert sorted(by_class) == ["gold-matched", "gold-missed", "predicted-matched", "predicted-spurious"]
    assert by_class["predicted-matched"].depth == by_class["gold-matched"].depth + 1
    assert by_class["gold-missed"].attrs["title"] == "gold (missed) q1: item q1"
    assert span_texts(marks) == {
        ("gold-matched", "f1", 4, 12): TEXT[4:12],
        ("predicted-matched", "f1", 4, 6): TEXT[4:6],
        ("gold-missed", "q1", 27, 47): TEXT[27:47],
        ("predicted-spurious", "f2", 16, 20): TEXT[16:20],
    }
