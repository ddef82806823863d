"""The gazetteer file round-trips, and the matcher handles clitics, glued words and offsets."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from schemas.digest import ActorKind
from service.arabic.gazetteer import (
    PLACE_KIND,
    Gazetteer,
    GazetteerEntry,
    MatchText,
    default_gazetteer,
    read_gazetteer,
)
from service.arabic.states import default_states, nationality_of, nisba_forms

GAZETTEER = default_gazetteer()
FORMS = [(entry, form) for entry in GAZETTEER.entries for form in (*entry.forms, *entry.epithets)]


@pytest.mark.parametrize(("entry", "form"), FORMS, ids=[f"{e.name_en}:{f}" for e, f in FORMS])
def test_every_form_is_found_in_itself_and_maps_to_its_entry(entry: GazetteerEntry, form: str) -> None:
    matches = GAZETTEER.find(form)
    assert len(matches) == 1
    match = matches[0]
    assert match.entry is entry
    assert (match.start, match.end) == (0, len(form))
    assert match.text == form


def test_english_names_are_unique_per_kind() -> None:
    counts = Counter((entry.kind, entry.name_en) for entry in GAZETTEER.entries)
    assert [key for key, count in counts.items() if count > 1] == []


def test_kinds_are_actor_kinds_or_place() -> None:
    valid = {kind.value for kind in ActorKind} | {PLACE_KIND}
    assert {entry.kind for entry in GAZETTEER.entries} <= valid


def test_parents_and_represented_states_exist() -> None:
    for entry in GAZETTEER.entries:
        if entry.parent is not None:
            assert GAZETTEER.entry(entry.parent, place=True) is not None
        if entry.stands_for is not None:
            assert GAZETTEER.entry(entry.stands_for, place=False) is not None


def test_places_have_a_lineage_without_cycles() -> None:
    for entry in GAZETTEER.entries:
        if entry.is_place:
            lineage = GAZETTEER.lineage(entry)
            assert lineage[0] is entry and len(lineage) == len(set(lineage))


def test_a_form_shared_by_two_entries_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "g.yaml"
    path.write_text(
        "sources: {seeds: written for this test}\n"
        "entries:\n"
        "  - {name_en: A, kind: ngo, source: seeds, forms: [المرصد]}\n"
        "  - {name_en: B, kind: media, source: seeds, forms: [المرصد]}\n",
        encoding="utf-8",
    )
    with pytest.raises(ValueError, match="belongs to both"):
        read_gazetteer(path)


def test_an_unknown_kind_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "g.yaml"
    path.write_text("entries:\n  - {name_en: A, kind: wizard, forms: [شيء]}\n", encoding="utf-8")
    with pytest.raises(ValueError, match="unknown kind"):
        read_gazetteer(path)


def _names(text: str) -> list[tuple[str, str]]:
    return [(match.text, match.entry.name_en) for match in GAZETTEER.find(text)]


def test_an_entry_without_a_known_source_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "g.yaml"
    path.write_text(
        "sources: {seeds: x}\nentries:\n  - {name_en: A, kind: ngo, forms: [شيء]}\n", encoding="utf-8"
    )
    with pytest.raises(ValueError, match="no known source"):
        read_gazetteer(path)


def test_every_entry_says_where_it_came_from() -> None:
    assert [entry.name_en for entry in GAZETTEER.entries if not entry.source] == []


def test_every_state_is_an_actor_that_is_also_a_place_and_its_nisba_names_it() -> None:
    for state in default_states():
        entry = GAZETTEER.entry(state.name_en, place=False)
        assert entry is not None and entry.also_place
        for nisba in state.nisba:
            for form in nisba_forms(nisba):
                found = nationality_of("ال" + form)
                assert found is not None and found.name_en == state.name_en, form


def test_a_nisba_reads_with_the_article_proclitics_and_in_the_plural() -> None:
    assert (state := nationality_of("واليمنيين")) is not None and state.adjective_en == "Yemeni"
    assert (state := nationality_of("العراقية")) is not None and state.name_en == "Iraq"
    assert nationality_of("المالية") is None  # "financial", not Malian


def test_longest_form_wins() -> None:
    assert _names("قال المرصد السوري لحقوق الإنسان") == [
        ("المرصد السوري لحقوق الإنسان", "Syrian Observatory for Human Rights")
    ]
    assert _names("قوات بشار الأسد") == [("قوات بشار الأسد", "Syrian government forces")]


def test_proclitics_are_left_out_of_the_span() -> None:
    assert _names("وبالغوطة الشرقية وللمعارضة المسلحة") == [
        ("الغوطة الشرقية", "Eastern Ghouta"),
        ("لمعارضة المسلحة", "Syrian armed opposition"),
    ]


def test_glued_words_are_found() -> None:
    assert _names("دعت الأممالمتحدة والولاياتالمتحدة") == [
        ("الأممالمتحدة", "United Nations"),
        ("الولاياتالمتحدة", "United States"),
    ]
    assert _names("في الغوطة الشرقيةلدمشق") == [("الغوطة الشرقية", "Eastern Ghouta"), ("دمشق", "Damascus")]


def test_spelling_variants_match_through_normalisation() -> None:
    assert _names("ستافان دي ميستورا") == [("ستافان دي ميستورا", "Staffan de Mistura")]
    assert _names("رامي عبدالرحمن") == [("رامي عبدالرحمن", "Rami Abdel Rahman")]
    assert _names("المرصد السوري لحقوق الانسان") == [
        ("المرصد السوري لحقوق الانسان", "Syrian Observatory for Human Rights")
    ]


def test_offsets_survive_tashkeel_and_tatweel() -> None:
    text = "قالَ المرصـــد السوريّ إن"
    [match] = GAZETTEER.find(text)
    assert text[match.start : match.end] == match.text == "المرصـــد السوريّ"


def test_a_word_that_only_starts_like_a_form_is_not_found() -> None:
    assert _names("الموتى والمرصدين") == []


def test_match_text_splits_words_glued_after_ta_marbuta() -> None:
    mtext = MatchText.of("الشرقيةلدمشق")
    assert [token.text for token in mtext.tokens] == ["الشرقيه", "لدمشق"]
    assert [(token.start, token.end) for token in mtext.tokens] == [(0, 7), (7, 12)]


def test_a_small_gazetteer_can_be_built_in_code() -> None:
    entry = GazetteerEntry(name_en="Test Town", kind=PLACE_KIND, forms=("بلدة الاختبار",))
    assert [m.entry for m in Gazetteer([entry]).find("قصف على بلدة الاختبار")] == [entry]
