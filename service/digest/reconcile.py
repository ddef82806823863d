"""Casualty reconciliation: figure claims → low / best / high per toll (docs/DESIGN.md §3).

This is the team's one casualty rule. The engines (`service.digest.assemble`, the offline engine) and the gold
compiler (`evals.labelling`) all call `reconcile`; nothing else re-implements it.

Which figures take part
- Metrics: the casualty tolls of `schemas/metrics.py` only (`CASUALTY_METRICS`: killed, injured,
  displaced, evacuated). Strikes, shells, facilities hit, the besieged population and "other" are left out.
- Totals only: a figure with `part_of` set ("بينهم 58 طفلا") is a subset and is never added to or
  weighed against its total.
- Incident tolls only: a whole-war / cumulative toll is left out. The caller decides through
  `whole_war`; the default, `is_whole_war_toll`, reads `period_ar`: "منذ بداية/بدء/اندلاع/انطلاق
  الحرب/النزاع/الصراع/الثورة/الأزمة/الاحتجاجات", "منذ (آذار|عام) 2011", or a period of counted years
  ("منذ اندلاعه قبل ست سنوات", "خلال 7 أعوام", "خلال السنوات الماضية"; a bare "منذ سنوات" is not one).
  The gold compiler passes its own predicate, the YAML's `whole_war: true` flags.

Grouping: one toll per (metric, place). The place key is the figure's `location.name_ar` normalised
(`normalize_str`), with one leading proclitic و / ب / ل / ف removed when the rest starts with ال
("والغوطة الشرقية" and "الغوطة الشرقية" are one place; see `place_key`). Figures without a location form
their own "unknown place" group. `Casualty.location` is the location of the group's earliest figure.

Supersession: within a group, a later figure (by span start) from the same named source
(`source_actor_id` not None) supersedes that source's earlier figure, whatever its value ("ارتفعت
الحصيلة إلى"; a correction downwards counts too). Unattributed figures never supersede nor are
superseded. The remaining figures are the group's claims (`Casualty.figure_ids`, in text order).

Bounds of the claims
- A claim's lower bound: more_than → value + 1; exact, at_least, about, vague → value; up_to → none
  (an upper limit says nothing about the minimum), except that when every claim of the group is up_to,
  each gives lower bound 0.
- low = the smallest lower bound.
- high = the largest of max(value, lower bound) over the claims, so high >= low always.
- best = the lower median of the claims' values (sorted ascending, element (n - 1) // 2), clamped into
  [low, high]. A lone "أكثر من 400" gives low = best = high = 401.
- Each Bound lists the figures that give it (low: lower bound equal to it; high: max(value, lower
  bound) equal to it; best: value equal to it, or, when the median was clamped up to low, the figures
  giving low) and their source actor ids, deduplicated in text order.
- conflicting = the claims have at least two distinct values and come from at least two distinct
  sources (an unattributed claim is a source of its own).

Output: one Casualty per group, ordered by metric (the order of `CASUALTY_METRICS`), then by the
group's first span start. Deterministic.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from schemas.digest import Bound, Casualty, Figure, Location, Metric, Qualifier
from schemas.metrics import CASUALTY_METRICS
from service.arabic.clitics import LIKE, PROCLITIC_LETTERS, strip_clitic_before_article
from service.arabic.normalize import normalize_str


def _alternatives(words: Sequence[str]) -> str:
    return "(?:" + "|".join(re.escape(normalize_str(word)) for word in words) + ")"


_SINCE = normalize_str("منذ")
_START = _alternatives(("بداية", "بدء", "بدايات", "اندلاع", "انطلاق"))
_WAR = _alternatives(("الحرب", "النزاع", "الصراع", "الثورة", "الأزمة", "الاحتجاجات"))
_YEARS = _alternatives(("سنوات", "سنين", "أعوام"))
_THE_YEARS = _alternatives(("السنوات", "الأعوام"))
_NOT_A_COUNT = _alternatives(("منذ", "قبل", "بعد"))
_WHOLE_WAR = re.compile(
    rf"{_SINCE} {_START} {_WAR}"  # منذ اندلاع الحرب
    rf"|{_SINCE} (?:\S+ )?2011"  # منذ 2011، منذ آذار 2011
    rf"|(?:^|\s)(?!{_NOT_A_COUNT}\s)\S+ {_YEARS}(?!\S)"  # منذ اندلاعه قبل ست سنوات، خلال 7 أعوام
    rf"|(?:^|\s){_THE_YEARS}(?!\S)"  # خلال السنوات الماضية
)


def is_whole_war_toll(figure: Figure) -> bool:
    """True when the figure's period, as written, covers the whole war or several years."""
    return figure.period_ar is not None and _WHOLE_WAR.search(normalize_str(figure.period_ar)) is not None


