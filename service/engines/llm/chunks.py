"""Long articles in parts: split on sentence boundaries with overlap, answers merged before grounding.

An article whose estimated tokens exceed what the context leaves for it (`article_budget`) is cut
into parts of whole sentences, each part repeating the previous part's last sentence so an item on
the boundary is seen whole once. Every part is asked the same tasks; the answers are merged by the
Arabic they stand on (the same figure phrase, quote, name or evidence is one item), and the refs of
each part are prefixed with the part ("p2a1") so that parts never collide. Grounding then runs on
the whole article: every string is verbatim in it, whichever part it came from.
"""

from __future__ import annotations

from collections.abc import Sequence

from schemas.llm_output import LLMActor, LLMDigest, LLMEvent, LLMFigure, LLMQuote
from service.arabic.sentences import sentence_pieces
from service.engines.llm.asking import identity


def split_article(text: str, budget_chars: int) -> list[str]:
    """Parts of at most `budget_chars` (a longer sentence is a part of its own), overlapping by a sentence."""
    if len(text) <= budget_chars:
        return [text]
    parts: list[list[str]] = [[]]
    for sentence in sentence_pieces(text):
        current = parts[-1]
        if current and sum(map(len, current)) + len(sentence) > budget_chars:
            parts.append([current[-1]] if len(current) > 1 else [])
        parts[-1].append(sentence)
    return ["".join(part) for part in parts if part]


def merge_parts(answers: Sequence[LLMDigest]) -> LLMDigest:
    """One answer from the parts' answers: refs prefixed by part, repeated items kept once."""
    if len(answers) == 1:
        return answers[0]
    renamed = [_prefixed(answer, f"p{index}") for index, answer in enumerate(answers, start=1)]
    same: dict[str, str] = {}
    actors = _unique([actor for answer in renamed for actor in answer.actors], same)
    events = _unique([event for answer in renamed for event in answer.events], same)
    figures = _unique([figure for answer in renamed for figure in answer.figures], same)
    quotes = _unique([quote for answer in renamed for quote in answer.quotes], same)
    merged = renamed[0].model_copy(
        update={"actors": actors, "events": events, "figures": figures, "quotes": quotes}
    )
    return _prefixed(merged, "", same)


def _unique(items: list[_Item], same: dict[str, str]) -> list[_Item]:
    """Items kept once by `identity`; `same` maps a dropped repeat's ref to the kept item's."""
    kept: dict[str, _Item] = {}
    for item in items:
        key = identity(item)
        if key in kept:
            first, again = getattr(kept[key], "ref", None), getattr(item, "ref", None)
            if first is not None and again is not None:
                same[again] = first
            continue
        kept[key] = item
    return list(kept.values())


_Item = LLMActor | LLMEvent | LLMFigure | LLMQuote


def _prefixed(answer: LLMDigest, prefix: str, mapping: dict[str, str] | None = None) -> LLMDigest:
    """Every ref and reference renamed: `mapping[ref]` when given, else `prefix + ref`."""

    def ref(value: str | None) -> str | None:
        if value is None:
            return None
        return mapping.get(value, value) if mapping is not None else prefix + value

    return answer.model_copy(
        update={
            "actors": [actor.model_copy(update={"ref": ref(actor.ref)}) for actor in answer.actors],
            "events": [
                event.model_copy(
                    update={
                        "ref": ref(event.ref),
                        "actors": [role.model_copy(update={"ref": ref(role.ref)}) for role in event.actors],
                    }
                )
                for event in answer.events
            ],
            "figures": [
                figure.model_copy(
                    update={
                        "ref": ref(figure.ref),
                        "source_ref": ref(figure.source_ref),
                        "event_ref": ref(figure.event_ref),
                        "part_of_ref": ref(figure.part_of_ref),
                    }
                )
                for figure in answer.figures
            ],
            "quotes": [
                quote.model_copy(update={"speaker_ref": ref(quote.speaker_ref)}) for quote in answer.quotes
            ],
        }
    )
