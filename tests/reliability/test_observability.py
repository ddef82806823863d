"""Observability: request ids, one JSON access line per request, Prometheus metrics per app."""

from __future__ import annotations

import json
import logging

import pytest

from service.http.observability import JsonFormatter, sane_request_id
from tests.llm_replay import ReplayLLM, answers, completion, error_response
from tests.reliability.support import client_for, post_digest, settings_for


def access_lines(caplog: pytest.LogCaptureFixture) -> list[dict[str, object]]:
    formatter = JsonFormatter()
    return [json.loads(formatter.format(r)) for r in caplog.records if r.name == "service.access"]


def sample(client, name: str, **labels: str) -> float:  # type: ignore[no-untyped-def]
    value = client.app.state.digester.metrics.registry.get_sample_value(name, labels)
    return value or 0.0


def test_every_response_carries_a_request_id_and_a_sane_incoming_one_is_kept(tmp_path):
    with client_for(settings_for(tmp_path)) as client:
        generated = client.get("/healthz").headers["x-request-id"]
        kept = client.get("/healthz", headers={"X-Request-ID": "desk-42.abc"}).headers["x-request-id"]
        replaced = client.get("/healthz", headers={"X-Request-ID": "bad id\twith spaces"})
        not_found = client.get("/no/such/page")
    assert len(generated) == 32 and kept == "desk-42.abc"
    assert replaced.headers["x-request-id"] != "bad id\twith spaces"
    assert not_found.status_code == 404 and not_found.headers["x-request-id"]


def test_sane_request_id_rejects_long_or_odd_values():
    assert sane_request_id("a" * 129) != "a" * 129
    assert sane_request_id("x\r\nSet-Cookie: y") != "x\r\nSet-Cookie: y"
    assert sane_request_id(None)


def test_one_json_access_line_per_request_without_the_article(tmp_path, caplog, example):
    caplog.set_level(logging.INFO)
    article = example[0]
    with client_for(settings_for(tmp_path)) as client:
        first = post_digest(client, {"text": article, "title": "secret title"}, engine="offline")
        post_digest(client, {"text": article, "title": "secret title"}, engine="offline")
    lines = access_lines(caplog)
    assert len(lines) == 2
    line = lines[0]
    assert line["request_id"] == first.headers["x-request-id"]
    assert line["method"] == "POST" and line["path"] == "/v1/digests" and line["status"] == 200
    assert line["engine"] == "offline" and line["cache_hit"] is False and lines[1]["cache_hit"] is True
    assert isinstance(line["duration_ms"], float)
    everything = "\n".join(JsonFormatter().format(record) for record in caplog.records)
    assert article[:20] not in everything and "secret title" not in everything


def test_metrics_count_requests_and_cache_lookups(tmp_path, example):
    article = example[0]
    with client_for(settings_for(tmp_path)) as client:
        post_digest(client, {"text": article}, engine="offline")
        post_digest(client, {"text": article}, engine="offline")
        client.get("/healthz")
        exposition = client.get("/metrics")
    assert exposition.status_code == 200
    assert exposition.headers["content-type"].startswith("text/plain")
    text = exposition.text
    assert 'digest_http_requests_total{method="POST",route="/v1/digests",status="2xx"} 2.0' in text
    assert 'digest_cache_lookups_total{engine="offline",result="hit"} 1.0' in text
    assert 'digest_cache_lookups_total{engine="offline",result="miss"} 1.0' in text
    assert "digest_http_request_duration_seconds_bucket" in text


def test_llm_metrics_count_calls_tokens_retries_reasks_and_fallbacks(tmp_path, example):
    article, good = example
    settings = settings_for(tmp_path, llm_max_attempts=2)
    replay = ReplayLLM(
        [
            error_response(429, {"retry-after": "0"}),  # retried once
            completion({"headline_en": "incomplete"}),  # re-asked once
            *[answers(good)] * 4,  # the re-ask, then figures, quotes and summary
            error_response(500),  # the next article: both tries fail, offline fallback
        ]
    )
    with client_for(settings, replay) as client:
        assert post_digest(client, {"text": article}, engine="llm").status_code == 200
        fallback = post_digest(client, {"text": article, "title": "other"}, engine="auto")
        assert fallback.json()["provenance"]["engine"] == "offline"
        assert sample(client, "digest_llm_retries_total", reason="rate_limited") == 1
        assert sample(client, "digest_llm_retries_total", reason="status_500") == 1
        assert sample(client, "digest_llm_reasks_total") == 1
        assert sample(client, "digest_llm_calls_total", outcome="answered") == 5
        assert sample(client, "digest_llm_calls_total", outcome="failed") == 3
        assert sample(client, "digest_llm_tokens_total", kind="prompt") == 5 * 1200
        assert sample(client, "digest_llm_tokens_total", kind="completion") == 5 * 300
        assert sample(client, "digest_fallbacks_total") == 1


def test_each_app_has_its_own_registry(tmp_path):
    with (
        client_for(settings_for(tmp_path / "a")) as first,
        client_for(settings_for(tmp_path / "b")) as second,
    ):
        first.get("/healthz")
        assert sample(first, "digest_http_requests_total", method="GET", route="/healthz", status="2xx") == 1
        assert sample(second, "digest_http_requests_total", method="GET", route="/healthz", status="2xx") == 0


def test_an_unmatched_path_is_counted_without_its_path_as_a_label(tmp_path):
    with client_for(settings_for(tmp_path)) as client:
        client.get("/wp-admin/setup.php")
        text = client.get("/metrics").text
    assert 'route="unmatched",status="4xx"' in text and "wp-admin" not in text


def test_metric_labels_come_from_a_closed_set_whatever_the_method(tmp_path):
    with client_for(settings_for(tmp_path)) as client:
        for _ in range(3):
            client.request("X" * 2000, "/healthz")
        client.request("PATCH", "/healthz")
        text = client.get("/metrics").text
    assert 'method="other",route="unmatched",status="4xx"} 3.0' in text
    assert 'method="PATCH",route="unmatched",status="4xx"} 1.0' in text
    assert "XXXX" not in text
