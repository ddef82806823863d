"""One-to-one assignment of predicted items to gold items.

The assignment is optimal, not greedy: it matches as many pairs as possible and, among the
assignments with that many pairs, maximises the total similarity of the pairs. Greedy matching
(best pair first) can pair a prediction with the gold item that another prediction needed and
so under-count: gold {A, B}, prediction x matches A or B, prediction y matches only A → greedy
may pair x–A and leave y unmatched, the optimum pairs x–B and y–A.

It is solved as a minimum-cost assignment (Hungarian algorithm, O(n²m)) where an allowed pair
costs -(1 + similarity / (k + 1)) with k = min(n, m) and a forbidden pair costs 0: one more pair
always lowers the cost by more than any amount of similarity can, so the pair count comes first.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

# similarity[g][p]: None when gold item g and prediction p may not be paired, else a score in [0, 1].
SimilarityMatrix = Sequence[Sequence[float | None]]


def assign(similarity: SimilarityMatrix) -> list[tuple[int, int]]:
    """The optimal one-to-one pairs (gold index, predicted index), sorted by gold index."""
    rows = len(similarity)
    columns = len(similarity[0]) if rows else 0
    if rows == 0 or columns == 0:
        return []
    bonus_scale = 1.0 / (min(rows, columns) + 1)
    cost = [[_cost(score, bonus_scale) for score in row] for row in similarity]
    transposed = rows > columns
    if transposed:
        cost = [list(column) for column in zip(*cost, strict=True)]
    pairs = _hungarian(cost)
    if transposed:
        pairs = [(gold, predicted) for predicted, gold in pairs]
    return sorted((gold, predicted) for gold, predicted in pairs if similarity[gold][predicted] is not None)


def _cost(score: float | None, bonus_scale: float) -> float:
    return 0.0 if score is None else -(1.0 + min(max(score, 0.0), 1.0) * bonus_scale)


def _hungarian(cost: list[list[float]]) -> list[tuple[int, int]]:
    """Minimum-cost assignment of every row to a distinct column (rows ≤ columns), by potentials."""
    rows, columns = len(cost), len(cost[0])
    row_potential = [0.0] * (rows + 1)
    column_potential = [0.0] * (columns + 1)
    owner = [0] * (columns + 1)  # owner[j]: the row (1-based) assigned to column j, 0 for none
    for row in range(1, rows + 1):
        _augment(cost, row, row_potential, column_potential, owner)
    return [(owner[column] - 1, column - 1) for column in range(1, columns + 1) if owner[column]]


def _augment(
    cost: list[list[float]],
    row: int,
    row_potential: list[float],
    column_potential: list[float],
    owner: list[int],
) -> None:
    """Add `row` to the assignment along a shortest augmenting path (columns are 1-based, 0 is virtual)."""
    columns = len(cost[0])
    owner[0] = row
    slack = [math.inf] * (columns + 1)
    previous = [0] * (columns + 1)
    visited = [False] * (columns + 1)
    column = 0
    while owner[column] != 0:
        visited[column] = True
        current_row = owner[column]
        delta, next_column = math.inf, 0
        for candidate in range(1, columns + 1):
            if visited[candidate]:
                continue
            reduced = (
                cost[current_row - 1][candidate - 1]
                - row_potential[current_row]
                - column_potential[candidate]
            )
            if reduced < slack[candidate]:
                slack[candidate], previous[candidate] = reduced, column
            if slack[candidate] < delta:
                delta, next_column = slack[candidate], candidate
        for candidate in range(columns + 1):
            if visited[candidate]:
                row_potential[owner[candidate]] += delta
                column_potential[candidate] -= delta
            else:
                slack[candidate] -= delta
        column = next_column
    while column != 0:
        prior = previous[column]
        owner[column] = owner[prior]
        column = prior
