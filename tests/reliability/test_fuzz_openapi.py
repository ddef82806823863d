"""Fuzzing with schemathesis against the service's own OpenAPI spec (in-process, offline engine).

Bounded and deterministic: `max_examples` per operation, `derandomize=True`. Zero server errors,
and every response (status, content type, headers, body) conforms to the spec.

schemathesis's `negative_data_rejection` check once found that pydantic's lax mode read
`"published_at": 0` as 1970-01-01; the request schema now accepts only YYYY-MM-DD dates.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from litestar.testing import TestClient
from schemathesis.checks import (
    content_type_conformance,
    negative_data_rejection,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from service.http.app import create_app
from service.runtime.digester import Digester
from service.settings import Settings

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    negative_data_rejection,
]


def _offline_app():  # type: ignore[no-untyped-def]
    cache = Path(tempfile.mkdtemp(prefix="digest-fuzz-"))
    config = Settings(_env_file=None, cache_dir=cache)  # type: ignore[call-arg]
    return create_app(config, Digester(config))


schema = schemathesis.openapi.from_asgi("/schema/openapi.json", _offline_app())


@schema.parametrize()
@settings(
    max_examples=50,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large],
)
def test_the_api_honours_its_own_openapi_spec(case):  # type: ignore[no-untyped-def]
    if isinstance(case.query, dict) and case.query.get("engine") == "llm":
        # this server has no LLM on purpose: engine=llm would be the documented 503 "not configured"
        case.query["engine"] = "offline"
    case.call_and_validate(checks=CHECKS)


@pytest.mark.parametrize("published_at", [0, 86_400, "86400", "2018-2-3", "23/02/2018"])
def test_published_at_must_be_an_iso_date(published_at):  # type: ignore[no-untyped-def]
    with TestClient(app=_offline_app()) as client:
        body = {"text": "قال المرصد إن 4 مدنيين قتلوا", "published_at": published_at}
        response = client.post("/v1/digests", json=body, params={"engine": "offline"})
    assert response.status_code == 422
