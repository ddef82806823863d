"""The cache-hit fast path of POST /v1/digests (service/http/hot_path.py): it answers hits in front of
Litestar with the same checks and records as Litestar's path, and hands everything else on whole."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx2
import pytest
from litestar.testing import TestClient
from pydantic import SecretStr

from schemas.request import DigestRequest
from service.http.app import access_guard, create_app
from service.http.hot_path import CachedDigests, read_body, replay
from service.http.observability import JsonFormatter
from service.runtime.digester import Digester, EngineChoice
from service.settings import Settings

KEY = "alpha-key-0123456789"
ARTICLE = {"text": "قال المرصد إن 4 مدنيين قتلوا في قصف على الغوطة الشرقية"}
BODY = json.dumps(ARTICLE).encode()
JSON = {"content-type": "application/json"}
PROBLEM = "application/problem+json"


def settings_in(tmp_path: Path, **overrides: Any) -> Settings:
    return Settings(_env_file=None, cache_dir=tmp_path / "cache", **overrides)  # type: ignore[call-arg]


def client_of(settings: Settings) -> TestClient[Any]:
    return TestClient(app=create_app(settings, Digester(settings)))


@pytest.fixture
def keyed(tmp_path: Path) -> Iterator[TestClient[Any]]:
    settings = settings_in(tmp_path, api_keys=[SecretStr(KEY)], rate_limit_per_minute=4)
    with client_of(settings) as client:
        yield client


@pytest.fixture
def open_client(tmp_path: Path) -> Iterator[TestClient[Any]]:
    with client_of(settings_in(tmp_path)) as client:
        yield client


def send(client: TestClient[Any], headers: dict[str, str] | None = None, **params: str) -> httpx2.Response:
    return client.post(
        "/v1/digests",
        content=BODY,
        headers={**JSON, **(headers or {})},
        params=params or {"engine": "offline"},
    )


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def access_lines(caplog: pytest.LogCaptureFixture) -> list[dict[str, Any]]:
    formatter = JsonFormatter()
    return [json.loads(formatter.format(r)) for r in caplog.records if r.name == "service.access"]


def test_a_miss_digests_and_the_same_body_is_then_a_hit_of_the_same_bytes(open_client):
    miss, hit = send(open_client), send(open_client)
    assert (miss.status_code, hit.status_code) == (200, 200)
    assert (miss.headers["x-digest-cache"], hit.headers["x-digest-cache"]) == ("miss", "hit")
    assert hit.headers["x-digest-engine"] == "offline"
    assert hit.headers["content-type"] == "application/json"
    assert int(hit.headers["content-length"]) == len(hit.content)
    made, served = miss.json(), hit.json()
    assert served["provenance"].pop("cached") is True and made["provenance"].pop("cached") is False
    assert served == made


def test_with_keys_a_hit_without_or_with_a_wrong_key_is_a_401_without_the_digest(keyed):
    assert send(keyed, bearer(KEY)).status_code == 200
    assert send(keyed, bearer(KEY)).headers["x-digest-cache"] == "hit"
    for headers in ({}, bearer("wrong-key"), {"X-API-Key": KEY[:-1]}):
        refused = send(keyed, headers)
        assert refused.status_code == 401
        assert refused.headers["content-type"].startswith(PROBLEM)
        assert refused.headers["www-authenticate"].startswith("Bearer")
        assert refused.json()["type"] == "/problems/unauthorized"
        assert "x-digest-cache" not in refused.headers and "provenance" not in refused.text


def test_a_key_in_the_url_is_refused_even_for_a_known_body(open_client):
    assert send(open_client).status_code == 200
    refused = send(open_client, engine="offline", api_key=KEY)
    assert refused.status_code == 400
    assert refused.headers["content-type"].startswith(PROBLEM)
    assert "provenance" not in refused.text


def test_the_rate_limit_counts_each_hit_once(keyed):
    served = [send(keyed, bearer(KEY)) for _ in range(4)]
    assert [response.headers["x-digest-cache"] for response in served] == ["miss", "hit", "hit", "hit"]
    limited = send(keyed, bearer(KEY))
    assert limited.status_code == 429
    assert limited.headers["content-type"].startswith(PROBLEM)
    assert 1 <= int(limited.headers["retry-after"]) <= 60
    assert "provenance" not in limited.text


def test_a_hit_is_logged_once_with_the_fields_of_a_miss(keyed, caplog):
    caplog.set_level(logging.INFO)
    miss = send(keyed, {**bearer(KEY), "X-Request-ID": "desk-1"})
    hit = send(keyed, {**bearer(KEY), "X-Request-ID": "desk-2"})
    assert (miss.headers["x-request-id"], hit.headers["x-request-id"]) == ("desk-1", "desk-2")
    first, second = access_lines(caplog)
    assert first.keys() == second.keys()
    assert (first["cache_hit"], second["cache_hit"]) == (False, True)
    assert second["request_id"] == "desk-2" and second["api_key_id"] == first["api_key_id"] is not None
    assert (second["method"], second["path"], second["status"], second["engine"]) == (
        "POST",
        "/v1/digests",
        200,
        "offline",
    )
    assert KEY not in caplog.text


def test_a_hit_without_a_request_id_gets_a_fresh_one(open_client):
    send(open_client)
    assert len(send(open_client).headers["x-request-id"]) == 32


def test_metrics_count_hits_under_the_route_template(open_client):
    for _ in range(3):
        send(open_client)
    text = open_client.get("/metrics").text
    assert 'digest_http_requests_total{method="POST",route="/v1/digests",status="2xx"} 3.0' in text
    assert 'digest_cache_lookups_total{engine="offline",result="hit"} 2.0' in text
    assert 'digest_http_request_duration_seconds_count{route="/v1/digests"} 3.0' in text


def test_a_body_over_the_limit_is_a_413_problem(tmp_path):
    with client_of(settings_in(tmp_path, max_body_bytes=2048)) as client:
        response = client.post("/v1/digests", json={"text": "ق" * 5000}, params={"engine": "offline"})
    assert response.status_code == 413
    assert response.headers["content-type"].startswith(PROBLEM)


def test_a_hit_that_is_not_json_is_a_415_problem(open_client):
    send(open_client)
    refused = send(open_client, {"content-type": "text/plain"})
    assert refused.status_code == 415
    assert "provenance" not in refused.text


def test_a_cors_request_is_still_a_hit_with_the_cors_headers(tmp_path):
    origin = "https://desk.example.org"
    with client_of(settings_in(tmp_path, cors_origins=[origin])) as client:
        send(client)
        hit = send(client, {"Origin": origin})
    assert hit.headers["x-digest-cache"] == "hit"
    assert hit.headers["access-control-allow-origin"] == origin


class Recorder:
    """An ASGI app standing for Litestar behind the fast path: it reads the whole body and answers 204."""

    def __init__(self) -> None:
        self.bodies: list[bytes] = []

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        chunks = []
        while (message := await receive())["type"] == "http.request":
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                break
        self.bodies.append(b"".join(chunks))
        await send({"type": "http.response.start", "status": 204, "headers": []})
        await send({"type": "http.response.body", "body": b""})


def call(app: Any, chunks: list[bytes], query: bytes = b"engine=offline") -> list[dict[str, Any]]:
    """`app`'s messages for a JSON POST to /v1/digests whose body comes in `chunks`."""
    messages = [
        {"type": "http.request", "body": chunk, "more_body": index < len(chunks) - 1}
        for index, chunk in enumerate(chunks)
    ]
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return messages.pop(0) if messages else {"type": "http.disconnect"}

    async def record(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "method": "POST",
        "path": "/v1/digests",
        "query_string": query,
        "headers": [(b"host", b"testserver"), (b"content-type", b"application/json")],
        "state": {},
    }
    asyncio.run(app(scope, receive, record))
    return sent


