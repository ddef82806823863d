"""Hardening at the edges: keys never in a URL or a log line, API docs from local files, a policy on every
HTML page, and `digest serve` cutting off clients that send headers too slowly, logging once per request."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx2
import pytest

from service.http.web.headers import DOCS_POLICY, PAGE_POLICY
from tests.reliability.support import assert_problem, client_for, settings_for

KEY = "secret-key-0123456789"


@pytest.mark.parametrize(
    "query", ["api_key={k}", "API_KEY={k}", "api%5Fkey={k}", "access_token={k}", "x=1&Key={k}"]
)
def test_a_key_in_the_query_string_is_refused_and_says_where_to_put_it(tmp_path, query):
    with client_for(settings_for(tmp_path)) as client:
        response = client.get(f"/healthz?{query.format(k=KEY)}")
    problem = assert_problem(response, 400)
    assert "X-API-Key" in problem["detail"] and KEY not in response.text


def test_parameters_that_are_not_keys_pass(tmp_path):
    with client_for(settings_for(tmp_path)) as client:
        assert client.get("/healthz?monkey_business=1&q=%D8%AD").status_code == 200


def test_the_api_docs_load_only_local_files(tmp_path):
    with client_for(settings_for(tmp_path)) as client:
        for path in ("/schema", "/schema/swagger", "/schema/redoc"):
            page = client.get(path)
            assert page.status_code == 200 and page.headers["content-security-policy"] == DOCS_POLICY
            assets = re.findall(r"""(?:src|href)=["']([^"']+)["']""", page.text)
            assert assets and all(asset.startswith("/schema/assets/") for asset in assets), assets
            assert (
                "http://" not in page.text.split("<body>")[0]
                and "https://" not in page.text.split("<body>")[0]
            )
            for asset in assets:
                assert client.get(asset).status_code == 200, asset


def test_a_401_page_carries_the_page_policy(tmp_path, monkeypatch):
    monkeypatch.setenv("DIGEST_API_KEYS", KEY)
    with client_for(settings_for(tmp_path)) as client:
        response = client.get("/")
    assert response.status_code == 401 and response.headers["content-type"].startswith("text/html")
    assert response.headers["content-security-policy"] == PAGE_POLICY


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    port = free_port()
    env = {
        **os.environ,
        "DIGEST_CACHE_DIR": str(tmp_path / "cache"),
        "DIGEST_HEADER_TIMEOUT_S": "0.5",
        "DIGEST_API_KEYS": KEY,
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "service.cli", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                if httpx2.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx2.TransportError:
                time.sleep(0.1)
        else:
            raise AssertionError("the server did not start")
        yield base, server
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_serve_cuts_off_slow_headers_and_logs_each_request_once_without_keys(served):
    base, server = served
    port = int(base.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=20) as slow:
        slow.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")  # the blank line never comes
        assert slow.recv(1024) == b"", "the server closed the connection"
    assert httpx2.get(f"{base}/healthz", params={"api_key": KEY}).status_code == 400
    assert httpx2.get(f"{base}/metrics").status_code == 200
    server.terminate()
    _, log = server.communicate(timeout=30)
    access = [json.loads(line) for line in log.splitlines() if '"service.access"' in line]
    assert [(line["path"], line["status"]) for line in access] == [
        ("/healthz", 200),
        ("/healthz", 400),
        ("/metrics", 200),
    ]
    assert KEY not in log
