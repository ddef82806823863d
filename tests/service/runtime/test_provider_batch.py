"""Digests through a provider's Batch API in rounds, against replayed Files + Batches APIs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from schemas.digest import Digest
from schemas.llm_output import LLMDigest
from schemas.request import DigestRequest
from service.engines.llm.batch_api import BatchProvider, custom_id, read_results
from service.engines.llm.client import LLMClient
from service.engines.llm.prices import PriceTable
from service.runtime.batch import BatchItem, ResultFile
from service.runtime.digester import Digester
from service.runtime.provider_batch import ProviderBatch
from service.settings import Settings
from tests.llm_replay import ReplayBatchAPI, ReplayLLM, answers, error_response, task_of

MODEL = "gpt-4o-mini"  # in the price table, with OpenAI's batch factor


def items(article: str, count: int) -> list[BatchItem]:
    return [BatchItem(f"a{n}", DigestRequest(text=f"{article}\nملف {n}")) for n in range(count)]


def request_lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def tasks(lines: list[dict[str, Any]]) -> list[str]:
    return sorted(line["custom_id"].split("-")[1] for line in lines)


async def one_round(
    batch: ProviderBatch, provider: BatchProvider, work: list[BatchItem], tmp_path: Path, out: ResultFile
) -> list[dict[str, Any]]:
    requests = tmp_path / "requests.jsonl"
    await batch.prepare(work, requests)
    lines = request_lines(requests)
    if lines:
        submitted = await provider.submit(requests)
        finished = await provider.wait(submitted.id, 0, lambda _: None)
        await batch.collect(await provider.results(finished), out)
    return lines


@pytest.fixture
def batch_settings(llm_settings: Settings) -> Settings:
    return llm_settings.model_copy(update={"llm_model": MODEL, "llm_mode": "tools"})


async def test_three_rounds_make_the_digests_the_engine_makes(
    batch_settings: Settings, example: tuple[str, LLMDigest], tmp_path: Path
) -> None:
    article, output = example
    work = items(article, 3)
    api = ReplayBatchAPI(answers(output))
    provider = BatchProvider(batch_settings, http_client=api.http_client())
    digester = Digester(batch_settings)
    batch = ProviderBatch(digester)
    out = ResultFile(tmp_path / "out.jsonl")
    try:
        rounds = [await one_round(batch, provider, work, tmp_path, out) for _ in range(4)]
    finally:
        out.close()
        await provider.close()
        await digester.close()

    assert [tasks(lines) for lines in rounds] == [
        ["actors_events"] * 3,
        ["figures"] * 3 + ["quotes"] * 3,
        ["summary"] * 3,
        [],
    ], "actors and events, then figures and quotes told their refs, then the summary; then nothing"
    assert all(line["url"] == "/v1/chat/completions" and line["method"] == "POST" for line in rounds[0])
    assert all(len(line["custom_id"]) <= 64 for lines in rounds for line in lines)

    results = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text().splitlines()]
    assert sorted(result["id"] for result in results) == ["a0", "a1", "a2"]

    direct = ReplayLLM([answers(output)])
    direct_digester = Digester(
        batch_settings.model_copy(update={"cache_dir": tmp_path / "direct"}),
        LLMClient(batch_settings, http_client=direct.http_client()),
    )
    try:
        expected = await direct_digester.digest(work[0].request)
    finally:
        await direct_digester.close()
    first_call = next(line for line in rounds[0] if line["custom_id"].endswith("-actors_events-0-0"))
    assert any(line["body"] == direct.request_json(0) for line in rounds[0]), "the body the engine POSTs"
    assert first_call["body"]["tool_choice"]["function"]["name"] == "ActorsEventsAnswer"
    first = Digest.model_validate(next(result["digest"] for result in results if result["id"] == "a0"))
    assert first.figures == expected.figures and first.quotes == expected.quotes
    assert first.summary == expected.summary
    prices = PriceTable.load(batch_settings.llm_price_file)
    full = prices.cost(MODEL, first.provenance.usage)
    assert full and first.provenance.cost_usd == pytest.approx(full / 2), "the Batch API's half price"
    assert first.provenance.cost_usd == expected.provenance.cost_usd / 2


async def test_a_call_the_batch_failed_is_the_articles_problem(
    batch_settings: Settings, example: tuple[str, LLMDigest], tmp_path: Path
) -> None:
    article, output = example
    work = items(article, 2)
    failing = answers(output)

    def reply(request):  # type: ignore[no-untyped-def]
        body = json.loads(request.content)
        if task_of(request) == "actors_events" and "ملف 1" in body["messages"][1]["content"]:
            return error_response(500)
        return failing(request)

    api = ReplayBatchAPI(reply)
    provider = BatchProvider(batch_settings, http_client=api.http_client())
    digester = Digester(batch_settings)
    out = ResultFile(tmp_path / "out.jsonl")
    try:
        await one_round(ProviderBatch(digester), provider, work, tmp_path, out)
    finally:
        out.close()
        await provider.close()
        await digester.close()
    results = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text().splitlines()]
    assert [result["id"] for result in results] == ["a1"]
    assert results[0]["problem"]["status"] == 502
    assert "provider batch answered call" in results[0]["problem"]["detail"]


def test_results_files_of_openai_and_vllm_are_read_line_by_line() -> None:
    ok = {
        "custom_id": "abc-summary-0-1",
        "response": {
            "status_code": 200,
            "body": {
                "id": "x",
                "object": "chat.completion",
                "created": 0,
                "model": "m",
                "choices": [
                    {"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": "{}"}}
                ],
            },
        },
        "error": None,
    }
    refused = {
        "custom_id": "abc-figures-0-0",
        "response": None,
        "error": {
            "code": "batch_expired",
            "message": "This request could not be executed before the completion window expired.",
        },
    }
    calls = read_results(json.dumps(ok) + "\n\n" + json.dumps(refused) + "\n", "results.jsonl")
    assert calls[0].completion is not None and calls[0].error is None
    assert calls[1].completion is None and "completion window expired" in (calls[1].error or "")
    with pytest.raises(ValueError, match=r"results\.jsonl line 2"):
        read_results(json.dumps(ok) + "\n{not json\n", "results.jsonl")


def test_custom_ids_name_the_article_and_the_call() -> None:
    key = "f" * 64
    assert custom_id(key, "actors_events-0-0") == "f" * 32 + "-actors_events-0-0"
