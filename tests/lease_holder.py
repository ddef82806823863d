"""A replica that takes an article's single-flight lock and an LLM call slot in Redis, then hangs in
its first LLM call (replayed, never answered) until it is killed:

    python -m tests.lease_holder REDIS_URL CACHE_DIR LEASE_S
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from schemas.request import DigestRequest
from service.engines.llm.client import LLMClient
from service.engines.llm.prompt import load_prompt
from service.runtime.digester import Digester, EngineChoice, shared_call_slots
from service.settings import DEFAULT_PROMPT, Settings
from tests.llm_replay import ReplayLLM, answers

NEVER_S = 3600.0


def replica_settings(redis_url: str, cache_dir: Path, lease_s: float) -> Settings:
    """A replica of an LLM endpoint that allows one call at a time, shared through Redis."""
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        llm_base_url="http://llm.invalid/v1",
        llm_api_key="test-key",
        llm_model="replay-model",
        llm_max_concurrent_calls=1,
        cache_dir=cache_dir,
        redis_url=redis_url,
        redis_lease_s=lease_s,
    )


def replica(settings: Settings, replay: ReplayLLM) -> Digester:
    client = LLMClient(settings, http_client=replay.http_client(), call_slots=shared_call_slots(settings))
    return Digester(settings, client)


def example_article() -> str:
    return load_prompt(DEFAULT_PROMPT).file.example.article


async def hang(settings: Settings) -> None:
    example = load_prompt(DEFAULT_PROMPT).file.example
    digester = replica(settings, ReplayLLM([answers(example.output)], latency_s=NEVER_S))
    await digester.digest(DigestRequest(text=example.article), EngineChoice.llm)


if __name__ == "__main__":
    url, cache, lease = sys.argv[1:4]
    asyncio.run(hang(replica_settings(url, Path(cache), float(lease))))
