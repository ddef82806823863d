"""Batch jobs over HTTP, embedded: submit, poll, stream results, cancel, resume after a restart."""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

import pytest
from litestar.testing import TestClient
from pydantic import SecretStr

from schemas.digest import Digest
from service.engines.llm.client import LLMClient
from service.http.app import create_app
from service.http.security import key_id
from service.runtime.digester import Digester
from service.runtime.jobs import DiskKeyValue, JobStore
from service.settings import Settings
from tests.llm_replay import ReplayLLM, answers

PROBLEM = "application/problem+json"
ARTICLE = "قتل خمسة مدنيين في قصف مدفعي على مدينة حلب، بحسب المرصد السوري لحقوق الإنسان."


def articles(count: int) -> list[dict[str, Any]]:
    return [{"id": f"a{n}", "text": f"{ARTICLE} وأصيب {n + 2} آخرون."} for n in range(count)]


def llm_articles(article: str, count: int) -> list[dict[str, Any]]:
    """The replayed answer grounds in the example article; a suffix makes each one distinct."""
    return [{"id": f"a{n}", "text": f"{article}\n{n}"} for n in range(count)]


def client_for(settings: Settings, replay: ReplayLLM | None = None) -> TestClient:  # type: ignore[type-arg]
    llm = LLMClient(settings, http_client=replay.http_client()) if replay else None
    return TestClient(app=create_app(settings, Digester(settings, llm)))


def wait_for(client: TestClient, job_id: str, state: str = "done") -> dict[str, Any]:  # type: ignore[type-arg]
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        status: dict[str, Any] = client.get(f"/v1/batches/{job_id}").json()
        if status["state"] == state:
            return status
        time.sleep(0.05)
    raise AssertionError(f"job {job_id} did not reach {state}: {status}")


def results(client: TestClient, job_id: str) -> list[dict[str, Any]]:  # type: ignore[type-arg]
    response = client.get(f"/v1/batches/{job_id}/results")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/jsonl")
    return [json.loads(line) for line in response.text.splitlines()]


def test_a_json_list_runs_as_a_job(offline_settings: Settings) -> None:
    with client_for(offline_settings) as client:
        submitted = client.post("/v1/batches", json=articles(5), params={"engine": "offline"})
        assert submitted.status_code == 202, submitted.text
        job = submitted.json()
        assert submitted.headers["location"] == f"/v1/batches/{job['id']}"
        assert (job["total"], job["results"]) == (5, f"/v1/batches/{job['id']}/results")

        status = wait_for(client, job["id"])
        assert (status["done"], status["failed"], status["progress"]) == (5, 0, 1.0)
        lines = results(client, job["id"])
        assert [line["id"] for line in lines] == [f"a{n}" for n in range(5)]
        for line in lines:
            assert Digest.model_validate(line["digest"]).figures

        again = client.post("/v1/batches", json=articles(2), params={"engine": "offline"}).json()
        assert wait_for(client, again["id"])["cached"] == 2


def test_a_jsonl_upload_runs_as_a_job(offline_settings: Settings) -> None:
    body = "\n".join(json.dumps({"text": item["text"]}) for item in articles(3)) + "\n"
    with client_for(offline_settings) as client:
        submitted = client.post(
            "/v1/batches",
            content=body.encode(),
            headers={"Content-Type": "application/jsonl"},
            params={"engine": "offline"},
        )
        assert submitted.status_code == 202, submitted.text
        wait_for(client, submitted.json()["id"])
        assert [line["id"] for line in results(client, submitted.json()["id"])] == [
            "line-1",
            "line-2",
            "line-3",
        ]


def test_with_invalid_record_bad_lines_are_problem_results_and_the_rest_run(
    offline_settings: Settings,
) -> None:
    good = [json.dumps({"id": item["id"], "text": item["text"]}) for item in articles(2)]
    body = "\n".join([good[0], '{"text": ""}', "{broken", good[1]]) + "\n"
    with client_for(offline_settings) as client:
        submitted = client.post(
            "/v1/batches",
            content=body.encode(),
            headers={"Content-Type": "application/jsonl"},
            params={"engine": "offline", "invalid": "record"},
        )
        assert submitted.status_code == 202, submitted.text
        status = wait_for(client, submitted.json()["id"])
        assert (status["total"], status["done"], status["failed"]) == (4, 4, 2)
        lines = results(client, submitted.json()["id"])
    assert [line["id"] for line in lines] == ["a0", "line-2", "line-3", "a1"]
    assert [sorted(line) for line in lines] == [
        ["digest", "id"],
        ["id", "problem"],
        ["id", "problem"],
        ["digest", "id"],
    ]
    problems = [line["problem"] for line in lines if "problem" in line]
    assert [problem["type"] for problem in problems] == ["/problems/invalid-item"] * 2
    assert problems[0]["detail"] == "line 2: the text is empty"
    assert problems[1]["detail"].startswith("line 3: not valid JSON")


