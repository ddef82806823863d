"""The editor's pages in headless Chromium (Debian's, driven by Playwright) against the real app.

One uvicorn server (offline engine, no LLM, a temporary cache) and one browser for the module
(`conftest.py`). Screenshots go to test-output/screenshots/ (not committed).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from schemas.request import MAX_TITLE_CHARS
from service.http.web.page import LONG_ARTICLE_CHARS
from tests.browser import NEEDS_CHROMIUM, SCREENSHOTS, open_page
from tests.paths import REPO

playwright_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")
Browser = playwright_api.Browser
Page = playwright_api.Page
expect = playwright_api.expect

SEEDS = sorted((REPO / "seeds").glob("*.txt"))
SCREENSHOT_SEEDS = ("ghouta-80-killed-40000-leave", "aleppo-shelling-de-mistura-moscow")
SpanKey = tuple[str, str, int, int]

pytestmark = NEEDS_CHROMIUM


@pytest.mark.parametrize("seed", SEEDS, ids=[seed.stem for seed in SEEDS])
def test_a_seed_article_is_digested_shown_and_highlighted_faithfully(
    page: Any, server: str, seed: Path
) -> None:
    text = seed.read_text(encoding="utf-8")
    digest = _digest_through_the_form(page, server, text)

    expect(page.locator("h1#headline")).to_have_text(digest["summary"]["headline_en"])
    assert digest["figures"], f"the offline engine found no figure in {seed.name}"
    for figure in digest["figures"]:
        entry = page.locator(f"#item-figure-{figure['id']}")
        expect(entry).to_be_visible()
        if figure["qualifier"] == "vague":  # a vague quantity is words ("dozens"), never a derived number
            expect(entry.locator(".figure-value")).not_to_have_text(re.compile(r"\d"))
        else:
            expect(entry.locator(".figure-value")).to_contain_text(f"{figure['value']:,}")
    expect(page.locator(".casualty")).to_have_count(len(digest["casualties"]))

    assert page.locator("#article-text").text_content() == text
    assert _drawn_spans(page) == _item_spans(digest, text)

    assert digest["quotes"], f"the offline engine found no quote in {seed.name}"
    for quote in digest["quotes"]:
        _check_a_quote_click_emphasises_its_arabic_span(page, quote)


@pytest.mark.parametrize("seed", SCREENSHOT_SEEDS)
def test_the_casualty_table_shows_each_incident_apart_without_false_disagreement(
    page: Any, server: str, seed: str
) -> None:
    digest = _digest_through_the_form(
        page, server, (REPO / "seeds" / f"{seed}.txt").read_text(encoding="utf-8")
    )
    incidents = list(dict.fromkeys(c["event_id"] or "" for c in digest["casualties"]))
    killed = [(c["event_id"], c["scope"]) for c in digest["casualties"] if c["metric"] == "killed"]
    # Aleppo: a hospital hit and a neighbourhood's shelling; Ghouta-80: yesterday's toll and the month's
    assert len(set(killed)) >= 2, f"{seed}: the killed claims are of two incidents or scopes"

    expect(page.locator(".casualties .incident")).to_have_count(len(incidents))
    for casualty in digest["casualties"]:
        incident = page.locator(f'.casualties .incident[data-incident="{casualty["event_id"] or ""}"]')
        toll = f'.casualty[data-casualty="{casualty["metric"]}"][data-scope="{casualty["scope"]}"]'
        expect(incident.locator(toll).first).to_be_visible()
    expect(page.locator(".casualties .badge-conflict")).to_have_count(0)
    tables = page.locator(".casualties").inner_text()
    for derived in ("2,501", "40,001", "401"):  # bounds derived from "more than ...", never shown as claims
        assert derived not in tables


def test_selecting_a_highlight_shows_its_item_and_keyboard_works(page: Any, server: str) -> None:
    text = (REPO / "seeds" / f"{SCREENSHOT_SEEDS[0]}.txt").read_text(encoding="utf-8")
    digest = _digest_through_the_form(page, server, text)
    figure = digest["figures"][0]

    page.locator(f'#article-text mark[data-kind="figure"][data-item="{figure["id"]}"]').first.click()
    entry = page.locator(f"#item-figure-{figure['id']}")
    expect(entry).to_have_class(re.compile(r"\bis-selected\b"))
    expect(entry.locator("[data-select]")).to_be_focused()
    expect(entry.locator("[data-select]")).to_have_attribute("aria-pressed", "true")
    expect(entry).to_be_in_viewport()

    page.keyboard.press("Escape")
    expect(page.locator("#article-text mark.is-active")).to_have_count(0)
    actor = digest["actors"][0]
    page.locator(f"#item-actor-{actor['id']} [data-select]").focus()
    page.keyboard.press("Enter")
    marks = page.locator(f'#article-text mark[data-kind="actor"][data-item="{actor["id"]}"]')
    expect(marks.first).to_have_class(re.compile(r"\bis-active\b"))
    expect(marks.first).to_be_in_viewport()


def test_an_empty_submission_shows_an_error_and_keeps_the_other_fields(page: Any, server: str) -> None:
    page.goto(f"{server}/")
    page.get_by_label("Title").fill("الغوطة الشرقية: عنوان")
    page.get_by_label("Source").fill("Al Jazeera")
    page.get_by_label("Publication date").fill("2018-02-25")
    page.get_by_role("radio", name=re.compile(r"^Offline")).check()
    page.get_by_role("button", name="Digest the article").click()

    summary = page.locator("#error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("The article text is empty")
    expect(summary).to_be_focused()
    expect(page.get_by_label("Title")).to_have_value("الغوطة الشرقية: عنوان")
    expect(page.get_by_label("Source")).to_have_value("Al Jazeera")
    expect(page.get_by_label("Publication date")).to_have_value("2018-02-25")
    expect(page.get_by_role("radio", name=re.compile(r"^Offline"))).to_be_checked()
    expect(page.locator("#field-text")).to_have_attribute("aria-invalid", "true")


@pytest.mark.parametrize("width", [1280, 390])
def test_digest_page_screenshots_and_layout(browser: Any, server: str, width: int) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for page in open_page(browser, width):
        for name in SCREENSHOT_SEEDS:
            _digest_through_the_form(
                page, server, (REPO / "seeds" / f"{name}.txt").read_text(encoding="utf-8")
            )
            page.screenshot(path=str(SCREENSHOTS / f"{name}-{width}.png"), full_page=True)
            overflow = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert overflow <= 0, f"the page scrolls sideways by {overflow}px at {width}px"
            lists = page.locator(".digest-lists").bounding_box()
            article = page.locator(".article-pane").bounding_box()
            assert lists is not None and article is not None
            if width >= 1280:
                assert article["x"] > lists["x"] + lists["width"] - 1, "the article sits beside the lists"
            else:
                assert article["y"] >= lists["y"] + lists["height"] - 1, (
                    "the columns stack on a narrow screen"
                )


def _digest_through_the_form(page: Any, server: str, text: str) -> dict[str, Any]:
    page.goto(f"{server}/")
    page.get_by_label("Article text").fill(text)
    page.get_by_role("radio", name=re.compile(r"^Offline")).check()
    page.get_by_role("button", name="Digest the article").click()
    page.wait_for_url(re.compile(r"/d/[0-9a-f]{64}$"))
    href = page.get_by_role("link", name="Download JSON").get_attribute("href")
    response = page.request.get(f"{server}{href}")
    assert response.ok and "attachment" in response.headers["content-disposition"]
    digest: dict[str, Any] = response.json()
    return digest


def _drawn_spans(page: Any) -> dict[SpanKey, str]:
    """Each highlighted span's text as the browser shows it, its fragments joined in order."""
    marks = page.eval_on_selector_all(
        "#article-text mark",
        "marks => marks.map(m => [m.dataset.kind, m.dataset.item, +m.dataset.start, +m.dataset.end, "
        "m.textContent])",
    )
    drawn: dict[SpanKey, str] = {}
    for kind, item, start, end, fragment in marks:
        drawn[(kind, item, start, end)] = drawn.get((kind, item, start, end), "") + fragment
    return drawn


