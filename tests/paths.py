"""Where the tests find the repository's files."""

from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SEEDS_DIR = REPO / "seeds"
SEED_FILES = sorted(SEEDS_DIR.glob("*.txt"))
