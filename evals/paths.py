"""How the eval commands show a path: relative to the repository when it is inside it."""

from __future__ import annotations

from pathlib import Path

from evals.gold import REPO_ROOT


def display_path(path: Path) -> str:
    resolved = path.resolve()
    return str(resolved.relative_to(REPO_ROOT)) if resolved.is_relative_to(REPO_ROOT) else str(resolved)
