"""The fault matrix: every way the LLM provider can fail, replayed at the httpx2 transport.

For each fault: the documented outcome (a typed 502/503/504 problem with engine=llm or fallback=false,
the offline digest with a warning with engine=auto), a call count bounded by the settings (transport
faults: DIGEST_LLM_MAX_ATTEMPTS; invalid output: 1 + DIGEST_LLM_REASKS for each list task, since one
task's invalid answers cost only its own items; unusable answers: 1),
nothing cached (the next good answer is served, not shadowed), and a healthy service afterwards.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any, Literal

import httpx2
import pytest
from tenacity import RetryCallState

from schemas.llm_output import LLMDigest
from service.engines.llm.client import _wait_for
from service.settings import Settings
from tests.llm_replay import ReplayLLM, Reply, answers, completion, error_response
from tests.reliability.support import assert_problem, client_for, post_digest, settings_for

Kind = Literal["transport", "reask", "unusable"]
GOOD_DIGEST_CALLS = 4  # actors and events, figures, quotes, summary
LIST_TASKS = 3  # actors and events, figures, quotes: the summary is not asked when none gave anything


@dataclass(frozen=True)
class Fault:
    name: str
    reply: Callable[[LLMDigest], Reply]
    kind: Kind
    status: int
    slug: str
    detail: str
    retry_after: str | None = None

    def calls(self, settings: Settings) -> int:
        """How many LLM calls the settings allow for this fault before the service gives up."""
        return {
            "transport": settings.llm_max_attempts,
            "reask": (settings.llm_reasks + 1) * LIST_TASKS,
            "unusable": 1,
        }[self.kind]


class _ResetMidBody(httpx2.AsyncByteStream):
    async def __aiter__(self) -> AsyncIterator[bytes]:
        yield b'{"id": "chatcmpl-replay", "object": "chat.completion", "choi'
        raise httpx2.ReadError("connection reset by peer")


def _reset_mid_body(_: httpx2.Request) -> httpx2.Response:
    return httpx2.Response(200, headers={"content-type": "application/json"}, stream=_ResetMidBody())


def _raw_completion(choices: list[dict[str, Any]]) -> httpx2.Response:
    body = {"id": "chatcmpl-replay", "object": "chat.completion", "created": 1, "model": "replay-model"}
    return httpx2.Response(200, json={**body, "choices": choices})


def _refusal() -> httpx2.Response:
    message = {"role": "assistant", "content": None, "refusal": "I can't help with that request."}
    return _raw_completion([{"index": 0, "finish_reason": "stop", "message": message}])


def _with_extra_fields(output: LLMDigest) -> httpx2.Response:
    return completion({**json.loads(output.model_dump_json()), "confidence": 0.93, "notes": "extra"})


def _truncated(output: LLMDigest) -> httpx2.Response:
    return completion(output.model_dump_json()[:60], finish_reason="length")


def _proxy_page(_: LLMDigest) -> httpx2.Response:
    return httpx2.Response(200, text="<html><body>502 Bad Gateway</body></html>")


FAULTS = [
    Fault("429 with Retry-After", lambda _: error_response(429, {"retry-after": "7"}), "transport", 503,
          "upstream-unavailable", "rate-limiting", retry_after="7"),
    Fault("429 without Retry-After", lambda _: error_response(429), "transport", 503,
          "upstream-unavailable", "rate-limiting", retry_after="1"),
    Fault("500", lambda _: error_response(500), "transport", 502, "upstream-bad-response", "(500"),
    Fault("502", lambda _: error_response(502), "transport", 502, "upstream-bad-response", "(502"),
    Fault("503", lambda _: error_response(503), "transport", 503, "upstream-unavailable", "(503)",
          retry_after="1"),
    Fault("read timeout", lambda _: httpx2.ReadTimeout("replayed"), "transport", 504, "upstream-timeout",
          "DIGEST_LLM_TIMEOUT_S"),
    Fault("connect error", lambda _: httpx2.ConnectError("connection refused"), "transport", 502,
          "upstream-bad-response", "DIGEST_LLM_BASE_URL"),
    Fault("connection reset mid-body", lambda _: _reset_mid_body, "transport", 502,
          "upstream-bad-response", "broke off"),
    Fault("malformed JSON", lambda _: completion('{"headline_en": "Strikes on'), "reask", 502,
          "upstream-bad-response", "did not match the digest schema"),
    Fault("JSON that breaks the schema", lambda _: completion({"headline_en": 5, "figures": "many"}),
          "reask", 502, "upstream-bad-response", "did not match the digest schema"),
    Fault("refusal in prose", lambda _: completion("I'm sorry, but I can't help with that."), "reask",
          502, "upstream-bad-response", "did not match the digest schema"),
    Fault("HTTP 200 with a non-JSON body", _proxy_page, "unusable", 502, "upstream-bad-response",
          "did not answer with a chat completion"),
    Fault("truncated before a complete item (finish_reason=length)", _truncated, "reask", 502,
          "upstream-bad-response", "did not match the digest schema"),
    Fault("refusal (message.refusal)", lambda _: _refusal(), "unusable", 502, "upstream-bad-response",
          "refused"),
    Fault("content filter (finish_reason=content_filter)",
          lambda _: completion("", finish_reason="content_filter"), "unusable", 502,
          "upstream-bad-response", "content filter"),
    Fault("empty choices", lambda _: _raw_completion([]), "unusable", 502, "upstream-bad-response",
          "no choices"),
]  # fmt: skip


@pytest.fixture
def settings(tmp_path) -> Settings:
    """Non-default bounds, so the call counts below are visibly the settings' doing."""
    return settings_for(tmp_path, llm_max_attempts=3, llm_reasks=1)


