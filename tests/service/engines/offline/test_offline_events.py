"""Event rules on sentences written for these tests: triggers, negation, merging, actors, dates."""

from __future__ import annotations

import datetime as dt

import pytest
from helpers_offline import actor_name, digest_of

from schemas.digest import ActorRole, DatePrecision, EventType


def _types(text: str) -> list[EventType]:
    return [event.type for event in digest_of(text).events]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("شنت الطائرات الحربية غارات على بلدة زملكا.", EventType.air_strike),
        ("قصف الطيران الروسي مدينة سراقب.", EventType.air_strike),  # bombardment + aircraft
        ("سقطت قذائف الهاون على حي جوبر.", EventType.shelling),
        ("ألقت المروحيات براميل متفجرة على داريا.", EventType.air_strike),  # barrels are dropped from the air
        ("دارت اشتباكات عنيفة بين الطرفين في محيط حرستا.", EventType.ground_clash),
        ("استهدف القصف مستشفى ميدانيا في دوما.", EventType.attack_on_facility),
        ("ألقت طائرة قنابل تحتوي غاز الكلور على البلدة.", EventType.chemical_attack),
        ("تواصل نزوح المدنيين من البلدة عبر الممر الإنساني.", EventType.displacement),
        ("عقد مجلس الأمن الدولي جلسة طارئة حول الهدنة.", EventType.ceasefire_or_talks),
        ("دعت فرنسا إلى وقف فوري لإطلاق النار.", EventType.statement),
    ],
)
def test_sentence_triggers(text: str, expected: EventType) -> None:
    assert expected in _types(text)


@pytest.mark.parametrize(
    "text",
    [
        "لم تسجل أي غارات على المدينة اليوم.",  # negated
        "دعت المنظمة إلى وقف الغارات على المدنيين فورا.",  # called for, not asserted
        "وتتواتر تقارير عن حشود تمهيدا لهجوم واسع على البلدة.",  # expected, not happened
        "وقال إن الاتهامات باستخدام أسلحة كيمياوية مقلقة.",  # an accusation is not an asserted attack
    ],
)
def test_negated_called_for_expected_or_alleged_triggers_are_no_events(text: str) -> None:
    assert _types(text) == []


def test_one_attack_told_in_several_sentences_is_one_event() -> None:
    text = (
        "شنت الطائرات الحربية غارات عنيفة على مدينة دوما. وقال المرصد السوري إن الغارات استمرت طوال الليل. "
        "واستهدف القصف أحياء سكنية في دوما."
    )
    events = digest_of(text).events
    assert [e.type for e in events] == [EventType.air_strike]
    assert len(events[0].evidence) == 3


@pytest.mark.parametrize(
    "text",
    [
        "انفجرت سيارة مفخخة في سوق مدينة الحلة اليوم. وقال شهود إن قوات الأمن أغلقت منطقة الانفجار "
        "واعتقلت عددا من الأشخاص.",
        "سقطت قذائف على حي سكني في مدينة تعز. وانتشرت قوات الشرطة في محيط القصف بعد ساعة.",
    ],
)
def test_the_site_of_an_event_already_told_is_no_new_event_and_blames_no_one(text: str) -> None:
    digest = digest_of(text)
    violent = [e for e in digest.events if e.type is not EventType.arrest_or_abduction]
    assert len(violent) == 1, [e.description_en for e in digest.events]
    roles = {actor.role for actor in violent[0].actors}
    assert ActorRole.perpetrator not in roles, violent[0].description_en


def test_attacks_on_different_places_stay_apart() -> None:
    text = "شنت الطائرات غارات على دوما. وشنت الطائرات غارات على سراقب."
    places = [e.location.name_en for e in digest_of(text).events if e.location]
    assert places == ["Douma", "Saraqib"]


def test_a_bombardment_that_hits_a_hospital_is_an_attack_on_a_facility() -> None:
    assert _types("وقتل 3 مدنيين في قصف طاول مستشفى في حلب.") == [EventType.attack_on_facility]


