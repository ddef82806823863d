"""The ACLED families of schema 1.1 (bombings, arrests and abductions, executions, protests) and the
metrics detained and missing, on sentences written for these tests."""

from __future__ import annotations

import pytest
from helpers_offline import digest_of, figure_at

from schemas.digest import EventType, Metric


def _types(text: str) -> list[EventType]:
    return [event.type for event in digest_of(text).events]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("انفجرت سيارة مفخخة قرب سوق شعبي في مدينة الحلة.", EventType.bombing),
        ("فجر انتحاري حزاما ناسفا داخل مسجد في المدينة.", EventType.bombing),
        ("أصيب ثلاثة جنود بانفجار عبوة ناسفة على طريق سريع.", EventType.bombing),
        ("قتل راع بانفجار لغم أرضي في منطقة حدودية.", EventType.bombing),
        ("وهز انفجار عنيف وسط العاصمة صباح اليوم.", EventType.bombing),
        ("اعتقلت قوات الأمن خمسة مطلوبين في حملة مداهمات.", EventType.arrest_or_abduction),
        ("اختطف مسلحون مجهولون صحفيا أثناء عودته إلى منزله.", EventType.arrest_or_abduction),
        ("وألقت الشرطة القبض على المتهم بعد ساعات من الحادث.", EventType.arrest_or_abduction),
        ("أعدم التنظيم عشرة رجال في ساحة عامة.", EventType.execution),
        ("ونفذت السلطات حكم القتل بحق الجاني.", EventType.execution),
        ("خرج آلاف المتظاهرين في مظاهرة حاشدة وسط المدينة.", EventType.protest),
        ("نظم الأهالي اعتصاما احتجاجا على انقطاع الكهرباء.", EventType.protest),
        ("انطلقت مسيرة شعبية تطالب برحيل الحكومة.", EventType.protest),
    ],
)
def test_new_family_triggers(text: str, expected: EventType) -> None:
    assert expected in _types(text)


@pytest.mark.parametrize(
    ("text", "absent"),
    [
        ("انفجرت قذيفة هاون في ساحة البلدة.", EventType.bombing),  # a fired shell is shelling
        ("أسقطت الدفاعات الجوية طائرة مسيرة فوق المدينة.", EventType.protest),  # a drone is no march
        ("أصدرت المحكمة حكما بالإعدام على المتهمين.", EventType.execution),  # a sentence passed
        ("لم تسجل أي اعتقالات خلال الاحتفالات.", EventType.arrest_or_abduction),  # negated
        ("ودعت المنظمة إلى وقف الإعدامات فورا.", EventType.execution),  # called for
    ],
)
def test_shells_drones_sentences_and_negations_are_not_these_events(text: str, absent: EventType) -> None:
    assert absent not in _types(text)


def test_a_shell_that_explodes_is_shelling() -> None:
    assert _types("انفجرت قذيفة هاون في ساحة البلدة.") == [EventType.shelling]


@pytest.mark.parametrize(
    ("text", "phrase", "metric", "value"),
    [
        ("واعتقلت الشرطة 25 شخصا خلال المظاهرة.", "25 شخصا", Metric.detained, 25),
        ("ولا يزال التنظيم يحتجز 12 مختطفا من أبناء القرية.", "12 مختطفا", Metric.detained, 12),
        ("وأفرج التنظيم عن 12 مختطفا من أبناء القرية.", "12 مختطفا", Metric.other, 12),  # released
        ("وأعدمت الميليشيا 9 أسرى في الجبهة.", "9 أسرى", Metric.killed, 9),  # executed
        ("ولا يزال 40 معتقلا في سجون الميليشيا.", "40 معتقلا", Metric.detained, 40),
        ("وما زال 7 أشخاص مفقودين تحت الأنقاض.", "7 أشخاص", Metric.missing, 7),
        ("وأعلنت فرق الإنقاذ عن 15 مفقودا بعد غرق القارب.", "15 مفقودا", Metric.missing, 15),
    ],
)
def test_detained_and_missing_figures(text: str, phrase: str, metric: Metric, value: int) -> None:
    figure = figure_at(digest_of(text), text, phrase)
    assert (figure.metric, figure.value) == (metric, value)


def test_a_detention_figure_belongs_to_the_arrest() -> None:
    digest = digest_of("اعتقلت قوات الأمن 30 شخصا في حملة مداهمات بالمدينة.")
    [event] = [e for e in digest.events if e.type is EventType.arrest_or_abduction]
    detained = [f for f in digest.figures if f.metric is Metric.detained]
    assert [f.event_id for f in detained] == [event.id]


