"""The English summary of an LLM digest, written from the grounded items only.

After grounding, the last call receives the grounded facts (`asked_facts`) and writes headline,
summary and key points. They are checked (`summary_problems`): every number must be one the
grounded figures state, every capitalised name must be one the facts give, and the headline is in
sentence case. A summary that fails
twice is replaced by `template_summary`, built from the same facts, with a warning.
"""

from __future__ import annotations

import calendar
import functools
import re
from collections.abc import Iterable
from pathlib import Path

import yaml

from schemas.digest import Actor, DigestWarning, Event, EventType, Figure, Quote, Summary, WarningCode
from schemas.llm_output import LLMDigest, SummaryAnswer
from service.digest.assemble import DigestItems, numbers_not_in_figures, writes_arabic
from service.digest.claims import claim_text

_CAPITALISED = re.compile(r"\b[A-Z][a-zA-Z'’-]{2,}")
_SENTENCE_START = re.compile(r"(?:^|[.!?:;]\s+|\n\s*|[-•]\s+|\(\s*)$")
_WORD = re.compile(r"[A-Za-z]{3,}")
_CAPITAL_WORD = re.compile(r"\b[A-Z][A-Za-z'’-]*")
_LOWER_WORD = re.compile(r"\b[a-z][a-z'’-]{2,}")
DATA_DIR = Path(__file__).resolve().parent / "data"
_CALENDAR_WORDS = frozenset(name.lower() for name in (*calendar.day_name, *calendar.month_name) if name)


ASKED_ACTORS = 10  # the summary call is told this many actors and quotes at most: its prompt is
ASKED_QUOTES = 3  # evaluated afresh for every article, and the check still reads every fact


def facts_text(items: DigestItems) -> str:
    """The grounded items as the summary is checked against them: one line each, numbers in English."""
    return _facts(items, items.actors, items.quotes)


def asked_facts(items: DigestItems) -> str:
    """The facts the summary call is given: every figure and event, the actors they name first and at
    most `ASKED_ACTORS` in all, `ASKED_QUOTES` quotes, and the article's other names once."""
    named = {f.source_actor_id for f in items.figures} | {
        q.speaker_actor_id for q in items.quotes[:ASKED_QUOTES]
    }
    named |= {role.actor_id for event in items.events for role in event.actors}
    actors = sorted(items.actors, key=lambda actor: actor.id not in named)[:ASKED_ACTORS]
    return _facts(items, actors, items.quotes[:ASKED_QUOTES])


def _facts(items: DigestItems, shown: list[Actor], quotes: list[Quote]) -> str:
    actors = {actor.id: actor for actor in items.actors}
    lines = []
    for figure in items.figures:
        source = actors[figure.source_actor_id].name_en if figure.source_actor_id in actors else None
        place = figure.location.name_en if figure.location else None
        details = "; ".join(part for part in (f"source {source}" if source else "", place or "") if part)
        subset = f" (among {figure.part_of})" if figure.part_of else ""
        lines.append(
            f"- {figure.id}: {claim_text(figure)} {figure.metric.value}{subset}"
            + (f" [{details}]" if details else "")
        )
    for actor in shown:
        lines.append(f"- actor: {actor.name_en}" + (f", {actor.title_en}" if actor.title_en else ""))
    for event in items.events:
        place = f" in {event.location.name_en}" if event.location and event.location.name_en else ""
        lines.append(f"- event: {event.type.value}{place}: {event.description_en}")
    for quote in quotes:
        speaker = actors[quote.speaker_actor_id].name_en if quote.speaker_actor_id in actors else "someone"
        if quote.text_en and not _stray_numbers(quote.text_en, items):  # a summary may use no other number
            lines.append(f'- {speaker} said: "{quote.text_en}"')
    listed = {actor.name_en for actor in shown}
    if others := [name for name in items.article_names if name not in listed]:
        lines.append("- named in the article: " + ", ".join(others))
    return "\n".join(lines)


