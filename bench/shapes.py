"""Hostile and odd article shapes of any length, for the complexity benchmark and its output tests.

Each shape repeats a unit (or grows one construct) in whole units up to the asked number of characters.
They are the inputs that once made a stage of the text pipeline quadratic, plus other degenerate forms a
client can send far under the body limit.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def repeated(unit: str) -> Callable[[int], str]:
    def make(length: int) -> str:
        return unit * max(1, length // len(unit))

    return make


def _normal_article(length: int) -> str:
    article = (SEEDS / "aleppo-shelling-de-mistura-moscow.txt").read_text(encoding="utf-8")
    return repeated(article + "\n")(length)


def _nested_quotes(length: int) -> str:
    depth = length // 6
    return "«قال " * depth + "»" * depth


def _long_word(length: int) -> str:
    return "ب" * length


SHAPES: dict[str, Callable[[int], str]] = {
    "colons": repeated(":"),
    "percentages": repeated("10% "),
    "ranges": repeated("بين 10 و 20 "),
    "number words": repeated("مئة ألف "),
    "killed counts, no stop": repeated("قتل 5 أشخاص و"),
    "said colon": repeated("قال: "),
    "according to": repeated("وفقا لـ "),
    "said that": repeated("قال إن "),
    "unclosed quote": repeated("«قال المصدر إن القصف مستمر "),
    "nested quotes": _nested_quotes,
    "number-word run": repeated("خمسة وعشرين و"),
    "one long word": _long_word,
    "alternating scripts": repeated("army الجيش "),
    "among them": repeated("بينهم "),
    "normal article": _normal_article,
}
