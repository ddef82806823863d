"""The one sentence splitter: stops followed by a space or the end, closers after them, line breaks."""

from __future__ import annotations

from service.arabic.sentences import FULL_STOPS, WEAK_STOPS, sentence_breaks


def _pieces(text: str, stops: frozenset[str]) -> list[str]:
    pieces, start = [], 0
    for match in sentence_breaks(text, stops):
        pieces.append(text[start : match.end()].strip())
        start = match.end()
    return [*pieces, text[start:].strip()]


def test_a_stop_ends_a_sentence_only_before_a_space_or_the_end() -> None:
    text = "نزح 2.5 ألف شخص من ق.د أمس. هل انتهى؟ نعم!"
    assert _pieces(text, FULL_STOPS) == ["نزح 2.5 ألف شخص من ق.د أمس.", "هل انتهى؟", "نعم!", ""]


def test_closing_marks_stay_with_their_sentence_and_line_breaks_end_one() -> None:
    text = "قال «انتهى الأمر.» ثم غادر\nعنوان فرعي"
    assert _pieces(text, FULL_STOPS) == ["قال «انتهى الأمر.»", "ثم غادر", "عنوان فرعي"]


def test_weak_stops_end_a_sentence_only_for_readers_that_ask() -> None:
    text = "قصفت الطائرات البلدة؛ وقتل مدنيان… ثم توقف القصف."
    assert _pieces(text, FULL_STOPS) == [text, ""]
    assert _pieces(text, FULL_STOPS | WEAK_STOPS) == [
        "قصفت الطائرات البلدة؛",
        "وقتل مدنيان…",
        "ثم توقف القصف.",
        "",
    ]
