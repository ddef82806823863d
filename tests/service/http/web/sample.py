"""A small digest whose spans nest, cross, touch both ends of the article and cover markup."""

from __future__ import annotations

import datetime as dt
import hashlib

from schemas.digest import (
    Actor,
    ActorKind,
    ActorRole,
    ArticleInfo,
    Bound,
    Casualty,
    Digest,
    DigestWarning,
    Engine,
    Event,
    EventActor,
    EventType,
    Figure,
    Metric,
    Provenance,
    Qualifier,
    Quote,
    QuoteMode,
    Span,
    Summary,
    WarningCode,
)
from schemas.request import DigestRequest

ARTICLE = (
    "قال المرصد السوري إن «80 مدنيا قتلوا في الغوطة» أمس.\n"
    'وكتب أحدهم <script>alert("x")</script> & <b>نص</b>\n'
    "وقال الدفاع المدني إن 100 مدني قتلوا"
)


def span_of(fragment: str, occurrence: int = 0) -> Span:
    start = -1
    for _ in range(occurrence + 1):
        start = ARTICLE.index(fragment, start + 1)
    return Span(start=start, end=start + len(fragment), text=fragment)


def sample_request() -> DigestRequest:
    return DigestRequest(
        text=ARTICLE, title="عنوان <i>المقال</i>", source="وكالة", published_at=dt.date(2018, 2, 25)
    )


def sample_digest() -> Digest:
    whole = Span(start=0, end=len(ARTICLE), text=ARTICLE)
    return Digest(
        article=ArticleInfo(
            title="عنوان", chars=len(ARTICLE), sha256=hashlib.sha256(ARTICLE.encode()).hexdigest()
        ),
        summary=Summary(
            headline_en="80 civilians killed in Eastern Ghouta <script>",
            summary_en="The Observatory says 80 civilians were killed; the Civil Defence says 100.",
            key_points_en=["Sources disagree on the toll"],
            summary_ar="قتل 80 مدنيا في الغوطة",
        ),
        actors=[
            Actor(
                id="a1",
                name_ar="المرصد السوري",
                name_en="Syrian Observatory for Human Rights",
                kind=ActorKind.ngo,
                mentions=[span_of("قال المرصد السوري")],
            ),
            Actor(
                id="a2",
                name_ar="الدفاع المدني",
                name_en="Civil Defence",
                kind=ActorKind.ngo,
                title_en="rescue service",
                mentions=[span_of("الدفاع المدني")],
            ),
            Actor(
                id="a3",
                name_ar="الغوطة",
                name_en="Ghouta residents",
                kind=ActorKind.civilians,
                mentions=[span_of("الغوطة")],
            ),
        ],
        figures=[
            Figure(
                id="f1",
                value=80,
                qualifier=Qualifier.exact,
                metric=Metric.killed,
                subject_en="civilians",
                source_actor_id="a1",
                span=span_of("80 مدنيا قتلوا"),
            ),
            Figure(
                id="f2",
                value=100,
                qualifier=Qualifier.about,
                metric=Metric.killed,
                subject_en="civilians",
                source_actor_id="a2",
                span=span_of("100 مدني قتلوا"),
            ),
        ],
        quotes=[
            Quote(
                id="q1",
                text_ar="80 مدنيا قتلوا في الغوطة",
                text_en="80 civilians were killed in Ghouta",
                speaker_actor_id="a1",
                mode=QuoteMode.direct,
                span=span_of("80 مدنيا قتلوا في الغوطة"),
            ),
            Quote(
                id="q2",
                text_ar='<script>alert("x")</script>',
                text_en="a script",
                mode=QuoteMode.direct,
                span=span_of('<script>alert("x")</script>'),
            ),
        ],
        events=[
            Event(
                id="e1",
                type=EventType.air_strike,
                description_en="Strikes on Ghouta",
                actors=[EventActor(actor_id="a1", role=ActorRole.reporter)],
                figure_ids=["f1"],
                # crosses the quote: starts inside it and ends after it
                evidence=[span_of("قتلوا في الغوطة» أمس"), whole],
            ),
        ],
        casualties=[
            Casualty(
                metric=Metric.killed,
                low=Bound(value=80, figure_ids=["f1"], source_actor_ids=["a1"]),
                best=Bound(value=80, figure_ids=["f1"], source_actor_ids=["a1"]),
                high=Bound(value=100, figure_ids=["f2"], source_actor_ids=["a2"]),
                conflicting=True,
                figure_ids=["f1", "f2"],
            ),
        ],
        warnings=[
            DigestWarning(
                code=WarningCode.llm_failed_offline_fallback,
                message="the LLM engine failed (timeout); this digest comes from the offline engine",
            ),
            DigestWarning(
                code=WarningCode.ungrounded_quote_dropped,
                message="a quote was not in the article",
                item_id="q9",
            ),
        ],
        provenance=Provenance(
            engine=Engine.offline, created_at=dt.datetime(2026, 1, 2, 3, 4, tzinfo=dt.UTC), latency_ms=12.5
        ),
    )
