"""The English headline, summary and key points, composed from the extracted items; the Arabic lead.

Nothing here invents content: every sentence is built from the reconciled casualties, the events and the
gazetteer's English names, and every number written is a figure's value (see `english`).

Past campaigns (events of type `other`, dated by a past year) and their tolls are left out.

- the lead toll: the main incident's largest toll, as stated. The main incident is the first one the
  article reports deaths of (news is written lead first, and deaths lead): the event of the earliest
  killed toll of scope incident (else injured, displaced, evacuated; else of any scope); a toll linked
  to no event is an incident of its own. Its largest toll of that metric leads, earliest first on a
  tie; a larger toll of a later incident ("37 were killed last Friday elsewhere") follows. The other
  tolls follow: incident tolls, then periods, then running totals, each in metric order then text
  order. Every amount is its figure's claim as written;
- headline (≤ 90 characters): the lead toll with its place and the kind of event, else the main event;
- summary (2 to 5 sentences): the lead toll with its sources, the range of claims when named sources
  disagree, the other tolls (a period's "over a longer period", a running total's "in all"), the
  other events, then who is named or quoted if there is room;
- key points (3 to 6): one per toll, then one per event, then the actors and quoted speakers;
- summary_ar: the article's own lead: its first sentence, and the second while the two stay within 300
  characters; a first sentence longer than that is cut at its last clause break (or space) before it.
"""

from __future__ import annotations

from collections.abc import Sequence

from schemas.digest import Actor, ActorRole, Casualty, Event, EventType, Figure, Quote, Scope, Summary
from schemas.metrics import CASUALTY_METRICS, HARM_METRICS, VIOLENT_EVENT_TYPES
from service.arabic.document import Document
from service.engines.offline.english import (
    EVENT_PHRASES,
    EVENT_TITLES,
    actor_name,
    join,
    metric_passive,
    quantity,
    sentence,
    takes_singular,
)

HEADLINE_MAX = 90
SUMMARY_AR_MAX = 300
_MAX_SENTENCES = 5
_MAX_KEY_POINTS = 6
_MIN_KEY_POINTS = 3
_SCOPE_ORDER = (Scope.incident, Scope.period, Scope.cumulative)
_SCOPE_WORDS = {Scope.incident: "", Scope.period: " over a longer period", Scope.cumulative: " in all"}
_CLAUSE_BREAKS = "،,؛;:"


