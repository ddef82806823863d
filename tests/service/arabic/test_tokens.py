"""The one tokenizer: words, numbers with their glued letters, and marks."""

from __future__ import annotations

import itertools

from hypothesis import given
from hypothesis import strategies as st

from service.arabic.tokens import tokenize, words_and_numbers


def test_words_numbers_and_marks() -> None:
    tokens = tokenize("قتل 1,200 شخص، وال15 آخرون «في» 2.5 ألف 15شخصا.")
    assert [(t.text, t.prefix, t.digits, t.is_mark) for t in tokens] == [
        ("قتل", "", "", False),
        ("1,200", "", "1,200", False),
        ("شخص", "", "", False),
        ("،", "", "", True),
        ("وال15", "وال", "15", False),
        ("آخرون", "", "", False),
        ("«", "", "", True),
        ("في", "", "", False),
        ("»", "", "", True),
        ("2.5", "", "2.5", False),
        ("ألف", "", "", False),
        ("15", "", "15", False),  # letters glued after digits are the next token
        ("شخصا", "", "", False),
        (".", "", "", True),
    ]


def test_a_dot_or_comma_after_digits_is_a_mark_unless_digits_follow() -> None:
    assert [t.text for t in tokenize("عام 2018. و3,")] == ["عام", "2018", ".", "و3", ","]


def test_words_and_numbers_leave_the_marks_out() -> None:
    assert [t.text for t in words_and_numbers("قال: «نعم»!")] == ["قال", "نعم"]


@given(st.text(alphabet=st.sampled_from(list("قتل 12,.«»_؟\nab")), max_size=40))
def test_tokens_cover_every_character_but_spaces_and_underscores_in_order(text: str) -> None:
    """On normalised text (its digits are ASCII)."""
    tokens = tokenize(text)
    assert all(text[t.start : t.end] == t.text for t in tokens)
    assert all(earlier.end <= later.start for earlier, later in itertools.pairwise(tokens))
    covered = "".join(t.text for t in tokens)
    assert covered == "".join(char for char in text if not char.isspace() and char != "_")
