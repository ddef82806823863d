"""Casualty reconciliation: figure claims → low / best / high per toll (docs/DESIGN.md §3).

This is the team's one casualty rule. The engines (`service.digest.assemble`, the offline engine) and the gold
compiler (`evals.labelling`) all call `reconcile`; nothing else re-implements it.

A toll is (incident, metric, scope), after UCDP GED practice: claims of different incidents or different
scopes are never weighed against each other.

Which figures take part
- Metrics: the casualty tolls of `schemas/metrics.py` only (`CASUALTY_METRICS`: killed, injured,
  displaced, evacuated). Strikes, shells, facilities hit, the besieged population and "other" are left out.
- Totals only: a figure with `part_of` set ("بينهم 58 طفلا") is a subset and is never added to or
  weighed against its total.

Scope (`Figure.scope`): `incident` (the toll of the event itself), `period` (a toll over a stated span of
time: "خلال ثلاثة أيام"، "منذ بدء الحملة"، "الأسبوع الماضي") or `cumulative` (the whole war, a year's or an
organisation's running count). Engines set it from the period as written with `scope_of_period`; the gold
labeller writes it. `scope_of_period` (word lists in `service/arabic/data/toll_scope.yaml`): no period →
incident; a period naming a war's start or the war ("منذ اندلاع الحرب"، "منذ بدء العدوان"، "طوال الحرب"),
the start of fighting ("منذ اندلاع المعارك"), a year ("منذ عام 2015"، "منذ آذار 2011"، "خلال 2016"), years
("خلال سبع سنوات"، "منذ سنوات"، "السنوات الماضية") or the year itself ("منذ مطلع العام"، "خلال العام الماضي")
→ cumulative; any other period → period.

Grouping: one toll per (metric, scope, incident, period). The incident is the figure's `event_id` (an event
is one incident at one place, as in UCDP GED); a figure with no event is grouped by its place instead. The
place is `location.name_ar` normalised (`normalize_str`), with one leading proclitic و / ب / ل / ف
removed when the rest starts with ال ("والغوطة الشرقية" and "الغوطة الشرقية" are one place; see
`place_key`); an incident figure with neither event nor place is a toll of its own (nothing says it is
another claim's incident), while period and cumulative figures with neither form one group per metric and
scope (one running count, however many sources give it). Two periods are
two tolls (July's toll and June's, "the past three days" and "the past four days"): for scope `period`
the key also holds `period_key(period_ar)`, the period's words without
article, prepositions of time and adjectives of the recent past, as a set ("خلال الأيام الثلاثة
الماضية" and "في ثلاثة أيام" are one period). `Casualty.event_id` is the group's event (None for a group by
place), `Casualty.scope` its scope, `Casualty.period_ar` (scope period) and `Casualty.location` the period
and location of the group's earliest figure.

Supersession: within a group, a later figure (by span start) from the same named source
(`source_actor_id` not None) supersedes that source's earlier figure, whatever its value ("ارتفعت
الحصيلة إلى"; a correction downwards counts too). Unattributed figures never supersede nor are
superseded. The remaining figures are the group's claims (`Casualty.figure_ids`, in text order).

Bounds of the claims
- A claim's lower bound: more_than → value + 1; a stated range ("بين 10 و20", `claims.is_stated_range`) →
  its low; exact, at_least, about, vague → value; up_to → none (an upper limit says nothing about the
  minimum), except that when every claim of the group is up_to, each gives lower bound 0.
- A claim's upper value: its high for a stated range, else max(value, lower bound).
- low = the smallest lower bound.
- high = the largest upper value over the claims, so high >= low always.
- best = the lower median of the claims' values (sorted ascending, element (n - 1) // 2), clamped into
  [low, high]. A lone "أكثر من 400" gives low = best = high = 401: bounds are data; English shows the
  claim as written ("more than 400", `service.digest.claims`).
- Each Bound lists the figures that give it (low: lower bound equal to it; high: upper value equal to
  it; best: value equal to it, or, when the median was clamped up to low, the figures giving low) and
  their source actor ids, deduplicated in text order.
- conflicting ("sources disagree") = two claims of the toll with different values come from two
  different named sources. Unattributed claims ("source not stated") never make a disagreement.

Output: one Casualty per group, ordered by metric (the order of `CASUALTY_METRICS`), then by the
group's first span start. Deterministic.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from schemas.digest import Bound, Casualty, Figure, Location, Metric, Qualifier, Scope
from schemas.metrics import CASUALTY_METRICS
from service.arabic.clitics import LIKE, PROCLITIC_LETTERS, strip_clitic_before_article
from service.arabic.lexicon import is_one_of, stems, word_set
from service.arabic.normalize import normalize_str
from service.digest.claims import is_stated_range

_WAR_STARTS = word_set("toll_scope", "war_starts")
_WARS = word_set("toll_scope", "wars")
_FIGHTING = word_set("toll_scope", "fighting")
_YEARS = word_set("toll_scope", "years", "this_year")
_PERIOD_FILLERS = word_set("toll_scope", "period_fillers")
_A_YEAR = re.compile(r"^(?:19|20)\d\d$")


def scope_of_period(period_ar: str | None) -> Scope:
    """The scope of a toll whose period is written `period_ar` (module docstring)."""
    if period_ar is None or not period_ar.strip():
        return Scope.incident
    tokens = normalize_str(period_ar).split()
    fighting_started = any(
        is_one_of(before, _WAR_STARTS) and is_one_of(after, _FIGHTING)
        for before, after in itertools.pairwise(tokens)
    )
    cumulative = fighting_started or any(
        is_one_of(token, _WARS | _YEARS) or _A_YEAR.match(token) for token in tokens
    )
    return Scope.cumulative if cumulative else Scope.period


_PLACE_PROCLITICS = PROCLITIC_LETTERS - {LIKE}  # "كالغوطه" compares with a place, so it keeps its ك


def place_key(location: Location | None) -> str | None:
    """The grouping key of a place: normalised `name_ar` without one leading و/ب/ل/ف before ال; None
    for an unknown place."""
    if location is None:
        return None
    return strip_clitic_before_article(normalize_str(location.name_ar), _PLACE_PROCLITICS)


def period_key(period_ar: str | None) -> frozenset[str]:
    """The words that tell one period from another (module docstring)."""
    if period_ar is None:
        return frozenset()
    return frozenset(
        stems(token)[-1]
        for token in normalize_str(period_ar).split()
        if not is_one_of(token, _PERIOD_FILLERS)
    )


TollKey = tuple[Metric, Scope, str | None, frozenset[str]]


def toll_key(figure: Figure) -> TollKey:
    """(metric, scope, incident, period): the incident is "event:<id>", else "place:<key>", else None;
    the period only for scope `period`."""
    place = place_key(figure.location)
    incident = (
        f"event:{figure.event_id}" if figure.event_id is not None else (f"place:{place}" if place else None)
    )
    if incident is None and figure.scope is Scope.incident:
        incident = f"figure:{figure.id}"  # nothing says which incident: weighed against no other claim
    period = period_key(figure.period_ar) if figure.scope is Scope.period else frozenset()
    return figure.metric, figure.scope, incident, period


@dataclass(frozen=True, slots=True)
class _Claim:
    figure: Figure
    lower: int | None

    @property
    def value(self) -> int:
        return self.figure.value

    @property
    def upper(self) -> int:
        """What the claim gives for `high`: a stated range's high, else max(value, lower bound)."""
        if is_stated_range(self.figure) and self.figure.high is not None:
            return self.figure.high
        return max(self.figure.value, self.lower or 0)


