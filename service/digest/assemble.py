"""The last step of every engine: items + summary + provenance → a checked Digest."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from schemas.digest import (
    Actor,
    Casualty,
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
from service.digest.article import article_info
from service.digest.claims import numbers_in_english, stated_numbers
from service.digest.reconcile import reconcile

_ARABIC_LETTER = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")
_HIDDEN_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069]")


@dataclass
class DigestItems:
    actors: list[Actor] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    warnings: list[DigestWarning] = field(default_factory=list)
    casualties: list[Casualty] | None = None  # `reconcile(figures)` when the engine already made it
    # The English names of the places and actors the article names (the gazetteer's), which an LLM's
    # English text may use although no grounded item carries them.
    article_names: list[str] = field(default_factory=list)

    def reconciled(self) -> list[Casualty]:
        if self.casualties is None:
            self.casualties = reconcile(self.figures)
        return self.casualties


def assemble_digest(
    request: DigestRequest, summary: Summary, items: DigestItems, provenance: Provenance
) -> Digest:
    warnings = [*article_warnings(request.text), *items.warnings]
    stray = numbers_not_in_figures(summary, items.figures)
    if stray:
        warnings.append(
            DigestWarning(
                code=WarningCode.summary_number_not_a_figure,
                message="the English summary mentions numbers that are not figures of the article: "
                + ", ".join(stray),
            )
        )
    return Digest(
        article=article_info(request),
        summary=summary,
        events=items.events,
        actors=items.actors,
        figures=items.figures,
        quotes=items.quotes,
        casualties=items.reconciled(),
        warnings=warnings,
        provenance=provenance,
    )


def writes_arabic(english: str) -> bool:
    """An English text of an item (a translation, a description) that has Arabic letters in it."""
    return _ARABIC_LETTER.search(english) is not None


def article_warnings(text: str) -> list[DigestWarning]:
    """Odd but valid input, said once for every engine: not Arabic, or hidden control characters."""
    warnings = []
    letters = [char for char in text if char.isalpha()]
    arabic = sum(1 for char in letters if _ARABIC_LETTER.match(char))
    if not letters or arabic < 0.5 * len(letters):
        warnings.append(
            DigestWarning(
                code=WarningCode.not_arabic,
                message=f"only {arabic} of the article's {len(letters)} letters are Arabic: "
                "the digest is likely to be empty or poor; send the Arabic original",
            )
        )
    if _HIDDEN_CONTROLS.search(text):
        warnings.append(
            DigestWarning(
                code=WarningCode.control_characters_in_text,
                message="the article contains control or bidi-override characters that can make the "
                "displayed text differ from the stored one; spans refer to the text as sent",
            )
        )
    return warnings


def numbers_not_in_figures(summary: Summary, figures: list[Figure]) -> list[str]:
    """Numbers written in the English headline, summary or key points that no figure states as written:
    a derived bound ("2,501" for "أكثر من 2.5 ألف") or a vague value ("10" for "العشرات") is not stated
    (`service.digest.claims.stated_numbers`)."""
    return numbers_not_stated([summary.headline_en, summary.summary_en, *summary.key_points_en], figures)


def numbers_not_stated(texts: Sequence[str], figures: Sequence[Figure]) -> list[str]:
    """The numbers written in English `texts` that are not among the figures' stated numbers, in order."""
    allowed = stated_numbers(figures)
    found = [(written, value) for text in texts for written, value in numbers_in_english(text)]
    return list(dict.fromkeys(written for written, value in found if value not in allowed))
