"""Degrading by task: one task that fails costs its own items, not the digest; replayed at the transport."""

from __future__ import annotations

import httpx2
import pytest
from litestar.testing import TestClient

from schemas.digest import SCHEMA_VERSION, Digest, WarningCode
from schemas.request import DigestRequest
from service.engines.llm.client import LLMClient
from service.errors import UpstreamError
from service.http.app import create_app
from service.runtime.digester import Digester, EngineChoice
from service.settings import Settings
from tests.llm_replay import ReplayLLM, answers, completion, error_response, task_of

NOT_JSON = completion("I cannot answer that in JSON, sorry.")


def digester_for(settings: Settings, replay: ReplayLLM) -> Digester:
    return Digester(settings, LLMClient(settings, http_client=replay.http_client()))


async def digest_llm(digester: Digester, article: str) -> Digest:
    return await digester.digest(DigestRequest(text=article), EngineChoice.llm)


def failed_count(digester: Digester, task: str) -> float | None:
    return digester.metrics.registry.get_sample_value("digest_llm_failed_tasks_total", {"task": task})


def part_failed_warnings(digest: Digest) -> list[str]:
    return [warning.message for warning in digest.warnings if warning.code is WarningCode.llm_part_failed]


async def test_a_task_whose_answers_never_parse_costs_only_its_own_items(llm_settings, example):
    article, output = example
    replay = ReplayLLM([answers(output, figures=NOT_JSON)])
    digester = digester_for(llm_settings, replay)
    digest = await digest_llm(digester, article)

    assert sorted(task_of(request) for request in replay.requests).count("figures") == 3, "asked, 2 re-asks"
    assert digest.figures == [] and digest.casualties == []
    assert digest.actors and digest.events and len(digest.quotes) == 1
    assert digest.provenance.failed_tasks == ["figures"]
    [message] = part_failed_warnings(digest)
    assert message.startswith("the LLM's figures task gave no usable answer")
    assert "did not match the digest schema" in message
    assert failed_count(digester, "figures") == 1
    assert failed_count(digester, "quotes") is None


async def test_without_actors_and_events_figures_and_quotes_are_served_told_no_refs(llm_settings, example):
    article, output = example
    replay = ReplayLLM([answers(output, actors_events=NOT_JSON)])
    digest = await digest_llm(digester_for(llm_settings, replay), article)

    figures_call = next(r for r in replay.requests if task_of(r) == "figures")
    assert "(none)" in figures_call.content.decode(), "the figures call is told there are no refs"
    assert digest.provenance.failed_tasks == ["actors_events"]
    assert digest.actors == [] and digest.events == []
    assert [figure.value for figure in digest.figures] == [12, 3, 30] and digest.quotes
    assert all(figure.source_actor_id is None for figure in digest.figures), "dangling refs are removed"


async def test_a_task_the_endpoint_fails_after_retries_costs_only_its_own_items(llm_settings, example):
    article, output = example
    replay = ReplayLLM([answers(output, quotes=error_response(500))])
    digester = digester_for(llm_settings, replay)
    digest = await digest_llm(digester, article)

    assert [task_of(r) for r in replay.requests].count("quotes") == llm_settings.llm_max_attempts
    assert digest.quotes == [] and [figure.value for figure in digest.figures] == [12, 3, 30]
    assert digest.provenance.failed_tasks == ["quotes"]
    assert "replayed 500" in part_failed_warnings(digest)[0]
    failed_calls = [call for call in digest.provenance.calls if call.outcome.value == "failed"]
    assert [call.task for call in failed_calls] == ["quotes"]


async def test_a_partial_digest_is_not_cached_and_is_asked_again(llm_settings, example):
    article, output = example
    failing = ReplayLLM([answers(output, figures=NOT_JSON)])
    digester = digester_for(llm_settings, failing)
    partial = await digest_llm(digester, article)
    assert partial.provenance.failed_tasks == ["figures"] and partial.provenance.cache_key is None

    again = await digest_llm(digester, article)
    assert not again.provenance.cached, "neither the digest nor the answer was kept"
    # each time: actors_events and quotes once, figures 3 times, the summary twice (without figures, the
    # numbers it writes state no grounded figure)
    assert failing.calls == 2 * (1 + 1 + 3 + 2)


