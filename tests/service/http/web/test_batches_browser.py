"""The batch page in headless Chromium against the real app: upload, a bad line, progress, results."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from tests.browser import NEEDS_CHROMIUM, SCREENSHOTS, open_page
from tests.paths import REPO

playwright_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")
expect = playwright_api.expect

pytestmark = NEEDS_CHROMIUM

JOB_PAGE = re.compile(r"/batches/[0-9a-f]{32}$")


def _seed(name: str) -> str:
    return (REPO / "seeds" / f"{name}.txt").read_text(encoding="utf-8")


def _upload_with_a_bad_line(folder: Path) -> Path:
    path = folder / "articles.jsonl"
    lines = [
        json.dumps({"id": "aleppo", "text": _seed("aleppo-shelling-de-mistura-moscow")}, ensure_ascii=False),
        '{"id": "broken", "text": "no closing quote}',
        json.dumps({"id": "ghouta", "text": _seed("ghouta-bombing-resumes")}, ensure_ascii=False),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _no_sideways_scroll(page: Any, width: int) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"the batch page scrolls sideways by {overflow}px at {width}px"


@pytest.mark.parametrize("width", [1280, 390])
def test_an_upload_with_a_bad_line_runs_to_two_digests_and_one_problem(
    browser: Any, server: str, tmp_path: Path, width: int
) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    upload = _upload_with_a_bad_line(tmp_path)
    for page in open_page(browser, width):
        page.goto(f"{server}/")
        page.get_by_role("navigation", name="Site").get_by_role("link", name="Batch jobs").click()
        expect(page.get_by_role("heading", name="Batch jobs", exact=True)).to_be_visible()

        page.get_by_label("Files").set_input_files(upload)
        page.get_by_role("radio", name=re.compile(r"^Offline")).check()
        page.get_by_role("button", name="Start the job").click()
        refusal = page.locator("#batch-error")
        expect(refusal).to_be_focused()
        expect(refusal).to_contain_text("1 of 3 items cannot be digested: line 2: not valid JSON")
        expect(refusal).to_contain_text("Correct them and start again, or start the job without them.")
        page.screenshot(path=str(SCREENSHOTS / f"batches-refused-{width}.png"), full_page=True)
        _no_sideways_scroll(page, width)

        page.get_by_role("button", name=re.compile(r"^Start it anyway")).click()
        page.wait_for_url(JOB_PAGE)
        expect(page.locator("#job-state")).to_have_text(
            "Done: all 3 articles have a result (2 digests, 1 problem).", timeout=60_000
        )
        counts = {
            name: page.locator(f'#job-counts [data-count="{name}"]').inner_text()
            for name in ("total", "done", "failed")
        }
        assert counts == {"total": "3", "done": "3", "failed": "1"}
        expect(page.get_by_role("button", name="Cancel the job")).to_be_hidden()
        job_id = page.url.rsplit("/", 1)[1]
        expect(page.locator(f'#recent-list a[href="/batches/{job_id}"]')).to_have_attribute(
            "aria-current", "page"
        )
        expect(page.locator("#recent-list .listing").first).to_contain_text("Done: all 3 articles")
        page.screenshot(path=str(SCREENSHOTS / f"batches-done-{width}.png"), full_page=True)
        _no_sideways_scroll(page, width)

        results = page.get_by_role("link", name="Download the results (JSONL)")
        expect(results).to_have_attribute("download", f"batch-{job_id[:12]}.jsonl")
        downloaded = page.request.get(f"{server}{results.get_attribute('href')}")
        lines = [json.loads(line) for line in downloaded.text().splitlines()]
        assert [line["id"] for line in lines] == ["aleppo", "line-2", "ghouta"]
        assert [("digest" in line, "problem" in line) for line in lines] == [
            (True, False),
            (False, True),
            (True, False),
        ]
        assert lines[1]["problem"]["type"] == "/problems/invalid-item"
        assert lines[0]["digest"]["summary"]["headline_en"]


def test_mistakes_are_told_in_plain_sentences(page: Any, server: str, tmp_path: Path) -> None:
    page.goto(f"{server}/batches")
    page.get_by_role("button", name="Start the job").click()
    expect(page.locator("#batch-error")).to_contain_text(
        "Choose a JSONL file or .txt files, or paste JSON lines"
    )

    page.get_by_label("Or paste JSON lines").fill('{"text": ""}')
    page.get_by_label("Files").set_input_files(_upload_with_a_bad_line(tmp_path))
    page.get_by_role("button", name="Start the job").click()
    expect(page.locator("#batch-error")).to_contain_text("Choose files or paste lines, not both")


def test_an_unknown_job_says_so(browser: Any, server: str) -> None:
    for page in open_page(browser, 1280, expected_statuses=(404,)):
        page.goto(f"{server}/batches/{'0' * 32}")
        expect(page.locator("#job-state")).to_have_text(
            re.compile(r"^No batch job has this id on this server")
        )
        expect(page.get_by_role("link", name="Download the results (JSONL)")).to_be_hidden()


def test_text_files_become_one_article_each_named_by_file(page: Any, server: str, tmp_path: Path) -> None:
    names = ["ghouta-bombing-resumes", "aleppo-shelling-de-mistura-moscow"]
    files = [tmp_path / f"{name}.txt" for name in names]
    for name, path in zip(names, files, strict=True):
        path.write_text(_seed(name), encoding="utf-8")
    page.goto(f"{server}/batches")
    page.get_by_label("Files").set_input_files(files)
    page.get_by_role("radio", name=re.compile(r"^Offline")).check()
    page.get_by_role("button", name="Start the job").click()
    page.wait_for_url(JOB_PAGE)
    expect(page.locator("#job-state")).to_have_text(
        "Done: all 2 articles have a result (2 digests, 0 problems).", timeout=60_000
    )
    href = page.get_by_role("link", name="Download the results (JSONL)").get_attribute("href")
    ids = [json.loads(line)["id"] for line in page.request.get(f"{server}{href}").text().splitlines()]
    assert ids == [f"{name}.txt" for name in names]


def _bad_files(folder: Path) -> dict[str, Path]:
    files = {
        "a spreadsheet": folder / "articles.csv",
        "not UTF-8": folder / "latin1.jsonl",
        "an empty article": folder / "empty.txt",
        "a misspelt field": folder / "misspelt.jsonl",
    }
    files["a spreadsheet"].write_text("id,text\n1,نص\n", encoding="utf-8")
    files["not UTF-8"].write_bytes('{"text": "café"}\n'.encode("latin-1"))
    files["an empty article"].write_text("", encoding="utf-8")
    files["a misspelt field"].write_text('{"txt": "نص"}\n', encoding="utf-8")
    return files


@pytest.mark.parametrize(
    ("mistake", "told"),
    [
        ("a spreadsheet", "articles.csv is not a file this page reads: choose a .jsonl file"),
        ("not UTF-8", "latin1.jsonl is not UTF-8 text: save it as UTF-8 and choose it again."),
        ("an empty article", "1 of 1 item cannot be digested: item 0 (empty.txt): the text is empty."),
        (
            "a misspelt field",
            'line 1: no "text": each article needs its text, as in {"text": "..."}; unknown field "txt"',
        ),
    ],
)
def test_a_bad_file_is_told_by_name_with_what_to_fix(
    browser: Any, server: str, tmp_path: Path, mistake: str, told: str
) -> None:
    for page in open_page(browser, 390):
        page.goto(f"{server}/batches")
        page.get_by_label("Files").set_input_files(_bad_files(tmp_path)[mistake])
        page.get_by_role("button", name="Start the job").click()
        refusal = page.locator("#batch-error")
        expect(refusal).to_be_focused()
        expect(refusal).to_contain_text(told)
        for validator_words in ("Field required", "Extra inputs", "String should", "Expecting value"):
            expect(refusal).not_to_contain_text(validator_words)
        if mistake == "a misspelt field":
            page.screenshot(path=str(SCREENSHOTS / "batches-bad-file-390.png"), full_page=True)


def test_cancel_stops_a_running_job_and_keeps_what_was_made(
    browser: Any, server: str, tmp_path: Path
) -> None:
    article = _seed("aleppo-shelling-de-mistura-moscow")
    upload = tmp_path / "many.jsonl"
    lines = [json.dumps({"id": f"a{n}", "text": f"{article}\n{n}"}, ensure_ascii=False) for n in range(400)]
    upload.write_text("\n".join(lines) + "\n", encoding="utf-8")
    for page in open_page(browser, 390):
        page.goto(f"{server}/batches")
        page.get_by_label("Files").set_input_files(upload)
        page.get_by_role("radio", name=re.compile(r"^Offline")).check()
        page.get_by_role("button", name="Start the job").click()
        page.wait_for_url(JOB_PAGE)
        expect(page.locator("#job-state")).to_have_text(
            re.compile(r"^Running: [1-9]\d* of 400"), timeout=30_000
        )
        page.get_by_role("button", name="Cancel the job").click()
        state = page.locator("#job-state")
        expect(state).to_have_text(
            re.compile(r"^Cancelled after \d+ of 400 articles: the results made so far stay")
        )
        expect(page.get_by_role("button", name="Cancel the job")).to_be_hidden()
        cancelled_after = int(re.search(r"after (\d+) of", state.inner_text()).group(1))  # type: ignore[union-attr]
        assert cancelled_after < 400
        page.screenshot(path=str(SCREENSHOTS / "batches-cancelled-390.png"), full_page=True)
        page.reload()
        expect(page.locator("#job-state")).to_have_text(re.compile(r"^Cancelled after \d+ of 400"))
        href = page.get_by_role("link", name="Download the results (JSONL)").get_attribute("href")
        kept = page.request.get(f"{server}{href}").text().splitlines()
        assert len(kept) >= cancelled_after and all('"digest"' in line for line in kept)
