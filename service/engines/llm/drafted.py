"""Drafted answers: the service's reader drafts the items, the model works on the draft.

Numbered answers (`numbered.py`) still had the 1.5B model write every actor's Arabic name, every
event's place and every figure's labels, and most of its digests missed a field or ran past two
minutes on 2 cores. With a prompt file of `answers: drafted` the engine is given a draft of the
article, the offline engine's items (`DigestItems`, handed in by the runtime: the two engines do not
import each other). A prompt that asks the review (`prompts/digest-v4-reviewed.yaml`) shows the draft
numbered after the article: actors [A1] ..., events [E1] ..., figures [N1] ... with the draft's
reading; the model names the drafted items that are wrong ({"a": 3}) and the rest is kept. A task the
prompt does not ask (`prompts/digest-v4-drafted.yaml`) keeps the whole draft. Either way the model
translates the quotes [Q1] ..., and the kept items are written back from the draft here, before
grounding. The model corrects nothing and adds nothing: given the choice, the 1.5B model rewrote a
correct draft (every figure's metric in the enum's order, "(ngo)" in English names); asked to name
the items to keep, it kept no figure in three of five articles. Nothing is trusted: kept items are
grounded as any answer is, and a number outside its list is a reason to re-ask.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from schemas.digest import Actor, Event, Figure, Quote
from schemas.llm_output import (
    DraftedActor,
    DraftedEvent,
    DraftedFigure,
    DraftedQuote,
    LLMActor,
    LLMDigest,
    LLMEvent,
    LLMEventActor,
    LLMFigure,
    LLMQuote,
)
from service.digest.assemble import DigestItems
from service.digest.grounding import overlaps
from service.engines.llm.numbered import NumberedArticle, listed, outside
from service.engines.llm.summary import event_label


@dataclass(frozen=True)
class DraftedArticle:
    """One article's draft, shown numbered, and the model's review of it written back as items."""

    numbered: NumberedArticle
    draft: DigestItems

    @classmethod
    def of(cls, text: str, draft: DigestItems) -> DraftedArticle:
        return cls(NumberedArticle.of(text), draft)

    # ------------------------------------------------------------------ what the model is shown

    def actors_events_hints(self) -> str:
        actors = listed("A", [_actor_line(actor) for actor in self.draft.actors])
        events = listed("E", [self._event_line(event) for event in self.draft.events])
        return f"Drafted events:\n{events}\nDrafted actors:\n{actors}"

    def figure_hints(self) -> str:
        return listed("N", [self._figure_line(figure) for figure in self.draft.figures])

    def quote_hints(self) -> str:
        speakers = {actor.id: actor.name_en for actor in self.draft.actors}
        return listed(
            "Q",
            [_quote_line(quote, speakers.get(quote.speaker_actor_id or "")) for quote in self.draft.quotes],
        )

    def _event_line(self, event: Event) -> str:
        sentences = ",".join(f"S{number}" for number in self._sentence_numbers(event))
        when = f", «{event.when.text_ar}»" if event.when else ""
        return f"{event_label(event.type, _place_en(event))}{when} ({sentences})"

    def _sentence_numbers(self, event: Event) -> list[int]:
        sentences = self.numbered.sentences
        found = (
            next((n for n, sentence in enumerate(sentences, 1) if span.text in sentence), None)
            for span in event.evidence
        )
        return list(dict.fromkeys(number for number in found if number is not None))

    def _figure_line(self, figure: Figure) -> str:
        reading = [figure.metric.value, figure.subject_en or "", figure.scope.value]
        total = self._figure_number(figure.part_of)
        reading += [f"among N{total}" if total else ""]
        return f"«{figure.span.text}»: " + ", ".join(part for part in reading if part)

    def _figure_number(self, figure_id: str | None) -> int | None:
        numbers = {figure.id: number for number, figure in enumerate(self.draft.figures, 1)}
        return numbers.get(figure_id) if figure_id else None

    # ------------------------------------------------------------------ the review written back

    def listed_item(self, answer: BaseModel) -> BaseModel | str:
        """A drafted actor, event or figure the answer names, or why its number names none."""
        if isinstance(answer, DraftedActor):
            letter, number, listed_count = "A", answer.a, len(self.draft.actors)
        elif isinstance(answer, DraftedEvent):
            letter, number, listed_count = "E", answer.e, len(self.draft.events)
        else:
            assert isinstance(answer, DraftedFigure)
            letter, number, listed_count = "N", answer.n, len(self.draft.figures)
        if number > listed_count:
            return outside(letter, [number], listed_count)
        return answer

    def kept_actors_events(self, answered: dict[str, list[Any]]) -> dict[str, list[Any]]:
        wrong_actors = {item.a for item in answered["wrong_actors"]}
        wrong_events = {item.e for item in answered["wrong_events"]}
        return {
            "actors": [_actor(a) for n, a in enumerate(self.draft.actors, 1) if n not in wrong_actors],
            "events": [_event(e) for n, e in enumerate(self.draft.events, 1) if n not in wrong_events],
        }

    def kept_figures(self, answered: dict[str, list[Any]]) -> dict[str, list[Any]]:
        """The drafted figures not named wrong; their refs are the draft's (`settled` drops those to items
        not kept)."""
        wrong = {item.n for item in answered["wrong_figures"]}
        return {"figures": [_figure(f) for n, f in enumerate(self.draft.figures, 1) if n not in wrong]}

    def quote(self, answer: BaseModel) -> LLMQuote | str:
        assert isinstance(answer, DraftedQuote)
        quotes = self.draft.quotes
        if answer.q > len(quotes):
            return f"quote Q{answer.q}: {outside('Q', [answer.q], len(quotes))}"
        drafted = quotes[answer.q - 1]
        return LLMQuote(
            text_ar=drafted.text_ar,
            text_en=answer.text_en,
            speaker_ref=drafted.speaker_actor_id,
            mode=drafted.mode,
        )

    @staticmethod
    def settled(output: LLMDigest) -> LLMDigest:
        """The kept items without the draft's references to items the model left out: the model did not
        make those references, so they are no dangling reference of its own to warn about."""
        actors = {actor.ref for actor in output.actors}
        events = {event.ref for event in output.events}
        figures = {figure.ref for figure in output.figures}

        def kept(ref: str | None, refs: set[str]) -> str | None:
            return ref if ref in refs else None

        return output.model_copy(
            update={
                "figures": [
                    figure.model_copy(
                        update={
                            "source_ref": kept(figure.source_ref, actors),
                            "event_ref": kept(figure.event_ref, events),
                            "part_of_ref": kept(figure.part_of_ref, figures),
                        }
                    )
                    for figure in output.figures
                ],
                "quotes": [
                    quote.model_copy(update={"speaker_ref": kept(quote.speaker_ref, actors)})
                    for quote in output.quotes
                ],
                "events": [
                    event.model_copy(update={"actors": [a for a in event.actors if a.ref in actors]})
                    for event in output.events
                ],
            }
        )


def with_untranslated_quotes(items: DigestItems, draft: DigestItems) -> None:
    """The draft's quotes the model did not translate (left out, cut off at its token cap, or dropped
    for a translation that states what the Arabic does not), kept with the draft's gist instead: an
    English gist composed from the grounded items, which the digest labels as no translation."""
    translated = [quote.span for quote in items.quotes]
    speakers = {actor.name_ar: actor.id for actor in items.actors}
    drafted_speakers = {actor.id: actor.name_ar for actor in draft.actors}
    for quote in draft.quotes:
        if quote.gist_en and not overlaps(quote.span.start, quote.span.end, translated):
            speaker = speakers.get(drafted_speakers.get(quote.speaker_actor_id or "", ""))
            items.quotes.append(quote.model_copy(update={"text_en": None, "speaker_actor_id": speaker}))
    items.quotes.sort(key=lambda quote: quote.span.start)
    for number, quote in enumerate(items.quotes, 1):
        quote.id = f"q{number}"


def _actor(drafted: Actor) -> LLMActor:
    return LLMActor(
        ref=drafted.id,
        name_ar=drafted.name_ar,
        name_en=drafted.name_en,
        kind=drafted.kind,
        title_en=drafted.title_en,
    )


def _event(drafted: Event) -> LLMEvent:
    return LLMEvent(
        ref=drafted.id,
        type=drafted.type,
        description_en=drafted.description_en,
        location_ar=drafted.location.name_ar if drafted.location else None,
        location_en=_place_en(drafted),
        when_ar=drafted.when.text_ar if drafted.when else None,
        actors=[LLMEventActor(ref=actor.actor_id, role=actor.role) for actor in drafted.actors],
        evidence_ar=[span.text for span in drafted.evidence],
    )


def _figure(drafted: Figure) -> LLMFigure:
    return LLMFigure(
        ref=drafted.id,
        phrase_ar=drafted.span.text,
        value=drafted.value,
        metric=drafted.metric,
        subject_en=drafted.subject_en,
        period_ar=drafted.period_ar,
        location_ar=drafted.location.name_ar if drafted.location else None,
        location_en=drafted.location.name_en if drafted.location else None,
        source_ref=drafted.source_actor_id,
        event_ref=drafted.event_id,
        part_of_ref=drafted.part_of,
        scope=drafted.scope,
    )


def _actor_line(actor: Actor) -> str:
    title = f", {actor.title_en}" if actor.title_en else ""
    return f"«{actor.name_ar}» = {actor.name_en} ({actor.kind.value}{title})"


def _quote_line(quote: Quote, speaker_en: str | None) -> str:
    speaker = f", {speaker_en}" if speaker_en else ""
    return f"{quote.mode.value}{speaker}: «{quote.text_ar}»"


def _place_en(event: Event) -> str | None:
    return event.location.name_en if event.location else None
