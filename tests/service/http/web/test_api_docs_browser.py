"""The API docs in Chromium with no internet: every request that leaves the server is refused, and
Swagger UI 5 and ReDoc still render the operations from the files the app serves itself."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser import NEEDS_CHROMIUM, SCREENSHOTS, open_page

playwright_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")
expect = playwright_api.expect

pytestmark = NEEDS_CHROMIUM


def _offline(page: Any, server: str) -> list[str]:
    """Refuse every request that is not to the server; the list of those refused."""
    refused: list[str] = []

    def route(request_route: Any) -> None:
        if request_route.request.url.startswith(server):
            request_route.continue_()
        else:
            refused.append(request_route.request.url)
            request_route.abort("internetdisconnected")

    page.route("**/*", route)
    return refused


@pytest.mark.parametrize("path", ["/schema", "/schema/swagger"])
def test_swagger_ui_5_renders_the_operations_without_internet(browser: Any, server: str, path: str) -> None:
    for page in open_page(browser, 1280, expected_statuses=()):
        refused = _offline(page, server)
        page.goto(server + path)
        expect(
            page.locator(".swagger-ui .opblock-summary-path", has_text="/v1/digests").first
        ).to_be_visible()
        # Swagger UI 3 said "Unable to render this definition" of an OpenAPI 3.1 document
        expect(page.locator(".swagger-ui .info .version-stamp")).to_have_text("OAS 3.1")
        assert not refused, refused
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"api-docs-swagger{path.replace('/', '-')}.png"))


# ReDoc's sidebar shows Redocly's logo from their CDN; the policy blocks it and ReDoc drops the image.
REDOCLY_LOGO = "https://cdn.redoc.ly/redoc/logo-mini.svg"


@pytest.mark.parametrize("width", [1280, 390])
def test_redoc_renders_the_operations_without_internet(browser: Any, server: str, width: int) -> None:
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on(
        "console",
        lambda m: problems.append(m.text) if m.type == "error" and REDOCLY_LOGO not in m.text else None,
    )
    refused = _offline(page, server)
    page.goto(server + "/schema/redoc")
    expect(page.locator("h1", has_text="Arabic news digest")).to_be_visible()
    expect(page.locator("h2", has_text="Digest one Arabic news article").first).to_be_visible()
    if width >= 1280:  # the search box is in the side menu, folded away on a phone
        page.get_by_placeholder("Search...").fill("batch")  # the search runs in its worker
        expect(page.locator("[data-role='search:results']")).to_contain_text("state and counts")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"api-docs-redoc-{width}.png"))
    context.close()
    assert not refused and not problems, (refused, problems)
