"""Where runs are saved and how they are read back: a directory with run.json, report.md, report.html."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from pydantic import ValidationError

from evals.baseline import Baseline
from evals.errors import EvalError
from evals.gold import REPO_ROOT
from evals.html_report import render_html
from evals.records import RunRecord
from evals.report import render_markdown

RUNS_DIR = REPO_ROOT / "evals" / "runs"
RUN_JSON = "run.json"
REPORT_MD = "report.md"
REPORT_HTML = "report.html"
_WHAT_TO_PASS = (
    "pass a run directory of `digest eval run` (evals/runs/<time>-<engine>/), its run.json, "
    "or a baseline file (evals/baselines/<engine>.json)"
)


def new_run_dir(engine: str, started_at: dt.datetime, root: Path = RUNS_DIR) -> Path:
    """`<root>/<UTC timestamp>-<engine>`, with a counter appended if that already exists."""
    stem = f"{started_at.astimezone(dt.UTC):%Y%m%dT%H%M%SZ}-{engine}"
    candidate, counter = root / stem, 2
    while candidate.exists():
        candidate, counter = root / f"{stem}-{counter}", counter + 1
    return candidate


def save_run(record: RunRecord, directory: Path) -> Path:
    """Write run.json, report.md and report.html into `directory` (created if needed)."""
    directory.mkdir(parents=True, exist_ok=True)
    (directory / RUN_JSON).write_text(record.model_dump_json(indent=1) + "\n", encoding="utf-8")
    (directory / REPORT_MD).write_text(render_markdown(record), encoding="utf-8")
    (directory / REPORT_HTML).write_text(render_html(record), encoding="utf-8")
    return directory


def load_run(path: Path) -> RunRecord:
    """A saved run from its directory or its run.json."""
    loaded = load_run_or_baseline(path)
    if isinstance(loaded, Baseline):
        raise EvalError(
            f"{path} is a baseline (set scores only), not a run: pass a run directory or run.json"
        )
    return loaded


def load_run_or_baseline(path: Path) -> RunRecord | Baseline:
    """A saved run (its directory or run.json) or a recorded baseline (evals/baselines/<engine>.json)."""
    file = path / RUN_JSON if path.is_dir() else path
    try:
        text = file.read_text(encoding="utf-8")
    except OSError as error:
        raise EvalError(f"cannot read the run {file}: {error.strerror or error}; {_WHAT_TO_PASS}") from error
    try:
        return RunRecord.model_validate_json(text)
    except ValidationError as run_error:
        try:
            return Baseline.model_validate_json(text)
        except ValidationError:
            raise EvalError(
                f"{file} is neither a saved eval run nor a baseline (as a run: {run_error.error_count()} "
                f"problems, first: {run_error.errors()[0]['loc']} {run_error.errors()[0]['msg']}); "
                f"{_WHAT_TO_PASS}"
            ) from run_error
