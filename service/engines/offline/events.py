"""Events: what happened, where, when and who took part, from the triggers of each sentence.

Per sentence, each asserted trigger (`triggers`) proposes an event located by the places
of its clause (else its sentence; states are not event places). A verb of stance (أعلن، اعتبر، أكد، تعهد،
أدان، أيد) or of call (دعا، طالب، ناشد) whose subject is a party — a government, an international body, a
force or group, or an official of a government or body, but not a monitor or a media outlet — makes the
sentence a statement ("فرنسا تدعو"، "اعتبرت موسكو"، "طالب ممثلو الوكالات الأممية"، "اتهمت الحكومة"); plain
قال/قالت does only for a government or body itself ("قالت الخارجية السورية"); a verb of saying or declaring
in a sentence that tells a toll (killed, injured..., or both together) makes its subject the toll's
source, not a statement. A statement is proposed when the sentence asserts no other event, or whatever
else it asserts when the verb is a call; a ceasefire named on its own in a statement is its object, not talks.

Headings propose no events (they announce what the body tells). A trigger in a clause dated by a past
year tells a past campaign (background: "انتهت أواخر 2016 بتهجير السكان") and proposes an event of type
`other`. A bombardment in the clause of an attack on a facility is that attack's means, not an event of
its own.

Merging, within a section (the text between subheadings), so one attack told in five sentences is one
event: a proposal joins the latest event of the same type whose place is the same or unknown on either
side; an unspecified bombardment ("قصف" with no aircraft or weapon named) joins the latest bombardment
whose place contains its place, taking that event's type, and an event told so far only as unspecified
bombardment takes the type of the first air strike or shelling that joins it; statements join the latest
statement of the same party (the state or body, or the one a person belongs to). Two events with
different times stated ("الليلة الماضية" / "ليلة الخميس") stay apart, and so do two of one type told apart by
ordinals ("التفجير الأول" / "التفجير الثاني"). A violent event told right after a
sentence-opening "وكان" ("وكانت انتحاريتان نفذتا تفجيرين أسفرا عن مقتل 13 شخصا في مروة", within four words)
is an earlier incident: it joins no event before it (later sentences may join it); so is one told after
"بعد أسابيع من"، "بعد مرور 12 ساعة على". A flow of people is
told over the whole article: a displacement joins the latest displacement from the same known place in
an earlier section too ("أعلن النظام خروج 40 ألفا من الغوطة" ... a subheading ... "أكثر من 40 ألف مدني خرجوا
من الغوطة").

Actors of an event come from its clauses: armed actors are perpetrators, or targets after "على"، "ضد"،
"مواقع"، "استهداف"; sources of its sentences are reporters; statements and talks have participants.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass, field

from schemas.digest import ActorKind, ActorRole, EventType, Location, Metric
from schemas.metrics import HARM_METRICS, METRIC_FACTS, VIOLENT_EVENT_TYPES
from service.arabic.dates import TimeExpression
from service.arabic.document import Document, Sentence
from service.arabic.gazetteer import Gazetteer
from service.arabic.lexicon import is_one_of, stems, word_set, words
from service.engines.offline.attribution import Attributions
from service.engines.offline.entities import EntityMention
from service.engines.offline.figures import FigureDraft
from service.engines.offline.metrics import TIME_NOUNS, names_killed_or_injured
from service.engines.offline.periods import MONTHS, WEEKDAYS
from service.engines.offline.places import Places
from service.engines.offline.triggers import Trigger, Triggers

_ARMED_KINDS = frozenset({ActorKind.state_force, ActorKind.armed_group})
_POLITICAL_KINDS = frozenset({ActorKind.government, ActorKind.international_org})
_TARGET_MARKERS = word_set("places", "target_markers")
_CALL_VERBS = word_set("reported_speech", "calling")
_STANCE_VERBS = word_set("reported_speech", "calling", "committing", "declaring", "expressing", "accusing")
_TELLING_VERBS = word_set("reported_speech", "saying", "declaring")  # tell what happened: a toll's source
_SAYING_VERBS = words("قال", "قالت")  # a statement only from a government or body itself, not an official
_NOT_STATEMENT_KINDS = frozenset({ActorKind.media, ActorKind.ngo})
_SUBJECT_WORDS = word_set("titles", "statement_titles")
_LEADERSHIP = word_set("titles", "leadership")
_TIME_WORDS = word_set("time_words", "today", "yesterday", "weekdays")
_SUBJECT_REACH = 6
_ACTOR_REACH = 8  # words between a trigger and an actor of its event
# "مناطق سيطرة قوات النظام"، "تسيطر عليها المعارضة": an actor named as controller, not attacker
_NOT_AGENT_MARKERS = word_set("places", "not_agent_markers")
_BOMBARDMENTS = frozenset({EventType.air_strike, EventType.shelling})
_MEANS_OF_ATTACK = _BOMBARDMENTS | {EventType.ground_clash}  # "الهجوم على منزلين": the attack is on a home
_PLUPERFECT = word_set("event_words", "pluperfect")
_ORDINALS = word_set("event_words", "ordinals")
_AFTER = words("بعد")
_SINCE_THE = words("من", "على")  # "بعد أسابيع من"، "بعد 12 ساعة على"
_AFTER_REACH = 5  # words from "بعد" to its time noun: "بعد مرور أقل من 12 ساعة"
_EARLIER_INCIDENT_REACH = 16  # words from "بعد" to the figure: "بعد أسابيع من الهجوم على فندق في سوسة خلف 38"
_PLUPERFECT_REACH = 4  # words from the opening "وكان" to the trigger of the earlier incident
_EARLIER_TRIGGER_REACH = 8  # words after a figure of an earlier incident to its trigger ("34 شخصا في انفجار")


@dataclass
class EventDraft:
    type: EventType
    section: int
    trigger_tokens: list[int]
    sentences: list[Sentence]
    location: Location | None
    when: TimeExpression | None
    party: str | None = None  # statements: who speaks (a state or body)
    unspecified_only: bool = True  # every trigger so far was an unspecified bombardment ("قصف")
    ordinal: str | None = None  # "التفجير الثاني": which of several incidents of its type
    actors: dict[tuple[str, str], tuple[EntityMention, ActorRole]] = field(default_factory=dict)

    def add_actor(self, mention: EntityMention, role: ActorRole) -> None:
        self.actors.setdefault(mention.key, (mention, role))


@dataclass(frozen=True, slots=True)
class _Proposal:
    trigger: Trigger
    sentence: Sentence
    location: Location | None
    when: TimeExpression | None
    party: str | None
    speaker: EntityMention | None
    ordinal: str | None = None


class EventReader:
    def __init__(
        self,
        document: Document,
        gazetteer: Gazetteer,
        mentions: Sequence[EntityMention],
        places: Places,
        attributions: Attributions,
        times: Sequence[TimeExpression],
        triggers: Triggers,
        figures: Sequence[FigureDraft],
    ) -> None:
        self._triggers = triggers
        self._toll_sentences = {
            document.sentence_of_token(figure.number.first).index
            for figure in figures
            if figure.metric in HARM_METRICS or _killed_or_injured_together(document, figure)
        }
        self._document = document
        self._gazetteer = gazetteer
        self._mentions = list(mentions)
        self._actors = sorted(
            (m for m in mentions if not m.is_place), key=lambda mention: mention.first_token
        )
        self._actor_tokens = [mention.first_token for mention in self._actors]
        self._actor_ending: dict[int, EntityMention] = {}
        for mention in self._actors:
            self._actor_ending.setdefault(mention.last_token, mention)
        self._places = places
        self._attributions = attributions
        self._times = list(times)

    def read(self) -> list[EventDraft]:
        events: list[EventDraft] = []
        for sentence in self._document.sentences:
            for proposal in self._proposals(sentence):
                self._merge_or_add(events, proposal)
        return events

    # proposals ---------------------------------------------------------------------------------------
    def _proposals(self, sentence: Sentence) -> list[_Proposal]:
        if sentence.heading:
            return []
        triggers = [
            self._as_background(t) for t in _without_means(self._document, self._triggers.of(sentence))
        ]
        statement = self._statement_subject(sentence)
        asserted = [t for t in triggers if not (t.weak and statement is not None)]
        proposals: list[_Proposal] = []
        if statement is not None and (not asserted or self._document.has(statement[1], _CALL_VERBS)):
            trigger = Trigger(statement[1], EventType.statement)
            party = self._party(statement[0])
            when = self._when(sentence, trigger.token)
            proposals.append(_Proposal(trigger, sentence, None, when, party, statement[0]))
        seen: set[tuple[EventType, str | None, str | None]] = set()
        for trigger in asserted:
            location = self._location(sentence, trigger)
            ordinal = self._ordinal(trigger)
            key = (trigger.type, location.name_en if location else None, ordinal)
            if key in seen:
                continue
            seen.add(key)
            when = self._when(sentence, trigger.token)
            proposals.append(_Proposal(trigger, sentence, location, when, None, None, ordinal))
        return proposals

    def _ordinal(self, trigger: Trigger) -> str | None:
        """ "في التفجير الثاني": the ordinal right after the trigger's noun."""
        following = trigger.token + 1
        if following >= len(self._document.tokens) or not self._document.has(following, _ORDINALS):
            return None
        return self._document.word(following)

    def _as_background(self, trigger: Trigger) -> Trigger:
        """A trigger in a clause dated by a past year tells a past campaign: an event of type `other`."""
        if self._document.is_background(self._document.clause_of_token(trigger.token)):
            return Trigger(trigger.token, EventType.other)
        return trigger

    def _location(self, sentence: Sentence, trigger: Trigger) -> Location | None:
        if trigger.type in (EventType.statement,):
            return None
        clause = self._document.clause_of_token(trigger.token)
        found = self._places.in_tokens(clause.first_token, clause.end_token)
        if found is None and trigger.type in VIOLENT_EVENT_TYPES | {EventType.displacement}:
            found = self._places.in_tokens(sentence.first_token, sentence.end_token)
        return found

    def _when(self, sentence: Sentence, token: int) -> TimeExpression | None:
        clause = self._document.clause_of_token(token)
        in_clause = [t for t in self._times if clause.first_token <= t.first_token < clause.end_token]
        in_sentence = [t for t in self._times if sentence.first_token <= t.first_token < sentence.end_token]
        candidates = in_clause or in_sentence
        return min(candidates, key=lambda t: abs(t.first_token - token)) if candidates else None

    def _statement_subject(self, sentence: Sentence) -> tuple[EntityMention, int] | None:
        """(speaker, verb token) of a verb of stance whose subject is a political actor; a verb that tells
        a toll ("قال ... إن 22 شخصا قتلوا"، "أكدت البعثة أن 1332 عراقيا قتلوا") makes its subject the toll's
        source, not the maker of a statement."""
        tells_a_toll = sentence.index in self._toll_sentences
        for index in range(sentence.first_token, sentence.end_token):
            saying = self._document.has(index, _SAYING_VERBS)
            if not (saying or self._document.has(index, _STANCE_VERBS)):
                continue
            if tells_a_toll and self._document.has(index, _TELLING_VERBS):
                continue
            subject = self._subject_near(index, sentence)
            if subject is None or not self._speaks_for_a_party(subject):
                continue
            if not saying or subject.entry.actor_kind in _POLITICAL_KINDS:
                return subject, index
        return None

    def _subject_near(self, verb: int, sentence: Sentence) -> EntityMention | None:
        before = self._actor_ending.get(verb - 1)
        if before is not None:
            return before
        index = verb + 1
        while index < sentence.end_token and self._document.has(index, _TIME_WORDS):
            index += 1
        limit = min(index + _SUBJECT_REACH, sentence.end_token)
        after = self._actors[
            bisect.bisect_left(self._actor_tokens, index) : bisect.bisect_left(self._actor_tokens, limit)
        ]
        if not after:
            return None
        if after[0].first_token != index and not self._document.has(index, _SUBJECT_WORDS):
            return None
        persons = [
            m
            for m in after
            if m.entry.kind == ActorKind.person and not self._document.has(m.first_token - 1, _LEADERSHIP)
        ]  # "طالب ائتلاف الوطنية بزعامة اياد علاوي": the coalition speaks, led by the person
        return persons[0] if persons else after[0]

    def _speaks_for_a_party(self, mention: EntityMention) -> bool:
        """Governments, bodies, forces and groups make statements; monitors and media report."""
        if mention.entry.actor_kind is not ActorKind.person:
            return mention.entry.actor_kind not in _NOT_STATEMENT_KINDS
        affiliation = mention.entry.affiliation
        entry = self._gazetteer.entry(affiliation, place=False) if affiliation else None
        return entry is not None and entry.actor_kind in _POLITICAL_KINDS

    def _party(self, speaker: EntityMention) -> str:
        if speaker.entry.kind == ActorKind.person and speaker.entry.affiliation:
            return speaker.entry.affiliation
        return speaker.entry.name_en

    # merging -----------------------------------------------------------------------------------------
    def _merge_or_add(self, events: list[EventDraft], proposal: _Proposal) -> None:
        target = self._merge_target(events, proposal)
        if target is None:
            target = EventDraft(
                type=proposal.trigger.type,
                section=proposal.sentence.section,
                trigger_tokens=[],
                sentences=[],
                location=proposal.location or _sibling_place(events, proposal),
                when=proposal.when,
                party=proposal.party,
            )
            events.append(target)
        if not proposal.trigger.unspecified:
            if target.unspecified_only and target.type is not proposal.trigger.type:
                target.type = proposal.trigger.type
            target.unspecified_only = False
        target.trigger_tokens.append(proposal.trigger.token)
        if proposal.sentence not in target.sentences:
            target.sentences.append(proposal.sentence)
        target.location = target.location or proposal.location
        target.when = target.when or proposal.when
        target.ordinal = target.ordinal or proposal.ordinal
        self._add_actors(target, proposal)

    def _merge_target(self, events: Sequence[EventDraft], proposal: _Proposal) -> EventDraft | None:
        if self._earlier_incident(proposal):
            return None
        for event in reversed(events):
            if event.section == proposal.sentence.section:
                # "التفجير الثاني" after "التفجير الأول": a new incident, joining no older one
                if _told_apart(event, proposal):
                    return None
                if self._joins(event, proposal):
                    return event
            elif proposal.trigger.type is not EventType.displacement:
                return None
            elif _same_known_place(event, proposal) and self._joins(event, proposal):
                return event  # a flow of people from one place goes on across sections
        return None

    def _earlier_incident(self, proposal: _Proposal) -> bool:
        """ "وكانت انتحاريتان نفذتا تفجيرين ...": an event told right after the sentence's opening "وكان"."""
        first = proposal.sentence.first_token
        if proposal.trigger.type not in VIOLENT_EVENT_TYPES:
            return False
        if _after_an_earlier_incident(self._document, proposal.trigger.token) is not None:
            return True  # "بعد مرور أقل من 12 ساعة على مقتل 34 شخصا في انفجار بمدينة جومب"
        return (
            self._document.has(first, _PLUPERFECT) and 0 < proposal.trigger.token - first <= _PLUPERFECT_REACH
        )

    def _joins(self, event: EventDraft, proposal: _Proposal) -> bool:
        trigger = proposal.trigger
        if _different_times(self._document, event.when, proposal.when):
            return False
        if trigger.type is EventType.statement:
            return event.type is EventType.statement and event.party == proposal.party
        bombardments = event.type in _BOMBARDMENTS and trigger.type in _BOMBARDMENTS
        if bombardments and (trigger.unspecified or event.unspecified_only):
            return self._place_within(event.location, proposal.location)
        attack = trigger.type is EventType.ground_clash and trigger.unspecified
        if attack and event.type in VIOLENT_EVENT_TYPES:
            return self._place_within(event.location, proposal.location)
        if event.type is not trigger.type:
            return False
        return event.location is None or proposal.location is None or event.location == proposal.location

    def _place_within(self, outer: Location | None, inner: Location | None) -> bool:
        if outer is None or inner is None:
            return True
        return self._places.contains(outer, inner)

    # actors ------------------------------------------------------------------------------------------
    def _add_actors(self, event: EventDraft, proposal: _Proposal) -> None:
        if proposal.speaker is not None:
            event.add_actor(proposal.speaker, ActorRole.participant)
        sources = {
            a.actor.key for a in self._attributions.in_sentence(proposal.sentence) if a.actor is not None
        }
        clause = self._document.clause_of_token(proposal.trigger.token)
        token = proposal.trigger.token
        first = bisect.bisect_left(self._actor_tokens, max(clause.first_token, token - _ACTOR_REACH))
        end = bisect.bisect_left(self._actor_tokens, min(clause.end_token, token + _ACTOR_REACH + 1))
        for mention in self._actors[first:end]:  # in the clause and within reach of the trigger
            if mention.key not in sources:
                role = self._role(event.type, mention)
                if role is not None:
                    event.add_actor(mention, role)
        if event.type is not EventType.statement:
            for attribution in self._attributions.in_sentence(proposal.sentence):
                if attribution.actor is not None:
                    event.add_actor(attribution.actor, ActorRole.reporter)

    def _role(self, event_type: EventType, mention: EntityMention) -> ActorRole | None:
        if event_type in VIOLENT_EVENT_TYPES or event_type is EventType.arrest_or_abduction:
            if mention.entry.actor_kind not in _ARMED_KINDS | {ActorKind.government}:
                return None
            before = self._document.word(mention.first_token - 1)
            if is_one_of(before, _NOT_AGENT_MARKERS):
                return None
            return ActorRole.target if is_one_of(before, _TARGET_MARKERS) else ActorRole.perpetrator
        if event_type is EventType.ceasefire_or_talks:
            return ActorRole.participant if mention.entry.actor_kind is not ActorKind.media else None
        return None


