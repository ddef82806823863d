"""Shared helpers of the reliability tests: settings, an in-process app, a replayed LLM."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx2
from litestar.testing import TestClient

from service.engines.llm.client import LLMClient
from service.http.app import create_app
from service.runtime.digester import Digester
from service.settings import Settings
from tests.llm_replay import ReplayLLM

PROBLEM = "application/problem+json"


def settings_for(tmp_path: Path, **overrides: Any) -> Settings:
    """An LLM-configured service with instant retries and a private cache."""
    values: dict[str, Any] = {
        "llm_model": "replay-model",
        "llm_max_backoff_s": 0.001,
        "llm_max_retry_s": 5,
        "cache_dir": tmp_path / "cache",
        **overrides,
    }
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


def client_for(settings: Settings, replay: ReplayLLM | None = None) -> TestClient[Any]:
    llm = LLMClient(settings, http_client=replay.http_client()) if replay else None
    return TestClient(app=create_app(settings, Digester(settings, llm)))


def post_digest(client: TestClient[Any], body: object, **params: str) -> httpx2.Response:
    return client.post("/v1/digests", json=body, params=params)


def assert_problem(response: httpx2.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM)
    problem: dict[str, Any] = response.json()
    assert problem["status"] == status and problem["title"] and problem["detail"]
    return problem
