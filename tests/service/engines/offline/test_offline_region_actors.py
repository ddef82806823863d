"""Actors of the whole region: states and their nisba, institutions named by a nisba, titled officials of
any state, and how each English name was made (sentences written for these tests)."""

from __future__ import annotations

from helpers_offline import digest_of

from schemas.digest import Actor, ActorKind, NameSource


def _actors(text: str) -> dict[str, Actor]:
    return {actor.name_ar: actor for actor in digest_of(text).actors}


def test_institutions_named_by_a_nisba_get_a_composed_english_name() -> None:
    text = (
        "وأعلنت الحكومة اليمنية أن قوات الأمن العراقية ووزارة الداخلية السعودية والسلطات المصرية "
        "والجيش الليبي تتعاون."
    )
    actors = _actors(text)
    assert {name: (a.name_en, a.kind) for name, a in actors.items()} == {
        "الحكومة اليمنية": ("Yemeni government", ActorKind.government),
        "قوات الأمن العراقية": ("Iraqi security forces", ActorKind.state_force),
        "وزارة الداخلية السعودية": ("Saudi interior ministry", ActorKind.government),
        "السلطات المصرية": ("Egyptian authorities", ActorKind.government),
        "الجيش الليبي": ("Libyan army", ActorKind.state_force),
    }
    assert {a.name_en_source for a in actors.values()} == {NameSource.composed}


def test_a_force_named_by_its_branch_alone_is_composed_not_romanised() -> None:
    actors = _actors(
        "وقالت مصادر محلية إن قوات الأمن اعتقلت ثلاثة مشتبه بهم في مدينة الموصل، فيما انتشرت قوات الشرطة "
        "في الأحياء الشرقية."
    )
    assert (actors["قوات الأمن"].name_en, actors["قوات الأمن"].kind) == (
        "security forces",
        ActorKind.state_force,
    )
    assert actors["قوات الشرطة"].name_en == "police forces"
    assert {actors[name].name_en_source for name in ("قوات الأمن", "قوات الشرطة")} == {NameSource.composed}


def test_a_nisba_inside_a_title_names_no_institution() -> None:
    actors = _actors("وقال وزير الخارجية المصري سامح شكري إن الحوار مستمر.")
    assert list(actors) == ["سامح شكري"]
    assert actors["سامح شكري"].title_en == "Egyptian foreign minister"


def test_officials_of_any_state_are_titled_by_its_adjective() -> None:
    actors = _actors("وقال الرئيس النيجيري محمد بخاري إن الهجمات لن تمر.")
    person = actors["محمد بخاري"]
    assert (person.title_en, person.name_en_source) == ("Nigerian president", NameSource.transliterated)


def test_a_deputy_after_a_name_is_not_part_of_it() -> None:
    actors = _actors("وقالت السفيرة الأمريكية كارولاين كينيدي ونائبة وزير الخارجية إن الوضع صعب.")
    assert "كارولاين كينيدي" in actors


def test_states_of_the_region_act_and_are_places_after_a_locative() -> None:
    actors = _actors("وأدانت الجزائر الهجوم. وقتل 3 أشخاص في الصومال.")
    assert actors["الجزائر"].name_en == "Algeria"
    assert actors["الجزائر"].name_en_source is NameSource.gazetteer
    assert "الصومال" not in actors


def test_an_organisation_after_a_proclitic_is_named_without_it() -> None:
    assert "منظمة أطباء الميدان" in _actors("وقال متحدث باسم الأهالي لمنظمة أطباء الميدان إن الوضع صعب.")


def test_a_group_named_with_the_noun_that_says_what_it_is_keeps_the_noun() -> None:
    actors = _actors("وأعلن تنظيم داعش مسؤوليته عن الهجوم، بينما نفت جماعة الحوثي ذلك.")
    assert {name: a.name_en for name, a in actors.items()} == {
        "تنظيم داعش": "Islamic State",
        "جماعة الحوثي": "Houthis",
    }


def test_officers_named_after_their_rank() -> None:
    actors = _actors("وقال العقيد الركن محسن عبد الله الغلابي إن القوات تتقدم.")
    assert actors["محسن عبد الله الغلابي"].title_en == "Colonel"


def test_a_leader_named_after_a_word_of_leading() -> None:
    actors = _actors("وطالب ائتلاف النهضة بزعامة خالد المنصوري الحكومة بالاستقالة.")
    assert actors["ائتلاف النهضة"].kind is ActorKind.other
    assert actors["خالد المنصوري"].title_en == "Leader"


def test_a_speaker_named_right_after_the_verb_when_a_boundary_closes_the_name() -> None:
    actors = _actors("وقال كمال الهلباوي، إن الحوار ضروري. وقال مصدر أمني إن الوضع هادئ.")
    assert list(actors) == ["كمال الهلباوي"]
    assert actors["كمال الهلباوي"].title_en is None
    assert "ضرورة وقف" not in _actors("وأكد ضرورة وقف القتال فورا.")


def test_a_spokesperson_for_a_body_the_gazetteer_does_not_know() -> None:
    actors = _actors("وقال المتحدث باسم المقاومة الجنوبية علي شايف الحريري إن المعارك مستمرة.")
    assert "علي شايف الحريري" in actors


def test_new_heads_name_organisations() -> None:
    actors = _actors("وأعلنت كتيبة الفاروق وحزب المستقبل ومفوضية الانتخابات موقفها.")
    assert {a.kind for a in actors.values()} == {ActorKind.armed_group, ActorKind.other}
    assert set(actors) == {"كتيبة الفاروق", "حزب المستقبل", "مفوضية الانتخابات"}


def test_an_epithet_names_its_entry_only_where_the_article_names_the_country() -> None:
    elsewhere = _actors("وقال المتمردون إن قوات النظام انسحبت من المدينة اليمنية.")
    assert {a.name_en for a in elsewhere.values()} & {
        "Syrian armed opposition",
        "Syrian government forces",
    } == set()
    syrian = _actors("وقال المتمردون إن قوات النظام انسحبت من ريف حمص في سوريا.")
    assert {a.name_en for a in syrian.values()} == {"Syrian armed opposition", "Syrian government forces"}


def test_bodies_of_a_place_and_of_an_organisation() -> None:
    actors = _actors(
        "وقال متحدث باسم شرطة قندوز إن بعثة الأمم المتحدة في العراق والتلفزيون الكاميروني أكدوا ذلك."
    )
    assert {name: a.name_en for name, a in actors.items()} == {
        "شرطة قندوز": "Kunduz police",
        "بعثة الأمم المتحدة في العراق": "United Nations mission in Iraq",
        "التلفزيون الكاميروني": "Cameroonian television",
    }


def test_a_rank_after_a_given_name_is_a_family_name() -> None:
    assert _actors("وقتل العقيد حسان الشيخ أثناء وجود أولاده.")["حسان الشيخ"].title_en == "Colonel"
    assert not [a for a in digest_of("وقتل حسان الشيخ أثناء وجود أولاده.").actors if a.title_en == "Sheikh"]


def test_a_direction_after_a_town_is_not_part_of_its_name() -> None:
    digest = digest_of("قتل 9 أشخاص في هجوم انتحاري في مدينة كولوفاتا أقصى جنوب البلاد.")
    location = digest.figures[0].location
    assert location is not None and location.name_ar == "كولوفاتا"
