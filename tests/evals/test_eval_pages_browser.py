"""The eval report and the run-vs-run view in Chromium: collapsed sections, filters, 390 px."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import service.runtime.workers
from evals.cli import main as eval_main
from schemas.digest import Digest
from schemas.request import DigestRequest
from tests.browser import CHROMIUM, CHROMIUM_ARGS, NEEDS_CHROMIUM, SCREENSHOTS
from tests.evals.gold_fixture import write_gold_set

playwright_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")
expect = playwright_api.expect

pytestmark = NEEDS_CHROMIUM


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """An offline run, the same engine again, and a run of the engine with its quotes removed."""
    root = tmp_path_factory.mktemp("eval-pages")
    gold = write_gold_set(root / "fixture")
    paths = {name: root / name for name in ("before", "again", "quoteless")}
    for name in ("before", "again"):
        assert eval_main(["run", "--engine", "offline", "--gold", str(gold), "--out", str(paths[name])]) == 0
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(
            service.runtime.workers, "offline_digest", _quoteless(service.runtime.workers.offline_digest)
        )
        assert (
            eval_main(["run", "--engine", "offline", "--gold", str(gold), "--out", str(paths["quoteless"])])
            == 0
        )
    for name in ("again", "quoteless"):
        eval_main(["compare", str(paths["before"]), str(paths[name]), "--html", str(root / f"{name}.html")])
        paths[f"{name}.html"] = root / f"{name}.html"
    return paths


def _quoteless(engine: Callable[[DigestRequest], Digest]) -> Callable[[DigestRequest], Digest]:
    return lambda request: engine(request).model_copy(update={"quotes": []})


@pytest.fixture(scope="module")
def browser(runs: dict[str, Path]) -> Iterator[Any]:
    """Chromium, started after the runs: playwright's loop would refuse the eval runs' asyncio.run."""
    with playwright_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def _open(browser: Any, path: Path, width: int) -> tuple[Any, list[str]]:
    """The page at `path`, and the list its script errors are collected in."""
    context = browser.new_context(viewport={"width": width, "height": 900}, reduced_motion="reduce")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(path.as_uri())
    return page, errors


def _sideways(page: Any) -> int:
    return int(page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth"))


def _boxes_scrolling_sideways(page: Any) -> list[str]:
    """Visible elements whose own content scrolls sideways (a wide table in an overflow box)."""
    return list(
        page.evaluate(
            """() => [...document.querySelectorAll("body *")]
                .filter((e) => e.clientWidth > 0 && e.scrollWidth > e.clientWidth + 1
                               && ["auto", "scroll"].includes(getComputedStyle(e).overflowX))
                .map((e) => `${e.tagName}.${e.className} ${e.scrollWidth} > ${e.clientWidth}`)"""
        )
    )


@pytest.mark.parametrize("width", [1280, 390])
def test_the_compare_view_shows_flips_side_by_side_and_filters(
    browser: Any, runs: dict[str, Path], width: int
) -> None:
    page, errors = _open(browser, runs["quoteless.html"], width)
    douma = page.locator("details#fixture-douma")
    expect(douma).to_be_visible()
    expect(douma).not_to_have_attribute("open", re.compile(".*"))  # collapsed by default
    douma.locator("summary").click()
    flip = douma.locator(".flip").first
    expect(flip.locator('[data-side="A"]')).to_contain_text("A: matched")
    expect(flip.locator('[data-side="B"]')).to_contain_text("B: missed")
    a_box, b_box = (
        flip.locator('[data-side="A"]').bounding_box(),
        flip.locator('[data-side="B"]').bounding_box(),
    )
    if width >= 1280:
        assert b_box["x"] > a_box["x"] + a_box["width"] - 1, "A and B side by side"
    else:
        assert b_box["y"] >= a_box["y"] + a_box["height"] - 1, "A above B on a phone"
    page.locator("[data-filter-search]").fill("homs")
    expect(page.locator("details#fixture-douma")).to_be_hidden()
    expect(page.locator("details#fixture-homs")).to_be_visible()
    page.locator("[data-filter-search]").fill("")
    assert _sideways(page) <= 0, f"the compare view scrolls sideways at {width}px"
    assert not _boxes_scrolling_sideways(page), (
        "the per-field table (P, R, F1 of A and B) fits without scrolling"
    )
    quotes_row = page.locator("table.scores tr", has_text="quotes")
    expect(quotes_row.locator("td").nth(3)).to_contain_text("R -")  # the quoteless run lost recall
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"eval-compare-{width}.png"), full_page=True)
    assert not errors, errors
    page.context.close()


def test_the_compare_view_of_unchanged_runs_hides_every_article_until_asked(
    browser: Any, runs: dict[str, Path]
) -> None:
    page, _ = _open(browser, runs["again.html"], 1280)
    expect(page.locator("details.article:visible")).to_have_count(0)
    expect(page.locator("[data-filter-count]")).to_have_text("0 of 2 articles shown")
    expect(page.locator("[data-nothing-changed]")).to_contain_text("untick")
    page.get_by_label("only articles that changed").uncheck()
    expect(page.locator("details.article:visible")).to_have_count(2)
    page.context.close()


@pytest.mark.parametrize("width", [1280, 390])
def test_the_run_report_is_collapsed_filterable_and_fits_a_phone(
    browser: Any, runs: dict[str, Path], width: int
) -> None:
    page, errors = _open(browser, runs["quoteless"] / "report.html", width)
    sections = page.locator("details.article")
    expect(sections).to_have_count(2)
    expect(page.locator("details.article[open]")).to_have_count(0)
    page.get_by_label("with missed items").check()
    expect(page.locator("details.article:visible")).to_have_count(2)  # both lost their quotes
    page.get_by_label("where the engine failed").check()
    expect(page.locator("details.article:visible")).to_have_count(0)
    page.get_by_label("where the engine failed").uncheck()
    page.get_by_label("with missed items").uncheck()
    page.locator('a[href="#fixture-homs"]').click()
    expect(page.locator("details#fixture-homs")).to_have_attribute("open", "")
    page.locator("details#fixture-homs details").first.locator(
        "summary"
    ).click()  # a field's gold vs predicted
    mark = page.locator("details#fixture-homs .text mark:visible").first
    mark.click()  # a phone cannot hover to read a highlight's title: selecting it names its items
    expect(page.locator("details#fixture-homs .mark-status:visible")).to_have_text(
        f"Selected: {mark.get_attribute('title')}"
    )
    assert _sideways(page) <= 0, f"the report scrolls sideways at {width}px"
    assert not _boxes_scrolling_sideways(page), "on a phone each wide table is one block per row"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"eval-report-{width}.png"), full_page=True)
    assert not errors, errors
    page.context.close()
