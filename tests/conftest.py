from __future__ import annotations

import os
from pathlib import Path

import pytest

from schemas.llm_output import LLMDigest
from service.engines.llm.prompt import load_prompt
from service.settings import DEFAULT_PROMPT, Settings
from tests.paths import REPO, SEED_FILES

SEEDS = SEED_FILES
pytest_plugins = ["tests.redis_server"]  # the redis_url fixture: a real redis-server per test


@pytest.fixture(autouse=True)
def _no_ambient_llm(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never see an endpoint or settings configured on the machine running them (the
    `make llm-local` exports, say)."""
    for name in list(os.environ):
        if name.startswith("DIGEST_") or name in ("OPENAI_API_KEY", "OPENAI_BASE_URL"):
            monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(REPO)


@pytest.fixture
def llm_settings(tmp_path: Path) -> Settings:
    """Settings of a configured LLM endpoint with fast retries and a private cache."""
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        llm_base_url="http://llm.invalid/v1",
        llm_api_key="test-key",
        llm_model="replay-model",
        llm_max_backoff_s=0.01,
        llm_max_retry_s=5,
        cache_dir=tmp_path / "cache",
    )


@pytest.fixture
def offline_settings(tmp_path: Path) -> Settings:
    return Settings(_env_file=None, cache_dir=tmp_path / "cache")  # type: ignore[call-arg]


@pytest.fixture(scope="session")
def example() -> tuple[str, LLMDigest]:
    """The prompt's worked example: an article excerpt and its correct LLM output."""
    prompt = load_prompt(DEFAULT_PROMPT)
    return prompt.file.example.article, prompt.file.example.output
