"""The HTTP contract: digests, problem details for every error, health and OpenAPI."""

from __future__ import annotations

import json
from collections.abc import Iterator

import httpx2
import pytest
from litestar.testing import TestClient

from service.engines.llm.client import LLMClient
from service.http.app import create_app
from service.runtime.digester import Digester
from service.settings import Settings
from tests.llm_replay import ReplayLLM, answers, error_response

PROBLEM = "application/problem+json"


def client_for(settings: Settings, replay: ReplayLLM | None = None) -> TestClient:  # type: ignore[type-arg]
    llm = LLMClient(settings, http_client=replay.http_client()) if replay else None
    return TestClient(app=create_app(settings, Digester(settings, llm)))


@pytest.fixture
def llm_api(llm_settings, example) -> Iterator[tuple[TestClient, ReplayLLM]]:  # type: ignore[type-arg]
    replay = ReplayLLM([answers(example[1])])
    with client_for(llm_settings, replay) as client:
        yield client, replay


def post(client: TestClient, body: object, **params: str) -> httpx2.Response:  # type: ignore[type-arg]
    return client.post("/v1/digests", json=body, params=params)


def test_digest_with_llm_then_cache_hit(llm_api, example):
    client, replay = llm_api
    first = post(client, {"text": example[0]}, engine="llm")
    assert first.status_code == 200, first.text
    assert first.headers["x-digest-cache"] == "miss"
    assert first.json()["provenance"]["engine"] == "llm"
    second = post(client, {"text": example[0]}, engine="llm")
    assert second.headers["x-digest-cache"] == "hit"
    assert second.json()["provenance"]["cached"] is True
    assert replay.calls == 4, "one call per task: actors and events, figures, quotes, summary"


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ({"text": ""}, "text"),
        ({"text": "   \n\t "}, "empty or only whitespace"),
        ({}, "text"),
        ({"text": 42}, "text"),
        ({"text": "نص", "published_at": "21/11/2026"}, "published_at"),
        ({"text": "نص", "unexpected": 1}, "unexpected"),
        (["not", "an", "object"], "JSON object"),
    ],
)
def test_invalid_article_is_a_422_problem_that_says_what_to_fix(offline_settings, body, fragment):
    with client_for(offline_settings) as client:
        response = post(client, body, engine="llm")
    assert response.status_code == 422
    assert response.headers["content-type"].startswith(PROBLEM)
    problem = response.json()
    assert problem["status"] == 422 and problem["title"] and fragment in problem["detail"]


@pytest.mark.parametrize(
    ("params", "valid"),
    [({"engine": "gpt"}, ["auto", "llm", "offline"]), ({"refresh": "maybe"}, ["true", "false"])],
)
def test_a_bad_query_parameter_is_a_422_problem_listing_the_valid_values(offline_settings, params, valid):
    with client_for(offline_settings) as client:
        response = post(client, {"text": "قتل خمسة أشخاص"}, **params)
    assert response.status_code == 422
    problem = response.json()
    assert problem["title"] == "A query parameter is not valid"
    [key] = params
    assert problem["detail"].startswith(f"{key}: ")
    assert problem["detail"].endswith(f"use one of: {', '.join(valid)}")
    assert problem["errors"][0]["valid"] == valid


def test_malformed_json_is_a_400_problem(offline_settings):
    with client_for(offline_settings) as client:
        response = client.post(
            "/v1/digests", content=b'{"text": ', headers={"content-type": "application/json"}
        )
    assert response.status_code == 400
    assert response.headers["content-type"].startswith(PROBLEM)
    assert "JSON" in response.json()["detail"]


def test_wrong_content_type_is_a_415_problem(offline_settings):
    with client_for(offline_settings) as client:
        response = client.post(
            "/v1/digests", content=json.dumps({"text": "نص"}), headers={"content-type": "text/plain"}
        )
    assert response.status_code == 415
    assert "application/json" in response.json()["detail"]


def test_oversized_body_is_a_413_problem(tmp_path):
    settings = Settings(_env_file=None, cache_dir=tmp_path, max_body_bytes=2048)  # type: ignore[call-arg]
    with client_for(settings) as client:
        response = post(client, {"text": "ا" * 5000})
    assert response.status_code == 413
    assert response.headers["content-type"].startswith(PROBLEM)


def test_llm_without_endpoint_is_a_503_problem_naming_the_setting(offline_settings):
    with client_for(offline_settings) as client:
        response = post(client, {"text": "قال المرصد إن 4 مدنيين قتلوا"}, engine="llm")
    assert response.status_code == 503
    assert "DIGEST_LLM_BASE_URL" in response.json()["detail"]


@pytest.mark.parametrize(
    ("reply", "status", "retry_after"),
    [
        (error_response(429, {"retry-after": "7"}), 503, "7"),
        (error_response(500), 502, None),
        (httpx2.ReadTimeout("replayed"), 504, None),
        (httpx2.RemoteProtocolError("connection reset by peer"), 502, None),
    ],
)
def test_upstream_faults_become_gateway_problems(llm_settings, example, reply, status, retry_after):
    replay = ReplayLLM([reply])
    with client_for(llm_settings, replay) as client:
        response = post(client, {"text": example[0]}, engine="llm")
        assert response.status_code == status
        assert response.headers["content-type"].startswith(PROBLEM)
        assert response.headers.get("retry-after") == retry_after
        assert client.get("/healthz").status_code == 200


def test_healthz_reports_engines(offline_settings):
    with client_for(offline_settings) as client:
        health = client.get("/healthz").json()
    assert health["status"] == "ok"
    assert health["engines"] == {"offline": True, "llm": False}


def test_openapi_describes_the_digest_endpoint(offline_settings):
    with client_for(offline_settings) as client:
        spec = client.get("/schema/openapi.json").json()
    operation = spec["paths"]["/v1/digests"]["post"]
    assert {p["name"] for p in operation["parameters"]} >= {"engine", "refresh", "fallback"}
    assert "DigestRequest" in json.dumps(operation["requestBody"])
