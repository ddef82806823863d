"""Where something happened: the place a stretch of text names, at the level an editor expects.

Places named together usually form a chain ("ضاحية الأسد في مدينة حرستا بالغوطة الشرقية") or a list
("في مدينتي خان شيخون وكفر سجنه بريف إدلب الجنوبي"). The rules, in order:
- some places are only reference points and drop out: one glued by ل/ب to the place before it
  ("الغوطة الشرقيةلدمشق" is Ghouta), one after a word of direction or nearness ("حزة شمال بلدة كفر بطنا"،
  "قرب دمشق"), one an attack was launched from ("انطلاقا من الغوطة");
- when a place is the target ("على دمشق"، "استهدفت مدينة معرة النعمان"), targets win;
- districts count as their city; a place that contains another named place drops out (the chain keeps
  its smallest link); what remains is one place, or the smallest place containing all of them (the
  list's common area).
States ("في سوريا") are used only when no other place is named. A place's Arabic name is the gazetteer's
own form ("حرستا", not "مدينة حرستا"), so equal places compare equal: the first of its forms that the article
writes ("قندز" in an article that spells Kunduz so).
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence

from schemas.digest import Location
from service.arabic.document import Document
from service.arabic.gazetteer import Gazetteer, GazetteerEntry
from service.arabic.lexicon import word_set
from service.arabic.normalize import normalize_str
from service.engines.offline.entities import EntityMention

_QUALIFYING = frozenset("لب")
_REFERENCE_WORDS = word_set("places", "reference_words")
_ORIGIN_WORDS = word_set("places", "origin_words")
_TARGET_WORDS = word_set("places", "target_words")
_CONTROL_WORDS = word_set("places", "control_words")
_PLACE_HEADS = word_set("places", "place_heads")
_LEAD_SENTENCES = 3  # a title line and the lead's first two sentences


class Places:
    def __init__(self, document: Document, gazetteer: Gazetteer, mentions: Sequence[EntityMention]) -> None:
        self._document = document
        self._gazetteer = gazetteer
        self._places = sorted((m for m in mentions if m.is_place), key=lambda mention: mention.first_token)
        self._place_tokens = [mention.first_token for mention in self._places]
        self._written_forms: dict[int, str] = {}  # by id(entry): once an article, not once a place

    def in_tokens(self, first: int, end: int) -> Location | None:
        """The place that the tokens [first, end) name, or None."""
        local = [m for m in self._starting_in(first, end) if m.entry.kind == "place"]
        if not local:
            return None
        own = [m for m in local if not self._reference_point(m, local)] or local
        targets = [m for m in own if self._targeted(m)]
        return self._location(self._resolve([m.entry for m in targets or own]))

    def nearest_clause_before(self, token: int, floor: int) -> Location | None:
        """The place named by the clause of the nearest place mention before `token` (from `floor`)."""
        before = [m for m in self._starting_in(floor, token) if m.entry.kind == "place"]
        if not before:
            return None
        clause = self._document.clause_of_token(before[-1].first_token)
        return self.in_tokens(clause.first_token, min(clause.end_token, token))

    def state_in(self, first: int, end: int) -> Location | None:
        """A state named as a place in the tokens [first, end) ("في سوريا"), for when nothing finer is."""
        for mention in self._starting_in(first, end):
            if mention.entry.kind != "place":
                return Location(name_ar=mention.entry.forms[0], name_en=mention.entry.name_en)
        return None

    def main_place(self) -> Location | None:
        """The article's main place: the first place its lead names (the lead sets the scene); a place
        first named further down is no main place ("Washington" in the tenth paragraph of a report
        from Hiroshima)."""
        sentences = self._document.sentences
        lead_end = sentences[min(_LEAD_SENTENCES, len(sentences)) - 1].end_token if sentences else 0
        for mention in self._places:
            if mention.first_token >= lead_end:
                return None
            if mention.entry.kind == "place":
                return self._location(self._city_level(mention.entry))
        return None

    def _starting_in(self, first: int, end: int) -> list[EntityMention]:
        """The place mentions whose first token is in [first, end), found by bisection."""
        tokens = self._place_tokens
        return self._places[bisect.bisect_left(tokens, first) : bisect.bisect_left(tokens, end)]

    def contains(self, outer: Location, inner: Location) -> bool:
        """True when `inner` is `outer` or lies inside it."""
        inner_entry = self._gazetteer.entry(inner.name_en or "", place=True)
        if inner_entry is None:
            return outer.name_en == inner.name_en
        return any(entry.name_en == outer.name_en for entry in self._gazetteer.lineage(inner_entry))

    # reading -----------------------------------------------------------------------------------------
    def _reference_point(self, place: EntityMention, places: Sequence[EntityMention]) -> bool:
        document = self._document
        first = place.first_token
        glued = any(
            other.last_token == first - 1 and document.word(first)[:1] in _QUALIFYING for other in places
        )
        marker = first - 2 if document.has(first - 1, _PLACE_HEADS) else first - 1
        relative = document.has(marker, _REFERENCE_WORDS)
        origin = any(document.has(i, _ORIGIN_WORDS) for i in (first - 1, first - 2))
        return glued or relative or origin

    def _targeted(self, place: EntityMention) -> bool:
        document = self._document
        first = place.first_token
        marker = first - 2 if document.has(first - 1, _PLACE_HEADS) else first - 1
        return document.has(marker, _TARGET_WORDS) and not document.has(marker - 1, _CONTROL_WORDS)

    def _resolve(self, entries: Sequence[GazetteerEntry]) -> GazetteerEntry:
        unique = list(dict.fromkeys(self._city_level(entry) for entry in entries))
        lineages = {entry.name_en: self._gazetteer.lineage(entry) for entry in unique}
        smallest = [
            entry
            for entry in unique
            if not any(other is not entry and entry in lineages[other.name_en] for other in unique)
        ]
        if len(smallest) == 1:
            return smallest[0]
        first_lineage = lineages.get(smallest[0].name_en, [smallest[0]])
        common = [e for e in first_lineage if all(e in lineages.get(o.name_en, [o]) for o in smallest)]
        return common[0] if common else smallest[0]

    def _city_level(self, entry: GazetteerEntry) -> GazetteerEntry:
        if entry.district and entry.parent is not None:
            return self._gazetteer.entry(entry.parent, place=True) or entry
        return entry

    def _location(self, entry: GazetteerEntry) -> Location:
        return Location(name_ar=self._written_form(entry), name_en=entry.name_en, admin1=entry.admin1)

    def _written_form(self, entry: GazetteerEntry) -> str:
        """The entry's first form that the article writes ("قندز" where it spells Kunduz so), else its
        first form: the place is named as the article names it, the same way throughout."""
        if (known := self._written_forms.get(id(entry))) is not None:
            return known
        written = [normalize_str(m.text) for m in self._places if m.entry is entry]
        form = next(
            (form for form in entry.forms if any(text.endswith(normalize_str(form)) for text in written)),
            entry.forms[0],
        )
        self._written_forms[id(entry)] = form
        return form
