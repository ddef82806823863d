"""The gold set: hand-labelled items of one article, in the digest's own item types."""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from schemas.digest import Actor, Casualty, Event, Figure, Quote
from service.paths import PACKAGE_ROOT

REPO_ROOT = PACKAGE_ROOT
GOLD_DIR = Path(__file__).resolve().parent / "gold"


class GoldArticle(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^[a-z0-9-]+$")
    article_file: str = Field(description="Path of the article text, relative to the repository root")
    synthetic: bool = Field(description="True for challenge articles the team wrote itself")
    title: str | None = None
    source: str | None = None
    notes: str | None = Field(default=None, description="What this article exercises, labelling decisions")
    actors: list[Actor] = Field(default_factory=list)
    figures: list[Figure] = Field(default_factory=list)
    quotes: list[Quote] = Field(default_factory=list)
    events: list[Event] = Field(default_factory=list)
    casualties: list[Casualty] = Field(default_factory=list)

    def article_text(self) -> str:
        return (REPO_ROOT / self.article_file).read_text(encoding="utf-8")


def load_gold(directory: Path = GOLD_DIR) -> list[GoldArticle]:
    """Every gold file in `directory`, sorted by file name."""
    return [
        GoldArticle.model_validate(json.loads(path.read_text(encoding="utf-8")))
        for path in sorted(directory.glob("*.json"))
    ]
