"""What the code knows about each `Metric` and each violent `EventType`: one row per metric, one table.

Reconciliation, both engines' summaries and quotes, and event linking read these facts here, so a
new metric is one row (a test checks that every `Metric` has one): docs/DESIGN.md §3 and §10. The
table is code, not part of the exported contract: it does not change the JSON Schemas.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from schemas.digest import EventType, Metric

VIOLENT_EVENT_TYPES = frozenset(
    {
        EventType.air_strike,
        EventType.shelling,
        EventType.ground_clash,
        EventType.attack_on_facility,
        EventType.chemical_attack,
        EventType.bombing,
        EventType.execution,
    }
)


@dataclass(frozen=True, slots=True)
class MetricFacts:
    casualty_toll: bool  # reconciled into `Digest.casualties`: low / best / high per incident and scope
    harm: bool  # people killed, hurt or lost: a toll of a violent event ("killed in an air strike")
    passive_en: str | None  # a count of people, told in English: "12 civilians were killed"
    noun_en: str | None  # a count of things, told in English: "30 air strikes"
    gist_en: str | None  # the label of a count of people in a quote's gist: "170 civilians killed"
    event_types: frozenset[
        EventType
    ]  # the types of event a figure of this metric may belong to (none: context)


METRIC_FACTS: Mapping[Metric, MetricFacts] = {
    Metric.killed: MetricFacts(
        casualty_toll=True,
        harm=True,
        passive_en="killed",
        noun_en=None,
        gist_en="killed",
        event_types=VIOLENT_EVENT_TYPES,
    ),
    Metric.injured: MetricFacts(
        casualty_toll=True,
        harm=True,
        passive_en="injured",
        noun_en=None,
        gist_en="injured",
        event_types=VIOLENT_EVENT_TYPES,
    ),
    Metric.missing: MetricFacts(
        casualty_toll=False,
        harm=True,
        passive_en="missing",
        noun_en=None,
        gist_en="missing",
        event_types=VIOLENT_EVENT_TYPES | {EventType.displacement},
    ),
    Metric.detained: MetricFacts(
        casualty_toll=False,
        harm=False,
        passive_en="detained or abducted",
        noun_en=None,
        gist_en="detained or abducted",
        event_types=frozenset({EventType.arrest_or_abduction}),
    ),
    Metric.displaced: MetricFacts(
        casualty_toll=True,
        harm=False,
        passive_en="displaced or fled",
        noun_en=None,
        gist_en="displaced or fleeing",
        event_types=frozenset({EventType.displacement}),
    ),
    Metric.evacuated: MetricFacts(
        casualty_toll=True,
        harm=False,
        passive_en="evacuated",
        noun_en=None,
        gist_en="(evacuation)",
        event_types=frozenset({EventType.displacement, EventType.humanitarian}),
    ),
    Metric.strikes: MetricFacts(
        casualty_toll=False,
        harm=False,
        passive_en=None,
        noun_en="air strikes",
        gist_en=None,
        event_types=frozenset({EventType.air_strike}),
    ),
    Metric.shells: MetricFacts(
        casualty_toll=False,
        harm=False,
        passive_en=None,
        noun_en="shells or rockets",
        gist_en=None,
        event_types=frozenset({EventType.shelling, EventType.air_strike}),
    ),
    Metric.besieged_population: MetricFacts(
        casualty_toll=False,
        harm=False,
        passive_en=None,
        noun_en="people living under siege",
        gist_en=None,
        event_types=frozenset(),
    ),
    Metric.facilities_hit: MetricFacts(
        casualty_toll=False,
        harm=False,
        passive_en=None,
        noun_en="facilities hit",
        gist_en=None,
        event_types=VIOLENT_EVENT_TYPES,
    ),
    Metric.other: MetricFacts(
        casualty_toll=False,
        harm=False,
        passive_en=None,
        noun_en=None,
        gist_en=None,
        event_types=frozenset(),
    ),
}

# The casualty metrics, in the order their tolls are listed.
CASUALTY_METRICS = tuple(metric for metric in Metric if METRIC_FACTS[metric].casualty_toll)
HARM_METRICS = frozenset(metric for metric in Metric if METRIC_FACTS[metric].harm)
