"""Cost estimates from the price table (`data/prices.yaml`: $ per 1M input and output tokens, and the
factor a provider's batch API charges on both)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from schemas.digest import TokenUsage


class Price(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    input: float = Field(ge=0, description="$ per 1M prompt tokens")
    output: float = Field(ge=0, description="$ per 1M completion tokens")
    batch: float = Field(
        default=1.0, ge=0, le=1, description="Factor on both prices for calls made through a batch API"
    )


class PriceFileError(ValueError):
    """The price table is not a mapping of model names to {input, output} prices."""


@dataclass(frozen=True)
class PriceTable:
    prices: dict[str, Price]

    @classmethod
    def load(cls, path: Path) -> PriceTable:
        try:
            raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
            return cls({str(model): Price.model_validate(price) for model, price in dict(raw).items()})
        except (OSError, yaml.YAMLError, ValidationError, TypeError, ValueError) as error:
            raise PriceFileError(f"price table {path} is not valid: {error}") from error

    def cost(self, model: str, usage: TokenUsage, *, batch: bool = False) -> float | None:
        """US dollars for `usage` on `model` (through a batch API if `batch`); None for a model the
        table does not list."""
        price = self.prices.get(model)
        if price is None:
            return None
        dollars = (usage.prompt_tokens * price.input + usage.completion_tokens * price.output) / 1_000_000
        return round(dollars * (price.batch if batch else 1.0), 6)
