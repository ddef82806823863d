"""Against a real endpoint: runs only when DIGEST_LLM_BASE_URL or OPENAI_API_KEY is set."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from schemas.digest import Engine
from schemas.request import DigestRequest
from service.runtime.digester import Digester, EngineChoice
from service.settings import Settings
from tests.paths import SEEDS_DIR

LIVE_ENV = {
    name: os.environ[name]
    for name in (
        "DIGEST_LLM_BASE_URL",
        "DIGEST_LLM_API_KEY",
        "DIGEST_LLM_MODEL",
        "DIGEST_LLM_MODE",
        "OPENAI_API_KEY",
        "OPENAI_BASE_URL",
    )
    if name in os.environ
}
ARTICLE = (SEEDS_DIR / "aleppo-shelling-de-mistura-moscow.txt").read_text(encoding="utf-8")
pytestmark = [
    pytest.mark.live,
    pytest.mark.skipif(
        not ({"DIGEST_LLM_BASE_URL", "OPENAI_API_KEY", "DIGEST_LLM_API_KEY"} & LIVE_ENV.keys()),
        reason="no LLM endpoint configured (set DIGEST_LLM_BASE_URL or OPENAI_API_KEY to run)",
    ),
]


async def test_live_endpoint_digests_a_seed(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name, value in LIVE_ENV.items():
        monkeypatch.setenv(name, value)
    settings = Settings(cache_dir=tmp_path)
    article = ARTICLE
    digest = await Digester(settings).digest(DigestRequest(text=article), EngineChoice.llm)
    assert digest.provenance.engine is Engine.llm
    assert digest.figures, "a live model should find the casualty figures"
    for figure in digest.figures:
        assert article[figure.span.start : figure.span.end] == figure.span.text