async def test_a_whole_digest_after_a_partial_one_is_cached(llm_settings, example):
    article, output = example
    replay = ReplayLLM([answers(output, figures=NOT_JSON)] * 6 + [answers(output)])
    digester = digester_for(llm_settings, replay)
    assert (await digest_llm(digester, article)).provenance.failed_tasks == ["figures"]
    whole = await digest_llm(digester, article)
    assert whole.provenance.failed_tasks == [] and whole.figures
    assert (await digest_llm(digester, article)).provenance.cached


async def test_a_summary_that_never_parses_is_a_failed_task_served_as_the_template(llm_settings, example):
    article, output = example
    replay = ReplayLLM([answers(output, summary=completion({"headline_en": "only a headline"}))])
    digester = digester_for(llm_settings, replay)
    digest = await digest_llm(digester, article)

    assert [task_of(r) for r in replay.requests].count("summary") == 2, "asked and re-asked once"
    assert digest.provenance.failed_tasks == ["summary"]
    [message] = part_failed_warnings(digest)
    assert "summary task gave no usable answer, so the summary is built from the grounded items" in message
    assert digest.summary.headline_en != output.headline_en
    assert "12" in digest.summary.summary_en, "the template states the grounded toll"
    assert digest.figures and digest.quotes
    assert failed_count(digester, "summary") == 1


async def test_the_endpoint_refusing_the_first_task_stops_the_others_and_fails_the_digest(
    llm_settings, example
):
    article, _ = example
    replay = ReplayLLM([error_response(401)])
    digester = digester_for(llm_settings, replay)
    with pytest.raises(UpstreamError, match="DIGEST_LLM_API_KEY") as raised:
        await digest_llm(digester, article)
    assert raised.value.status == 502
    assert replay.calls == 1, "figures and quotes are not asked of an endpoint that refused us"
    assert [failed_count(digester, task) for task in ("actors_events", "figures", "quotes")] == [1, 1, 1]


def test_every_list_task_failing_is_a_502_problem_and_one_failing_is_a_200(llm_settings, example):
    article, output = example
    replay = ReplayLLM([NOT_JSON] * 9 + [answers(output, quotes=NOT_JSON)])
    digester = digester_for(llm_settings, replay)
    with TestClient(app=create_app(llm_settings, digester)) as client:
        failed = client.post("/v1/digests", json={"text": article}, params={"engine": "llm"})
        assert failed.status_code == 502
        assert failed.headers["content-type"].startswith("application/problem+json")
        assert "did not match the digest schema" in failed.json()["detail"]

        partial = client.post("/v1/digests", json={"text": article}, params={"engine": "llm"})
        assert partial.status_code == 200, partial.text
        assert partial.json()["provenance"]["failed_tasks"] == ["quotes"]
        assert partial.json()["schema_version"] == SCHEMA_VERSION
        metrics = client.get("/metrics").text
        assert 'digest_llm_failed_tasks_total{task="quotes"} 2.0' in metrics
        assert 'digest_llm_failed_tasks_total{task="figures"} 1.0' in metrics


async def test_a_call_timing_out_after_others_answered_costs_only_its_task(llm_settings, example):
    article, output = example
    replay = ReplayLLM([answers(output, quotes=httpx2.ReadTimeout("replayed read timeout"))])
    digest = await digest_llm(digester_for(llm_settings, replay), article)
    assert digest.provenance.failed_tasks == ["quotes"]
    assert digest.figures and not digest.quotes
    assert digest.summary.headline_en == output.headline_en, "the summary is still asked"


async def test_the_end_of_the_time_budget_keeps_the_tasks_answered_before_it(llm_settings, example):
    article, output = example
    settings = llm_settings.model_copy(update={"llm_max_concurrent_calls": 1, "llm_digest_budget_s": 1.25})
    replay = ReplayLLM([answers(output)], latency_s=0.5)  # actors_events, figures, then the budget ends
    digest = await digest_llm(digester_for(settings, replay), article)
    assert digest.provenance.failed_tasks == ["quotes", "summary"]
    assert "DIGEST_LLM_DIGEST_BUDGET_S (1.25 s)" in part_failed_warnings(digest)[0]
    assert [figure.value for figure in digest.figures] == [12, 3, 30] and digest.quotes == []
    assert digest.summary.headline_en != output.headline_en
