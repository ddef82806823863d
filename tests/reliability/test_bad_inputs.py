"""The bad-input corpus (tests/data/bad_inputs/manifest.json): each body gets its documented answer.

A 4xx problem detail that says what to fix, or, for valid but odd input, a digest with the named
warning; never a 500.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest

from tests.reliability.support import PROBLEM, client_for, settings_for

CORPUS = Path(__file__).resolve().parent.parent / "data" / "bad_inputs"
CASES: list[dict[str, Any]] = json.loads((CORPUS / "manifest.json").read_text(encoding="utf-8"))["cases"]


def body_of(case: dict[str, Any]) -> bytes:
    raw = (CORPUS / case["file"]).read_bytes()
    size = case.get("repeat_to_bytes")
    if size is None:
        return raw
    data = json.loads(raw)
    chunk = data["text"]
    data["text"] = chunk * math.ceil(size / len(chunk.encode("utf-8")))
    return json.dumps(data, ensure_ascii=False).encode("utf-8")


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    with client_for(settings_for(tmp_path_factory.mktemp("bad-inputs"))) as client:
        yield client


def test_the_corpus_is_complete():
    assert len(CASES) >= 25
    assert all((CORPUS / case["file"]).is_file() for case in CASES)
    assert {case["status"] for case in CASES} >= {200, 400, 413, 415, 422}


@pytest.mark.parametrize("case", CASES, ids=[case["file"] for case in CASES])
def test_bad_input_gets_its_documented_answer(client, case):
    content_type = case.get("content_type", "application/json")
    params = {"engine": "offline", **case.get("params", {})}
    response = client.post(
        "/v1/digests", content=body_of(case), headers={"content-type": content_type}, params=params
    )
    assert response.status_code == case["status"], response.text[:500]
    if case["status"] >= 400:
        assert response.headers["content-type"].startswith(PROBLEM)
        problem = response.json()
        assert problem["status"] == case["status"] and problem["detail"]
        return
    digest = response.json()
    assert digest["article"]["chars"] > 0
    codes = [warning["code"] for warning in digest["warnings"]]
    if "warning" in case:
        assert case["warning"] in codes
    else:
        assert "not_arabic" not in codes


def test_the_service_is_healthy_after_the_whole_corpus(client):
    assert client.get("/healthz").status_code == 200
