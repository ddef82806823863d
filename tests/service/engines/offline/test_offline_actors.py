"""Actors: gazetteer names read in context, people found by their titles, organisations and places found
by the words that introduce them (sentences written for these tests)."""

from __future__ import annotations

import pytest
from helpers_offline import digest_of

from schemas.digest import ActorKind, NameSource


def _actors(text: str) -> dict[str, ActorKind]:
    return {actor.name_en: actor.kind for actor in digest_of(text).actors}


def test_every_gazetteer_actor_is_an_actor_with_all_its_mentions() -> None:
    digest = digest_of("قال المرصد السوري إن الغارات مستمرة. وأكد المرصد أن قوات النظام تتقدم.")
    observatory = next(a for a in digest.actors if a.name_en == "Syrian Observatory for Human Rights")
    assert [m.text for m in observatory.mentions] == ["المرصد السوري", "المرصد"]


def test_a_state_after_a_locative_is_a_place_and_acting_is_an_actor() -> None:
    assert "Syria" not in _actors("استمر القصف في سوريا وفي أنحاء سوريا.")
    assert _actors("وطالبت فرنسا بوقف القتال.")["France"] is ActorKind.government


def test_a_capital_that_speaks_stands_for_its_state() -> None:
    digest = digest_of("واعتبرت موسكو أن الدعوة غير واقعية. وعقد اجتماع في موسكو.")
    russia = next(a for a in digest.actors if a.name_en == "Russia")
    assert [m.text for m in russia.mentions] == ["موسكو"]


def test_a_state_that_qualifies_a_title_is_not_an_actor() -> None:
    assert "Syria" not in _actors("وقال مندوب سوريا لدى الأمم المتحدة إن الوضع مستقر.")


def test_a_person_named_after_a_title_is_an_actor_with_that_title() -> None:
    digest = digest_of("وقال وزير الخارجية التركي مولود جاويش أوغلو إن بلاده تتابع الوضع.")
    person = next(a for a in digest.actors if a.kind is ActorKind.person)
    assert person.name_ar == "مولود جاويش أوغلو"
    assert person.title_en == "Turkish foreign minister"


@pytest.mark.parametrize(
    ("text", "name_ar", "title_en"),
    [
        (
            "وأعلن رئيس الوزراء الأردني سمير الخطيب أن الحكومة ستعيد فتح المعبر.",
            "سمير الخطيب",
            "Jordanian prime minister",
        ),
        ("وقال وزير النفط خالد الربيعي إن الصادرات توقفت.", "خالد الربيعي", "Oil minister"),
        ("وقالت مستشارة الأمن القومي جين كارتر إن واشنطن تتابع.", "جين كارتر", "National security adviser"),
        ("وأكد رئيس البرلمان نبيل سعد أن الجلسة أرجئت.", "نبيل سعد", "Speaker of parliament"),
    ],
)
def test_an_office_of_several_words_or_a_portfolio_completes_a_title(
    text: str, name_ar: str, title_en: str
) -> None:
    person = next(a for a in digest_of(text).actors if a.kind is ActorKind.person)
    assert (person.name_ar, person.title_en) == (name_ar, title_en)


def test_a_name_after_a_body_described_by_adjectives_and_its_place() -> None:
    digest = digest_of("وأكد قائد المجلس العسكري للمدينة حسن داود أن الطريق مفتوح.")
    assert [a.name_ar for a in digest.actors if a.kind is ActorKind.person] == ["حسن داود"]


def test_an_office_without_a_name_names_nobody() -> None:
    assert not [
        a
        for a in digest_of("وقال رئيس الوزراء للصحفيين إن الحكومة ستعمل.").actors
        if a.kind is ActorKind.person
    ]


@pytest.mark.parametrize(
    "text",
    [
        "وقالت وسائل إعلام محلية إن الجسر أغلق.",
        "وذكرت صحيفة محلية أن الجسر أغلق.",
        "وقالت صحف عبرية إن الجسر أغلق.",
    ],
)
def test_media_that_report_are_an_unnamed_source_not_a_person(text: str) -> None:
    digest = digest_of(text)
    assert not [a for a in digest.actors if a.kind is ActorKind.person]
    assert digest.quotes[0].speaker_actor_id is None


def test_an_appositive_name_after_a_title() -> None:
    digest = digest_of("وقال مدير مستشفى البلدة، سامي الحلبي، إن الجرحى كثيرون.")
    assert [a.name_ar for a in digest.actors if a.kind is ActorKind.person] == ["سامي الحلبي"]


def test_words_after_a_bare_title_are_not_a_name() -> None:
    assert not [
        a for a in digest_of("وقالت مديرة قسم الطوارئ: الوضع صعب.").actors if a.kind is ActorKind.person
    ]


def test_unknown_organisations_are_found_by_their_head_noun() -> None:
    text = "وأفادت منظمة أطباء الميدان بأن قوات الحرس الوطني قصفت البلدة، ونفت جبهة الأحرار الموحدة ذلك."
    actors = [(actor.name_ar, actor.kind, actor.name_en) for actor in digest_of(text).actors]
    assert actors == [
        ("منظمة أطباء الميدان", ActorKind.ngo, "Organisation Atba al-Midan"),  # a name: romanised
        ("قوات الحرس الوطني", ActorKind.state_force, "national guard forces"),  # descriptive: composed
        ("جبهة الأحرار الموحدة", ActorKind.armed_group, "Front Al-Ahrar al-Muhda"),
    ]


@pytest.mark.parametrize(
    ("text", "name_ar", "name_en"),
    [
        (
            "وقالت قوات الاحتلال الإسرائيلي إنها اعتقلت شابين.",
            "قوات الاحتلال الإسرائيلي",
            "Israeli occupation forces",
        ),
        ("وقالت قوات مكافحة الإرهاب إنها استعادت الحي.", "قوات مكافحة الإرهاب", "counter-terrorism forces"),
        ("ورحبت حكومة الوفاق الوطني بالاتفاق.", "حكومة الوفاق الوطني", "national accord government"),
        ("وطالب مجلس المحافظة بإرسال تعزيزات.", "مجلس المحافظة", "provincial council"),
        ("وقال المجلس العسكري إن القوات انسحبت.", "المجلس العسكري", "military council"),
        (
            "وأعلنت حكومة الإقليم الشمالي أن المستشفيات تعمل.",
            "حكومة الإقليم الشمالي",
            "northern regional government",
        ),
        ("وقال المجلس المحلي للبلدة إن الفرق تعمل.", "المجلس المحلي للبلدة", "local council of the town"),
    ],
)
def test_a_name_of_descriptive_words_is_composed_in_english(text: str, name_ar: str, name_en: str) -> None:
    actors = {actor.name_ar: actor for actor in digest_of(text).actors}
    assert actors[name_ar].name_en == name_en
    assert actors[name_ar].name_en_source is NameSource.composed


def test_a_defined_head_noun_refers_back_and_names_nothing() -> None:
    assert _actors("ونفت الجبهة الاتهام.") == {}


def test_unknown_places_are_found_by_their_head_noun() -> None:
    digest = digest_of("قتل 5 مدنيين في قصف على بلدة كفر نجمة.")
    location = digest.figures[0].location
    assert location is not None and location.name_ar == "كفر نجمة"


def test_the_closing_source_line_names_the_outlet() -> None:
    digest = digest_of("قصف على دوما.\nالمصدر: الشرق")
    assert [(a.name_ar, a.kind) for a in digest.actors] == [("الشرق", ActorKind.media)]
