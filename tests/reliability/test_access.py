"""Access: optional API keys, per-key rate limit, body size limit, CORS off by default."""

from __future__ import annotations

import base64
import hmac
import json
import logging

import httpx2
import pytest
from pydantic import SecretStr

from service.http.security import ApiKeys, SlidingWindowLimiter, presented_key
from tests.reliability.support import assert_problem, client_for, post_digest, settings_for

KEYS = "alpha-key-0123456789,beta-key-9876543210"
ARTICLE = {"text": "قال المرصد إن 4 مدنيين قتلوا في قصف على الغوطة الشرقية"}


@pytest.fixture
def keyed(tmp_path, monkeypatch):
    monkeypatch.setenv("DIGEST_API_KEYS", KEYS)
    monkeypatch.setenv("DIGEST_RATE_LIMIT_PER_MINUTE", "3")
    with client_for(settings_for(tmp_path)) as client:
        yield client


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


@pytest.mark.parametrize(
    "headers",
    [{}, bearer("wrong-key"), {"X-API-Key": "alpha-key-012345678"}, {"Authorization": "Bearer "}],
    ids=["missing", "wrong", "prefix-of-a-key", "empty-bearer"],
)
def test_a_missing_or_wrong_key_is_a_401_with_a_challenge(keyed, headers):
    response = keyed.post("/v1/digests", json=ARTICLE, headers=headers, params={"engine": "offline"})
    problem = assert_problem(response, 401)
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert problem["type"] == "/problems/unauthorized"


@pytest.mark.parametrize(
    "headers",
    [
        bearer("alpha-key-0123456789"),
        {"Authorization": "bearer beta-key-9876543210"},
        {"X-API-Key": "beta-key-9876543210"},
        {"Authorization": "Basic " + base64.b64encode(b"editor:alpha-key-0123456789").decode()},
    ],
    ids=["bearer", "bearer-lowercase", "x-api-key", "basic-password"],
)
def test_any_configured_key_is_accepted(keyed, headers):
    response = keyed.post("/v1/digests", json=ARTICLE, headers=headers, params={"engine": "offline"})
    assert response.status_code == 200, response.text


def test_health_metrics_and_openapi_stay_open(keyed):
    for path in ("/healthz", "/metrics", "/schema/openapi.json"):
        assert keyed.get(path).status_code == 200, path


def test_editor_pages_are_protected_too(keyed):
    response = keyed.get("/")
    assert response.status_code == 401
    assert "Basic" in response.headers["www-authenticate"]
    assert keyed.get("/", headers=bearer("alpha-key-0123456789")).status_code == 200


def test_the_n_plus_first_request_of_a_key_is_a_429_with_retry_after(keyed):
    for _ in range(3):
        ok = keyed.post("/v1/digests", json=ARTICLE, headers=bearer("alpha-key-0123456789"))
        assert ok.status_code == 200
    limited = keyed.post("/v1/digests", json=ARTICLE, headers=bearer("alpha-key-0123456789"))
    problem = assert_problem(limited, 429)
    assert problem["type"] == "/problems/rate-limited"
    assert 1 <= int(limited.headers["retry-after"]) <= 60
    other_key = keyed.post("/v1/digests", json=ARTICLE, headers=bearer("beta-key-9876543210"))
    assert other_key.status_code == 200, "the limit is per key"


def test_keys_never_reach_the_logs(keyed, caplog):
    caplog.set_level(logging.DEBUG)
    keyed.post("/v1/digests", json=ARTICLE, headers=bearer("alpha-key-0123456789"))
    keyed.post("/v1/digests", json=ARTICLE, headers=bearer("wrong-key-secret"))
    logged = "\n".join(f"{record.getMessage()} {getattr(record, 'fields', '')}" for record in caplog.records)
    assert "api_key_id" in logged
    assert "alpha-key" not in logged and "wrong-key-secret" not in logged


def test_without_keys_everything_is_open(tmp_path):
    with client_for(settings_for(tmp_path)) as client:
        assert post_digest(client, ARTICLE, engine="offline").status_code == 200


def test_keys_are_compared_with_hmac_compare_digest_against_every_key(monkeypatch):
    compared: list[bytes] = []
    real = hmac.compare_digest

    def spy(a: bytes, b: bytes) -> bool:
        compared.append(b)
        return real(a, b)

    monkeypatch.setattr(hmac, "compare_digest", spy)
    keys = ApiKeys([SecretStr("k1-aaaaaaaa"), SecretStr("k2-bbbbbbbb"), SecretStr("k3-cccccccc")])
    assert keys.identify("k1-aaaaaaaa") is not None
    assert len(compared) == 3, "no early exit on the first match"
    assert keys.identify("nope") is None


def test_sliding_window_frees_a_slot_when_the_oldest_hit_leaves_it():
    now = [1000.0]
    limiter = SlidingWindowLimiter(2, window_s=60, clock=lambda: now[0])
    assert limiter.hit("k") is None
    now[0] += 10
    assert limiter.hit("k") is None
    assert limiter.hit("k") == pytest.approx(50)
    now[0] += 50
    assert limiter.hit("k") is None


def test_presented_key_sources():
    assert presented_key({"authorization": "Bearer abc"}) == "abc"
    assert presented_key({"x-api-key": " abc "}) == "abc"
    assert presented_key({"authorization": "Basic !!!"}) is None
    assert presented_key({}) is None


def test_body_size_limit_applies_before_anything_is_parsed(tmp_path):
    with client_for(settings_for(tmp_path, max_body_bytes=4096)) as client:
        response = post_digest(client, {"text": "ق" * 5000}, engine="offline")
    assert_problem(response, 413)


def test_cors_is_off_by_default(tmp_path):
    with client_for(settings_for(tmp_path)) as client:
        response = client.options(
            "/v1/digests",
            headers={"Origin": "https://elsewhere.example", "Access-Control-Request-Method": "POST"},
        )
    assert "access-control-allow-origin" not in response.headers


def test_cors_allows_only_the_configured_origins(tmp_path, monkeypatch):
    monkeypatch.setenv("DIGEST_CORS_ORIGINS", "https://desk.example.org")
    monkeypatch.setenv("DIGEST_API_KEYS", KEYS)
    with client_for(settings_for(tmp_path)) as client:
        preflight = client.options(
            "/v1/digests",
            headers={
                "Origin": "https://desk.example.org",
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "authorization, content-type",
            },
        )
        assert preflight.status_code in (200, 204)
        assert preflight.headers["access-control-allow-origin"] == "https://desk.example.org"
        other = client.get("/healthz", headers={"Origin": "https://evil.example"})
        assert "access-control-allow-origin" not in other.headers


def test_a_body_served_before_still_passes_every_check(keyed):
    key = bearer("alpha-key-0123456789")
    body = json.dumps(ARTICLE).encode()
    params = {"engine": "offline"}
    json_headers = {"content-type": "application/json"}

    def send(headers: dict[str, str]) -> httpx2.Response:
        return keyed.post("/v1/digests", content=body, headers=headers, params=params)

    first, second = send({**json_headers, **key}), send({**json_headers, **key})
    assert (first.headers["x-digest-cache"], second.headers["x-digest-cache"]) == ("miss", "hit")
    assert second.json()["provenance"]["cache_key"] == first.json()["provenance"]["cache_key"]
    assert_problem(send(json_headers), 401)
    assert_problem(send({"content-type": "text/plain", **key}), 415)
    assert_problem(send({**json_headers, **key}), 429)  # the fourth request of this key in the minute
