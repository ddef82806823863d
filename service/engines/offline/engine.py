"""The offline engine's pipeline: read the article once, run each rule, give ids, assemble the digest."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Sequence
from dataclasses import replace

from schemas.digest import (
    ActorRole,
    Digest,
    Engine,
    Event,
    EventActor,
    Figure,
    Provenance,
    Quote,
    Scope,
    Summary,
)
from schemas.request import DigestRequest
from service.arabic.dates import find_time_expressions
from service.arabic.document import Document
from service.arabic.gazetteer import default_gazetteer
from service.arabic.numbers import find_numbers
from service.arabic.quotes import find_quotes
from service.digest.assemble import DigestItems, assemble_digest
from service.engines.offline.actors import ActorIndex, build_actors
from service.engines.offline.attribution import Attributions
from service.engines.offline.english import actor_name, quantity
from service.engines.offline.entities import EntityMention, read_mentions
from service.engines.offline.events import EventDraft, EventReader, link_figures
from service.engines.offline.figures import FigureDraft, period_text, read_figures, scope_of
from service.engines.offline.institutions import read_institutions
from service.engines.offline.patterns import read_pattern_mentions
from service.engines.offline.periods import find_periods
from service.engines.offline.places import Places
from service.engines.offline.quoting import QuoteDraft, QuoteReader
from service.engines.offline.summary import SummaryWriter, describe_event
from service.engines.offline.titles import read_titled_persons
from service.engines.offline.triggers import Triggers


def offline_digest(request: DigestRequest) -> Digest:
    """A digest of the article by deterministic rules over the Arabic toolkit (no LLM, no network)."""
    started = time.perf_counter()
    items, summary = read_article(request)
    provenance = Provenance(
        engine=Engine.offline,
        model=None,
        prompt_version=None,
        cached=False,
        cache_key=None,
        created_at=dt.datetime.now(dt.UTC),
    )
    digest = assemble_digest(request, summary, items, provenance)
    digest.provenance.latency_ms = round((time.perf_counter() - started) * 1000, 3)
    return digest


def offline_draft(request: DigestRequest) -> DigestItems:
    """The article's items as this engine reads them: the draft an LLM prompt of drafted answers reviews."""
    return read_article(request)[0]


def read_article(request: DigestRequest) -> tuple[DigestItems, Summary]:
    document = Document(request.text)
    gazetteer = default_gazetteer()
    known = read_mentions(document, gazetteer)
    titled = _all_mentions(known, read_titled_persons(document, known))
    institutions = _with_institutions(titled, read_institutions(document, titled))
    mentions = _all_mentions(institutions, read_pattern_mentions(document, institutions))
    places = Places(document, gazetteer, mentions)
    attributions = Attributions(document, mentions)
    numbers = find_numbers(request.text)
    number_tokens = {i for n in numbers for i in document.tokens_in(n.number_start, n.number_end)}
    periods = find_periods(document, number_tokens)
    figure_drafts = read_figures(document, numbers, periods, places, attributions)
    times = find_time_expressions(document)
    triggers = Triggers(document, mentions)
    event_drafts = EventReader(
        document, gazetteer, mentions, places, attributions, times, triggers, figure_drafts
    ).read()
    scopes = [scope_of(document, draft) for draft in figure_drafts]
    links = [
        None if scope is Scope.cumulative else link
        for scope, link in zip(
            scopes, link_figures(document, event_drafts, figure_drafts, places, times), strict=True
        )
    ]  # a running count is the toll of no one incident
    quote_reader = QuoteReader(document, mentions, attributions, figure_drafts, places, triggers)
    quote_drafts = quote_reader.read(find_quotes(request.text))
    figure_drafts = _sourced_by_quotes(figure_drafts, quote_drafts)

    index = build_actors(document, mentions)
    figures = _figures(document, figure_drafts, scopes, links, index)
    events = _events(document, request, event_drafts, figures, links, index)
    quotes = _quotes(document, quote_drafts, index)
    items = DigestItems(actors=index.actors, figures=figures, quotes=quotes, events=events)
    summary = SummaryWriter(document, figures, items.reconciled(), events, index.actors, quotes).write()
    return items, summary


def _all_mentions(
    gazetteer_mentions: list[EntityMention], titled: list[EntityMention]
) -> list[EntityMention]:
    taken = {token for m in gazetteer_mentions for token in range(m.first_token, m.last_token + 1)}
    extra = [m for m in titled if not any(t in taken for t in range(m.first_token, m.last_token + 1))]
    return sorted(gazetteer_mentions + extra, key=lambda mention: mention.start)


