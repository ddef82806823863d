"""English spellings of names the gazetteer does not know: common name words as they are usually
printed, the article as "al-", the rest letter by letter (names written for these tests)."""

from __future__ import annotations

import pytest

from service.engines.offline.titles import romanise


@pytest.mark.parametrize(
    ("arabic", "english"),
    [
        ("محمد بخاري", "Mohammed Bkhari"),  # a common given name in its usual spelling
        ("عبد الرحمن الشمري", "Abdul Rahman al-Shmri"),  # a two-word name, then the article
        ("علي عبدالله صالح", "Ali Abdullah Saleh"),
        ("أحمد أبو الحسن", "Ahmed Abu al-Hassan"),  # a name word after the article keeps its spelling
        ("مولود جاويش", "Mulud Jawish"),  # no common word: letter by letter
        ("الجسر الأخضر", "Al-Jsr al-Akhdr"),  # a name that opens with the article
    ],
)
def test_romanised_names(arabic: str, english: str) -> None:
    assert romanise(arabic) == english
