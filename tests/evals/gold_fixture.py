"""A two-article gold set written into a temporary directory, so runner tests need no real gold files.

Article one has 2 actors, 3 figures, 2 quotes and 1 event; article two has 1 of each.
"""

from __future__ import annotations

from pathlib import Path

from evals.gold import GoldArticle, GoldKind
from schemas.digest import (
    ActorKind,
    ActorRole,
    Bound,
    Casualty,
    EventActor,
    EventType,
    Figure,
    Location,
    Metric,
    QuoteMode,
)
from tests.evals.builders import actor, event, figure, quote, span

DOUMA_ARTICLE = (
    "قال المرصد السوري لحقوق الإنسان إن 12 مدنيا قتلوا وأصيب 30 آخرون في قصف على دوما أمس. "
    "وأفاد الدفاع المدني بمقتل 15 شخصا في المدينة. "
    "وقال المتحدث باسم الدفاع المدني: «الوضع كارثي ولا مستشفيات تعمل». "
    "وأكد المرصد أن الغارات استهدفت سوقا شعبيا."
)
HOMS_ARTICLE = "قتل 7 أشخاص في قصف على حمص، وقال محافظ حمص: «القصف لن يمر دون رد»."


def _sourced(item: Figure, source: str, place: str) -> Figure:
    return item.model_copy(
        update={"source_actor_id": source, "event_id": "e1", "location": Location(name_ar=place)}
    )


def _casualty(metric: Metric, place: str, low: int, best: int, high: int, ids: list[str]) -> Casualty:
    return Casualty(
        metric=metric,
        location=Location(name_ar=place),
        low=Bound(value=low, figure_ids=ids),
        best=Bound(value=best, figure_ids=ids),
        high=Bound(value=high, figure_ids=ids),
        conflicting=low != high,
        figure_ids=ids,
    )


def douma_gold(article_file: str) -> GoldArticle:
    text = DOUMA_ARTICLE
    observatory = actor(text, "a1", "المرصد السوري لحقوق الإنسان", "Syrian Observatory for Human Rights")
    observatory.mentions.append(span(text, "المرصد", 2))
    civil_defence = actor(text, "a2", "الدفاع المدني", "Syrian Civil Defence")
    civil_defence.mentions.append(span(text, "الدفاع المدني", 2))
    quotes = [
        quote(text, "q1", "الوضع كارثي ولا مستشفيات تعمل"),
        quote(text, "q2", "الغارات استهدفت سوقا شعبيا"),
    ]
    quotes[0].speaker_actor_id, quotes[1].speaker_actor_id = "a2", "a1"
    quotes[1].mode = QuoteMode.indirect
    shelling = event(text, "e1", EventType.shelling, "دوما", "قصف على دوما")
    shelling.actors = [EventActor(actor_id="a1", role=ActorRole.reporter)]
    shelling.figure_ids = ["f1", "f2", "f3"]
    return GoldArticle(
        id="fixture-douma",
        article_file=article_file,
        synthetic=True,
        kind=GoldKind.challenge,
        title="قصف على دوما",
        source="fixture",
        actors=[
            observatory.model_copy(update={"kind": ActorKind.ngo}),
            civil_defence.model_copy(update={"kind": ActorKind.ngo}),
        ],
        figures=[
            _sourced(figure(text, "f1", "12 مدنيا", 12, Metric.killed), "a1", "دوما"),
            _sourced(figure(text, "f2", "30 آخرون", 30, Metric.injured), "a1", "دوما"),
            _sourced(figure(text, "f3", "15 شخصا", 15, Metric.killed), "a2", "دوما"),
        ],
        quotes=quotes,
        events=[shelling],
        casualties=[
            _casualty(Metric.killed, "دوما", 12, 12, 15, ["f1", "f3"]),
            _casualty(Metric.injured, "دوما", 30, 30, 30, ["f2"]),
        ],
    )


def homs_gold(article_file: str) -> GoldArticle:
    text = HOMS_ARTICLE
    governor = actor(text, "a1", "محافظ حمص", "Governor of Homs").model_copy(
        update={"kind": ActorKind.person}
    )
    said = quote(text, "q1", "القصف لن يمر دون رد")
    said.speaker_actor_id = "a1"
    return GoldArticle(
        id="fixture-homs",
        article_file=article_file,
        synthetic=True,
        kind=GoldKind.challenge,
        actors=[governor],
        figures=[figure(text, "f1", "7 أشخاص", 7, Metric.killed).model_copy(update={"event_id": "e1"})],
        quotes=[said],
        events=[
            event(text, "e1", EventType.shelling, "حمص", "قتل 7 أشخاص في قصف على حمص").model_copy(
                update={"figure_ids": ["f1"]}
            )
        ],
        casualties=[_casualty(Metric.killed, "حمص", 7, 7, 7, ["f1"]).model_copy(update={"location": None})],
    )


def write_gold_set(directory: Path) -> Path:
    """Articles under `directory/articles`, gold files under `directory/gold`; returns the gold dir."""
    articles, gold_dir = directory / "articles", directory / "gold"
    articles.mkdir(parents=True, exist_ok=True)
    gold_dir.mkdir(parents=True, exist_ok=True)
    for text, build, name in ((DOUMA_ARTICLE, douma_gold, "douma"), (HOMS_ARTICLE, homs_gold, "homs")):
        article_file = articles / f"{name}.txt"
        article_file.write_text(text, encoding="utf-8")
        gold = build(str(article_file))  # absolute: GoldArticle.article_text() joins it to the repo root
        (gold_dir / f"{gold.id}.json").write_text(gold.model_dump_json(indent=1), encoding="utf-8")
    return gold_dir
