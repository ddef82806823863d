"""The LLM path end to end through the real openai SDK, replayed at the transport."""

from __future__ import annotations

import asyncio
import json

import httpx2
import pytest

from schemas.digest import Digest, Engine, MatchKind, Scope, WarningCode
from schemas.llm_output import LLMFigure, LLMQuote
from schemas.request import DigestRequest
from service.engines.llm.client import LLMClient
from service.errors import UpstreamError, UpstreamTimeout, UpstreamUnavailable
from service.runtime.digester import Digester, EngineChoice
from service.settings import Settings
from tests.llm_replay import ReplayLLM, answers, completion, error_response, task_of

TASKS = ["actors_events", "figures", "quotes", "summary"]


def digester_for(settings: Settings, replay: ReplayLLM) -> Digester:
    return Digester(settings, LLMClient(settings, http_client=replay.http_client()))


async def digest_llm(settings: Settings, replay: ReplayLLM, text: str, **kwargs: bool) -> Digest:
    return await digester_for(settings, replay).digest(DigestRequest(text=text), EngineChoice.llm, **kwargs)


async def test_well_formed_answer_becomes_a_grounded_digest(llm_settings, example):
    article, output = example
    replay = ReplayLLM([answers(output)])
    digest = await digest_llm(llm_settings, replay, article)

    assert [task_of(request) for request in replay.requests] == TASKS
    assert digest.provenance.engine is Engine.llm
    assert digest.provenance.model == "replay-model"
    assert digest.provenance.prompt_version and digest.provenance.prompt_version.startswith("sha256:")
    assert digest.provenance.usage is not None and digest.provenance.usage.total_tokens == 4 * 1500
    assert [call.task for call in digest.provenance.calls] == TASKS
    assert digest.provenance.cost_usd is None, "the price table does not list the replayed model"
    assert [f.value for f in digest.figures] == [12, 3, 30]
    assert digest.summary.headline_en == output.headline_en
    assert len(digest.quotes) == 1 and digest.quotes[0].span.match is MatchKind.exact
    spans = [f.span for f in digest.figures] + [q.span for q in digest.quotes]
    spans += [m for a in digest.actors for m in a.mentions] + [s for e in digest.events for s in e.evidence]
    assert all(article[s.start : s.end] == s.text for s in spans)
    assert digest.warnings == []
    killed = next(c for c in digest.casualties if c.metric.value == "killed")
    assert killed.best.value == 12


async def test_calls_share_the_static_part_and_the_article_and_differ_only_in_the_task(llm_settings, example):
    article, output = example
    replay = ReplayLLM([answers(output)])
    await digest_llm(llm_settings, replay, article)
    bodies = [replay.request_json(index) for index in range(replay.calls)]
    assert len({json.dumps(body["messages"][:2]) for body in bodies}) == 1
    assert article in bodies[0]["messages"][1]["content"]
    assert [body["messages"][2]["content"].split(":")[0] for body in bodies] == [f"Task {t}" for t in TASKS]


async def test_request_is_strict_json_schema_at_temperature_zero_without_sdk_retries(llm_settings, example):
    article, output = example
    replay = ReplayLLM([answers(output)])
    await digest_llm(llm_settings, replay, article)
    body = replay.request_json()
    assert body["temperature"] == 0
    assert body["response_format"]["type"] == "json_schema"
    assert body["response_format"]["json_schema"]["strict"] is True
    assert replay.requests[0].headers.get("x-stainless-retry-count") in (None, "0")


async def test_article_text_reaches_the_model_verbatim_even_with_template_syntax(llm_settings, example):
    _, output = example
    article = "قال المرصد {{ secret }} {% raw %} إن 4 مدنيين قتلوا {% endraw %} ${article}"
    replay = ReplayLLM(
        [answers(output.model_copy(update={"figures": [], "quotes": [], "events": [], "actors": []}))]
    )
    with pytest.raises(UpstreamError, match="nothing that could be grounded"):
        await digest_llm(llm_settings, replay, article)
    article_message = replay.request_json()["messages"][1]["content"]
    assert article in article_message