def replace_unfounded_descriptions(items: DigestItems) -> None:
    """An event's English description may name only what the grounded items name and state only the
    grounded figures' numbers: one that does not (the 1.5B model set a talks of invented provinces "in
    Syria") is replaced by its type and place, with a warning. This runs before the summary is asked,
    because the descriptions are among its facts."""
    names = _grounded_names(items)
    for event in items.events:
        if writes_arabic(event.description_en):
            problem = "is not in English"
        elif said := [
            *unknown_names([event.description_en], names),
            *_stray_numbers(event.description_en, items),
        ]:
            problem = f"wrote {', '.join(said)}, which no grounded item states"
        else:
            continue
        items.warnings.append(
            DigestWarning(
                code=WarningCode.description_replaced,
                message=f"the LLM's description of event {event.id} {problem}; replaced by its type and "
                f"place: «{event.description_en}»",
                item_id=event.id,
            )
        )
        event.description_en = _label(event) + "."


def _grounded_names(items: DigestItems) -> str:
    """The English the grounded items give for their Arabic: actors, titles, places, what is counted."""
    places = [event.location for event in items.events if event.location]
    places += [figure.location for figure in items.figures if figure.location]
    return "\n".join(
        [
            *(actor.name_en for actor in items.actors),
            *(actor.title_en for actor in items.actors if actor.title_en),
            *(place.name_en for place in places if place.name_en),
            *(figure.subject_en for figure in items.figures if figure.subject_en),
            *items.article_names,
        ]
    )


def event_label(event_type: EventType, place_en: str | None) -> str:
    """An event as its type and place: "Shelling in Taiz"."""
    place = f" in {place_en}" if place_en else ""
    return f"{event_type.value.replace('_', ' ').capitalize()}{place}"


def _label(event: Event) -> str:
    return event_label(event.type, event.location.name_en if event.location else None)


def summary_problems(summary: SummaryAnswer, items: DigestItems) -> list[str]:
    """Why the summary cannot be served: numbers no grounded figure states, names the facts lack."""
    as_summary = as_digest_summary(summary)
    problems = []
    if not summary.headline_en.strip() or not summary.summary_en.strip():
        problems.append("the headline and the summary must not be empty")
    stray = numbers_not_in_figures(as_summary, items.figures)
    if stray:
        problems.append(f"the numbers {', '.join(stray)} are not among the facts' figures")
    facts = facts_text(items)
    unknown = unknown_names(_english_texts(summary), facts)
    if unknown:
        problems.append(f"the names {', '.join(unknown)} are not in the facts")
    miscased = miscased_headline_words(summary.headline_en, facts)
    if miscased:
        problems.append(
            "write the headline in sentence case, a capital only for its first word and for names: "
            + ", ".join(miscased)
        )
    return problems


def in_sentence_case(summary: SummaryAnswer, items: DigestItems) -> SummaryAnswer:
    """The summary with the headline's capitalised small and common words in lower case ("Strikes Kill
    12 In Aleppo" → "Strikes kill 12 in Aleppo"): a mechanical fix, not a reason to re-ask."""
    headline = summary.headline_en
    for word in miscased_headline_words(headline, facts_text(items)):
        headline = re.sub(rf"(?<=\s){re.escape(word)}\b", word.lower(), headline)
    return summary.model_copy(update={"headline_en": headline})


def miscased_headline_words(headline: str, facts: str) -> list[str]:
    """Words capitalised inside the headline that are no names: a small word (`headline_words.yaml`),
    or a word the facts write in lower case only. The service's headlines are in sentence case, as
    the offline engine and the template write them ("Shelling of a market in Taiz kills 12")."""
    names = {word.lower()[:5] for word in _CAPITAL_WORD.findall(facts)}
    common = {word[:5] for word in _LOWER_WORD.findall(facts)} - names
    wrong: list[str] = []
    for match in _CAPITAL_WORD.finditer(headline):
        word, lowered = match.group(), match.group().lower()
        if _SENTENCE_START.search(headline[: match.start()]) or (len(word) > 1 and word.isupper()):
            continue
        if (lowered in _small_words() or lowered[:5] in common) and word not in wrong:
            wrong.append(word)
    return wrong