def _without_means(document: Document, triggers: Sequence[Trigger]) -> list[Trigger]:
    """A bombardment or an assault in the same clause as an attack on a facility is the attack's means, not
    an event of its own: "في قصف للفصائل طاول مستشفى"، "استهدفت مشفى ... بقذيفة صاروخية"، "في الهجوم على
    منزلين"."""
    facility_clauses = {
        document.clause_of_token(t.token) for t in triggers if t.type is EventType.attack_on_facility
    }
    return [
        t
        for t in triggers
        if not (t.type in _MEANS_OF_ATTACK and document.clause_of_token(t.token) in facility_clauses)
    ]


def _killed_or_injured_together(document: Document, figure: FigureDraft) -> bool:
    """ "خمسة آلاف مدني أصيبوا أو قتلوا"، "مئات القتلى والجرحى": a toll of harm, though of no one metric."""
    if figure.metric is not Metric.other:
        return False
    clause = document.clause_of_token(figure.number.first)
    return names_killed_or_injured(document, clause.first_token, clause.end_token)


def _told_apart(event: EventDraft, proposal: _Proposal) -> bool:
    """Two incidents of one type with different ordinals ("التفجير الأول" / "التفجير الثاني")."""
    return (
        event.type is proposal.trigger.type
        and None not in (event.ordinal, proposal.ordinal)
        and event.ordinal != proposal.ordinal
    )


