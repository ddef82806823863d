"""Plain tables for the terminal and for Markdown, and the number formats the reports share."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from evals.records import FIELDS, FieldScore, SetMetrics


def score(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


def delta(value: float) -> str:
    return "0" if abs(value) < 5e-4 else f"{value:+.3f}"


def markdown_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    lines += ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def text_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """Columns padded to their widest cell; the first column left-aligned, the others right-aligned."""
    widths = [max(len(str(cell)) for cell in column) for column in zip(headers, *rows, strict=True)]

    def line(cells: Sequence[str]) -> str:
        padded = [
            cell.ljust(width) if index == 0 else cell.rjust(width)
            for index, (cell, width) in enumerate(zip(cells, widths, strict=True))
        ]
        return "  ".join(padded).rstrip()

    return "\n".join([line(headers), line(["-" * width for width in widths]), *(line(row) for row in rows)])


def by_kind_table(metrics_by_kind: Mapping[str, SetMetrics]) -> tuple[list[str], list[list[str]]]:
    """Headers and rows of P / R / F1 per field for each kind of article (seed, challenge, real)."""
    headers = [
        "field",
        *(f"{kind} ({metrics.articles}) P / R / F1" for kind, metrics in metrics_by_kind.items()),
    ]
    rows = [
        [name.value, *(_p_r_f1(metrics.fields[name]) for metrics in metrics_by_kind.values())]
        for name in FIELDS
    ]
    rows.append(["grounding rate", *(score(metrics.grounding_rate) for metrics in metrics_by_kind.values())])
    return headers, rows


def _p_r_f1(field: FieldScore) -> str:
    return f"{score(field.precision)} / {score(field.recall)} / {score(field.f1)}"
