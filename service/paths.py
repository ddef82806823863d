"""Where the code and its data live: the one place that computes it.

`PACKAGE_ROOT` holds the packages (`schemas`, `service`, `evals`, `prompts`): the repository in a
checkout, `site-packages` in a wheel install. Prompts are package data, so both layouts find them.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE_ROOT = Path(__file__).resolve().parent.parent
PROMPTS_DIR = PACKAGE_ROOT / "prompts"
LLM_PRICES = PACKAGE_ROOT / "service" / "engines" / "llm" / "data" / "prices.yaml"