def _sibling_place(events: Sequence[EventDraft], proposal: _Proposal) -> Location | None:
    """ "قتل 43 في التفجير الأول، بينما قتل سبعة آخرون في التفجير الثاني": the second of two incidents told
    apart by ordinals happened where the first did, unless its clause names another place."""
    sibling = next((event for event in reversed(events) if _told_apart(event, proposal)), None)
    return sibling.location if sibling is not None and sibling.section == proposal.sentence.section else None


def _same_known_place(event: EventDraft, proposal: _Proposal) -> bool:
    return event.location is not None and event.location == proposal.location


def _different_times(document: Document, first: TimeExpression | None, second: TimeExpression | None) -> bool:
    if first is None or second is None:
        return False
    return _normalised(document, first) != _normalised(document, second)


def _normalised(document: Document, time: TimeExpression) -> str:
    return " ".join(document.word(index) for index in range(time.first_token, time.last_token + 1))


def link_figures(
    document: Document,
    events: Sequence[EventDraft],
    figures: Sequence[FigureDraft],
    places: Places,
    times: Sequence[TimeExpression],
) -> list[int | None]:
    """The event (index) of each figure: an event of a fitting type told in the figure's sentence, nearest
    trigger first; for a figure in a heading, else the first such event of the lead (the heading's next
    sentence that is no heading: a headline tells what its lead tells); else, for a toll, the violent
    event of its section at its place, unless the figure's sentence dates it apart (another day stated,
    "ومساء الجمعة، قتل أحد عشر شخصا" beside an event of Saturday, or a month, "أسفر عن مقتل 38 شخصا في
    منتصف يونيو الماضي": an earlier incident at the same place is not the news). A figure told after "بعد
    أسابيع من" in its clause ("وذلك بعد أسابيع من الهجوم على فندق في سوسة خلف 38 قتيلا") is the earlier
    incident's: only an event told there takes it. A subset goes with its total."""
    links: list[int | None] = []
    for figure in figures:
        if figure.part_of is not None:
            links.append(links[figure.part_of])
            continue
        links.append(_event_of(document, events, figure, places, times))
    return links


