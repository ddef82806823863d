"""Numbered answers: the model points at the article instead of copying it.

A small model copies Arabic slowly and badly: its evidence clauses come back paraphrased and do not
ground, and every copied phrase costs output tokens, the scarcest thing on a laptop (~25 a second).
With a prompt file of `answers: numbered`, the article is shown with its sentences numbered
([S1], [S2] ...), the figures task lists the number reader's phrases ([N1] ...) and the quotes task the
quote finder's quotes ([Q1] ...); the model answers with those numbers and its own labels (metric,
refs, translations, places), and the service writes the Arabic back from the article before
grounding. Nothing is trusted: the items written back are grounded as any answer is, and a number
outside its list is a reason for the re-ask, as an invalid item is.
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import BaseModel

from schemas.llm_output import (
    LLMEvent,
    LLMFigure,
    LLMQuote,
    NumberedEvent,
    NumberedFigure,
    NumberedQuote,
)
from service.arabic.quotes import QuoteMention
from service.arabic.sentences import sentence_pieces
from service.engines.llm.hints import (
    NO_HINTS,
    FigureCandidate,
    figure_candidates,
    quote_candidates,
    quote_line,
)
from service.engines.llm.summary import event_label


def article_sentences(text: str) -> list[str]:
    """The sentences the article is shown as, each verbatim in it."""
    return [piece.strip() for piece in sentence_pieces(text) if piece.strip()]


def numbered_text(text: str) -> str:
    return "\n".join(f"[S{number}] {sentence}" for number, sentence in enumerate(article_sentences(text), 1))


@dataclass(frozen=True)
class NumberedArticle:
    """One article's numbered lists, and its numbered answers written back as verbatim items."""

    sentences: tuple[str, ...]
    figures: tuple[FigureCandidate, ...]
    quotes: tuple[QuoteMention, ...]

    @classmethod
    def of(cls, text: str) -> NumberedArticle:
        return cls(
            tuple(article_sentences(text)), tuple(figure_candidates(text)), tuple(quote_candidates(text))
        )

    def figure_hints(self) -> str:
        return listed("N", [candidate.phrase for candidate in self.figures])

    def quote_hints(self) -> str:
        return listed("Q", [quote_line(mention) for mention in self.quotes])

    def event(self, answer: BaseModel) -> LLMEvent | str:
        assert isinstance(answer, NumberedEvent)
        if not answer.sentences:
            return f"event {answer.ref} gives no sentence: give the [S] numbers that report it"
        unlisted = [number for number in answer.sentences if number > len(self.sentences)]
        if unlisted:
            return f"event {answer.ref}: {outside('S', unlisted, len(self.sentences))}"
        evidence = [self.sentences[number - 1] for number in dict.fromkeys(answer.sentences)]
        return LLMEvent(
            **answer.model_dump(exclude={"sentences"}),
            description_en=event_label(answer.type, answer.location_en) + ".",
            actors=[],
            evidence_ar=evidence,
        )

    def figure(self, answer: BaseModel, events: dict[str, LLMEvent]) -> LLMFigure | str:
        """The phrase written back; the place is its event's (a small model rarely gives both)."""
        assert isinstance(answer, NumberedFigure)
        count = len(self.figures)
        unlisted = [number for number in (answer.n, answer.part_of) if number is not None and number > count]
        if unlisted:
            return f"figure N{answer.n}: {outside('N', unlisted, count)}"
        candidate = self.figures[answer.n - 1]
        event = events.get(answer.event_ref or "")
        return LLMFigure(
            ref=f"N{answer.n}",
            phrase_ar=candidate.phrase,
            value=candidate.value,
            metric=answer.metric,
            subject_en=answer.subject_en,
            period_ar=None,
            location_ar=event.location_ar if event else None,
            location_en=event.location_en if event else None,
            source_ref=answer.source_ref,
            event_ref=answer.event_ref,
            part_of_ref=f"N{answer.part_of}" if answer.part_of is not None else None,
            scope=answer.scope,
        )

    def quote(self, answer: BaseModel) -> LLMQuote | str:
        assert isinstance(answer, NumberedQuote)
        if answer.q > len(self.quotes):
            return f"quote Q{answer.q}: {outside('Q', [answer.q], len(self.quotes))}"
        mention = self.quotes[answer.q - 1]
        return LLMQuote(
            text_ar=mention.text, text_en=answer.text_en, speaker_ref=answer.speaker_ref, mode=mention.mode
        )


def listed(letter: str, lines: list[str]) -> str:
    return "\n".join(f"[{letter}{number}] {line}" for number, line in enumerate(lines, 1)) or NO_HINTS


def outside(letter: str, numbers: list[int], listed: int) -> str:
    shown = ", ".join(f"{letter}{number}" for number in numbers)
    if not listed:
        return f"{shown} is not listed: there is no [{letter}] item"
    return f"{shown} is not listed: use [{letter}1] to [{letter}{listed}]"
