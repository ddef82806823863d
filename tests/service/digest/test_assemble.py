"""Assembly: a number in the English summary that no figure states is flagged, whichever engine wrote it."""

from __future__ import annotations

import datetime as dt

from schemas.digest import Engine, Figure, Metric, Provenance, Qualifier, Span, Summary, WarningCode
from schemas.request import DigestRequest
from service.digest.assemble import DigestItems, assemble_digest

_ARTICLE = "قتل أكثر من 12 مدنيا في مدينة دوما."
_FIGURE = Figure(
    id="f1",
    value=12,
    low=13,
    qualifier=Qualifier.more_than,
    metric=Metric.killed,
    span=Span(start=4, end=14, text="أكثر من 12"),
)


def _warnings(summary: Summary) -> list[str]:
    provenance = Provenance(engine=Engine.offline, created_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    digest = assemble_digest(
        DigestRequest(text=_ARTICLE), summary, DigestItems(figures=[_FIGURE]), provenance
    )
    return [
        warning.message
        for warning in digest.warnings
        if warning.code is WarningCode.summary_number_not_a_figure
    ]


def test_numbers_the_figures_state_raise_no_warning() -> None:
    summary = Summary(headline_en="More than 12 civilians killed in Douma", summary_en="More than 12 died.")
    assert _warnings(summary) == []


def test_a_number_no_figure_states_is_flagged_wherever_it_stands() -> None:
    """13 is only the derived lower bound of "more than 12": the article does not state it."""
    summary = Summary(
        headline_en="More than 12 civilians killed",
        summary_en="Some 1,500 people fled; at least 13 died.",
        key_points_en=["Killed: 12", "Strikes: 30"],
    )
    assert _warnings(summary) == [
        "the English summary mentions numbers that are not figures of the article: 1,500, 13, 30"
    ]
