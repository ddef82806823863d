"""Normalisation: one test per folding rule, the offset map back to the original, and its invariants."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from service.arabic.normalize import NormalizedText, normalize, normalize_str


@pytest.mark.parametrize(
    ("original", "expected"),
    [
        pytest.param("قُتِلَ", "قتل", id="tashkeel"),
        pytest.param("قتيلاً", "قتيلا", id="tanween"),
        pytest.param("حزّة", "حزه", id="shadda"),
        pytest.param("الـ15", "ال15", id="tatweel"),
        pytest.param("ســبعة", "سبعه", id="long-tatweel"),
        pytest.param("أكثر إدلب آلاف ٱلله", "اكثر ادلب الاف الله", id="alef-hamza-forms"),
        pytest.param("مؤتمر", "موتمر", id="waw-hamza"),
        pytest.param("مئة", "ميه", id="yeh-hamza"),
        pytest.param("الغوطة الشرقية", "الغوطه الشرقيه", id="ta-marbuta"),
        pytest.param("إلى مستشفى", "الي مستشفي", id="alef-maqsura"),
        pytest.param("٤٠٠ و۳۵", "400 و35", id="arabic-indic-and-persian-digits"),
        pytest.param("٢٫٥", "2.5", id="arabic-decimal-separator"),
        pytest.param('«سانا» “سانا” "سانا"', '"سانا" "سانا" "سانا"', id="quote-marks"),
        pytest.param("الأمم\u200cالمتحدة\u200f", "الاممالمتحده", id="zero-width-and-direction-marks"),
        pytest.param("\u202bحلب\u202c", "حلب", id="bidi-embedding"),
        pytest.param("\u2067حلب\u2069", "حلب", id="bidi-isolate"),
        pytest.param("قصف  \t\n\n عنيف", "قصف عنيف", id="whitespace-run"),
        pytest.param("یکی کی", "يكي كي", id="persian-letters"),
        pytest.param("ﻻ", "لا", id="presentation-form"),
        pytest.param("Daily MAIL", "daily mail", id="latin-lower-case"),
    ],
)
def test_folding_rules(original: str, expected: str) -> None:
    assert normalize(original).text == expected


def test_normalize_str_strips_surrounding_space() -> None:
    assert normalize_str("  قال \n") == "قال"


def test_offsets_map_back_over_dropped_marks() -> None:
    original = "قُتِلَ ثلاثةٌ"
    normalized = normalize(original)
    start = normalized.text.index("ثلاثه")
    mapped = normalized.to_original(start, start + len("ثلاثه"))
    assert original[mapped[0] : mapped[1]] == "ثلاثة"


def test_a_collapsed_whitespace_run_maps_to_the_whole_run() -> None:
    original = "قصف \n\n عنيف"
    normalized = normalize(original)
    assert normalized.to_original(0, len(normalized.text)) == (0, len(original))
    space = normalized.text.index(" ")
    assert original[slice(*normalized.to_original(space, space + 1))] == " \n\n "


def test_an_empty_range_maps_to_an_anchor() -> None:
    normalized = normalize("حلب")
    assert normalized.to_original(1, 1) == (1, 1)
    assert normalized.to_original(3, 3) == (3, 3)


def test_a_range_outside_the_text_is_refused() -> None:
    with pytest.raises(ValueError, match="outside"):
        normalize("حلب").to_original(0, 4)


def _assert_offset_map_invariants(original: str, normalized: NormalizedText) -> None:
    assert normalized.original == original
    assert len(normalized.starts) == len(normalized.ends) == len(normalized.text)
    assert list(normalized.starts) == sorted(normalized.starts)
    for start, end in zip(normalized.starts, normalized.ends, strict=True):
        assert 0 <= start < end <= len(original)


@settings(max_examples=400, deadline=None)
@given(st.text() | st.text(alphabet=st.sampled_from(list("\ufbb2\ufd3e\ufdd0\ufefbحلب "))))
def test_offset_map_invariants(original: str) -> None:
    _assert_offset_map_invariants(original, normalize(original))


@pytest.mark.parametrize("char", ["\ufbb2", "\ufd3e", "\ufdd0"])
def test_presentation_forms_that_nfkc_keeps_fold_to_themselves(char: str) -> None:
    assert normalize(char).text == char


def test_presentation_forms_fold_like_their_letters() -> None:
    assert normalize("\ufefb").text == "لا"  # the lam-alef ligature
    assert normalize("\ufbb2").text != normalize("\ufd3e").text


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from('قتلأإآةىيـًٌٍَُِّْ ٤٠0«»"\u200c\u200f\n\t')))
def test_offset_map_invariants_on_arabic_noise(original: str) -> None:
    normalized = normalize(original)
    assert len(normalized.starts) == len(normalized.ends) == len(normalized.text)
    assert list(normalized.starts) == sorted(normalized.starts)
    for start, end in zip(normalized.starts, normalized.ends, strict=True):
        assert 0 <= start < end <= len(original)
    assert "  " not in normalized.text
