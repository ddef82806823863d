"""The regression rule shared by `compare` and the CI gate: no field's F1, nor the grounding rate,
may drop by more than a margin."""

from __future__ import annotations

from dataclasses import dataclass

from evals.records import FIELDS, FieldName, SetMetrics

DEFAULT_MAX_DROP = 0.02
_TOLERANCE = 1e-9  # float noise is not a drop


@dataclass(frozen=True)
class GatedScores:
    """The numbers the gate watches."""

    f1: dict[FieldName, float]
    grounding_rate: float

    @classmethod
    def of(cls, metrics: SetMetrics) -> GatedScores:
        return cls({name: metrics.fields[name].f1 for name in FIELDS}, metrics.grounding_rate)

    def named(self) -> dict[str, float]:
        return {f"{name.value} F1": self.f1[name] for name in FIELDS} | {
            "grounding rate": self.grounding_rate
        }


@dataclass(frozen=True)
class Regression:
    metric: str
    before: float
    after: float

    @property
    def drop(self) -> float:
        return self.before - self.after

    def describe(self) -> str:
        return f"{self.metric} dropped from {self.before:.3f} to {self.after:.3f} (-{self.drop:.3f})"


def regressions(
    before: GatedScores, after: GatedScores, max_drop: float = DEFAULT_MAX_DROP
) -> list[Regression]:
    """Every watched number that fell by more than `max_drop` from `before` to `after`."""
    current = after.named()
    return [
        Regression(metric, value, current[metric])
        for metric, value in before.named().items()
        if metric in current and value - current[metric] > max_drop + _TOLERANCE
    ]


def gate_message(
    engine: str, found: list[Regression], baseline_file: str, max_drop: float, scope: list[str]
) -> str:
    """What the CI gate says when it fails: on which articles, each number that dropped, how to move on."""
    lines = [
        f"the {engine} engine fell below its baseline {baseline_file} by more than {max_drop:g} "
        f"({'; '.join(scope)}):"
    ]
    lines += [
        f"  {regression.metric}: baseline {regression.before:.4f}, now {regression.after:.4f} "
        f"(-{regression.drop:.4f})"
        for regression in found
    ]
    lines.append(
        f"Fix the regression (`digest eval run --engine {engine}` writes a per-article report), or, if the "
        f"change is intended, record the new baseline with `digest eval baseline --engine {engine}` and "
        f"commit {baseline_file}."
    )
    return "\n".join(lines)