async def test_schema_invalid_answer_is_reasked_then_succeeds(llm_settings, example):
    article, output = example
    replay = ReplayLLM([completion({"headline_en": "missing everything else"}), answers(output)])
    digest = await digest_llm(llm_settings, replay, article)
    assert [task_of(request) for request in replay.requests] == ["actors_events", *TASKS]
    assert digest.provenance.reasks == 1
    assert digest.warnings[0].code is WarningCode.reasked
    reask = replay.request_json(1)["messages"]
    assert len(reask) == len(replay.request_json(0)["messages"]) + 1
    assert '"actors" is missing' in reask[-1]["content"]
    assert digest.actors and digest.events


async def test_every_task_invalid_after_two_reasks_fails_cleanly(llm_settings, example):
    article, _ = example
    replay = ReplayLLM([completion("this is not JSON at all")])
    with pytest.raises(UpstreamError, match="did not match the digest schema") as raised:
        await digest_llm(llm_settings, replay, article)
    assert raised.value.status == 502
    assert sorted(task_of(request) for request in replay.requests) == [
        task for task in ("actors_events", "figures", "quotes") for _ in range(3)
    ], "each list task is asked once and re-asked twice; the summary is never asked"
    assert raised.value.usage == {
        "usage": {"prompt_tokens": 10800, "completion_tokens": 2700, "total_tokens": 13500},
        "reasks": 6,
        "calls": 9,
    }


async def test_invented_quote_and_figure_are_reasked_then_dropped_with_warnings(llm_settings, example):
    article, output = example
    invented = output.model_copy(deep=True)
    invented.quotes.append(
        LLMQuote(
            text_ar="لن نتوقف عن القصف حتى النصر الكامل",
            text_en="We will not stop.",
            speaker_ref="a4",
            mode="direct",
        )
    )
    invented.figures.append(
        LLMFigure(
            ref="f9",
            phrase_ar="مقتل 300 مقاتل",
            value=300,
            metric="killed",
            subject_en="fighters",
            period_ar=None,
            location_ar=None,
            location_en=None,
            source_ref=None,
            event_ref=None,
            part_of_ref=None,
            scope=Scope.incident,
        )
    )
    replay = ReplayLLM([answers(invented)])
    digest = await digest_llm(llm_settings, replay, article)

    tasks = [task_of(request) for request in replay.requests]
    assert tasks.count("quotes") == 3 and tasks.count("figures") == 3, "two re-asks each were tried first"
    quote_reask = next(r for r in replay.requests[3:] if task_of(r) == "quotes")
    assert "لن نتوقف" in json.loads(quote_reask.content)["messages"][-1]["content"]
    assert [q.text_ar for q in digest.quotes] == [output.quotes[0].text_ar]
    assert 300 not in [f.value for f in digest.figures]
    codes = [w.code for w in digest.warnings]
    assert WarningCode.ungrounded_quote_dropped in codes
    assert WarningCode.ungrounded_figure_dropped in codes


async def test_rate_limit_honours_retry_after_then_succeeds(llm_settings, example):
    article, output = example
    replay = ReplayLLM([error_response(429, {"retry-after": "0"}), answers(output)])
    digest = await digest_llm(llm_settings, replay, article)
    assert replay.calls == 1 + len(TASKS) and digest.figures


@pytest.mark.parametrize(
    ("reply", "error", "status"),
    [
        (error_response(429, {"retry-after": "7"}), UpstreamUnavailable, 503),
        (error_response(500), UpstreamError, 502),
        (error_response(503), UpstreamUnavailable, 503),
        (httpx2.ReadTimeout("replayed read timeout"), UpstreamTimeout, 504),
        (httpx2.RemoteProtocolError("connection reset by peer"), UpstreamError, 502),
        (httpx2.ConnectError("connection refused"), UpstreamError, 502),
    ],
)
async def test_transport_faults_are_retried_then_typed(llm_settings, example, reply, error, status):
    article, _ = example
    replay = ReplayLLM([reply])
    with pytest.raises(error) as raised:
        await digest_llm(llm_settings, replay, article)
    assert raised.value.status == status
    assert replay.calls == llm_settings.llm_max_attempts