def _claims(figures: Sequence[Figure]) -> list[_Claim]:
    only_up_to = all(figure.qualifier is Qualifier.up_to for figure in figures)
    claims = []
    for figure in figures:
        lower: int | None
        if figure.qualifier is Qualifier.up_to:
            lower = 0 if only_up_to else None
        elif figure.qualifier is Qualifier.more_than:
            lower = figure.value + 1
        elif is_stated_range(figure):
            lower = figure.low
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


def _sources_disagree(claims: Sequence[_Claim]) -> bool:
    named = [(claim.figure.source_actor_id, claim.value) for claim in claims if claim.figure.source_actor_id]
    return any(
        source != other_source and value != other_value
        for (source, value), (other_source, other_value) in itertools.combinations(named, 2)
    )


def _bound(value: int, claims: Sequence[_Claim]) -> Bound:
    sources: list[str] = []
    for claim in claims:
        source = claim.figure.source_actor_id
        if source is not None and source not in sources:
            sources.append(source)
    return Bound(value=value, figure_ids=[claim.figure.id for claim in claims], source_actor_ids=sources)


def _casualty(key: TollKey, group: Sequence[Figure]) -> Casualty:
    metric, scope, incident, _ = key
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
        scope=scope,
        event_id=group[0].event_id if incident is not None and incident.startswith("event:") else None,
        period_ar=group[0].period_ar if scope is Scope.period else None,
        location=group[0].location,
        low=_bound(low, [claim for claim in claims if claim.lower == low]),
        best=_bound(best, best_claims),
        high=_bound(high, [claim for claim in claims if claim.upper == high]),
        conflicting=_sources_disagree(claims),
        figure_ids=[claim.figure.id for claim in claims],
    )


def reconcile(figures: Sequence[Figure]) -> list[Casualty]:
    """One Casualty per toll (metric, scope, incident), in metric order then text order (module docstring)."""
    groups: dict[TollKey, list[Figure]] = {}
    for figure in sorted(figures, key=lambda figure: (figure.span.start, figure.span.end, figure.id)):
        if figure.metric in CASUALTY_METRICS and figure.part_of is None:
            groups.setdefault(toll_key(figure), []).append(figure)
    ordered = sorted(
        groups.items(),
        key=lambda item: (CASUALTY_METRICS.index(item[0][0]), item[1][0].span.start, item[0][2] or ""),
    )
    return [_casualty(key, group) for key, group in ordered]
