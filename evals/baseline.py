"""The recorded baseline of an engine (`evals/baselines/<engine>.json`): metrics only, stably written.

It holds no timestamps, latencies or token counts, so re-recording an unchanged engine on an
unchanged gold set gives a byte-identical file. Only `digest eval baseline` writes it. Its precision,
recall and F1 are rounded for the reader; read back, they are computed again from its counts, so a
baseline and the run it was recorded from show the same scores (0.6545 printed as 0.654 was 72/110 =
0.655 in the run).
"""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from evals.errors import EvalError
from evals.gate import GatedScores
from evals.metrics import field_score
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

    @field_validator("fields")
    @classmethod
    def _scored_from_counts(cls, fields: dict[FieldName, FieldScore]) -> dict[FieldName, FieldScore]:
        return {
            name: field_score(score.true_positives, score.predicted, score.gold)
            for name, score in fields.items()
        }

    def gated(self) -> GatedScores:
        return GatedScores({name: self.fields[name].f1 for name in FIELDS}, self.grounding_rate)


def baseline_path(engine: str, directory: Path = BASELINE_DIR) -> Path:
    return directory / f"{engine}.json"


def baseline_of(record: RunRecord) -> Baseline:
    metrics = record.metrics
    return Baseline(
        engine=record.config.engine,
        gold_articles=record.config.gold_articles,
        gold_fingerprint=record.config.gold_fingerprint,
        fields={name: metrics.fields[name] for name in FIELDS},
        grounding_rate=round(metrics.grounding_rate, _DIGITS),
        schema_validity_rate=round(metrics.schema_validity_rate, _DIGITS),
        casualty_accuracy=round(metrics.casualty_accuracy, _DIGITS),
    )


def render_baseline(baseline: Baseline) -> str:
    document = baseline.model_dump(mode="json")
    for score in document["fields"].values():
        score.update({name: round(score[name], _DIGITS) for name in ("precision", "recall", "f1")})
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


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