def _item_spans(digest: dict[str, Any], text: str) -> dict[SpanKey, str]:
    """Every span of every item in the digest JSON, which must be exactly the article's characters."""
    spans: list[tuple[str, str, dict[str, Any]]] = [
        *(("figure", f["id"], f["span"]) for f in digest["figures"]),
        *(("quote", q["id"], q["span"]) for q in digest["quotes"]),
        *(("actor", a["id"], span) for a in digest["actors"] for span in a["mentions"]),
        *(("event", e["id"], span) for e in digest["events"] for span in e["evidence"]),
    ]
    expected = {
        (kind, item, s["start"], s["end"]): s["text"] for kind, item, s in spans if s["end"] > s["start"]
    }
    assert all(text[start:end] == span_text for (_, _, start, end), span_text in expected.items())
    return expected


def _check_a_quote_click_emphasises_its_arabic_span(page: Any, quote: dict[str, Any]) -> None:
    page.evaluate("window.scrollTo(0, 0)")
    page.locator(f"#item-quote-{quote['id']} [data-select]").click()
    marks = page.locator(f'#article-text mark[data-kind="quote"][data-item="{quote["id"]}"]')
    expect(marks.first).to_have_class(re.compile(r"\bis-active\b"))
    expect(marks.first).to_have_attribute("aria-current", "true")
    expect(marks.first).to_be_in_viewport()
    assert "".join(marks.all_text_contents()) == quote["span"]["text"]
    expect(page.locator("#article-text mark.is-active")).to_have_count(marks.count())