def _with_institutions(known: list[EntityMention], institutions: list[EntityMention]) -> list[EntityMention]:
    """An institution replaces the states and organisations it is named with ("وزارة الداخلية السعودية"،
    "بعثة الأمم المتحدة في العراق"); a person's name is never part of one; a place in it ("شرطة قندز") still
    locates what happens there."""
    covered = {token for m in institutions for token in _tokens(m)}
    kept = [m for m in known if m.entry.kind == "person" or not any(t in covered for t in _tokens(m))]
    places = [m for m in known if m.is_place and any(t in covered for t in _tokens(m))]
    return sorted(_all_mentions(kept, institutions) + places, key=lambda mention: mention.start)


def _tokens(mention: EntityMention) -> range:
    return range(mention.first_token, mention.last_token + 1)


def _sourced_by_quotes(figures: Sequence[FigureDraft], quotes: Sequence[QuoteDraft]) -> list[FigureDraft]:
    """A figure inside a quote is the speaker's claim."""
    sourced = []
    for figure in figures:
        speaker = next(
            (q.speaker for q in quotes if q.speaker is not None and q.start <= figure.start < q.end), None
        )
        sourced.append(replace(figure, source=speaker) if speaker is not None else figure)
    return sourced


def _figures(
    document: Document,
    drafts: Sequence[FigureDraft],
    scopes: Sequence[Scope],
    links: Sequence[int | None],
    index: ActorIndex,
) -> list[Figure]:
    figures = []
    for number, (draft, scope, link) in enumerate(zip(drafts, scopes, links, strict=True), start=1):
        period = period_text(document, draft)
        figures.append(
            Figure(
                id=f"f{number}",
                value=draft.value,
                low=draft.low,
                high=draft.high,
                qualifier=draft.qualifier,
                metric=draft.metric,
                subject_en=draft.subject_en,
                period_ar=period,
                scope=scope,
                location=draft.location,
                source_actor_id=index.id_of(draft.source),
                event_id=f"e{link + 1}" if link is not None else None,
                part_of=f"f{draft.part_of + 1}" if draft.part_of is not None else None,
                span=document.span(draft.start, draft.end),
            )
        )
    return figures


def _events(
    document: Document,
    request: DigestRequest,
    drafts: Sequence[EventDraft],
    figures: Sequence[Figure],
    links: Sequence[int | None],
    index: ActorIndex,
) -> list[Event]:
    events = []
    for number, draft in enumerate(drafts):
        figure_ids = [figures[i].id for i, link in enumerate(links) if link == number]
        actors = [
            EventActor(actor_id=actor_id, role=role)
            for mention, role in draft.actors.values()
            if (actor_id := index.id_of(mention)) is not None
        ]
        when = None
        if draft.when is not None:
            when_text = document.text[draft.when.start : draft.when.end]
            when = draft.when.resolve(when_text, request.published_at)
        events.append(
            Event(
                id=f"e{number + 1}",
                type=draft.type,
                description_en=_description(draft, figures, figure_ids),
                location=draft.location,
                when=when,
                actors=actors,
                figure_ids=figure_ids,
                evidence=[document.span(s.start, s.end) for s in draft.sentences],
            )
        )
    return events


def _description(draft: EventDraft, figures: Sequence[Figure], figure_ids: Sequence[str]) -> str:
    by_role: dict[ActorRole, list[str]] = {}
    for mention, role in draft.actors.values():
        by_role.setdefault(role, []).append(actor_name(mention.entry.name_en))
    killed = [f for f in figures if f.id in figure_ids and f.metric.value == "killed" and f.part_of is None]
    toll = None
    if killed:
        toll = f"{quantity(killed[0])} reported killed"
    place = draft.location.name_en if draft.location else None
    return describe_event(
        draft.type,
        place,
        by_role.get(ActorRole.perpetrator, []),
        by_role.get(ActorRole.participant, []),
        toll,
    )


def _quotes(document: Document, drafts: Sequence[QuoteDraft], index: ActorIndex) -> list[Quote]:
    return [
        Quote(
            id=f"q{number}",
            text_ar=document.text[draft.start : draft.end],
            gist_en=draft.gist_en,
            speaker_actor_id=index.id_of(draft.speaker),
            mode=draft.mode,
            span=document.span(draft.start, draft.end),
        )
        for number, draft in enumerate(drafts, start=1)
    ]