def _event_of(
    document: Document,
    events: Sequence[EventDraft],
    figure: FigureDraft,
    places: Places,
    times: Sequence[TimeExpression],
) -> int | None:
    sentence = document.sentence_of_token(figure.number.first)
    fitting = METRIC_FACTS[figure.metric].event_types
    here = [i for i, event in enumerate(events) if sentence in event.sentences]
    earlier = _after_an_earlier_incident(document, figure.number.first)
    if earlier is not None:  # only an event told after "بعد أسابيع من" is that incident
        told_there = range(earlier + 1, figure.number.last + _EARLIER_TRIGGER_REACH)
        here = [i for i in here if any(token in told_there for token in events[i].trigger_tokens)]
    candidates = [i for i in here if events[i].type in fitting] or here
    if earlier is not None:
        return candidates[0] if candidates else None
    if candidates:
        return min(
            candidates,
            key=lambda i: (
                events[i].location != figure.location,
                _trigger_distance(events[i], figure.number.first),
            ),
        )
    if sentence.heading:
        lead = next((s for s in document.sentences[sentence.index + 1 :] if not s.heading), None)
        in_lead = [i for i, event in enumerate(events) if lead in event.sentences and event.type in fitting]
        if in_lead:
            return in_lead[0]
    if figure.metric not in HARM_METRICS or figure.location is None:
        return None
    same_place = [
        i
        for i, event in enumerate(events)
        if event.section == sentence.section
        and event.type in VIOLENT_EVENT_TYPES
        and event.location is not None
        and places.contains(event.location, figure.location)
        and not _dated_apart(document, sentence, event, times)
    ]
    return same_place[0] if same_place else None


