"""The answer a perfect LLM would give for a gold article: the ceiling every field should reach.

Each gold item becomes the strings an LLM would return (names, number phrases, quotes, evidence
copied from the article, refs = gold ids). A string that occurs more than once in the article is
widened by the fewest characters that make it occur once, so that the service aligns it to the labelled
occurrence and not to an earlier one, as a careful model quoting more context would.
"""

from __future__ import annotations

from collections.abc import Sequence

from evals.gold import GoldArticle
from schemas.digest import Location, Span
from schemas.llm_output import LLMActor, LLMDigest, LLMEvent, LLMEventActor, LLMFigure, LLMQuote


def _count(article: str, text: str) -> int:
    count, position = 0, article.find(text)
    while position != -1:
        count, position = count + 1, article.find(text, position + 1)
    return count


def unique_text(article: str, span: Span) -> str:
    """The span's text, or the shortest widening of it (characters on either side) that is unique."""
    for extra in range(len(article)):
        for left in range(extra + 1):
            start, end = span.start - left, span.end + extra - left
            if start >= 0 and end <= len(article) and _count(article, article[start:end]) == 1:
                return article[start:end]
    return span.text


def _name(article: str, gold_name: str, mentions: Sequence[Span]) -> str:
    return gold_name if gold_name in article else mentions[0].text


def _place(location: Location | None) -> tuple[str | None, str | None]:
    return (location.name_ar, location.name_en) if location is not None else (None, None)


def perfect_output(gold: GoldArticle) -> LLMDigest:
    article = gold.article_text()
    figures = []
    for item in gold.figures:
        location_ar, location_en = _place(item.location)
        figures.append(
            LLMFigure(
                ref=item.id,
                phrase_ar=unique_text(article, item.span),
                value=item.value,
                metric=item.metric,
                subject_en=item.subject_en,
                period_ar=item.period_ar,
                location_ar=location_ar,
                location_en=location_en,
                source_ref=item.source_actor_id,
                event_ref=item.event_id,
                part_of_ref=item.part_of,
                scope=item.scope,
            )
        )
    events = []
    for happening in gold.events:
        location_ar, location_en = _place(happening.location)
        events.append(
            LLMEvent(
                ref=happening.id,
                type=happening.type,
                description_en=happening.description_en,
                location_ar=location_ar,
                location_en=location_en,
                when_ar=happening.when.text_ar if happening.when else None,
                actors=[LLMEventActor(ref=role.actor_id, role=role.role) for role in happening.actors],
                evidence_ar=[unique_text(article, evidence) for evidence in happening.evidence],
            )
        )
    return LLMDigest(
        headline_en=gold.title or gold.id,
        summary_en="A replayed digest that repeats the gold labels.",
        key_points_en=[],
        summary_ar="",
        actors=[
            LLMActor(
                ref=person.id,
                name_ar=_name(article, person.name_ar, person.mentions),
                name_en=person.name_en,
                kind=person.kind,
                title_en=person.title_en,
            )
            for person in gold.actors
        ],
        events=events,
        figures=figures,
        quotes=[
            LLMQuote(
                text_ar=unique_text(article, said.span),
                text_en=said.text_en,
                speaker_ref=said.speaker_actor_id,
                mode=said.mode,
            )
            for said in gold.quotes
        ],
    )