def test_families_are_not_detainees() -> None:
    text = "ونزحت عشرات الأسر من القرية."
    assert figure_at(digest_of(text), text, "عشرات الأسر").metric is not Metric.detained


def test_rulings_carried_out_are_no_execution() -> None:
    assert EventType.execution not in _types("وطالبت الحكومة بتنفيذ الأحكام القضائية بحق المتهمين.")
    assert EventType.execution not in _types("ويعاقب القانون بعقوبات تصل إلى الإعدام.")


def test_a_committee_on_detainees_counts_no_detainees() -> None:
    text = "واتفق الطرفان على تشكيل لجنة فنية من 12 عضوا لمتابعة ملف المعتقلين."
    assert [f.metric for f in digest_of(text).figures if f.metric is Metric.detained] == []


@pytest.mark.parametrize(
    "text",
    [
        "وقتل خمسة أشخاص في هجوم انتحاري استهدف سوقا شعبية.",  # an attack by a suicide bomber
        "فجرت امرأة قنبلة كانت بحوزتها قرب حاجز أمني.",  # a bomb set off, not dropped
    ],
)
def test_an_attack_or_a_bomb_that_is_set_off_is_a_bombing(text: str) -> None:
    assert _types(text) == [EventType.bombing]


def test_an_assault_on_homes_is_one_attack_on_a_facility() -> None:
    assert _types("وأصيب ثلاثة أشخاص في الهجوم على منزلين في القرية.") == [EventType.attack_on_facility]
    assert _types("داهمت قوة خاصة منزل المواطن فجر اليوم.") == [EventType.attack_on_facility]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("خرج المئات من المواطنين في ساحة البلدة للمطالبة بإقالة المحافظ.", [EventType.protest]),
        ("أصيب جنديان عندما استهدفت طائرات التحالف عربة عسكرية.", [EventType.air_strike]),
        ("وقتل عشرة أشخاص في هجوم جديد على حاجز، بعد أسبوع من تفجيرين انتحاريين.", [EventType.bombing]),
        ("ويمنع الاتفاق إيران من امتلاك القنبلة النووية.", []),  # a weapons programme
    ],
)
def test_marches_with_demands_targeting_aircraft_and_nuclear_bombs(
    text: str, expected: list[EventType]
) -> None:
    assert _types(text) == expected


def test_the_attack_already_told_proposes_no_new_event() -> None:
    text = "انفجرت سيارة مفخخة في سوق المدينة. وارتفع عدد قتلى الهجوم إلى 20 شخصا."
    assert _types(text) == [EventType.bombing]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ألقت المروحيات عشرة براميل على أحياء المدينة.", [EventType.air_strike]),  # dropped by aircraft
        ("وتعرضت البلدة لقصف بالبراميل المتفجرة منذ الصباح.", [EventType.air_strike]),
        ("ويصدر الحقل 300 ألف برميل يوميا منذ رفع العقوبات.", []),  # barrels of oil
        ("وقتل أربعة جنود في كمين نصبه مسلحون على طريق المطار.", [EventType.ground_clash]),
        ("وسيطرت القوات الحكومية على ثلاث قرى بعد معارك عنيفة.", [EventType.ground_clash]),
        ("واستعاد المقاتلون بلدة صغيرة على الطريق الدولي.", [EventType.ground_clash]),
        ("وأطلق مسلح النار من مسدسه على موظف في البنك.", [EventType.attack_on_facility]),
        ("ودارت اشتباكات وتبادل لإطلاق النار قرب الحاجز.", [EventType.ground_clash]),
        ("وأعلن الطرفان وقف إطلاق النار اعتبارا من الليلة.", [EventType.ceasefire_or_talks]),
        ("واتهم الأهالي القوات بخرق الهدنة في الحي.", []),  # a truce broken is not talks
        ("ودارت اشتباكات في القرية وقامت القوات بتفجير أبواب المنازل.", [EventType.ground_clash]),  # doors
        ("وقتل القيادي في عملية اغتيال قرب منزله.", [EventType.other]),  # the means not named
        ("واغتيل القيادي بعبوة ناسفة زرعت في سيارته.", [EventType.bombing]),  # the means named
    ],
)
def test_barrels_ambushes_ground_taken_shooting_truces_doors_and_assassinations(
    text: str, expected: list[EventType]
) -> None:
    assert _types(text) == expected


