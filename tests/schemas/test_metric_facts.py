"""The table of metric facts: every metric has a complete row, so a new metric breaks no reader."""

from __future__ import annotations

import pytest

from schemas.digest import Metric
from schemas.metrics import CASUALTY_METRICS, HARM_METRICS, METRIC_FACTS, VIOLENT_EVENT_TYPES


def test_every_metric_has_facts() -> None:
    assert set(METRIC_FACTS) == set(Metric)


@pytest.mark.parametrize("metric", list(Metric))
def test_a_metric_counts_people_or_things_and_says_so_in_english(metric: Metric) -> None:
    facts = METRIC_FACTS[metric]
    if metric is Metric.other:
        assert facts.passive_en is facts.noun_en is facts.gist_en is None
        return
    people, things = facts.passive_en is not None, facts.noun_en is not None
    assert people != things, f"{metric}: a count of people (passive_en) or of things (noun_en), not both"
    assert (facts.gist_en is not None) == people, f"{metric}: a count of people is labelled in a quote's gist"


@pytest.mark.parametrize("metric", sorted(set(CASUALTY_METRICS) | HARM_METRICS))
def test_tolls_and_harm_count_people(metric: Metric) -> None:
    assert METRIC_FACTS[metric].passive_en


@pytest.mark.parametrize("metric", sorted(HARM_METRICS))
def test_harm_belongs_to_violent_events(metric: Metric) -> None:
    assert METRIC_FACTS[metric].event_types >= VIOLENT_EVENT_TYPES


def test_casualty_tolls_in_the_order_of_the_enum() -> None:
    assert (Metric.killed, Metric.injured, Metric.displaced, Metric.evacuated) == CASUALTY_METRICS
