"""Quotes with speakers, and an honest English gist of each.

Quotes and speaker phrases come from `service.arabic.quotes.find_quotes`. The speaker is the actor named in
the
speaker phrase (a person in it wins: "مدير المرصد السوري رامي عبد الرحمن" is the director, "مصادر في
المعارضة المسلحة" the armed opposition); a quote without a speaker phrase takes an actor named before its
verb in the same sentence (the subject of the main clause: "وكان السفير ... نيبنزيا ... مؤكدا أن"), else the
speaker carried from the previous sentence (`Attributions.speaker_for_pronoun`). Unnamed speakers
("سيدة"، "مصادر في الداخل") stay without an actor.

The quote's English is a gist (`gist_en`), NOT a translation (`text_en` stays null): this engine has no
translation model. The gist is composed only from
what the rules extracted inside the quote — its figures (with their metric, qualifier and subject), the
kinds of events its words name, its place and the actors it names — and it only says that the speaker
mentioned them, never what the speaker asserted about them: "Rami Abdel Rahman mentioned 4 civilians
killed and about 50 people injured in Aleppo.". When nothing was extracted from the quote, it says
only that: "<Speaker> made a statement."
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass

from schemas.digest import ActorKind, QuoteMode
from schemas.metrics import METRIC_FACTS
from service.arabic.document import Document
from service.arabic.lexicon import lookup, word_table
from service.arabic.quotes import QuoteMention
from service.engines.offline.attribution import Attributions
from service.engines.offline.english import (
    EVENT_PHRASES,
    actor_name,
    join,
    quantity,
    sentence,
)
from service.engines.offline.entities import EntityMention
from service.engines.offline.figures import FigureDraft
from service.engines.offline.places import Places
from service.engines.offline.triggers import Triggers

_PRONOUNS = frozenset({"هو", "هي", "هم", "هما"})
_UNNAMED_SPEAKERS = word_table("titles", "unnamed_speakers")


@dataclass(frozen=True, slots=True)
class QuoteDraft:
    start: int
    end: int
    mode: QuoteMode
    speaker: EntityMention | None
    gist_en: str


class QuoteReader:
    def __init__(
        self,
        document: Document,
        mentions: Sequence[EntityMention],
        attributions: Attributions,
        figures: Sequence[FigureDraft],
        places: Places,
        triggers: Triggers,
    ) -> None:
        self._triggers = triggers
        self._quote_ends: list[int] = []
        self._document = document
        self._places = places
        self._mentions = list(mentions)
        self._actors = sorted((m for m in mentions if not m.is_place), key=lambda mention: mention.start)
        self._actor_starts = [actor.start for actor in self._actors]
        self._attributions = attributions
        self._figures = list(figures)

    def read(self, quotes: Sequence[QuoteMention]) -> list[QuoteDraft]:
        self._quote_ends = sorted(quote.end for quote in quotes)
        drafts = []
        for quote in quotes:
            if quote.end <= quote.start or not self._document.text[quote.start : quote.end].strip():
                continue
            speaker = self._speaker(quote)
            label = self._speaker_label(quote, speaker)
            drafts.append(QuoteDraft(quote.start, quote.end, quote.mode, speaker, self._gist(quote, label)))
        return drafts

    # speakers ----------------------------------------------------------------------------------------
    def _speaker(self, quote: QuoteMention) -> EntityMention | None:
        sentence = self._document.sentence_at(quote.start)
        if quote.speaker_start is not None and quote.speaker_end is not None:
            if self._document.text[quote.speaker_start : quote.speaker_end].split()[0] in _PRONOUNS:
                return self._attributions.speaker_for_pronoun(sentence)
            named = self._actors_starting_in(quote.speaker_start, quote.speaker_end)
            return _person_first(named)
        floor = self._end_of_quote_before(quote, sentence.start)
        verb_start = self._verb_start(quote, floor)
        before = [m for m in self._actors_starting_in(floor, verb_start) if m.end <= verb_start]
        return _person_first(before) or self._attributions.speaker_for_pronoun(sentence)

    def _actors_starting_in(self, start: int, end: int) -> list[EntityMention]:
        first = bisect.bisect_left(self._actor_starts, start)
        return self._actors[first : bisect.bisect_left(self._actor_starts, end)]

    def _end_of_quote_before(self, quote: QuoteMention, floor: int) -> int:
        """Where the last quote before this one ends in its sentence: actors inside it are not speakers."""
        before = bisect.bisect_right(self._quote_ends, quote.start) - 1
        return max(floor, self._quote_ends[before]) if before >= 0 else floor

    def _verb_start(self, quote: QuoteMention, floor: int) -> int:
        """Where the quote's verb stands: its last occurrence before the quote, in the sentence."""
        position = self._document.text.rfind(quote.verb, floor, quote.start) if quote.verb else -1
        return position if position >= 0 else quote.start

    def _speaker_label(self, quote: QuoteMention, speaker: EntityMention | None) -> str:
        if speaker is not None:
            return actor_name(speaker.entry.name_en)
        if quote.speaker_start is not None and quote.speaker_end is not None:
            for index in self._document.tokens_in(quote.speaker_start, quote.speaker_end):
                label = lookup(self._document.word(index), _UNNAMED_SPEAKERS)
                if label is not None:
                    return label
        return "the speaker"

    # gist --------------------------------------------------------------------------------------------
    def _gist(self, quote: QuoteMention, speaker: str) -> str:
        figures = [f for f in self._figures if quote.start <= f.start and f.end <= quote.end]
        tokens = self._document.tokens_in(quote.start, quote.end)
        place = self._places.in_tokens(tokens.start, tokens.stop) if tokens else None
        where = f" in {place.name_en}" if place is not None else ""
        claims = [claim for claim in (_claim(f) for f in figures if f.part_of is None) if claim]
        if claims:
            return sentence(f"{speaker} mentioned {join(claims)}{where}")
        topics = self._topics(quote)
        named = [actor_name(m.entry.name_en) for m in self._actors_starting_in(quote.start, quote.end)]
        if topics or named or place is not None:
            about = join(topics) if topics else "the situation"
            naming = f", naming {join(named[:3])}" if named else ""
            return sentence(f"{speaker} spoke of {about}{where}{naming}")
        return sentence(f"{speaker} made a statement")

    def _topics(self, quote: QuoteMention) -> list[str]:
        return [EVENT_PHRASES[t.type] for t in self._triggers.starting_in(quote.start, quote.end)]


def _person_first(mentions: Sequence[EntityMention]) -> EntityMention | None:
    persons = [m for m in mentions if m.entry.actor_kind is ActorKind.person]
    if persons:
        return persons[0]
    return mentions[0] if mentions else None


def _claim(figure: FigureDraft) -> str | None:
    """ "more than 170 civilians killed", "700 civilians (evacuation)": named, never asserted."""
    facts = METRIC_FACTS[figure.metric]
    if facts.gist_en is not None:
        return f"{quantity(figure)} {facts.gist_en}"
    return quantity(figure, facts.noun_en) if facts.noun_en is not None else None