async def test_client_errors_are_not_retried(llm_settings, example):
    article, _ = example
    replay = ReplayLLM([error_response(401)])
    with pytest.raises(UpstreamError, match="DIGEST_LLM_API_KEY"):
        await digest_llm(llm_settings, replay, article)
    assert replay.calls == 1


async def test_second_identical_request_is_served_from_cache(llm_settings, example):
    article, output = example
    replay = ReplayLLM([answers(output)])
    digester = digester_for(llm_settings, replay)
    first = await digester.digest(DigestRequest(text=article), EngineChoice.llm)
    second = await digester.digest(DigestRequest(text=article), EngineChoice.llm)
    assert replay.calls == len(TASKS)
    assert not first.provenance.cached and second.provenance.cached
    assert second.provenance.cache_key == first.provenance.cache_key
    refreshed = await digester.digest(DigestRequest(text=article), EngineChoice.llm, refresh=True)
    assert replay.calls == 2 * len(TASKS) and not refreshed.provenance.cached


async def test_failures_are_never_cached(llm_settings, example):
    article, output = example
    replay = ReplayLLM([error_response(500)] * llm_settings.llm_max_attempts + [answers(output)])
    digester = digester_for(llm_settings, replay)
    with pytest.raises(UpstreamError):
        await digester.digest(DigestRequest(text=article), EngineChoice.llm)
    digest = await digester.digest(DigestRequest(text=article), EngineChoice.llm)
    assert not digest.provenance.cached


async def test_ten_concurrent_identical_requests_make_one_upstream_call(llm_settings, example):
    article, output = example
    replay = ReplayLLM([answers(output)], latency_s=0.05)
    digester = digester_for(llm_settings, replay)
    digests = await asyncio.gather(
        *(digester.digest(DigestRequest(text=article), EngineChoice.llm) for _ in range(10))
    )
    assert replay.calls == len(TASKS)
    assert len({d.model_dump_json() for d in digests}) == 1


async def test_llm_engine_without_endpoint_names_the_setting(offline_settings, example):
    from service.errors import EngineUnavailable

    with pytest.raises(EngineUnavailable, match="DIGEST_LLM_BASE_URL"):
        await Digester(offline_settings).digest(DigestRequest(text=example[0]), EngineChoice.llm)


async def test_code_change_regrounds_the_cached_answer_without_calling_the_llm(
    llm_settings, example, monkeypatch
):
    article, output = example
    replay = ReplayLLM([answers(output)])
    digester = digester_for(llm_settings, replay)
    first = await digester.digest(DigestRequest(text=article), EngineChoice.llm)
    monkeypatch.setattr("service.runtime.digester.code_fingerprint", lambda: "new-grounding-code")
    redeployed = digester_for(llm_settings, replay)  # a new process with new code, the same cache
    regrounded = await redeployed.digest(DigestRequest(text=article), EngineChoice.llm)
    assert replay.calls == len(TASKS)
    assert regrounded.provenance.cached
    assert regrounded.provenance.cache_key != first.provenance.cache_key
    assert regrounded.figures == first.figures


def test_two_endpoints_serving_the_same_model_name_do_not_share_cache_entries(llm_settings, example):
    other = llm_settings.model_copy(update={"llm_base_url": "http://other.invalid/v1"})
    request = DigestRequest(text=example[0])
    first = Digester(llm_settings, LLMClient(llm_settings)).key_for(request, Engine.llm)
    second = Digester(other, LLMClient(other)).key_for(request, Engine.llm)
    assert first != second