def test_clashes_and_the_suicide_bombings_beside_them_are_two_events() -> None:
    text = "وقتل 12 مقاتلا في اشتباكات بين الطرفين وتفجيرين انتحاريين نفذهما التنظيم شرق المدينة."
    assert sorted(_types(text)) == [EventType.bombing, EventType.ground_clash]


def test_storming_a_home_is_an_attack_on_it() -> None:
    assert _types("وتم اقتحام منزل الأسير للمرة الثالثة هذا العام.") == [EventType.attack_on_facility]


def test_an_accusation_by_a_government_is_a_statement() -> None:
    text = "واتهمت الحكومة العراقية جهات خارجية بتأجيج الصراع في البلاد."
    assert _types(text) == [EventType.statement]


def test_a_party_telling_a_toll_is_its_source_not_a_statement() -> None:
    told = digest_of("وقالت الحكومة اليمنية إن 14 مدنيا قتلوا في المدينة.")
    assert EventType.statement not in [event.type for event in told.events]
    assert _types("وقالت الحكومة اليمنية إنها ترفض أي حوار مع المتمردين.") == [EventType.statement]


def _event_places(text: str) -> list[str | None]:
    return [event.location.name_ar if event.location else None for event in digest_of(text).events]


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("وقتل خمسة جنود في كمين في منطقة الوادي الأخضر بمحافظة تعز.", "الوادي الأخضر"),
        ("وسيطرت القوات على مديرية بيحان الاستراتيجية في المحافظة.", "بيحان"),
        ("وقتل ثلاثة مقاتلين في معارك في جبهة صرواح غرب المدينة.", "صرواح"),
        ("وأعدم المسلحون أسيرين بجبهة «الكدحة» قبل يومين.", "الكدحة"),
        ("واستعاد المقاتلون قرية «الحويز» بعد معارك.", "الحويز"),
    ],
)
def test_places_named_by_their_head_fronts_and_quoted_names(text: str, place: str) -> None:
    assert place in _event_places(text)


@pytest.mark.parametrize(
    "text",
    [
        "وانفجرت سيارة مفخخة في حي شعبي مكتظ بالسكان.",
        "ومن ناحية ثانية، اعتقلت الشرطة خمسة أشخاص.",
        "وأغلقت الشرطة منطقة الانفجار واعتقلت عددا من المشتبه بهم.",
        "وقتل ثلاثة جنود في انفجار عبوة ناسفة في منطقة الحدود.",
    ],
)
def test_words_that_describe_a_place_do_not_name_one(text: str) -> None:
    assert _event_places(text) == [None] * len(digest_of(text).events)


def test_a_front_group_stays_a_group() -> None:
    digest = digest_of("وقال مقاتلون في جبهة النصرة إنهم سيطروا على البلدة.")
    assert "Jabhat al-Nusra" in {actor.name_en for actor in digest.actors}


def test_a_place_is_named_as_the_article_spells_it() -> None:
    assert _event_places("وقتل عشرة أشخاص في تفجير انتحاري في إقليم قندز.") == ["قندز"]
    assert _event_places("وقتل عشرة أشخاص في تفجير انتحاري في قندوز.") == ["قندوز"]


def test_an_attack_with_no_means_told_joins_the_violent_event_at_its_place() -> None:
    text = "انفجرت سيارة مفخخة في مدينة الحلة فقتل عشرة أشخاص. وأعلن التنظيم مسؤوليته عن هجوم الحلة."
    assert _types(text) == [EventType.bombing]
    other = "انفجرت سيارة مفخخة في مدينة الحلة. وفي هجوم آخر قتل مسلحون ثلاثة جنود."
    assert _types(other) == [EventType.bombing, EventType.ground_clash]


def test_the_person_who_leads_the_speaker_is_not_the_speaker() -> None:
    digest = digest_of("وطالب ائتلاف النصر بزعامة حيدر العبادي الحكومة بإجراء إصلاحات عاجلة.")
    [statement] = [event for event in digest.events if event.type is EventType.statement]
    names = {a.id: a.name_ar for a in digest.actors}
    assert [names[actor.actor_id] for actor in statement.actors] == ["ائتلاف النصر"]


def test_an_outlet_named_in_marks_after_its_head() -> None:
    digest = digest_of("وذكرت صحيفة (الأخبار اليومية) أن الوزير استقال أمس.")
    assert [(a.name_ar, a.kind.value) for a in digest.actors] == [("الأخبار اليومية", "media")]
