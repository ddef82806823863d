"""The offline engine over every seed article: a valid, fully grounded, self-consistent digest."""

from __future__ import annotations

import pytest
from helpers_offline import digest_of, numbers_in

from schemas.digest import Digest, Engine, Span
from tests.paths import SEED_FILES

SEEDS = SEED_FILES


@pytest.fixture(scope="module", params=SEEDS, ids=lambda path: path.stem)
def seed(request: pytest.FixtureRequest) -> tuple[str, Digest]:
    text = request.param.read_text(encoding="utf-8")
    return text, digest_of(text)


def _spans(digest: Digest) -> list[Span]:
    spans = [mention for actor in digest.actors for mention in actor.mentions]
    spans += [figure.span for figure in digest.figures] + [quote.span for quote in digest.quotes]
    return spans + [span for event in digest.events for span in event.evidence]


def test_seeds_are_found() -> None:
    assert len(SEEDS) == 5


def test_digest_is_schema_valid(seed: tuple[str, Digest]) -> None:
    _, digest = seed
    assert Digest.model_validate(digest.model_dump()) == digest


def test_every_span_is_verbatim(seed: tuple[str, Digest]) -> None:
    text, digest = seed
    for span in _spans(digest):
        assert text[span.start : span.end] == span.text
    assert all(quote.text_ar == quote.span.text for quote in digest.quotes)


def test_every_reference_exists(seed: tuple[str, Digest]) -> None:
    _, digest = seed
    actors = {actor.id for actor in digest.actors}
    figures = {figure.id for figure in digest.figures}
    events = {event.id for event in digest.events}
    for figure in digest.figures:
        assert figure.source_actor_id in actors | {None}
        assert figure.event_id in events | {None}
        assert figure.part_of in figures | {None}
    for quote in digest.quotes:
        assert quote.speaker_actor_id in actors | {None}
    for event in digest.events:
        assert {actor.actor_id for actor in event.actors} <= actors
        assert set(event.figure_ids) <= figures
    for casualty in digest.casualties:
        assert set(casualty.figure_ids) <= figures


def test_ids_are_sequential(seed: tuple[str, Digest]) -> None:
    _, digest = seed
    for prefix, items in (
        ("a", digest.actors),
        ("f", digest.figures),
        ("q", digest.quotes),
        ("e", digest.events),
    ):
        assert [item.id for item in items] == [f"{prefix}{n}" for n in range(1, len(items) + 1)]


def test_every_seed_yields_items(seed: tuple[str, Digest]) -> None:
    _, digest = seed
    assert digest.actors and digest.figures and digest.quotes and digest.events


def test_provenance_says_offline(seed: tuple[str, Digest]) -> None:
    _, digest = seed
    provenance = digest.provenance
    assert provenance.engine is Engine.offline
    assert provenance.model is None and provenance.prompt_version is None
    assert provenance.cached is False and provenance.cache_key is None
    assert provenance.latency_ms > 0 and provenance.created_at.tzinfo is not None


def test_summary_numbers_are_figure_values(seed: tuple[str, Digest]) -> None:
    _, digest = seed
    values = {figure.value for figure in digest.figures}
    summary = digest.summary
    for english in (summary.headline_en, summary.summary_en, *summary.key_points_en):
        assert numbers_in(english) <= values, english
    for quote in digest.quotes:
        assert numbers_in(quote.english) <= values, quote.english
    assert not digest.warnings


def test_summary_shape(seed: tuple[str, Digest]) -> None:
    text, digest = seed
    summary = digest.summary
    assert 0 < len(summary.headline_en) <= 90
    assert 2 <= summary.summary_en.count(". ") + 1 <= 5
    assert 3 <= len(summary.key_points_en) <= 6
    assert summary.summary_ar and text.startswith(summary.summary_ar.rstrip("…")[:40])


def test_output_is_deterministic(seed: tuple[str, Digest]) -> None:
    text, digest = seed
    again = digest_of(text)
    ignored = {"provenance"}
    assert again.model_dump(exclude=ignored) == digest.model_dump(exclude=ignored)
