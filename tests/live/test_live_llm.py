"""Against a real endpoint (`pytest -m live`): runs only when DIGEST_LLM_BASE_URL or OPENAI_API_KEY is set.

With the local model: `make llm-local`, then
`env $(python3 scripts/llm_local.py settings) .venv/bin/pytest -m live tests/live`.
Three short articles, each a usable digest: grounded items, every span verbatim, a summary whose
numbers the grounded figures state, and every call's tokens recorded.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from schemas.digest import Engine
from schemas.request import DigestRequest
from service.digest.assemble import numbers_not_in_figures
from service.runtime.digester import Digester, EngineChoice
from service.settings import Settings
from tests.paths import REPO

LIVE_ENV = {
    name: os.environ[name]
    for name in os.environ
    if name.startswith("DIGEST_LLM_") or name in ("DIGEST_PROMPT_FILE", "OPENAI_API_KEY", "OPENAI_BASE_URL")
}
SHORT_ARTICLES = ["number-words", "vague-quantities-whole-war", "diplomatic-meeting-no-casualties"]
# A digest may take its whole LLM budget (minutes on a small local model), more than the suite's timeout.
DIGEST_BUDGET_S = float(
    LIVE_ENV.get("DIGEST_LLM_DIGEST_BUDGET_S") or Settings.model_fields["llm_digest_budget_s"].default
)
pytestmark = [
    pytest.mark.live,
    pytest.mark.timeout(DIGEST_BUDGET_S + 60),
    pytest.mark.skipif(
        not ({"DIGEST_LLM_BASE_URL", "OPENAI_API_KEY", "DIGEST_LLM_API_KEY"} & LIVE_ENV.keys()),
        reason="no LLM endpoint configured (set DIGEST_LLM_BASE_URL or OPENAI_API_KEY to run)",
    ),
]


@pytest.mark.parametrize("name", SHORT_ARTICLES)
async def test_live_endpoint_digests_a_short_article(
    name: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    for variable, value in LIVE_ENV.items():
        monkeypatch.setenv(variable, value)
    settings = Settings(cache_dir=tmp_path)
    article = (REPO / "evals" / "challenge" / f"{name}.txt").read_text(encoding="utf-8")
    digest = await Digester(settings).digest(DigestRequest(text=article), EngineChoice.llm)

    assert digest.provenance.engine is Engine.llm
    assert digest.actors or digest.events or digest.figures or digest.quotes
    spans = [figure.span for figure in digest.figures] + [quote.span for quote in digest.quotes]
    spans += [mention for actor in digest.actors for mention in actor.mentions]
    spans += [evidence for event in digest.events for evidence in event.evidence]
    assert all(article[span.start : span.end] == span.text for span in spans)
    assert numbers_not_in_figures(digest.summary, digest.figures) == []
    assert digest.provenance.calls and digest.provenance.usage and digest.provenance.usage.total_tokens > 0