def _after_an_earlier_incident(document: Document, token: int) -> int | None:
    """ "وذلك بعد أسابيع من الهجوم على فندق في سوسة خلف 38 قتيلا"، "بعد مرور أقل من 12 ساعة على مقتل 34
    شخصا": the index of "بعد" when the clause of `token` tells, before it, what happened some time before
    the news."""
    clause = document.clause_of_token(token)
    for index in range(token - 1, max(clause.first_token, token - _EARLIER_INCIDENT_REACH) - 1, -1):
        if not document.has(index, _AFTER):
            continue
        reach = range(index + 1, min(index + 1 + _AFTER_REACH, token))
        time = next((i for i in reach if document.has(i, TIME_NOUNS)), None)
        if time is not None and document.has(time + 1, _SINCE_THE):
            return index
    return None


def _dated_apart(
    document: Document, sentence: Sentence, event: EventDraft, times: Sequence[TimeExpression]
) -> bool:
    """The sentence states a month ("في منتصف يونيو الماضي") or another weekday than the event's ("ومساء
    الجمعة، قتل ..." beside an event of Saturday; "صباح اليوم"، "أول من أمس" name no weekday to compare)."""
    if any(document.has(i, MONTHS) for i in range(sentence.first_token, sentence.end_token)):
        return True
    event_days = _weekdays(document, event.when) if event.when is not None else frozenset()
    stated = [t for t in times if sentence.first_token <= t.first_token < sentence.end_token]
    return any(event_days and _weekdays(document, time) - event_days for time in stated)


def _weekdays(document: Document, time: TimeExpression) -> frozenset[str]:
    return frozenset(
        stems(document.word(i))[-1]
        for i in range(time.first_token, time.last_token + 1)
        if document.has(i, WEEKDAYS)
    )


def _trigger_distance(event: EventDraft, token: int) -> int:
    return min(abs(trigger - token) for trigger in event.trigger_tokens)