def test_with_invalid_record_a_batch_of_only_bad_lines_is_done_at_once(offline_settings: Settings) -> None:
    with client_for(offline_settings) as client:
        submitted = client.post("/v1/batches", json=[3, {"text": ""}], params={"invalid": "record"})
        assert submitted.status_code == 202, submitted.text
        assert submitted.json()["state"] == "done"
        assert [line["id"] for line in results(client, submitted.json()["id"])] == ["item-0", "item-1"]


def test_with_invalid_record_a_bad_line_may_not_take_an_id_in_use(offline_settings: Settings) -> None:
    body = (json.dumps({"id": "line-2", "text": ARTICLE}) + "\n{broken\n").encode()
    with client_for(offline_settings) as client:
        response = client.post(
            "/v1/batches",
            content=body,
            headers={"Content-Type": "application/jsonl"},
            params={"invalid": "record"},
        )
        assert response.status_code == 422, response.text
        assert "'line-2': the id appears twice" in response.json()["detail"]


def test_llm_failures_are_problem_lines(offline_settings: Settings) -> None:
    with client_for(offline_settings) as client:  # no LLM configured: engine=llm fails per item
        job = client.post("/v1/batches", json=articles(2), params={"engine": "llm"}).json()
        assert wait_for(client, job["id"])["failed"] == 2
        assert {line["problem"]["status"] for line in results(client, job["id"])} == {503}


@pytest.mark.parametrize(
    ("body", "content_type", "status", "fragment"),
    [
        (b"[{not json", "application/json", 400, "not JSON"),
        (b'{"text": "x"}', "application/json", 400, "JSON list"),
        (b"\xff\xfe", "application/json", 400, "UTF-8"),
        (b"[]", "application/json", 422, "empty"),
        (b'[{"text": "\\u0646\\u0635"}, {"text": ""}, 3]', "application/json", 422, "2 of 3 items"),
        (b'[{"id": "x", "text": "a"}, {"id": "x", "text": "b"}]', "application/json", 422, "appears twice"),
        (
            b'[{"id": "empty.txt", "text": ""}]',
            "application/json",
            422,
            "1 of 1 item cannot be digested: item 0 (empty.txt): the text is empty",
        ),
        (b'{"text": "a"}\n{broken\n', "application/jsonl", 422, "line 2: not valid JSON"),
        (b"text", "text/plain", 415, "application/jsonl"),
    ],
)
def test_bad_batches_are_problem_details(
    offline_settings: Settings, body: bytes, content_type: str, status: int, fragment: str
) -> None:
    with client_for(offline_settings) as client:
        response = client.post("/v1/batches", content=body, headers={"Content-Type": content_type})
        assert response.status_code == status, response.text
        assert response.headers["content-type"].startswith(PROBLEM)
        assert fragment in response.json()["detail"]


def test_batch_limits(tmp_path) -> None:
    settings = Settings(_env_file=None, cache_dir=tmp_path / "cache", max_batch_bytes=2048, max_batch_items=2)  # type: ignore[call-arg]
    with client_for(settings) as client:
        too_many = client.post("/v1/batches", json=[{"text": "نص"}] * 3)
        assert too_many.status_code == 422
        assert "at most 2" in too_many.json()["detail"]
        too_large = client.post("/v1/batches", json=[{"text": "نص" * 2000}])
        assert too_large.status_code == 413
        assert "DIGEST_MAX_BATCH_BYTES" in too_large.json()["detail"]


@pytest.mark.parametrize(("method", "suffix"), [("GET", ""), ("GET", "/results"), ("DELETE", "")])
def test_an_unknown_job_is_a_404(offline_settings: Settings, method: str, suffix: str) -> None:
    with client_for(offline_settings) as client:
        response = client.request(method, f"/v1/batches/nope{suffix}")
        assert response.status_code == 404
        assert response.headers["content-type"].startswith(PROBLEM)
        assert "POST /v1/batches" in response.json()["detail"]


def test_cancel_stops_a_running_job(llm_settings: Settings, example) -> None:
    replay = ReplayLLM([answers(example[1])], latency_s=0.3)
    settings = llm_settings.model_copy(update={"batch_concurrency": 1})
    with client_for(settings, replay) as client:
        job = client.post("/v1/batches", json=llm_articles(example[0], 20), params={"engine": "llm"}).json()
        cancelled = client.delete(f"/v1/batches/{job['id']}")
        assert cancelled.status_code == 200
        assert cancelled.json()["state"] == "cancelled"
        time.sleep(0.5)
        status = client.get(f"/v1/batches/{job['id']}").json()
        assert status["state"] == "cancelled"
        assert status["done"] <= 1
        assert replay.calls <= 2 * 4, "no LLM call beyond the four of each article started (two at most)"


