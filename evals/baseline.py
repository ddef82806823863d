"""The recorded baseline of an engine (`evals/baselines/<engine>.json`): metrics only, stably written.

It holds no timestamps, latencies or token counts, so re-recording an unchanged engine on an
unchanged gold set gives a byte-identical file. Only `digest eval baseline` writes it.
"""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError

from evals.errors import EvalError
from evals.gate import GatedScores
from evals.records import FIELDS, FieldName, FieldScore, RunRecord

BASELINE_DIR = Path(__file__).resolve().parent / "baselines"
_DIGITS = 4


class Baseline(BaseModel):
    model_config = ConfigDict(extra="ignore")

    engine: str
    gold_articles: list[str]
    gold_fingerprint: str | None
    fields: dict[FieldName, FieldScore]
    grounding_rate: float
    schema_validity_rate: float
    casualty_accuracy: float

    def gated(self) -> GatedScores:
        return GatedScores({name: self.fields[name].f1 for name in FIELDS}, self.grounding_rate)


def baseline_path(engine: str, directory: Path = BASELINE_DIR) -> Path:
    return directory / f"{engine}.json"


def _rounded(score: FieldScore) -> FieldScore:
    return score.model_copy(
        update={name: round(getattr(score, name), _DIGITS) for name in ("precision", "recall", "f1")}
    )


def baseline_of(record: RunRecord) -> Baseline:
    metrics = record.metrics
    return Baseline(
        engine=record.config.engine,
        gold_articles=record.config.gold_articles,
        gold_fingerprint=record.config.gold_fingerprint,
        fields={name: _rounded(metrics.fields[name]) for name in FIELDS},
        grounding_rate=round(metrics.grounding_rate, _DIGITS),
        schema_validity_rate=round(metrics.schema_validity_rate, _DIGITS),
        casualty_accuracy=round(metrics.casualty_accuracy, _DIGITS),
    )


def render_baseline(baseline: Baseline) -> str:
    return json.dumps(baseline.model_dump(mode="json"), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def write_baseline(baseline: Baseline, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_baseline(baseline), encoding="utf-8")


def read_baseline(path: Path) -> Baseline:
    try:
        return Baseline.model_validate_json(path.read_text(encoding="utf-8"))
    except FileNotFoundError as error:
        raise EvalError(f"no baseline at {path}: record one with `digest eval baseline`") from error
    except ValidationError as error:
        raise EvalError(
            f"{path} is not a baseline ({error.errors()[0]['msg']}): re-record it with `digest eval baseline`"
        ) from error