def _seed_text(name: str = SCREENSHOT_SEEDS[1]) -> str:
    return (REPO / "seeds" / f"{name}.txt").read_text(encoding="utf-8")


def _background(locator: Any) -> str:
    return str(locator.evaluate("element => getComputedStyle(element).backgroundColor"))


def test_the_legend_switches_layers_with_figures_and_quotes_on_at_first(page: Any, server: str) -> None:
    digest = _digest_through_the_form(page, server, _seed_text())
    actor_mark = page.locator(
        f'#article-text mark[data-kind="actor"][data-item="{digest["actors"][0]["id"]}"]'
    ).first
    figure_mark = page.locator(
        f'#article-text mark[data-kind="figure"][data-item="{digest["figures"][0]["id"]}"]'
    ).first
    transparent = "rgba(0, 0, 0, 0)"
    expect(page.get_by_role("checkbox", name=re.compile(r"^Figures"))).to_be_checked()
    expect(page.get_by_role("checkbox", name=re.compile(r"^Quotes"))).to_be_checked()
    expect(page.get_by_role("checkbox", name=re.compile(r"^Actor mentions"))).not_to_be_checked()
    expect(page.get_by_role("checkbox", name=re.compile(r"^Event evidence"))).not_to_be_checked()
    assert _background(actor_mark) == transparent and _background(figure_mark) != transparent

    page.get_by_role("checkbox", name=re.compile(r"^Actor mentions")).check()
    page.get_by_role("checkbox", name=re.compile(r"^Figures")).uncheck()
    assert _background(actor_mark) != transparent and _background(figure_mark) == transparent
    assert actor_mark.get_attribute("tabindex") == "0" and figure_mark.get_attribute("tabindex") == "-1"