@functools.cache
def _small_words() -> frozenset[str]:
    data = yaml.safe_load((DATA_DIR / "headline_words.yaml").read_text(encoding="utf-8"))
    return frozenset(str(word) for word in data["small_words"])


def unknown_names(texts: Iterable[str], facts: str) -> list[str]:
    """Capitalised words, not at the start of a sentence, that share no stem with a word of the facts
    (days and months are times, not names); a hyphenated name is known when each of its words is
    ("Al-Ighatha": the article's "al-" is no word of its own)."""
    stems = {word.lower()[:5] for word in _WORD.findall(facts)} | {word[:5] for word in _CALENDAR_WORDS}
    unknown: list[str] = []
    for text in texts:
        for match in _CAPITALISED.finditer(text):
            word = match.group()
            parts = _WORD.findall(word) or [word]
            if _SENTENCE_START.search(text[: match.start()]) or all(p.lower()[:5] in stems for p in parts):
                continue
            if word not in unknown:
                unknown.append(word)
    return unknown


def summary_of(output: LLMDigest) -> SummaryAnswer:
    """The summary part of a whole-article output."""
    return SummaryAnswer.model_validate(output.model_dump(include=set(SummaryAnswer.model_fields)))


def _english_texts(summary: SummaryAnswer) -> list[str]:
    return [summary.headline_en, summary.summary_en, *summary.key_points_en]


def as_digest_summary(summary: SummaryAnswer) -> Summary:
    return Summary(
        headline_en=summary.headline_en.strip() or "-",
        summary_en=summary.summary_en.strip() or "-",
        key_points_en=[point for point in summary.key_points_en if point.strip()],
        summary_ar=summary.summary_ar,
    )


def template_summary(items: DigestItems) -> Summary:
    """A plain summary from the grounded items, when the model's fails its check."""
    totals = [figure for figure in items.figures if figure.part_of is None]
    points = [_figure_point(figure, items) for figure in totals[:4]]
    events = [event.description_en.rstrip(".") + "." for event in items.events[:2]]
    if items.events:
        headline = _label(items.events[0])
    elif items.actors:
        headline = "Report involving " + ", ".join(actor.name_en for actor in items.actors[:3])
    elif points:
        headline = "Report with figures: " + "; ".join(points[:2])
    else:
        headline = "Statements quoted in the report"
    said = [
        line
        for quote in items.quotes
        if quote.text_en and not _stray_numbers(line := _quote_line(quote.text_en, quote, items), items)
    ]
    said = said[: max(0, 2 - len(events))]
    body = " ".join(events + [point + "." for point in points] + said) or headline + "."
    return Summary(headline_en=headline, summary_en=body, key_points_en=points, summary_ar="")


def draft_text(summary: Summary) -> str:
    """A summary as the summary call is shown it, to rewrite (`$draft`)."""
    points = "".join(f"\n- {point}" for point in summary.key_points_en)
    return f"headline_en: {summary.headline_en}\nsummary_en: {summary.summary_en}\nkey_points_en:{points}"


def _stray_numbers(text: str, items: DigestItems) -> list[str]:
    return numbers_not_in_figures(Summary(headline_en="-", summary_en=text, key_points_en=[]), items.figures)


def _quote_line(text_en: str, quote: Quote, items: DigestItems) -> str:
    speaker = next((a.name_en for a in items.actors if a.id == quote.speaker_actor_id), "A speaker")
    return f"{speaker} said: “{text_en.strip().rstrip('.')}.”"


def _figure_point(figure: Figure, items: DigestItems) -> str:
    source = next((a.name_en for a in items.actors if a.id == figure.source_actor_id), None)
    said = f", according to {source}" if source else ""
    return f"{claim_text(figure)} {figure.metric.value}{said}"