async def remembered(digester: Digester) -> None:
    """The article digested and its body remembered, as a miss of the app leaves them."""
    request = DigestRequest.model_validate_json(BODY)
    await digester.serve(request, EngineChoice.offline)
    digester.remember(BODY, b"engine=offline", request, EngineChoice.offline)


def test_hits_are_answered_in_front_and_the_rest_reach_the_app_with_the_body_whole(tmp_path):
    settings = settings_in(tmp_path, max_body_bytes=1024)
    digester = Digester(settings)
    asyncio.run(remembered(digester))
    behind = Recorder()
    hits = CachedDigests(behind, digester, access_guard(settings), settings.max_body_bytes, cors=False)

    in_three = [BODY[:5], BODY[5:40], BODY[40:]]
    start, body = call(hits, in_three)
    assert start["status"] == 200 and (b"x-digest-cache", b"hit") in start["headers"]
    assert json.loads(body["body"])["provenance"]["cached"] is True
    assert behind.bodies == [], "a hit never reaches the app behind"

    other = BODY.replace(b"4", b"5")
    too_large = BODY + b" " * (1025 - len(BODY))
    assert call(hits, [other[:9], other[9:]])[0]["status"] == 204
    assert call(hits, [too_large[:30], too_large[30:60], too_large[60:]])[0]["status"] == 204
    assert call(hits, in_three, query=b"engine=auto")[0]["status"] == 204
    assert behind.bodies == [other, too_large, BODY], "what was read is replayed, then the rest"


def test_read_body_stops_past_the_limit_and_replay_gives_back_every_message():
    messages = [{"type": "http.request", "body": b"x" * 6, "more_body": True} for _ in range(3)]
    left = list(messages)

    async def receive() -> Any:
        return left.pop(0)

    async def run() -> tuple[list[Any], bytes | None, list[Any]]:
        received, body = await read_body(receive, 10)
        replaying = replay(received, receive)
        return received, body, [await replaying() for _ in range(3)]

    received, body, replayed = asyncio.run(run())
    assert body is None and len(received) == 2, "reading stops at the message that passes the limit"
    assert replayed == messages
