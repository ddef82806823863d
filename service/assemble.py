"""The last step of every engine: items + summary + provenance → a checked Digest."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from schemas.digest import (
    Actor,
    Digest,
    DigestWarning,
    Event,
    Figure,
    Provenance,
    Quote,
    Summary,
    WarningCode,
)
from schemas.request import DigestRequest
from service.article import article_info
from service.reconcile import reconcile

_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")


@dataclass
class DigestItems:
    actors: list[Actor] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    warnings: list[DigestWarning] = field(default_factory=list)


def assemble_digest(
    request: DigestRequest, summary: Summary, items: DigestItems, provenance: Provenance
) -> Digest:
    warnings = list(items.warnings)
    stray = numbers_not_in_figures(summary, items.figures)
    if stray:
        warnings.append(
            DigestWarning(
                code=WarningCode.ungrounded_item_dropped,
                message=f"the English summary mentions numbers that are not figures of the article: {', '.join(stray)}",
            )
        )
    return Digest(
        article=article_info(request),
        summary=summary,
        events=items.events,
        actors=items.actors,
        figures=items.figures,
        quotes=items.quotes,
        casualties=reconcile(items.figures),
        warnings=warnings,
        provenance=provenance,
    )


def numbers_not_in_figures(summary: Summary, figures: list[Figure]) -> list[str]:
    """Numbers written in the English headline, summary or key points that no figure states."""
    allowed = {figure.value for figure in figures} | {
        bound for figure in figures for bound in (figure.low, figure.high) if bound is not None
    }
    text = " ".join([summary.headline_en, summary.summary_en, *summary.key_points_en])
    found = [match.group().rstrip(",") for match in _NUMBER.finditer(text)]
    return sorted({number for number in found if _as_int(number) not in allowed}, key=found.index)


def _as_int(number: str) -> int | None:
    try:
        return int(float(number.replace(",", "")))
    except ValueError:
        return None