def test_a_clause_dated_by_a_past_year_is_background() -> None:
    assert _types("وانتهت الحملة العسكرية على حلب أواخر 2016 بتهجير السكان.") == [EventType.other]


def test_perpetrators_targets_and_reporters() -> None:
    text = "وقال الدفاع المدني السوري إن قوات النظام قصفت مواقع المعارضة المسلحة في حرستا."
    digest = digest_of(text)
    roles = {actor_name(digest, a.actor_id): a.role for a in digest.events[0].actors}
    assert roles == {
        "Syrian government forces": ActorRole.perpetrator,
        "Syrian armed opposition": ActorRole.target,
        "Syrian Civil Defence": ActorRole.reporter,
    }


@pytest.mark.parametrize(
    ("when", "published", "expected"),
    [
        ("أمس", dt.date(2018, 2, 23), dt.date(2018, 2, 22)),
        ("صباح اليوم الأربعاء", dt.date(2018, 2, 21), dt.date(2018, 2, 21)),
        ("الخميس", dt.date(2018, 2, 23), dt.date(2018, 2, 22)),  # the most recent Thursday
        ("الجمعة", dt.date(2018, 2, 23), dt.date(2018, 2, 23)),  # ... on or before publication
        ("الجمعة الماضي", dt.date(2018, 2, 23), dt.date(2018, 2, 16)),  # "الماضي": strictly before
        ("ليلة الخميس الى الجمعة", dt.date(2018, 2, 24), dt.date(2018, 2, 22)),
        ("الليلة الماضية", dt.date(2018, 2, 23), dt.date(2018, 2, 22)),
    ],
)
def test_relative_dates_resolve_against_the_publication_date(
    when: str, published: dt.date, expected: dt.date
) -> None:
    text = f"شنت الطائرات غارات على بلدة زملكا {when}."
    event_time = digest_of(text, published).events[0].when
    assert event_time is not None
    assert (event_time.text_ar, event_time.date, event_time.precision) == (when, expected, DatePrecision.day)


def test_without_a_publication_date_the_phrase_stays_unresolved() -> None:
    event_time = digest_of("شنت الطائرات غارات على بلدة زملكا أمس.").events[0].when
    assert event_time is not None
    assert (event_time.text_ar, event_time.date, event_time.precision) == (
        "أمس",
        None,
        DatePrecision.unresolved,
    )


def test_since_is_a_period_not_a_date() -> None:
    assert digest_of("تواصلت الغارات على دوما منذ الخميس.").events[0].when is None


def test_figures_link_to_the_event_of_their_sentence() -> None:
    digest = digest_of("قتل 12 مدنيا في غارات جوية على مدينة دوما.")
    [event] = digest.events
    assert event.figure_ids == [digest.figures[0].id] and digest.figures[0].event_id == event.id


def test_evidence_is_the_sentence_verbatim() -> None:
    text = "مقدمة. شنت الطائرات غارات على بلدة زملكا؛ وتحدث ناشطون عن ضحايا."
    evidence = digest_of(text).events[0].evidence[0]
    assert evidence.text == "شنت الطائرات غارات على بلدة زملكا؛" == text[evidence.start : evidence.end]


def test_a_headline_toll_goes_with_the_event_its_lead_tells() -> None:
    headline = "عشرات القتلى في هجوم على مخيم للنازحين"
    text = f"{headline}\n\nقتل عشرات المدنيين في غارات جوية استهدفت مخيم الأمل قرب مدينة مأرب."
    digest = digest_of(text)
    toll = next(figure for figure in digest.figures if figure.span.start == 0)
    (event,) = [event for event in digest.events if event.type is EventType.air_strike]
    assert toll.event_id == event.id


def test_a_body_telling_a_toll_of_killed_or_injured_makes_no_statement() -> None:
    text = "وقالت الأمم المتحدة إن ما يقرب من خمسة آلاف مدني أصيبوا أو قتلوا في المعارك في البلاد."
    assert [event.type for event in digest_of(text).events if event.type is EventType.statement] == []