def test_next_and_previous_step_through_the_items_by_button_and_key(page: Any, server: str) -> None:
    digest = _digest_through_the_form(page, server, _seed_text())
    first, second = digest["figures"][0], digest["figures"][1]
    items = page.locator(".digest-lists .item.selectable")

    page.keyboard.press("j")
    expect(items.first).to_have_class(re.compile(r"\bis-selected\b"))
    expect(
        page.locator(f'#article-text mark[data-item="{first["id"]}"][data-kind="figure"]').first
    ).to_have_class(re.compile(r"\bis-active\b"))
    page.get_by_role("button", name="Next item →").click()
    expect(items.nth(1)).to_have_class(re.compile(r"\bis-selected\b"))
    expect(items.nth(1)).to_have_attribute("data-select-item", second["id"])
    expect(items.nth(1)).to_be_in_viewport()
    expect(page.locator("[data-step-status]")).to_have_text(f"Item 2 of {items.count()}")
    page.keyboard.press("k")
    expect(items.first).to_have_class(re.compile(r"\bis-selected\b"))
    expect(page.locator(".item.is-selected")).to_have_count(1)
    page.keyboard.press("k")  # from the first item, previous wraps to the last
    expect(items.last).to_have_class(re.compile(r"\bis-selected\b"))


def test_the_selection_colour_is_not_the_conflict_colour(page: Any, server: str) -> None:
    _digest_through_the_form(page, server, _seed_text())
    page.keyboard.press("j")
    selected = page.locator(".item.is-selected").evaluate("e => getComputedStyle(e).outlineColor")
    danger = page.evaluate("getComputedStyle(document.documentElement).getPropertyValue('--danger').trim()")
    assert selected != "rgb(164, 22, 26)" and danger == "#a4161a"


def test_the_lists_speak_plain_english_without_internal_ids(page: Any, server: str) -> None:
    _digest_through_the_form(page, server, _seed_text())
    lists = "\n".join(
        page.locator(f"section.{name}").inner_text() for name in ("figures", "events", "quotes", "actors")
    )
    assert not re.search(r"\b[faeq]\d+\b", lists), re.findall(r".{30}\b[faeq]\d+\b.{10}", lists)
    assert "Aleppo (Aleppo)" not in lists
    for fact in page.locator(".events dd, .figures dd").all_inner_texts():
        if re.search("[\u0600-\u06ff]", fact):
            assert "not translated" in fact or "(from" in fact, fact


def test_on_a_phone_show_in_article_offers_a_sticky_way_back(browser: Any, server: str) -> None:
    for page in open_page(browser, 390):
        digest = _digest_through_the_form(page, server, _seed_text())
        quote = digest["quotes"][-1]
        entry = page.locator(f"#item-quote-{quote['id']}")
        entry.locator("[data-select]").click()
        back = page.locator("[data-back-to-item]")
        expect(back).to_be_visible()
        expect(entry).not_to_be_in_viewport()
        expect(back).to_be_in_viewport()
        back.click()
        expect(entry).to_be_in_viewport()
        expect(back).to_be_hidden()


def test_an_english_article_with_a_long_unbroken_title_fits_a_phone(browser: Any, server: str) -> None:
    for page in open_page(browser, 390):
        page.goto(f"{server}/")
        page.get_by_label("Article text").fill(
            "Twelve civilians were killed on Monday in shelling on Douma, the Observatory said. " * 3
        )
        page.get_by_label("Title").fill("x" * 300)
        page.get_by_role("radio", name=re.compile(r"^Offline")).check()
        page.get_by_role("button", name="Digest the article").click()
        page.wait_for_url(re.compile(r"/d/[0-9a-f]{64}$"))
        expect(page.locator("#article-text")).to_have_attribute("dir", "auto")
        assert page.locator("#article-text").evaluate("e => getComputedStyle(e).direction") == "ltr"
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"the page scrolls sideways by {overflow}px"


