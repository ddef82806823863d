"""Where the tests find the repository's files."""

import os
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SEEDS_DIR = REPO / "seeds"
SEED_FILES = sorted(SEEDS_DIR.glob("*.txt"))


def _real_dev_dir() -> Path:
    """`shared/real-dev`, outside the repository: `REAL_DEV_DIR` if set, else the nearest parent folder of
    the checkout that holds `shared/real-dev` (beside a clone on CI, two levels up from a worktree)."""
    if os.environ.get("REAL_DEV_DIR"):
        return Path(os.environ["REAL_DEV_DIR"])
    found = (parent / "shared" / "real-dev" for parent in REPO.parents)
    return next((path for path in found if path.is_dir()), REPO.parent / "shared" / "real-dev")


REAL_DEV_ARTICLES = _real_dev_dir() / "articles"
