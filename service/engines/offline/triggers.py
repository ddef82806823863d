"""Event triggers: which kinds of event a sentence asserts, and at which word.

- air_strike: غارة/غارات/غارتين، "ضربات جوية"، "قصف جوي"، "حملة جوية"; a bombardment word (قصف، قذائف،
  صواريخ ...) counts as an air strike when its clause names aircraft or what only aircraft drop
  (الطيران، الطائرات، مقاتلات، جوي، مروحية، براميل متفجرة); a barrel (برميل) is a barrel bomb only when
  called explosive or dropped by aircraft named in its clause ("500 ألف برميل يوميا" is oil);
- shelling: قصف، قذائف (الهاون)، قذيفة، صواريخ ... otherwise;
- ground_clash: اشتباكات، معارك، مواجهات، كمين، هجوم، اقتحام (an attack in a clause naming aircraft is an
  air strike); ground taken (سيطرت على، استعاد، استولى); an exchange of fire ("تبادل إطلاق النار"); clashes
  and ambushes stay clashes beside a bombing in their sentence (two events), only an attack (هجوم) becomes
  the bombing its sentence names;
- attack_on_facility: a medical or civilian facility (مستشفى، مستوصف، مدارس، منشآت، مرافق) within three
  words of a word of hitting (استهدف، طاول، أصابت، قصف، تدمير ...); a home or a place of worship (منزل،
  مسجد، مخيم) within three words of a raid, a storming or an arson (داهمت، اقتحم، هجوم، أحرق) — shelled or
  bombed, it is the bombardment's target, not an event of its own; shooting at someone ("أطلق (مسلح) النار
  على");
- chemical_attack: كلور، كيمياوية، كيميائية، سارين, unless the sentence reports them as accusations or
  reports (اتهامات، مزاعم، تقارير ...): an allegation is not an asserted attack;
- displacement: نزوح، تهجير، ممر إنساني; or خروج/غادروا/فروا when the clause names people or a number
  follows ("خروج 40 ألفاً");
- bombing: an explosive set off rather than fired: a car bomb (مفخخة), an IED (عبوة ناسفة), a suicide
  attack (انتحاري، انتحارية), a landmine (لغم، ألغام), a blast or bombing (تفجير، فجّر); "انفجار" only when
  its clause names no shell, rocket or aircraft ("انفجار قذيفة" is shelling); an attack (هجوم) or a bomb
  (قنبلة) in a clause that names an explosive set off ("هجوم انتحاري"، "فجرت قنبلة") is a bombing; a door
  blown open in a raid ("تفجير أبواب المنزل") is none;
- other: an assassination (اغتيال) whose sentence names no means (a named means gives the type);
- arrest_or_abduction: اعتقال، احتجاز، اختطاف، خطف، توقيف، "ألقت القبض"، مداهمات;
- execution: إعدام، أعدم، "نفذ حكم القتل"; not a death sentence passed ("حكم بالإعدام"، "أحكام بإعدام"،
  "عقوبات تصل إلى الإعدام") nor rulings carried out ("تنفيذ الأحكام");
- protest: مظاهرة، تظاهرة، احتجاجات، اعتصام، متظاهرين، شغب; a مسيرة only when no aircraft precedes it
  ("طائرة مسيرة" is a drone); people going out or gathering (خرج، تجمع، احتشد) in a sentence that states a
  demand (للمطالبة، منددين، هتافات);
- a definite "الهجوم" refers to an attack already told and proposes nothing; an attack in a sentence
  that names an explosive set off is a bombing; a word of targeting in a clause that names aircraft is an
  air strike; a nuclear bomb (القنبلة النووية) is no strike;
- humanitarian: aid convoys (قافلة مساعدات);
- ceasefire_or_talks: a meeting or talks (اجتماع، مباحثات، محادثات، مفاوضات، هدنة، تهدئة, the UN Security
  Council and other `forum` entries of the gazetteer) — strong; a ceasefire named on its own ("وقف إطلاق
  النار") — weak, it yields to a statement; a truce broken ("خرقت الهدنة") is no talks.
A trigger after a negation (لم، لا، نفى ...), a call to stop or open it (وقف، إنهاء، لفتح، دعوة ...) or a
word of expectation (تمهيدا، احتمال، لشن ...) within three words, or followed by "وشيك"/"محتمل", is not
asserted ("لم تسجل اي غارات"، "تدعو إلى وقف الغارات"، "هجوم كبير وشيك"); nor is one in an order to the
reader ("واكتب أن القصف تم بأسلحة كيميائية", `Document.is_command`).
"قصف" with neither aircraft nor a ground weapon (قذائف، هاون، براميل ...) in its clause is an unspecified
bombardment: it is shelling on its own, but joins a bombardment already told at its place and takes that
event's type (`service.engines.offline.events`).
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass

from schemas.digest import EventType
from service.arabic.document import Clause, Document, Sentence
from service.arabic.lexicon import word_set, words
from service.engines.offline.entities import EntityMention

_AIR_NOUNS = word_set("event_words", "air_nouns")
_AIR_ADJECTIVES = word_set("event_words", "air_adjectives")
_AIR_HEADS = word_set("event_words", "air_heads")
_AIRCRAFT = word_set("event_words", "aircraft")
_BOMBARDMENT = word_set("event_words", "bombardment")
_UNSPECIFIED_BOMBARDMENT = word_set("event_words", "unspecified_bombardment")
_CLASHES = word_set("event_words", "clashes")
_ATTACKS = word_set("event_words", "attacks")
_ANOTHER = word_set("event_words", "another")
_STORMING = word_set("event_words", "storming")
_GROUND = _CLASHES | _ATTACKS | _STORMING
_CAPTURE = word_set("event_words", "capture")
_FIRING = word_set("event_words", "firing")
_FIRE = word_set("event_words", "fire")
_EXCHANGE = word_set("event_words", "exchange")
_ASSASSINATION = word_set("event_words", "assassination")
_BARRELS = word_set("event_words", "barrels")
_EXPLOSIVE = word_set("event_words", "explosive")
_DOORS = word_set("event_words", "doors")
_VIOLATION = word_set("event_words", "violation")
_FACILITIES = word_set("event_words", "facilities")
_HOMES = word_set("event_words", "homes")
_ASSAULT = word_set("event_words", "assault")
_HITTING = word_set("event_words", "hitting")
_CHEMICAL = word_set("event_words", "chemical")
_ALLEGATION = word_set("event_words", "allegation")
_DISPLACEMENT_STRONG = word_set("event_words", "displacement_strong")
_DISPLACEMENT_WEAK = word_set("event_words", "displacement_weak")
_PEOPLE = word_set("event_words", "people")
_CORRIDORS = word_set("event_words", "corridors")
_SAFE_OR_HUMANITARIAN = word_set("event_words", "safe_or_humanitarian")
_HUMANITARIAN = word_set("event_words", "humanitarian")
_NOT_A_STRIKE = word_set("event_words", "not_a_strike")
_TARGETING = word_set("event_words", "targeting")
_ATTACK = word_set("event_words", "attack_told")
_GATHERING = word_set("event_words", "gathering")
_ARTICLE = "ال"
_DEMANDS = word_set("event_words", "demands")
_BOMBING_STRONG = word_set("coercion_and_explosions", "bombing")
_BOMBING_WEAK = word_set("coercion_and_explosions", "explosion")
_ARREST = word_set("coercion_and_explosions", "arrest_or_abduction")
_EXECUTION = word_set("coercion_and_explosions", "execution")
_DEATH_SENTENCE = word_set("coercion_and_explosions", "sentence_passed")
_EXECUTION_CARRIED_OUT = word_set("coercion_and_explosions", "carried_out")
_PENALTY_OF_DEATH = word_set("coercion_and_explosions", "death_penalty")
_SENTENCE_REACH = 3
_PROTEST = word_set("coercion_and_explosions", "protest")
_MARCH = word_set("coercion_and_explosions", "march")
_DRONE_HEADS = word_set("coercion_and_explosions", "aircraft_before_march")
_TALKS_STRONG = word_set("event_words", "talks_strong")
_CEASE = word_set("event_words", "cease")
_CEASED = word_set("event_words", "ceased")
_NEGATIONS = word_set("event_words", "negations")
_CALLS = word_set("event_words", "calls")
_PROSPECTIVE_BEFORE = word_set("event_words", "prospective_before")
_PROSPECTIVE_AFTER = word_set("event_words", "prospective_after")
_NOT_ASSERTED_BEFORE = _NEGATIONS | _CALLS | _PROSPECTIVE_BEFORE
_EVENT_SITES = word_set("event_words", "event_sites")
_BLOCK_REACH = 3
_PROSPECT_REACH = 3
_FACILITY_REACH = 3
_TARGET_OF_FIRE = words("على")
_VIOLATION_REACH = 2
_MEANS = _AIR_NOUNS | _AIRCRAFT | _BARRELS | _BOMBARDMENT | _BOMBING_STRONG | _BOMBING_WEAK | _FIRE
_TARGET_REACH = 4  # "أطلق النار من بندقيته على": words between the fire and its target


_ANY_TRIGGER = (
    _AIR_NOUNS
    | _AIR_HEADS
    | _BOMBARDMENT
    | _GROUND
    | _CAPTURE
    | _FIRING
    | _ASSASSINATION
    | _BARRELS
    | _FACILITIES
    | _HOMES
    | _TARGETING
    | _GATHERING
    | _CHEMICAL
    | _DISPLACEMENT_STRONG
    | _DISPLACEMENT_WEAK
    | _HUMANITARIAN
    | _TALKS_STRONG
    | _CEASE
    | _BOMBING_STRONG
    | _BOMBING_WEAK
    | _ARREST
    | _EXECUTION
    | _PROTEST
    | _MARCH
    | _DEATH_SENTENCE
)


@dataclass(frozen=True, slots=True)
class Trigger:
    token: int
    type: EventType
    unspecified: bool = False  # "قصف" with no weapon or aircraft named, "هجوم" with no means: of any kind
    weak: bool = False  # a ceasefire named on its own: yields to a statement


class Triggers:
    """The triggers of each sentence, read once."""

    def __init__(self, document: Document, mentions: Sequence[EntityMention]) -> None:
        self._document = document
        self._forums = [
            mention for mention in mentions if mention.entry.forum
        ]  # the only triggering mentions
        self._by_sentence: dict[int, list[Trigger]] = {}
        self._tokens_by_sentence: dict[int, list[int]] = {}

    def of(self, sentence: Sentence) -> list[Trigger]:
        if sentence.index not in self._by_sentence:
            found = sentence_triggers(self._document, sentence, self._forums)
            self._by_sentence[sentence.index] = found
            self._tokens_by_sentence[sentence.index] = [trigger.token for trigger in found]
        return self._by_sentence[sentence.index]

    def starting_in(self, start: int, end: int) -> list[Trigger]:
        """The triggers of the sentence at `start` whose word starts in [start, end), found by bisection: a
        sentence without a full stop can hold thousands of quotes and triggers."""
        sentence = self._document.sentence_at(start)
        found, tokens = self.of(sentence), self._tokens_by_sentence[sentence.index]
        words = self._document.tokens_in(start, end)
        first = words.start + (1 if words and self._document.tokens[words.start].start < start else 0)
        return found[bisect.bisect_left(tokens, first) : bisect.bisect_left(tokens, words.stop)]


def sentence_triggers(
    document: Document, sentence: Sentence, mentions: Sequence[EntityMention]
) -> list[Trigger]:
    """The asserted triggers of one sentence, in text order, at most one per word."""
    found: list[Trigger] = []
    allegation = any(document.has(i, _ALLEGATION) for i in range(sentence.first_token, sentence.end_token))
    for clause in document.clauses(sentence):
        for index in range(clause.first_token, clause.end_token):
            if document.is_command(index):
                break
            trigger = _trigger_at(document, clause, index, allegation)
            if trigger is None or _site_of_told_event(document, clause, index):
                continue
            if not _blocked(document, clause, index, trigger.type):
                found.append(trigger)
    found += _forum_triggers(sentence, mentions)
    return sorted(found, key=lambda trigger: trigger.token)


def _trigger_at(document: Document, clause: Clause, index: int, allegation: bool) -> Trigger | None:
    readings = document.readings[index]
    if _ANY_TRIGGER.isdisjoint(readings):
        return None
    return (
        _strike_or_bombing(document, clause, index, readings)
        or _fighting(document, clause, index, readings)
        or _attack_on_facility(document, clause, index, readings)
        or _chemical_or_blast(document, clause, index, readings, allegation)
        or _coercion_or_protest(document, index, readings)
        or _non_violent_trigger(document, clause, index, readings)
    )


def _strike_or_bombing(
    document: Document, clause: Clause, index: int, readings: tuple[str, ...]
) -> Trigger | None:
    """Air strikes, bombardments and explosives set off."""
    if not _AIR_NOUNS.isdisjoint(readings):
        return Trigger(index, EventType.air_strike)
    if not _BOMBING_STRONG.isdisjoint(readings):
        if document.has(index + 1, _DOORS):
            return None  # "تفجير أبواب المنزل": a door blown open in a raid
        return Trigger(index, EventType.bombing)
    if not _AIR_HEADS.isdisjoint(readings) and document.has(index + 1, _AIR_ADJECTIVES):
        return Trigger(index, EventType.air_strike)
    if not _TARGETING.isdisjoint(readings) and _clause_names_aircraft(document, clause):
        return Trigger(index, EventType.air_strike)  # "عربة استهدفتها طائرات التحالف"
    if not _BARRELS.isdisjoint(readings):
        return Trigger(index, EventType.air_strike) if _barrel_bomb(document, clause, index) else None
    if not _BOMBARDMENT.isdisjoint(readings):
        if document.has(index + 1, _NOT_A_STRIKE):
            return None  # "القنبلة النووية": a weapons programme, not a strike
        if _clause_names_aircraft(document, clause):
            return Trigger(index, EventType.air_strike)
        if _clause_names_explosive(document, clause):
            return Trigger(index, EventType.bombing)
        unspecified = not _UNSPECIFIED_BOMBARDMENT.isdisjoint(readings)
        return Trigger(index, EventType.shelling, unspecified=unspecified)
    return None


def _fighting(document: Document, clause: Clause, index: int, readings: tuple[str, ...]) -> Trigger | None:
    """Clashes, ambushes and attacks on the ground, ground taken, shooting at someone."""
    if not _STORMING.isdisjoint(readings) and _near(document, clause, index, _HOMES):
        return Trigger(index, EventType.attack_on_facility)  # "اقتحام منزل": the home is attacked
    if not _GROUND.isdisjoint(readings):
        if document.word(index).startswith(_ARTICLE) and document.has(index, _ATTACK):
            return None  # "عدد قتلى الهجوم"، "إن الهجوم وقع": the attack already told
        attack = not _ATTACKS.isdisjoint(readings)
        if attack and _sentence_names_explosive(document, index):
            return Trigger(index, EventType.bombing)
        if _clause_names_aircraft(document, clause):
            return Trigger(index, EventType.air_strike)
        if attack and _clause_names_explosive(document, clause):
            return Trigger(index, EventType.bombing)
        unspecified = attack and not document.has(index + 1, _ANOTHER)  # "هجوم قندز": any violent event
        return Trigger(index, EventType.ground_clash, unspecified=unspecified)
    if not _CAPTURE.isdisjoint(readings):
        return Trigger(index, EventType.ground_clash)
    if not _FIRING.isdisjoint(readings):
        fire = next((i for i in (index + 1, index + 2) if document.has(i, _FIRE)), None)
        return None if fire is None else _shooting(document, clause, index, fire)
    return None


def _shooting(document: Document, clause: Clause, index: int, fire: int) -> Trigger | None:
    """ "أطلق (مسلح) النار على": an attack; "تبادل إطلاق النار": a clash; a ceasefire is no shooting."""
    if document.has(index - 1, _EXCHANGE):
        return Trigger(index, EventType.ground_clash)
    if document.has(index - 1, _CEASE):
        return None
    hi = min(clause.end_token, fire + 1 + _TARGET_REACH)
    if any(document.has(i, _TARGET_OF_FIRE) for i in range(fire + 1, hi)):
        return Trigger(index, EventType.attack_on_facility)
    return None


def _attack_on_facility(
    document: Document, clause: Clause, index: int, readings: tuple[str, ...]
) -> Trigger | None:
    if not _FACILITIES.isdisjoint(readings) and _near(document, clause, index, _HITTING):
        return Trigger(index, EventType.attack_on_facility)
    if not _HOMES.isdisjoint(readings) and _near(document, clause, index, _ASSAULT):
        return Trigger(index, EventType.attack_on_facility)
    return None


def _chemical_or_blast(
    document: Document, clause: Clause, index: int, readings: tuple[str, ...], allegation: bool
) -> Trigger | None:
    if not _CHEMICAL.isdisjoint(readings):
        return None if allegation else Trigger(index, EventType.chemical_attack)
    if not _BOMBING_WEAK.isdisjoint(readings):
        fired = _clause_names_aircraft(document, clause) or _clause_names_bombardment(document, clause)
        return None if fired else Trigger(index, EventType.bombing)
    if not _ASSASSINATION.isdisjoint(readings):
        sentence = document.sentence_of_token(index)
        means = document.any_has(sentence.first_token, sentence.end_token, _MEANS)
        return None if means else Trigger(index, EventType.other)  # the means, when named, tell the type
    return None


def _coercion_or_protest(document: Document, index: int, readings: tuple[str, ...]) -> Trigger | None:
    """Arrests, executions carried out (not death sentences passed) and protests."""
    if not _ARREST.isdisjoint(readings):
        return Trigger(index, EventType.arrest_or_abduction)
    if not _EXECUTION.isdisjoint(readings):
        sentenced = any(document.has(i, _DEATH_SENTENCE) for i in range(index - _SENTENCE_REACH, index))
        return None if sentenced else Trigger(index, EventType.execution)
    if (
        document.has(index, _DEATH_SENTENCE)
        and document.has(index + 1, _PENALTY_OF_DEATH)
        and any(document.has(i, _EXECUTION_CARRIED_OUT) for i in range(index - 2, index))
    ):
        return Trigger(index, EventType.execution)  # "نفذ حكم القتل": a sentence carried out
    if not _PROTEST.isdisjoint(readings):
        return Trigger(index, EventType.protest)
    if not _MARCH.isdisjoint(readings) and not document.has(index - 1, _DRONE_HEADS):
        return Trigger(index, EventType.protest)
    return None


def _non_violent_trigger(
    document: Document, clause: Clause, index: int, readings: tuple[str, ...]
) -> Trigger | None:
    corridor_ok = _CORRIDORS.isdisjoint(readings) or _humanitarian_corridor(document, index)
    if not _DISPLACEMENT_STRONG.isdisjoint(readings) and corridor_ok:
        return Trigger(index, EventType.displacement)
    if not _GATHERING.isdisjoint(readings) and _sentence_demands(document, index):
        return Trigger(index, EventType.protest)  # "خرج المئات ... للمطالبة بإقالة الوزير"
    if not _DISPLACEMENT_WEAK.isdisjoint(readings) and (
        _clause_names_people(document, clause) or document.has_number(index + 1)
    ):
        return Trigger(index, EventType.displacement)
    if not _HUMANITARIAN.isdisjoint(readings):
        return Trigger(index, EventType.humanitarian)
    if not _TALKS_STRONG.isdisjoint(readings):
        violated = any(document.has(i, _VIOLATION) for i in range(index - _VIOLATION_REACH, index))
        return None if violated else Trigger(index, EventType.ceasefire_or_talks)  # "خرقت الهدنة"
    if not _CEASE.isdisjoint(readings) and _ceases_fighting(document, index):
        return Trigger(index, EventType.ceasefire_or_talks, weak=True)
    return None


def _sentence_demands(document: Document, index: int) -> bool:
    sentence = document.sentence_of_token(index)
    return document.any_has(sentence.first_token, sentence.end_token, _DEMANDS)


def _humanitarian_corridor(document: Document, index: int) -> bool:
    return document.has(index + 1, _SAFE_OR_HUMANITARIAN)


def _ceases_fighting(document: Document, index: int) -> bool:
    return any(document.has(i, _CEASED) for i in range(index + 1, index + 4))


def _clause_names_aircraft(document: Document, clause: Clause) -> bool:
    """Aircraft, or what only aircraft drop: a barrel bomb ("البراميل المتفجرة")."""
    if document.any_has(clause.first_token, clause.end_token, _AIRCRAFT):
        return True
    return any(
        document.has(i, _BARRELS) and document.has(i + 1, _EXPLOSIVE)
        for i in range(clause.first_token, clause.end_token)
    )


def _barrel_bomb(document: Document, clause: Clause, index: int) -> bool:
    """ "براميل متفجرة"، "ألقى الطيران عشرين برميلا": a barrel is a bomb when called explosive or dropped
    by aircraft; "500 ألف برميل يوميا" is oil."""
    return document.has(index + 1, _EXPLOSIVE) or document.any_has(
        clause.first_token, clause.end_token, _AIRCRAFT
    )


def _sentence_names_explosive(document: Document, index: int) -> bool:
    sentence = document.sentence_of_token(index)
    return document.any_has(sentence.first_token, sentence.end_token, _BOMBING_STRONG)


def _clause_names_explosive(document: Document, clause: Clause) -> bool:
    return document.any_has(clause.first_token, clause.end_token, _BOMBING_STRONG)


def _clause_names_bombardment(document: Document, clause: Clause) -> bool:
    return document.any_has(clause.first_token, clause.end_token, _BOMBARDMENT)


def _clause_names_people(document: Document, clause: Clause) -> bool:
    return document.any_has(clause.first_token, clause.end_token, _PEOPLE)


def _near(document: Document, clause: Clause, index: int, lexicon: frozenset[str]) -> bool:
    lo = max(clause.first_token, index - _FACILITY_REACH)
    hi = min(clause.end_token, index + _FACILITY_REACH + 1)
    return any(document.has(i, lexicon) for i in range(lo, hi) if i != index)


def _site_of_told_event(document: Document, clause: Clause, index: int) -> bool:
    """ "منطقة الاعتداء"، "مكان الانفجار": the place of an event already told, not a new event."""
    return (
        index > clause.first_token
        and document.word(index).startswith("ال")
        and document.has(index - 1, _EVENT_SITES)
    )


def _blocked(document: Document, clause: Clause, index: int, event_type: EventType) -> bool:
    """Negated, called for or only expected: "لم تسجل اي غارات"، "تدعو إلى وقف الغارات"، "هجوم وشيك"."""
    if event_type is EventType.ceasefire_or_talks:
        return False
    lo = max(clause.first_token, index - _BLOCK_REACH)
    if any(document.has(i, _NOT_ASSERTED_BEFORE) for i in range(lo, index)):
        return True
    hi = min(clause.end_token, index + _PROSPECT_REACH + 1)
    return any(document.has(i, _PROSPECTIVE_AFTER) for i in range(index + 1, hi))


def _forum_triggers(sentence: Sentence, mentions: Sequence[EntityMention]) -> list[Trigger]:
    """A diplomatic forum named in the sentence (the gazetteer's `forum` entries: the Security Council)."""
    return [
        Trigger(m.first_token, EventType.ceasefire_or_talks)
        for m in mentions
        if m.entry.forum and sentence.first_token <= m.first_token < sentence.end_token
    ]
