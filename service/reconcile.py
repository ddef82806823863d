"""Casualty reconciliation: figure claims → low / best / high per toll (DESIGN §3, UCDP/ACLED practice).

Which figures take part
- Metrics: killed, injured, displaced and evacuated (`CASUALTY_METRICS`): tolls of people. Strikes,
  shells, facilities hit, the besieged population and "other" are counts of things or stocks, not
  casualties, and are left out.
- Only totals: a figure with `part_of` set ("بينهم 58 طفلا") is a subset and is never added to or
  weighed against its total.
- Only incident tolls: a figure whose period covers the whole war is left out. The caller decides
  through `whole_war`; the default, `is_whole_war_toll`, reads `period_ar` for the general pattern
  "منذ بداية/اندلاع/بدء الحرب/النزاع/الثورة/الأزمة" or "منذ (عام) 2011".
- One toll per metric and event: figures are grouped by (metric, event_id), so the tolls of two
  incidents (75 killed in Ghouta, 7 in Idlib) are never weighed against each other; figures without
  an event form one group per metric. Figures of one group are read as claims about the same toll,
  never summed.

Supersession: a later figure (by span start) from the same named source (`source_actor_id`) with a
higher value supersedes that source's earlier figures of the group: tolls rise as bodies are counted
("ارتفعت الحصيلة إلى"). A later lower or equal figure from the same source supersedes nothing, and
figures of different sources never supersede each other. Superseded figures are left out.

Bounds of the remaining claims
- A claim's lower bound: more_than → value + 1; vague → its `low` (else value); up_to → none;
  exact, at_least, about → value. Its upper bound: its `high` if set, up_to → value, else its lower
  bound.
- low = the smallest lower bound (the most conservative, as ACLED); 0 when no claim has one.
- best = the point estimate (a claim's lower bound, or its value for up_to) cited by the most
  distinct sources (each figure without a source counts as a source of its own); among equally
  cited estimates, the lower median of them (always one that was claimed, never an average), so
  low <= best <= high.
- high = the largest upper bound.
- Each Bound lists the figures that give its value and their sources; `figure_ids` of the casualty
  lists every claim used; `conflicting` is True when two claims of different sources give different
  values.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from schemas.digest import Bound, Casualty, Figure, Metric, Qualifier
from service.normalize import normalize_str

CASUALTY_METRICS = (Metric.killed, Metric.injured, Metric.displaced, Metric.evacuated)

_WHOLE_WAR = re.compile(
    normalize_str("منذ")
    + r" (?:"
    + "|".join(normalize_str(word) for word in ("بداية", "بدء", "بدايات", "اندلاع", "انطلاق"))
    + r") (?:"
    + "|".join(
        normalize_str(word) for word in ("الحرب", "النزاع", "الصراع", "الثورة", "الأزمة", "الاحتجاجات")
    )
    + r")|"
    + normalize_str("منذ")
    + r" (?:\S+ )?2011"
)


def is_whole_war_toll(figure: Figure) -> bool:
    """True when the figure's period, as written, covers the whole war ("منذ اندلاع الحرب")."""
    return (
        figure.period_ar is not None and _WHOLE_WAR.search(normalize_str(figure.period_ar)) is not None
    )


@dataclass(frozen=True, slots=True)
class _Claim:
    figure: Figure
    lower: int | None
    upper: int

    @property
    def point(self) -> int:
        """The claim's point estimate: its lower bound, or its value when it has none (up_to)."""
        return self.figure.value if self.lower is None else self.lower

    @property
    def source(self) -> str:
        """The source key: the actor id, or the figure's own id when the figure has no source."""
        return self.figure.source_actor_id or f"unattributed:{self.figure.id}"


def _claim(figure: Figure) -> _Claim:
    lower: int | None
    if figure.qualifier is Qualifier.more_than:
        lower = figure.value + 1
    elif figure.qualifier is Qualifier.up_to:
        lower = None
    elif figure.qualifier is Qualifier.vague and figure.low is not None:
        lower = figure.low
    else:
        lower = figure.value
    if figure.high is not None:
        upper = figure.high
    elif lower is None:
        upper = figure.value
    else:
        upper = lower
    return _Claim(figure, lower, max(upper, lower or 0))


def _without_superseded(figures: Sequence[Figure]) -> list[Figure]:
    """The figures of one toll that no later, higher figure of the same source supersedes."""
    ordered = sorted(figures, key=lambda figure: figure.span.start)
    kept: list[Figure] = []
    for figure in ordered:
        source = figure.source_actor_id
        kept = [
            earlier
            for earlier in kept
            if source is None or earlier.source_actor_id != source or earlier.value >= figure.value
        ]
        kept.append(figure)
    return kept


def _bound(value: int, claims: Sequence[_Claim]) -> Bound:
    sources = sorted({claim.figure.source_actor_id for claim in claims if claim.figure.source_actor_id})
    return Bound(value=value, figure_ids=[claim.figure.id for claim in claims], source_actor_ids=sources)


def _low(claims: Sequence[_Claim]) -> Bound:
    known = [claim for claim in claims if claim.lower is not None]
    if not known:
        return _bound(0, claims)
    value = min(claim.lower for claim in known if claim.lower is not None)
    return _bound(value, [claim for claim in known if claim.lower == value])


def _best(claims: Sequence[_Claim]) -> Bound:
    sources_per_value: dict[int, set[str]] = defaultdict(set)
    for claim in claims:
        sources_per_value[claim.point].add(claim.source)
    most = max(len(sources) for sources in sources_per_value.values())
    tied = sorted(value for value, sources in sources_per_value.items() if len(sources) == most)
    value = tied[(len(tied) - 1) // 2]
    return _bound(value, [claim for claim in claims if claim.point == value])


def _high(claims: Sequence[_Claim]) -> Bound:
    value = max(claim.upper for claim in claims)
    return _bound(value, [claim for claim in claims if claim.upper == value])


def _conflicting(claims: Sequence[_Claim]) -> bool:
    return any(
        first.source != second.source and first.figure.value != second.figure.value
        for index, first in enumerate(claims)
        for second in claims[index + 1 :]
    )


def _casualty(metric: Metric, figures: Sequence[Figure]) -> Casualty:
    claims = [_claim(figure) for figure in _without_superseded(figures)]
    return Casualty(
        metric=metric,
        low=_low(claims),
        best=_best(claims),
        high=_high(claims),
        conflicting=_conflicting(claims),
        figure_ids=[claim.figure.id for claim in claims],
    )


def reconcile(
    figures: Sequence[Figure], *, whole_war: Callable[[Figure], bool] = is_whole_war_toll
) -> list[Casualty]:
    """One Casualty per casualty metric and event, in metric order then text order (module docstring)."""
    groups: dict[tuple[Metric, str | None], list[Figure]] = defaultdict(list)
    for figure in sorted(figures, key=lambda figure: figure.span.start):
        if figure.metric in CASUALTY_METRICS and figure.part_of is None and not whole_war(figure):
            groups[(figure.metric, figure.event_id)].append(figure)
    ordered = sorted(groups.items(), key=lambda item: CASUALTY_METRICS.index(item[0][0]))
    return [_casualty(metric, group) for (metric, _), group in ordered]