def replay_of(fault: Fault, settings: Settings, good: LLMDigest) -> ReplayLLM:
    """The fault for as many calls as the settings allow, then a good answer."""
    return ReplayLLM([fault.reply(good)] * fault.calls(settings) + [answers(good)])


@pytest.mark.parametrize("params", [{"engine": "llm"}, {"engine": "auto", "fallback": "false"}])
@pytest.mark.parametrize("fault", FAULTS, ids=[fault.name for fault in FAULTS])
def test_fault_is_a_clear_problem_bounded_uncached_and_harmless(fault, params, settings, example):
    article, good = example
    replay = replay_of(fault, settings, good)
    with client_for(settings, replay) as client:
        problem = assert_problem(post_digest(client, {"text": article}, **params), fault.status)
        assert problem["type"] == f"/problems/{fault.slug}"
        assert fault.detail in problem["detail"]
        assert replay.calls == fault.calls(settings)

        assert client.get("/healthz").status_code == 200
        after = post_digest(client, {"text": article}, **params)
        assert after.status_code == 200, after.text
        assert after.headers["x-digest-cache"] == "miss", "a failure must never be cached"
        assert after.json()["provenance"]["engine"] == "llm"
        assert replay.calls == fault.calls(settings) + GOOD_DIGEST_CALLS


@pytest.mark.parametrize("fault", FAULTS, ids=[fault.name for fault in FAULTS])
def test_fault_with_engine_auto_serves_the_offline_digest_with_a_warning(fault, settings, example):
    article, good = example
    replay = replay_of(fault, settings, good)
    with client_for(settings, replay) as client:
        response = post_digest(client, {"text": article}, engine="auto")
        assert response.status_code == 200, response.text
        digest = response.json()
        assert digest["provenance"]["engine"] == "offline"
        assert response.headers["x-digest-engine"] == "offline"
        assert digest["warnings"][0]["code"] == "llm_failed_offline_fallback"
        assert replay.calls == fault.calls(settings)

        again = post_digest(client, {"text": article}, engine="auto")
        assert again.json()["provenance"]["engine"] == "llm", "the fallback must not shadow the LLM"
        assert replay.calls == fault.calls(settings) + GOOD_DIGEST_CALLS


def test_extra_unknown_fields_are_reasked_and_the_valid_items_kept(settings, example):
    article, good = example
    replay = ReplayLLM([_with_extra_fields(good)] * (1 + settings.llm_reasks) + [answers(good)])
    with client_for(settings, replay) as client:
        response = post_digest(client, {"text": article}, engine="llm")
    assert response.status_code == 200, response.text
    digest = response.json()
    assert digest["provenance"]["reasks"] == settings.llm_reasks
    assert len(digest["actors"]) == len(good.actors) and len(digest["events"]) == len(good.events)


def test_the_503_retry_after_matches_the_provider_s(settings, example):
    replay = ReplayLLM([error_response(503, {"retry-after": "12"})])
    with client_for(settings, replay) as client:
        response = post_digest(client, {"text": example[0]}, engine="llm")
    assert_problem(response, 503)
    assert response.headers["retry-after"] == "12"


def test_a_transient_fault_then_a_good_answer_is_a_digest(settings, example):
    article, good = example
    replay = ReplayLLM([httpx2.ReadTimeout("slow"), error_response(502), answers(good)])
    with client_for(settings, replay) as client:
        response = post_digest(client, {"text": article}, engine="llm")
    assert response.status_code == 200
    assert replay.calls == 2 + GOOD_DIGEST_CALLS


def _state_after(error: BaseException, attempt: int) -> RetryCallState:
    state = RetryCallState(retry_object=None, fn=None, args=(), kwargs={})  # type: ignore[arg-type]
    state.attempt_number = attempt
    state.set_exception((type(error), error, None))
    return state


def _rate_limited(retry_after: str) -> BaseException:
    import openai

    response = httpx2.Response(
        429, headers={"retry-after": retry_after}, request=httpx2.Request("POST", "http://llm")
    )
    return openai.RateLimitError("replayed", response=response, body=None)


@pytest.mark.parametrize(
    ("retry_after", "max_backoff", "budget_left", "expected"),
    [
        ("7", 20.0, 100.0, 7.0),  # the provider's Retry-After is honoured ...
        ("600", 20.0, 100.0, 20.0),  # ... up to DIGEST_LLM_MAX_BACKOFF_S
        ("7", 20.0, 3.0, 3.0),  # ... and never past DIGEST_LLM_MAX_RETRY_S
    ],
)
def test_waits_between_tries_are_bounded_by_the_settings(retry_after, max_backoff, budget_left, expected):
    import time

    wait = _wait_for(max_backoff, time.monotonic() + budget_left)
    assert wait(_state_after(_rate_limited(retry_after), 1)) == pytest.approx(expected, abs=0.5)
