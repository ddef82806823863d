"""Debian's Chromium for the browser tests: where it is, how it is launched, a page that fails the test on a
script error, where screenshots go."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.paths import REPO

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = REPO / "test-output" / "screenshots"
NEEDS_CHROMIUM = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="Debian's chromium is not installed at /usr/bin/chromium (apt-get install chromium)",
    ),
]


def open_page(browser: Any, width: int, expected_statuses: tuple[int, ...] = (422,)) -> Iterator[Any]:
    """A page `width` px wide; the test fails if the page had a script error, a static file failed, or a
    response had an error status the test does not expect (Chromium logs those as console errors)."""
    context = browser.new_context(viewport={"width": width, "height": 900}, reduced_motion="reduce")
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.on(
        "console",
        lambda message: problems.append(message.text) if _is_a_problem(message, expected_statuses) else None,
    )
    page.on(
        "response",
        lambda r: problems.append(f"{r.status} {r.url}") if "/static/" in r.url and not r.ok else None,
    )
    try:
        yield page
    finally:
        context.close()
    assert not problems, problems


def _is_a_problem(message: Any, expected_statuses: tuple[int, ...]) -> bool:
    """Console errors, except Chromium's note on an expected status (422: a form re-shown with its error)."""
    expected = any(f"status of {status}" in message.text for status in expected_statuses)
    return bool(message.type == "error" and not expected)