def test_the_title_field_states_its_limit_and_a_longer_title_is_refused_in_words(
    page: Any, server: str
) -> None:
    page.goto(f"{server}/")
    expect(page.locator("#hint-title")).to_contain_text(f"at most {MAX_TITLE_CHARS:,} characters")
    page.get_by_label("Article text").fill(_seed_text())
    page.get_by_label("Title").fill("x" * (MAX_TITLE_CHARS + 1))
    page.get_by_role("radio", name=re.compile(r"^Offline")).check()
    page.get_by_role("button", name="Digest the article").click()
    expect(page.locator("#error-summary")).to_contain_text(f"longer than {MAX_TITLE_CHARS:,} characters")
    expect(page.get_by_label("Title")).to_have_value("x" * (MAX_TITLE_CHARS + 1))


def test_a_long_article_gets_a_notice(page: Any, server: str) -> None:
    long_text = "\n\n".join(_seed_text(seed.stem) for seed in SEEDS)
    assert len(long_text) > LONG_ARTICLE_CHARS
    _digest_through_the_form(page, server, long_text)
    expect(page.locator(".notice-long")).to_contain_text(f"A long article: {len(long_text):,} characters")


@pytest.mark.parametrize("width", [1280, 390])
def test_the_digest_list_links_to_each_digest_and_searches(browser: Any, server: str, width: int) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for page in open_page(browser, width):
        for name in SCREENSHOT_SEEDS:
            _digest_through_the_form(page, server, _seed_text(name))
        page.get_by_role("link", name="Recent digests").click()
        expect(page.get_by_role("heading", name="Recent digests")).to_be_visible()
        listings = page.locator(".listing")
        assert listings.count() >= len(SCREENSHOT_SEEDS)
        page.screenshot(path=str(SCREENSHOTS / f"digests-{width}.png"), full_page=True)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"the list scrolls sideways by {overflow}px at {width}px"
        headline = listings.first.locator(".listing-headline").inner_text()
        page.get_by_label("Search titles, sources and headlines").fill(headline.split()[0])
        page.get_by_role("button", name="Search").click()
        expect(page.locator(".listing").first).to_contain_text(headline)
        page.locator(".listing-headline").first.click()
        expect(page.locator("h1#headline")).to_have_text(headline)


def test_feedback_on_an_item_is_saved_and_shown_after_the_reload(page: Any, server: str) -> None:
    digest = _digest_through_the_form(page, server, _seed_text())
    figure = digest["figures"][0]
    entry = page.locator(f"#item-figure-{figure['id']}")
    entry.locator(".feedback summary").click()
    expect(page.locator("#article-text mark.is-active")).to_have_count(0)  # opening feedback selects nothing
    entry.get_by_label("Wrong").check()
    entry.get_by_label("Note").fill("this counts the injured")
    entry.get_by_role("button", name="Save feedback").click()
    page.wait_for_url(re.compile(rf"/d/[0-9a-f]{{64}}#item-figure-{figure['id']}$"))
    saved = page.locator(f"#item-figure-{figure['id']} .feedback")
    expect(saved.locator("summary")).to_contain_text("Feedback: marked wrong")
    saved.locator("summary").click()
    expect(saved.get_by_label("Wrong")).to_be_checked()
    expect(saved.get_by_label("Note")).to_have_value("this counts the injured")


@pytest.mark.parametrize("path", ["/", "/digests", "/batches", "digest"])
def test_on_a_phone_each_page_keeps_a_margin_below_the_header_and_at_the_sides(
    browser: Any, server: str, path: str
) -> None:
    """The page's own padding (main's, once overridden by the side padding's shorthand) at 390 px."""
    for page in open_page(browser, 390):
        if path == "digest":
            _digest_through_the_form(page, server, _seed_text())
        else:
            page.goto(f"{server}{path}")
        header = page.locator(".site-header").bounding_box()
        heading = page.locator("main h1").first.bounding_box()
        assert heading["y"] - (header["y"] + header["height"]) >= 12, "the heading touches the header"
        for block in page.locator("main > *:visible").all():
            box = block.bounding_box()
            assert box["x"] >= 10 and box["x"] + box["width"] <= 380, (
                block.evaluate("e => e.outerHTML")[:80],
                box,
            )