class SummaryWriter:
    def __init__(
        self,
        document: Document,
        figures: Sequence[Figure],
        casualties: Sequence[Casualty],
        events: Sequence[Event],
        actors: Sequence[Actor],
        quotes: Sequence[Quote],
    ) -> None:
        self._document = document
        self._figures = {figure.id: figure for figure in figures}
        self._events = {event.id: event for event in events}
        self._casualties = self._in_order([c for c in casualties if not self._background(c)])
        self._actors = {actor.id: actor for actor in actors}
        self._quotes = list(quotes)

    def write(self) -> Summary:
        return Summary(
            headline_en=self.headline(),
            summary_en=" ".join(self.sentences()),
            key_points_en=self.key_points(),
            summary_ar=lead_ar(self._document),
        )

    # headline ----------------------------------------------------------------------------------------
    def headline(self) -> str:
        if self._casualties:
            return self._toll_headline(self._casualties[0])
        event = self._main_event()
        if event is not None:
            return _fit(self._event_title(event), HEADLINE_MAX)
        return "No events or figures found by the offline engine"

    def _toll_headline(self, casualty: Casualty) -> str:
        figure = self._figures[casualty.best.figure_ids[0]]
        amount = quantity(figure)
        passive = metric_passive(casualty.metric)
        place = self._place_of(casualty, figure)
        event = self._events.get(figure.event_id or "")
        violent = event is not None and event.type in VIOLENT_EVENT_TYPES and casualty.metric in HARM_METRICS
        cause = f" in {EVENT_PHRASES[event.type]}" if event is not None and violent else ""
        where = f" in {place}" if place else ""
        for text in (
            f"{amount} {passive}{cause}{where}",
            f"{amount} {passive}{where}",
            f"{amount} {passive}",
        ):
            if len(text) <= HEADLINE_MAX:
                return _capitalised(text)
        return _fit(_capitalised(f"{amount} {passive}"), HEADLINE_MAX)

    # summary -----------------------------------------------------------------------------------------
    def sentences(self) -> list[str]:
        found: list[str] = []
        if self._casualties:
            found += self._main_toll_sentences(self._casualties[0])
            found += [self._toll_sentence(casualty) for casualty in self._casualties[1:3]]
        events_sentence = self._events_sentence()
        if events_sentence:
            found.append(events_sentence)
        found += self._people_sentences()
        found = list(dict.fromkeys(found))
        if not found:
            found.append("The offline engine found no figures, events or named actors in this article.")
        if len(found) < 2:
            found.append("This digest was produced by the rules-based offline engine.")
        return found[:_MAX_SENTENCES]

    def _main_toll_sentences(self, casualty: Casualty) -> list[str]:
        figure = self._figures[casualty.best.figure_ids[0]]
        text = self._toll_sentence(casualty)
        sources = self._names(casualty.best.source_actor_ids)
        if sources:
            text = f"{text[:-1]}, according to {join(sources)}."
        found = [text]
        if casualty.conflicting and casualty.low.value != casualty.high.value:
            low = self._figures[casualty.low.figure_ids[0]]
            high = self._figures[casualty.high.figure_ids[0]]
            if low.id != high.id and figure.id:
                found.append(sentence(f"Reported figures range from {quantity(low)} to {quantity(high)}"))
        return found

    def _toll_sentence(self, casualty: Casualty) -> str:
        figure = self._figures[casualty.best.figure_ids[0]]
        verb = "was" if takes_singular(figure) else "were"
        place = self._place_of(casualty, figure)
        where = f" in {place}" if place else ""
        scope = _SCOPE_WORDS[casualty.scope]
        return sentence(f"{quantity(figure)} {verb} {metric_passive(casualty.metric)}{where}{scope}")

    def _events_sentence(self) -> str | None:
        told = {self._figures[c.best.figure_ids[0]].event_id for c in self._casualties[:3]}
        phrases = [self._event_phrase(event) for event in self._news_events() if event.id not in told]
        phrases = list(dict.fromkeys(phrases))[:4]
        if not phrases:
            return None
        lead = "The article also reports" if self._casualties else "The article reports"
        return sentence(f"{lead} {join(phrases)}")

    def _people_sentences(self) -> list[str]:
        speakers = [
            self._actors[q.speaker_actor_id].name_en
            for q in self._quotes
            if q.speaker_actor_id in self._actors
        ]
        found = []
        if speakers:
            found.append(sentence(f"It quotes {join([actor_name(name) for name in speakers][:4])}"))
        named = [actor_name(actor.name_en) for actor in self._actors.values() if actor.kind != "person"]
        if named:
            found.append(sentence(f"Actors named include {join(named[:4])}"))
        return found

    # key points --------------------------------------------------------------------------------------
    def key_points(self) -> list[str]:
        points = [self._toll_point(casualty) for casualty in self._casualties[:3]]
        points += [self._event_title(event) for event in self._news_events()]
        points = list(dict.fromkeys(points))[:_MAX_KEY_POINTS]
        if len(points) < _MIN_KEY_POINTS:
            points += self._people_points()
        return points[:_MAX_KEY_POINTS]

    def _toll_point(self, casualty: Casualty) -> str:
        figure = self._figures[casualty.best.figure_ids[0]]
        place = self._place_of(casualty, figure)
        point = f"{metric_passive(casualty.metric).capitalize()}: {quantity(figure)}"
        point += f" in {place}" if place else ""
        point += _SCOPE_WORDS[casualty.scope]
        sources = self._names(casualty.best.source_actor_ids)
        return point + (f" (according to {join(sources)})" if sources else "")

    def _people_points(self) -> list[str]:
        points = []
        speakers = [
            self._actors[q.speaker_actor_id].name_en
            for q in self._quotes
            if q.speaker_actor_id in self._actors
        ]
        if speakers:
            points.append(f"Quoted: {join(speakers[:5])}")
        named = [actor.name_en for actor in self._actors.values()]
        if named:
            points.append(f"Named: {join(named[:6])}")
        return points

    # helpers -----------------------------------------------------------------------------------------
    def _in_order(self, casualties: list[Casualty]) -> list[Casualty]:
        """The lead toll first, then the others (module docstring)."""
        ordered = sorted(casualties, key=self._toll_rank)
        if not ordered:
            return ordered
        own = [c for c in ordered if c.scope is Scope.incident] or ordered
        first = min(own, key=lambda c: (CASUALTY_METRICS.index(c.metric), self._first_start(c)))
        main = [c for c in own if c.event_id == first.event_id] if first.event_id is not None else [first]
        lead = min(
            main, key=lambda c: (CASUALTY_METRICS.index(c.metric), -c.best.value, self._first_start(c))
        )
        return [lead, *(c for c in ordered if c is not lead)]

    def _toll_rank(self, casualty: Casualty) -> tuple[int, int, int]:
        return (
            _SCOPE_ORDER.index(casualty.scope),
            CASUALTY_METRICS.index(casualty.metric),
            self._first_start(casualty),
        )

    def _first_start(self, casualty: Casualty) -> int:
        return min(self._figures[i].span.start for i in casualty.figure_ids)

    def _news_events(self) -> list[Event]:
        return [event for event in self._events.values() if event.type is not EventType.other]

    def _background(self, casualty: Casualty) -> bool:
        """A toll of a past campaign (an event of type `other`) is not the news of the article."""
        event = self._events.get(self._figures[casualty.best.figure_ids[0]].event_id or "")
        return event is not None and event.type is EventType.other

    def _main_event(self) -> Event | None:
        events = list(self._events.values())
        order = [
            e for e in events if e.type not in (EventType.statement, EventType.ceasefire_or_talks)
        ] + events
        return order[0] if order else None

    def _event_phrase(self, event: Event) -> str:
        if event.type is EventType.statement:
            return (
                f"a statement by {join(self._names(_ids(event, ActorRole.participant))[:2]) or 'an official'}"
            )
        place = f" in {event.location.name_en}" if event.location and event.location.name_en else ""
        return f"{EVENT_PHRASES[event.type]}{place}"

    def _event_title(self, event: Event) -> str:
        return event.description_en

    def _place_of(self, casualty: Casualty, figure: Figure) -> str | None:
        location = casualty.location or figure.location
        return location.name_en if location is not None else None

    def _names(self, actor_ids: Sequence[str]) -> list[str]:
        return [actor_name(self._actors[i].name_en) for i in dict.fromkeys(actor_ids) if i in self._actors]