async def done_count(settings: Settings, job_id: str) -> int:
    kv = DiskKeyValue(settings.job_store_dir)
    try:
        store = JobStore(kv)
        job = await store.info(job_id)
        assert job is not None
        return (await store.status(job)).done
    finally:
        kv.close()


def test_a_job_survives_a_restart(llm_settings: Settings, example) -> None:
    settings = llm_settings.model_copy(update={"batch_concurrency": 1})
    slow = ReplayLLM([answers(example[1])], latency_s=0.2)
    with client_for(settings, slow) as client:
        job = client.post("/v1/batches", json=llm_articles(example[0], 6), params={"engine": "llm"}).json()
        wait_for(client, job["id"], state="running")
    stopped_at = asyncio.run(done_count(settings, job["id"]))
    assert 1 <= stopped_at < 6

    fast = ReplayLLM([answers(example[1])])
    with client_for(settings, fast) as client:
        status = wait_for(client, job["id"])
        lines = results(client, job["id"])
    assert status["done"] == 6
    assert sorted(line["id"] for line in lines) == [f"a{n}" for n in range(6)]
    assert fast.calls == 4 * (6 - stopped_at), "four calls per article not yet done"


OWNER_KEY, OTHER_KEY = "owner-key-0123456789", "other-key-9876543210"


@pytest.mark.parametrize("store", ["embedded", "redis"])
def test_a_job_belongs_to_the_key_that_submitted_it(
    offline_settings: Settings, request: pytest.FixtureRequest, store: str
) -> None:
    redis_url = request.getfixturevalue("redis_url") if store == "redis" else None
    settings = offline_settings.model_copy(
        update={"api_keys": [SecretStr(OWNER_KEY), SecretStr(OTHER_KEY)], "redis_url": redis_url}
    )
    owner, other = ({"Authorization": f"Bearer {key}"} for key in (OWNER_KEY, OTHER_KEY))
    with client_for(settings) as client:
        submitted = client.post("/v1/batches", json=articles(2), params={"engine": "offline"}, headers=owner)
        assert submitted.status_code == 202, submitted.text
        job_id = submitted.json()["id"]

        for method, suffix in (("GET", ""), ("GET", "/results"), ("DELETE", "")):
            hidden = client.request(method, f"/v1/batches/{job_id}{suffix}", headers=other)
            unknown = client.request(method, f"/v1/batches/{'0' * 32}{suffix}", headers=other)
            assert (hidden.status_code, unknown.status_code) == (404, 404)
            assert hidden.json()["detail"] == unknown.json()["detail"].replace("0" * 32, job_id)

        mine = client.get(f"/v1/batches/{job_id}", headers=owner)
        assert mine.status_code == 200
        assert mine.json()["state"] != "cancelled", "the other key's DELETE changed nothing"
        assert "owner" not in mine.json(), "the status never shows whose job it is"
        assert client.get(f"/v1/batches/{job_id}/results", headers=owner).status_code == 200
        assert client.delete(f"/v1/batches/{job_id}", headers=owner).status_code == 200


async def stored_owner(settings: Settings, job_id: str) -> str | None:
    kv = DiskKeyValue(settings.job_store_dir)
    try:
        job = await JobStore(kv).info(job_id)
        assert job is not None
        return job.owner
    finally:
        kv.close()


def test_the_owner_is_stored_as_a_hash_of_the_key(offline_settings: Settings) -> None:
    settings = offline_settings.model_copy(update={"api_keys": [SecretStr(OWNER_KEY)]})
    with client_for(settings) as client:
        job = client.post(
            "/v1/batches", json=articles(1), params={"engine": "offline"}, headers={"X-API-Key": OWNER_KEY}
        ).json()
    owner = asyncio.run(stored_owner(settings, job["id"]))
    assert owner == key_id(OWNER_KEY.encode())
    raw = b"".join(path.read_bytes() for path in settings.job_store_dir.rglob("*") if path.is_file())
    assert OWNER_KEY.encode() not in raw


def test_without_keys_a_job_is_open_to_every_caller(offline_settings: Settings) -> None:
    with client_for(offline_settings) as client:
        job = client.post("/v1/batches", json=articles(1), params={"engine": "offline"}).json()
        assert client.get(f"/v1/batches/{job['id']}").status_code == 200
    assert asyncio.run(stored_owner(offline_settings, job["id"])) is None
