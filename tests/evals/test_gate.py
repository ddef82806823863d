"""The CI gate: the offline engine over the gold set must not fall below its recorded baseline.

The baseline (`evals/baselines/offline.json`) is written only by `digest eval baseline`, never here.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable

import pytest

import service.runtime.workers
from evals.baseline import Baseline, baseline_path, read_baseline, render_baseline
from evals.compare import Comparison, compare_runs, scope_lines
from evals.errors import EvalError
from evals.gate import DEFAULT_MAX_DROP, gate_message
from evals.gold import GOLD_DIR, REPO_ROOT
from evals.records import FieldName, RunRecord
from evals.runner import RunOptions, evaluate
from schemas.digest import Digest, Engine
from schemas.request import DigestRequest
from service.settings import Settings

BASELINE = baseline_path(Engine.offline.value)
BASELINE_NAME = str(BASELINE.relative_to(REPO_ROOT))


def recorded_baseline() -> Baseline:
    try:
        return read_baseline(BASELINE)
    except EvalError as error:
        pytest.fail(str(error))


async def offline_run(settings: Settings) -> RunRecord:
    record = await evaluate(settings, RunOptions(Engine.offline, GOLD_DIR))
    failures = [f"{article.id}: {article.error}" for article in record.articles if article.error]
    assert not failures, "the offline engine failed on gold articles:\n" + "\n".join(failures)
    return record


async def test_offline_engine_does_not_fall_below_its_baseline(offline_settings):
    baseline = recorded_baseline()
    record = await offline_run(offline_settings)
    if record.config.gold_fingerprint != baseline.gold_fingerprint:
        warnings.warn(
            f"the gold set changed since {BASELINE_NAME} was recorded: "
            "re-record it with `digest eval baseline`",
            stacklevel=1,
        )
    comparison = gated(baseline, record)
    message = gate_message(
        "offline", comparison.regressions, BASELINE_NAME, DEFAULT_MAX_DROP, scope_lines(comparison)
    )
    assert not comparison.failed, message


def gated(baseline: Baseline, record: RunRecord) -> Comparison:
    """The run against the baseline on the baseline's articles (an article added to the gold set since it
    was recorded is left out, not weighed against scores that never included it)."""
    try:
        return compare_runs(baseline, record, a_name=BASELINE_NAME, b_name="this run")
    except EvalError as error:
        pytest.fail(str(error))


def test_the_baseline_file_is_written_in_its_stable_form():
    baseline = recorded_baseline()
    assert BASELINE.read_text(encoding="utf-8") == render_baseline(baseline), (
        f"{BASELINE_NAME} was edited by hand: record it with `digest eval baseline`"
    )


def quoteless(engine: Callable[[DigestRequest], Digest]) -> Callable[[DigestRequest], Digest]:
    def without_quotes(request: DigestRequest) -> Digest:
        return engine(request).model_copy(update={"quotes": []})

    return without_quotes


async def test_the_gate_fails_a_weakened_engine_naming_the_field_and_both_numbers(
    offline_settings, monkeypatch
):
    baseline = recorded_baseline()
    monkeypatch.setattr(
        service.runtime.workers, "offline_digest", quoteless(service.runtime.workers.offline_digest)
    )
    record = await offline_run(offline_settings)

    comparison = gated(baseline, record)
    found = comparison.regressions
    message = gate_message("offline", found, BASELINE_NAME, DEFAULT_MAX_DROP, scope_lines(comparison))
    assert [regression.metric for regression in found] == ["quotes F1"]
    assert f"quotes F1: baseline {baseline.fields['quotes'].f1:.4f}, now 0.0000" in message
    assert "digest eval baseline" in message
    assert f"compared on the {len(baseline.gold_articles)} articles both runs scored" in message


def test_a_baseline_reads_its_scores_from_its_counts_as_the_run_printed_them():
    """72 of 110 gold items found is a recall of 0.6545…, printed 0.655 by the run; the file rounds it to
    0.6545 for its reader, which printed again would be 0.654: read back, the counts decide."""
    baseline = recorded_baseline().model_copy(deep=True)
    events = baseline.fields[FieldName.events]
    baseline.fields[FieldName.events] = events.model_copy(
        update={"true_positives": 72, "predicted": 107, "gold": 110}
    )
    written = render_baseline(baseline)
    assert '"recall": 0.6545' in written
    read = Baseline.model_validate_json(written).fields[FieldName.events]
    assert read.recall == 72 / 110 and f"{read.recall:.3f}" == "0.655"
    assert f"{read.precision:.3f} / {read.f1:.3f}" == f"{72 / 107:.3f} / {144 / 217:.3f}"
