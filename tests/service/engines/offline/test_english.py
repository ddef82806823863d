"""English phrasing of the offline engine: quantities as written."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from schemas.digest import Qualifier
from service.engines.offline.english import quantity


@dataclass(frozen=True)
class _Claim:
    value: int
    qualifier: Qualifier
    subject_en: str | None
    low: int | None = None
    high: int | None = None


@pytest.mark.parametrize(
    ("noun", "one", "at_least_one"),
    [
        ("people", "a person", "at least one person"),
        ("Iraqis", "an Iraqi", "at least one Iraqi"),
        ("casualties", "a casualty", "at least one casualty"),
        ("family members", "a family member", "at least one family member"),
        ("women", "a woman", "at least one woman"),
    ],
)
def test_a_count_of_one_is_in_the_singular(noun: str, one: str, at_least_one: str) -> None:
    assert quantity(_Claim(1, Qualifier.exact, noun)) == one
    assert quantity(_Claim(1, Qualifier.at_least, noun)) == at_least_one


def test_a_count_above_one_keeps_the_plural() -> None:
    assert quantity(_Claim(3, Qualifier.exact, "family members")) == "3 family members"
