"""For the browser tests: the real app under uvicorn on a free port, and Debian's Chromium (one of each per
module). Playwright is imported here only when a browser test asks for it."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
import uvicorn

from service.http.app import create_app
from service.settings import Settings
from tests.browser import CHROMIUM, CHROMIUM_ARGS, open_page
from tests.redis_server import free_port


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The real app on a free port: offline engine only, whatever the machine's environment says."""
    with pytest.MonkeyPatch.context() as env:
        for name in [n for n in os.environ if n.startswith(("DIGEST_", "OPENAI_"))]:
            env.delenv(name)
        settings = Settings(_env_file=None, cache_dir=tmp_path_factory.mktemp("cache"))  # type: ignore[call-arg]
        app = create_app(settings)
    assert not app.state.digester.llm_available
    port = free_port()
    uvicorn_server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=uvicorn_server.run, name="web-test-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not uvicorn_server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the test server did not start"
        time.sleep(0.02)
    yield f"http://127.0.0.1:{port}"
    uvicorn_server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    playwright_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is missing")
    with playwright_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    yield from open_page(browser, 1280)
