"""When a predicted item counts as a gold item, field by field, and the one-to-one matching.

* figures: same metric, the predicted value equals the gold value or lies within the gold
  [low, high] when both are given, and the spans overlap;
* quotes: the spans' character IoU (intersection over union) is at least 0.5;
* actors: the predicted name_ar equals the gold name_ar or the text of one of the gold mentions
  (compared by `evals.names` keys), or the English names are equal ignoring case;
* events: same type, the same place (names compared by `evals.names` keys; a side with no
  location matches any place) and at least one predicted evidence span overlaps a gold one.

Among the candidates, `evals.assignment.assign` picks the optimal one-to-one pairs; the
similarity it maximises second is the span IoU (figures, quotes, events: the best evidence
pair) or, for actors, how directly the names agree.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from evals.assignment import assign
from evals.names import arabic_name_keys, english_name_key
from evals.records import FieldMatches, ItemRef, MatchedPair, SpanRef
from schemas.digest import Actor, Event, Figure, Location, Quote, Span
from service.digest.claims import claim_text

QUOTE_MIN_IOU = 0.5

Item = TypeVar("Item", Actor, Figure, Quote, Event)
Similarity = Callable[[Item, Item], float | None]


def span_iou(first: Span, second: Span) -> float:
    """Characters in both spans over characters in either."""
    overlap = max(0, min(first.end, second.end) - max(first.start, second.start))
    union = max(first.end, second.end) - min(first.start, second.start)
    return overlap / union if union else float(first.start == second.start)


def value_within_bounds(gold: Figure, value: int) -> bool:
    if value == gold.value:
        return True
    return gold.low is not None and gold.high is not None and gold.low <= value <= gold.high


def figure_similarity(gold: Figure, predicted: Figure) -> float | None:
    if predicted.metric != gold.metric or not value_within_bounds(gold, predicted.value):
        return None
    return span_iou(gold.span, predicted.span) if gold.span.overlaps(predicted.span) else None


def quote_similarity(gold: Quote, predicted: Quote) -> float | None:
    iou = span_iou(gold.span, predicted.span)
    return iou if iou >= QUOTE_MIN_IOU else None


def actor_similarity(gold: Actor, predicted: Actor) -> float | None:
    """1 for the same name_ar, 0.75 for a name_ar equal to a gold mention, 0.5 for the same name_en."""
    predicted_keys = arabic_name_keys(predicted.name_ar)
    if not predicted_keys.isdisjoint(arabic_name_keys(gold.name_ar)):
        return 1.0
    if any(not predicted_keys.isdisjoint(arabic_name_keys(mention.text)) for mention in gold.mentions):
        return 0.75
    if english_name_key(predicted.name_en) == english_name_key(gold.name_en):
        return 0.5
    return None


def same_place(first: Location | None, second: Location | None) -> bool:
    """Equal Arabic place names; a missing location is compatible with any place."""
    if first is None or second is None:
        return True
    return not arabic_name_keys(first.name_ar).isdisjoint(arabic_name_keys(second.name_ar))


def event_similarity(gold: Event, predicted: Event) -> float | None:
    if predicted.type != gold.type or not same_place(gold.location, predicted.location):
        return None
    overlapping = [
        span_iou(mine, theirs)
        for mine in gold.evidence
        for theirs in predicted.evidence
        if mine.overlaps(theirs)
    ]
    return max(overlapping) if overlapping else None


def match_items(
    gold: Sequence[Item],
    predicted: Sequence[Item],
    similarity: Similarity[Item],
    describe: Callable[[Item], ItemRef],
) -> FieldMatches:
    """The optimal one-to-one pairs, the gold items left unmatched and the predictions left over."""
    matrix = [[similarity(gold_item, predicted_item) for predicted_item in predicted] for gold_item in gold]
    pairs = assign(matrix)
    matched_gold = {gold_index for gold_index, _ in pairs}
    matched_predicted = {predicted_index for _, predicted_index in pairs}
    return FieldMatches(
        pairs=[
            MatchedPair(
                gold=describe(gold[gold_index]),
                predicted=describe(predicted[predicted_index]),
                similarity=round(matrix[gold_index][predicted_index] or 0.0, 4),
            )
            for gold_index, predicted_index in pairs
        ],
        missed=[describe(item) for index, item in enumerate(gold) if index not in matched_gold],
        spurious=[describe(item) for index, item in enumerate(predicted) if index not in matched_predicted],
    )


def match_actors(gold: Sequence[Actor], predicted: Sequence[Actor]) -> FieldMatches:
    return match_items(gold, predicted, actor_similarity, describe_actor)


def match_figures(gold: Sequence[Figure], predicted: Sequence[Figure]) -> FieldMatches:
    return match_items(gold, predicted, figure_similarity, describe_figure)


def match_quotes(gold: Sequence[Quote], predicted: Sequence[Quote]) -> FieldMatches:
    return match_items(gold, predicted, quote_similarity, describe_quote)


def match_events(gold: Sequence[Event], predicted: Sequence[Event]) -> FieldMatches:
    return match_items(gold, predicted, event_similarity, describe_event)


# --------------------------------------------------------------------------- how items are shown


def _refs(spans: Sequence[Span]) -> list[SpanRef]:
    return [SpanRef(start=span.start, end=span.end) for span in spans]


def describe_actor(actor: Actor) -> ItemRef:
    title = f", {actor.title_en}" if actor.title_en else ""
    return ItemRef(
        id=actor.id,
        label=f"{actor.name_en} ({actor.kind.value}{title})",
        text_ar=actor.name_ar,
        spans=_refs(actor.mentions),
    )


def describe_figure(figure: Figure) -> ItemRef:
    place = f" in {_place_name(figure.location)}" if figure.location else ""
    return ItemRef(
        id=figure.id,
        label=f"{figure.metric.value}: {claim_text(figure)}{place}",
        text_ar=figure.span.text,
        spans=_refs([figure.span]),
    )


def describe_quote(quote: Quote) -> ItemRef:
    speaker = f" — {quote.speaker_actor_id}" if quote.speaker_actor_id else ""
    return ItemRef(
        id=quote.id,
        label=f"{quote.mode.value}{speaker}: {quote.english}",
        text_ar=quote.span.text,
        spans=_refs([quote.span]),
    )


def describe_event(event: Event) -> ItemRef:
    place = f" @ {_place_name(event.location)}" if event.location else ""
    return ItemRef(
        id=event.id,
        label=f"{event.type.value}{place}: {event.description_en}",
        text_ar=" … ".join(span.text for span in event.evidence),
        spans=_refs(event.evidence),
    )


def _place_name(location: Location | None) -> str:
    if location is None:
        return ""
    return location.name_en or location.name_ar
