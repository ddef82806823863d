"""The gold set: hand-labelled items of one article, in the digest's own item types."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, model_validator

from schemas.digest import Actor, Casualty, Event, Figure, Quote
from service.paths import PACKAGE_ROOT

REPO_ROOT = PACKAGE_ROOT
GOLD_DIR = Path(__file__).resolve().parent / "gold"


class GoldKind(StrEnum):
    """Where a gold article comes from; evals report each kind apart."""

    seed = "seed"  # the real articles the offline engine was written on
    challenge = "challenge"  # synthetic articles the team wrote for hard cases
    real = "real"  # real reporting labelled after the engine's rules, by a rule fixed in advance


class GoldArticle(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^[a-z0-9-]+$")
    article_file: str = Field(description="Path of the article text, relative to the repository root")
    synthetic: bool = Field(description="True for challenge articles the team wrote itself")
    kind: GoldKind
    title: str | None = None
    source: str | None = None
    outlet: str | None = Field(default=None, description="The newspaper or outlet of a real article")
    licence: str | None = Field(default=None, description="The licence the text is used under")
    notes: str | None = Field(default=None, description="What this article exercises, labelling decisions")
    actors: list[Actor] = Field(default_factory=list)
    figures: list[Figure] = Field(default_factory=list)
    quotes: list[Quote] = Field(default_factory=list)
    events: list[Event] = Field(default_factory=list)
    casualties: list[Casualty] = Field(default_factory=list)

    @model_validator(mode="after")
    def _synthetic_iff_challenge(self) -> GoldArticle:
        if self.synthetic != (self.kind is GoldKind.challenge):
            raise ValueError(f"{self.id}: synthetic must be true exactly for kind challenge")
        return self

    def article_text(self) -> str:
        return (REPO_ROOT / self.article_file).read_text(encoding="utf-8")


def load_gold(directory: Path = GOLD_DIR) -> list[GoldArticle]:
    """Every gold file in `directory`, sorted by file name."""
    return [
        GoldArticle.model_validate(json.loads(path.read_text(encoding="utf-8")))
        for path in sorted(directory.glob("*.json"))
    ]
