"""The word-list data files and the one helper that loads them."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from service.arabic import lexicon
from service.arabic.lexicon import UnknownWordList, word_set, word_table, word_values
from service.arabic.normalize import normalize_str

_CONCEPTS = sorted(
    path.stem for path in lexicon.DATA_DIR.glob("*.yaml") if path.stem not in {"gazetteer", "states"}
)


@pytest.mark.parametrize("concept", _CONCEPTS)
def test_every_list_loads_and_has_words(concept: str) -> None:
    for name in yaml.safe_load((lexicon.DATA_DIR / f"{concept}.yaml").read_text("utf-8")):
        assert word_set(concept, name), f"{concept}.yaml: {name} is empty"


@pytest.mark.parametrize("concept", _CONCEPTS)
def test_no_list_repeats_a_word_after_normalisation(concept: str) -> None:
    for name, entries in yaml.safe_load((lexicon.DATA_DIR / f"{concept}.yaml").read_text("utf-8")).items():
        keys = [normalize_str(word) for word in entries]
        repeated = sorted({key for key in keys if keys.count(key) > 1})
        assert not repeated, (
            f"{concept}.yaml: {name} lists {repeated} twice (hamza or ta marbuta variants fold)"
        )


def test_words_are_normalised_at_load() -> None:
    assert normalize_str("أمس") in word_set("time_words", "yesterday")
    assert word_values("time_words", "weekdays")[normalize_str("الإثنين")] == 0


def test_a_word_set_is_the_union_of_the_named_lists() -> None:
    both = word_set("reported_speech", "calling", "committing")
    assert both == word_set("reported_speech", "calling") | word_set("reported_speech", "committing")
    assert normalize_str("دعا") in both and normalize_str("أدان") in both


def test_an_unknown_list_is_a_clear_error() -> None:
    with pytest.raises(UnknownWordList, match=r"time_words.yaml has no list 'tomorrow' \(it has today,"):
        word_set("time_words", "tomorrow")
    with pytest.raises(UnknownWordList, match="no word-list file"):
        word_set("no_such_concept", "words")


def test_a_list_is_not_a_table(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "sample.yaml").write_text(
        "plain: [قال]\ncounts: {ألف: 1000}\nlabels: {نحو: about}\n", "utf-8"
    )
    monkeypatch.setattr(lexicon, "DATA_DIR", tmp_path)
    lexicon._word_lists.cache_clear()
    try:
        with pytest.raises(ValueError, match="'plain' is a list of words, not a table"):
            word_table("sample", "plain")
        with pytest.raises(ValueError, match="'labels' must map words to whole numbers"):
            word_values("sample", "labels")
        assert word_values("sample", "counts") == {normalize_str("ألف"): 1000}
    finally:
        lexicon._word_lists.cache_clear()