def describe_event(
    event_type: EventType,
    place: str | None,
    perpetrators: Sequence[str],
    participants: Sequence[str],
    toll: str | None,
) -> str:
    """description_en of an event: "Air strikes in Eastern Ghouta by the Russian air force; hundreds of
    people killed"."""
    if event_type is EventType.statement:
        return f"Statement by {join(participants[:3]) or 'an official'}"
    text = EVENT_TITLES[event_type]
    text += f" in {place}" if place else ""
    if event_type is EventType.ceasefire_or_talks and participants:
        text += f" involving {join(participants[:3])}"
    elif perpetrators:
        text += f" by {join(perpetrators[:3])}"
    return f"{text}; {toll}" if toll else text


def lead_ar(document: Document) -> str:
    """The article's first sentence, and the second while both fit in SUMMARY_AR_MAX characters."""
    if not document.sentences:
        return document.text.strip()[:SUMMARY_AR_MAX]
    first = document.sentences[0]
    lead = document.text[first.start : first.end]
    if len(lead) > SUMMARY_AR_MAX:
        return _cut_at_clause(lead)
    for following in document.sentences[1:2]:
        extended = document.text[first.start : following.end]
        if len(extended) <= SUMMARY_AR_MAX:
            lead = extended
    return lead


def _cut_at_clause(text: str) -> str:
    head = text[:SUMMARY_AR_MAX]
    cut = max(head.rfind(mark) for mark in _CLAUSE_BREAKS)
    if cut <= 0:
        cut = head.rfind(" ")
    return (head[:cut] if cut > 0 else head).rstrip() + "…"


def _ids(event: Event, role: ActorRole) -> list[str]:
    return [actor.actor_id for actor in event.actors if actor.role is role]


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def _fit(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;: ") + "…"