_PLACE_PROCLITICS = PROCLITIC_LETTERS - {LIKE}  # "كالغوطه" compares with a place, so it keeps its ك


def place_key(location: Location | None) -> str | None:
    """The grouping key of a place: normalised `name_ar` without one leading و/ب/ل/ف before ال; None
    for an unknown place."""
    if location is None:
        return None
    return strip_clitic_before_article(normalize_str(location.name_ar), _PLACE_PROCLITICS)


@dataclass(frozen=True, slots=True)
class _Claim:
    figure: Figure
    lower: int | None

    @property
    def value(self) -> int:
        return self.figure.value

    @property
    def upper(self) -> int:
        """What the claim gives for `high`: max(value, lower bound)."""
        return max(self.figure.value, self.lower or 0)

    @property
    def source(self) -> str:
        """The source key: the actor id, or the figure's own id when the figure has no source."""
        return self.figure.source_actor_id or f"unattributed:{self.figure.id}"


def _claims(figures: Sequence[Figure]) -> list[_Claim]:
    only_up_to = all(figure.qualifier is Qualifier.up_to for figure in figures)
    claims = []
    for figure in figures:
        lower: int | None
        if figure.qualifier is Qualifier.up_to:
            lower = 0 if only_up_to else None
        elif figure.qualifier is Qualifier.more_than:
            lower = figure.value + 1
        else:
            lower = figure.value
        claims.append(_Claim(figure, lower))
    return claims


def _without_superseded(group: Sequence[Figure]) -> list[Figure]:
    """The group's figures, in text order, without those a later figure of the same source supersedes."""
    latest: dict[str, Figure] = {}
    for figure in group:
        if figure.source_actor_id is not None:
            latest[figure.source_actor_id] = figure
    return [
        figure
        for figure in group
        if figure.source_actor_id is None or latest[figure.source_actor_id] is figure
    ]


def _bound(value: int, claims: Sequence[_Claim]) -> Bound:
    sources: list[str] = []
    for claim in claims:
        source = claim.figure.source_actor_id
        if source is not None and source not in sources:
            sources.append(source)
    return Bound(value=value, figure_ids=[claim.figure.id for claim in claims], source_actor_ids=sources)


def _casualty(metric: Metric, group: Sequence[Figure]) -> Casualty:
    claims = _claims(_without_superseded(group))
    low = min(claim.lower for claim in claims if claim.lower is not None)
    high = max(claim.upper for claim in claims)
    median = sorted(claim.value for claim in claims)[(len(claims) - 1) // 2]
    best = min(max(median, low), high)
    best_claims = [claim for claim in claims if claim.value == best] or [
        claim for claim in claims if claim.lower == best
    ]
    return Casualty(
        metric=metric,
        location=group[0].location,
        low=_bound(low, [claim for claim in claims if claim.lower == low]),
        best=_bound(best, best_claims),
        high=_bound(high, [claim for claim in claims if claim.upper == high]),
        conflicting=len({claim.value for claim in claims}) >= 2
        and len({claim.source for claim in claims}) >= 2,
        figure_ids=[claim.figure.id for claim in claims],
    )


def reconcile(
    figures: Sequence[Figure], *, whole_war: Callable[[Figure], bool] = is_whole_war_toll
) -> list[Casualty]:
    """One Casualty per casualty metric and place, in metric order then text order (module docstring)."""
    groups: dict[tuple[Metric, str | None], list[Figure]] = {}
    for figure in sorted(figures, key=lambda figure: (figure.span.start, figure.span.end, figure.id)):
        if figure.metric in CASUALTY_METRICS and figure.part_of is None and not whole_war(figure):
            groups.setdefault((figure.metric, place_key(figure.location)), []).append(figure)
    ordered = sorted(
        groups.items(),
        key=lambda item: (CASUALTY_METRICS.index(item[0][0]), item[1][0].span.start, item[0][1] or ""),
    )
    return [_casualty(metric, group) for (metric, _), group in ordered]
