"""Who says so: the attributions of each sentence, and the source they give a figure or a quote.

An attribution is anchored at a word:
- a reporting verb ("قال"، "أفادت"، "ذكر"، "أعلنت"، "نقلت" ...) whose subject follows it (Arabic news
  is mostly verb-first) or, failing that, precedes it in the same clause ("وكان الدفاع المدني ... قد ذكر");
- "نقلت X عن Y": Y, the original source, not the outlet that relays it;
- "وفقا لـ"، "حسب"، "بحسب"، "نقلا عن"، "طبقا لـ": the actor named right after.
The subject phrase is read for actors: a person named in it wins over the organisation before it
("مدير المرصد السوري رامي عبد الرحمن"); "مصادر في X" / "مصدر في X" is X when X is an actor; unnamed
sources ("أفادت مصادر"، "ناشطون") are attributions without an actor, so they still stop a farther
attribution from claiming the figure.

A sentence whose only reporting verb has no subject ("وأضاف أن"، "وتابعت") carries the attribution of the
previous sentence (headings skipped) when that sentence had exactly one, or, having no reporting verb,
named exactly one person ("أجرى دي ميستورا مباحثات ... وقال عقب لقائه ... إن"); with two or more the
antecedent is ambiguous and nothing is carried.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass

from schemas.digest import ActorKind
from service.arabic.document import Document, Sentence
from service.arabic.lexicon import is_one_of, word_set, words
from service.engines.offline.entities import EntityMention

REPORTING_VERBS = word_set("reported_speech", "saying", "declaring", "expressing", "relaying", "recording")
_RELAY_VERBS = word_set("reported_speech", "relaying", "quoting")
_FROM = words("عن")
_ACCORDING_TO = word_set("reported_speech", "according_to", "quoting")
_COMPLEMENTIZERS = word_set(
    "reported_speech", "complementizers", "complementizers_with_pronoun", "saying_nouns", "saying_participles"
)
_UNNAMED_SOURCES = word_set("titles", "unnamed_sources")
_WHAT = words("ما", "لما")
_PARTICIPLES = word_set("reported_speech", "saying_participles", "participles")
TIME_WORDS = word_set("time_words", "today", "yesterday", "weekdays", "day_parts", "past") | word_set(
    "reported_speech", "also"
)
TITLE_WORDS = word_set("titles", "speaker_titles")
_LINKS = words("في", "من", "ب", "لدى", "داخل", "باسم")
_SUBJECT_REACH = 7
_VERB_SECOND_REACH = 8
_ACCORDING_REACH = 4


@dataclass(frozen=True, slots=True)
class Attribution:
    token: int
    actor: EntityMention | None  # None: an unnamed or unknown source
    has_subject: bool  # False for a verb whose subject is a pronoun ("وأضاف أن")


class Attributions:
    """The attributions of every sentence, with the carry-over rule applied."""

    def __init__(self, document: Document, mentions: Sequence[EntityMention]) -> None:
        self._document = document
        self._actors = {m.first_token: m for m in mentions if not m.is_place}
        self._actor_tokens = sorted(self._actors)
        self._by_sentence = {s.index: self._read_sentence(s) for s in document.sentences}
        self._carried = self._carry_over()

    def in_sentence(self, sentence: Sentence) -> list[Attribution]:
        return self._by_sentence[sentence.index]

    def source_at(self, token: int) -> EntityMention | None:
        """The source of what is said at `token`: the nearest attribution before it in its sentence, else
        the nearest after it, else the one carried from the previous sentence."""
        sentence = self._document.sentence_of_token(token)
        anchors = [a for a in self._by_sentence[sentence.index] if a.has_subject]
        before = [a for a in anchors if a.token < token]
        if before:
            return before[-1].actor
        after = [a for a in anchors if a.token > token]
        if after:
            return after[0].actor
        return self._carried.get(sentence.index) if self._by_sentence[sentence.index] else None

    def speaker_for_pronoun(self, sentence: Sentence) -> EntityMention | None:
        """Who a pronoun subject of this sentence ("وقال"، "وأبدى اعتقاده"، "قال هو") refers to."""
        return self._carried.get(sentence.index)

    def actors_in(self, first: int, end: int) -> list[EntityMention]:
        tokens = self._actor_tokens
        return [
            self._actors[token]
            for token in tokens[bisect.bisect_left(tokens, first) : bisect.bisect_left(tokens, end)]
        ]

    # reading ---------------------------------------------------------------------------------------
    def _read_sentence(self, sentence: Sentence) -> list[Attribution]:
        found: list[Attribution] = []
        index = sentence.first_token
        while index < sentence.end_token:
            word = self._document.word(index)
            if is_one_of(word, _ACCORDING_TO) and not is_one_of(word, _RELAY_VERBS):
                actor = self._first_actor(index + 1, min(index + 1 + _ACCORDING_REACH, sentence.end_token))
                if actor is not None:
                    found.append(Attribution(index, actor, True))
            elif is_one_of(word, REPORTING_VERBS) or is_one_of(word, _RELAY_VERBS):
                found.append(self._verb_attribution(sentence, index))
            elif is_one_of(word, _PARTICIPLES):
                subject = self._main_subject(sentence, index)
                found.append(Attribution(index, subject, subject is not None))
            index += 1
        return found

    def _verb_attribution(self, sentence: Sentence, verb: int) -> Attribution:
        limit = min(verb + 1 + _SUBJECT_REACH, sentence.end_token)
        subject = self._subject_after(verb + 1, limit)
        if self._document.has(verb, _RELAY_VERBS):
            relayed = self._relayed_source(verb, sentence)
            if relayed is not None:
                return relayed
        if subject is not None:
            return Attribution(verb, subject[0], True)
        if self._unnamed_source_at(verb + 1):
            return Attribution(verb, None, True)
        before = self._subject_before(verb)
        if before is not None:
            return Attribution(verb, before, True)
        return Attribution(verb, None, False)

    def _relayed_source(self, verb: int, sentence: Sentence) -> Attribution | None:
        """ "نقلت X عن Y": Y (an actor, or an unnamed source)."""
        for index in range(verb + 1, min(verb + 1 + _VERB_SECOND_REACH, sentence.end_token)):
            if self._document.has(index, _FROM):
                limit = min(index + 1 + _SUBJECT_REACH, sentence.end_token)
                subject = self._subject_after(index + 1, limit)
                if subject is not None:
                    return Attribution(index, subject[0], True)
                return Attribution(index, None, True) if self._unnamed_source_at(index + 1) else None
        return None

    def _subject_after(self, first: int, limit: int) -> tuple[EntityMention, int] | None:
        """The actor of the subject phrase starting at `first` (a person in it wins), with its token.

        The phrase must open with an actor, a title or a source noun (after time words such as "أمس"):
        "وقال عقب لقائه لافروف" has no subject after the verb."""
        index = first
        while index < limit and self._skippable_before_subject(index):
            index += 1
        if index >= limit or not self._opens_subject(index):
            return None
        start, chosen = index, None
        while index < limit:
            if index > start and self._stops_phrase(index):
                break
            word = self._document.word(index)
            mention = self._actors.get(index)
            if mention is not None:
                if chosen is None or mention.entry.kind == ActorKind.person:
                    chosen = mention
                if mention.entry.kind == ActorKind.person:
                    break
                index = mention.last_token + 1
                continue
            if (
                chosen is None
                and is_one_of(word, _UNNAMED_SOURCES)
                and not self._source_of_group(index, limit)
            ):
                return None
            if is_one_of(word, _COMPLEMENTIZERS):
                break
            index += 1
        return (chosen, index) if chosen is not None else None

    def _skippable_before_subject(self, index: int) -> bool:
        word = self._document.word(index)
        return is_one_of(word, TIME_WORDS) or is_one_of(word, _WHAT) or is_one_of(word, REPORTING_VERBS)

    def _opens_subject(self, index: int) -> bool:
        word = self._document.word(index)
        return index in self._actors or is_one_of(word, TITLE_WORDS) or is_one_of(word, _UNNAMED_SOURCES)

    def _source_of_group(self, noun: int, limit: int) -> bool:
        """ "مصادر في المعارضة المسلحة": an unnamed-source noun linked to an actor right after it."""
        for index in range(noun + 1, min(noun + 4, limit)):
            if index in self._actors:
                return any(self._document.has(i, _LINKS) for i in range(noun + 1, index + 1))
        return False

    def _unnamed_source_at(self, index: int) -> bool:
        return self._document.has(index, _UNNAMED_SOURCES)

    def _stops_phrase(self, index: int) -> bool:
        gap = self._document.gap_before(index)
        return any(char in gap for char in ':،,.؛("«“')

    def _subject_before(self, verb: int) -> EntityMention | None:
        """A subject before its verb in the same clause: "وكان الدفاع المدني ... قد ذكر"."""
        clause = self._document.clause_of_token(verb)
        earliest = max(clause.first_token, verb - _VERB_SECOND_REACH)
        candidates = self.actors_in(earliest, verb)
        return min(candidates, key=lambda m: m.first_token) if candidates else None

    def _main_subject(self, sentence: Sentence, participle: int) -> EntityMention | None:
        """The subject a participle of speech ("مؤكدا"، "مضيفا") shares with its main clause: the person
        named before it in the sentence, else the first actor."""
        before = self.actors_in(sentence.first_token, participle)
        persons = [m for m in before if m.entry.kind == ActorKind.person]
        return persons[0] if persons else (before[0] if before else None)

    def _first_actor(self, first: int, limit: int) -> EntityMention | None:
        subject = self._subject_after(first, limit)
        return subject[0] if subject is not None else None

    def _carry_over(self) -> dict[int, EntityMention | None]:
        carried: dict[int, EntityMention | None] = {}
        previous: Sentence | None = None
        for sentence in self._document.sentences:
            if sentence.heading:
                continue
            if previous is not None:
                carried[sentence.index] = self._effective(previous, carried)
            previous = sentence
        return carried

    def _effective(
        self, sentence: Sentence, carried: dict[int, EntityMention | None]
    ) -> EntityMention | None:
        """Who the previous sentence leaves as the one speaking: its only attribution, or the one it
        carried itself, or, with no reporting verb at all, the only person it names."""
        anchors = self._by_sentence[sentence.index]
        explicit = [a for a in anchors if a.has_subject]
        if len(explicit) == 1:
            return explicit[0].actor
        if explicit:
            return None
        if anchors:
            return carried.get(sentence.index)
        persons = {
            m.key: m
            for m in self.actors_in(sentence.first_token, sentence.end_token)
            if m.entry.kind == ActorKind.person
        }
        return next(iter(persons.values())) if len(persons) == 1 else None
