"""The runner end to end: replayed LLM answers through the real Digester, scored against gold labels."""

from __future__ import annotations

import json
import re
from pathlib import Path

import httpx2
import pytest

from evals.cli import main as eval_main
from evals.cli import summary_table
from evals.errors import EvalError
from evals.gold import GOLD_DIR, GoldKind, load_gold
from evals.records import FIELDS, FieldName, RunRecord
from evals.report import render_markdown
from evals.run_files import load_run, save_run
from evals.runner import RunOptions, evaluate
from schemas.digest import Engine, Metric
from schemas.llm_output import LLMDigest
from service.engines.llm.client import LLMClient
from service.settings import Settings
from tests.evals.gold_fixture import DOUMA_ARTICLE, write_gold_set
from tests.evals.perfect_llm import answering, perfect_output, perfect_replies
from tests.llm_replay import ReplayLLM, completion, task_of
from tests.paths import REPO

TASK_KEYS = {"actors_events": ("actors", "events"), "figures": ("figures",), "quotes": ("quotes",)}

REAL_GOLD = sorted(GOLD_DIR.glob("*.json"))


@pytest.fixture
def gold_dir(tmp_path: Path) -> Path:
    return write_gold_set(tmp_path / "fixture")


async def run_replayed(
    settings: Settings, replay: ReplayLLM, gold_dir: Path, refresh: bool = False
) -> RunRecord:
    client = LLMClient(settings, http_client=replay.http_client())
    return await evaluate(settings, RunOptions(Engine.llm, gold_dir, refresh=refresh), llm_client=client)


def assert_all_fields_perfect(record: RunRecord) -> None:
    for name in FIELDS:
        score = record.metrics.fields[name]
        assert (score.precision, score.recall, score.f1) == (1.0, 1.0, 1.0), (name, score)


# --------------------------------------------------------------------------- the perfect LLM


async def test_perfect_llm_scores_one_on_every_field(llm_settings, gold_dir):
    record = await run_replayed(llm_settings, ReplayLLM([perfect_replies(load_gold(gold_dir))]), gold_dir)

    assert_all_fields_perfect(record)
    assert record.metrics.grounding_rate == 1.0
    assert record.metrics.schema_validity_rate == 1.0
    assert record.metrics.casualty_accuracy == 1.0
    assert record.metrics.tokens_total == 2 * 4 * 1500  # the replayed usage of four calls per article
    assert record.config.engine == "llm" and record.config.model == "replay-model"
    assert record.config.prompt_version is not None and record.config.prompt_version.startswith("sha256:")


@pytest.mark.skipif(not REAL_GOLD, reason="no gold files in evals/gold yet")
async def test_perfect_llm_on_the_gold_set_scores_one_everywhere(llm_settings):
    record = await run_replayed(llm_settings, ReplayLLM([perfect_replies(load_gold())]), GOLD_DIR)
    for name, field in record.metrics.fields.items():
        assert field.f1 == 1.0, (name, field)
    assert record.metrics.grounding_rate == 1.0 and record.metrics.schema_validity_rate == 1.0
    assert record.metrics.casualty_accuracy == 1.0


# --------------------------------------------------------------------------- a known mistake, scored by hand


def with_mistakes(output: LLMDigest) -> LLMDigest:
    """The Douma answer without the quote q2 and with f1 read wrong: 30 killed instead of 12."""
    wrong = output.figures[0].model_copy(update={"phrase_ar": "12 مدنيا قتلوا وأصيب 30", "value": 30})
    assert wrong.metric is Metric.killed and wrong.phrase_ar in DOUMA_ARTICLE
    return output.model_copy(update={"quotes": output.quotes[:1], "figures": [wrong, *output.figures[1:]]})


async def run_with_douma_mistakes(settings: Settings, gold_dir: Path) -> RunRecord:
    """A replayed run whose Douma answer has `with_mistakes` and whose Homs answer is perfect."""
    gold = {article.id: article for article in load_gold(gold_dir)}
    douma, homs = gold["fixture-douma"], gold["fixture-homs"]
    replies = answering(
        {
            douma.article_text(): with_mistakes(perfect_output(douma)),
            homs.article_text(): perfect_output(homs),
        }
    )
    return await run_replayed(settings, ReplayLLM([replies]), gold_dir)


async def test_one_missing_quote_and_one_wrong_figure_score_what_hand_calculation_says(
    llm_settings, gold_dir
):
    record = await run_with_douma_mistakes(llm_settings, gold_dir)
    fields = record.metrics.fields

    # Gold: Douma has 3 figures and 2 quotes, Homs 1 figure and 1 quote.
    # figures: the wrong one («12 مدنيا قتلوا وأصيب 30» = 30 killed) matches neither f1 (killed 12: wrong
    #   value) nor f2 (injured 30: wrong metric), so it is spurious and f1 is missed.
    #   matched = 2 (Douma) + 1 (Homs) = 3, predicted = 3 + 1 = 4, gold = 3 + 1 = 4
    #   P = 3/4, R = 3/4, F1 = 3/4
    assert (fields[FieldName.figures].true_positives, fields[FieldName.figures].predicted) == (3, 4)
    assert fields[FieldName.figures].precision == pytest.approx(3 / 4)
    assert fields[FieldName.figures].recall == pytest.approx(3 / 4)
    assert fields[FieldName.figures].f1 == pytest.approx(3 / 4)
    # quotes: q2 of Douma is missing. matched = 1 + 1 = 2, predicted = 2, gold = 2 + 1 = 3
    #   P = 2/2 = 1, R = 2/3, F1 = 2·1·(2/3) / (1 + 2/3) = (4/3)/(5/3) = 4/5
    assert fields[FieldName.quotes].precision == 1.0
    assert fields[FieldName.quotes].recall == pytest.approx(2 / 3)
    assert fields[FieldName.quotes].f1 == pytest.approx(4 / 5)
    # actors and events are untouched
    assert fields[FieldName.actors].f1 == 1.0 and fields[FieldName.events].f1 == 1.0
    # per article: Douma figures P = R = F1 = 2/3, quotes P = 1, R = 1/2, F1 = 2/3; Homs perfect
    article = record.article("fixture-douma")
    assert article is not None
    assert article.metrics.fields[FieldName.figures].f1 == pytest.approx(2 / 3)
    assert article.metrics.fields[FieldName.quotes].f1 == pytest.approx(2 / 3)
    assert [item.id for item in article.matches[FieldName.figures].missed] == ["f1"]
    assert [item.id for item in article.matches[FieldName.quotes].missed] == ["q2"]
    # casualties, Douma: killed is now 15 (f3) and 30 (the wrong figure): low 15 ≠ 12, best 15 ≠ 12,
    # high 30 ≠ 15 → 0 of 3; injured 30/30/30 → 3 of 3. Homs: 3 of 3. Accuracy = (0 + 3 + 3) / 9 = 2/3
    assert record.metrics.casualty_accuracy == pytest.approx(2 / 3)


async def test_scores_are_also_reported_for_each_kind_of_article_apart(llm_settings, gold_dir, tmp_path):
    homs_file = gold_dir / "fixture-homs.json"
    homs_as_real = load_gold(gold_dir)[1].model_copy(update={"synthetic": False, "kind": GoldKind.real})
    homs_file.write_text(homs_as_real.model_dump_json(), encoding="utf-8")
    record = await run_with_douma_mistakes(llm_settings, gold_dir)

    assert list(record.metrics_by_kind) == ["challenge", "real"]
    challenge, real = record.metrics_by_kind["challenge"], record.metrics_by_kind["real"]
    assert (challenge.articles, real.articles) == (1, 1)
    # Douma alone: figures 2 of 3 matched, quotes 1 of 2; Homs alone is perfect
    assert challenge.fields[FieldName.figures].f1 == pytest.approx(2 / 3)
    assert challenge.fields[FieldName.quotes].recall == pytest.approx(1 / 2)
    assert all(real.fields[name].f1 == 1.0 for name in FIELDS)
    assert record.metrics.fields[FieldName.figures].f1 == pytest.approx(3 / 4)  # the whole set, as before
    assert [article.kind for article in record.articles] == ["challenge", "real"]

    save_run(record, tmp_path / "run")
    report = (tmp_path / "run" / "report.md").read_text(encoding="utf-8")
    assert "## Scores by kind of article" in report
    assert "| figures | 0.667 / 0.667 / 0.667 | 1.000 / 1.000 / 1.000 |" in report
    assert "by kind of article" in summary_table(record)
    html = (tmp_path / "run" / "report.html").read_text(encoding="utf-8")
    assert "<h2>Scores by kind of article</h2>" in html and "0.667 / 0.667 / 0.667" in html


# --------------------------------------------------------------------------- cache, failures, the command


async def test_a_rerun_reuses_cached_llm_answers_unless_refreshed(llm_settings, gold_dir):
    replay = ReplayLLM([perfect_replies(load_gold(gold_dir))])
    await run_replayed(llm_settings, replay, gold_dir)
    assert replay.calls == 2 * 4  # two articles, four calls each

    again = await run_replayed(llm_settings, replay, gold_dir)
    assert replay.calls == 2 * 4  # nothing asked: both digests came from the cache
    assert all(article.metrics.cached for article in again.articles)
    assert_all_fields_perfect(again)

    await run_replayed(llm_settings, replay, gold_dir, refresh=True)
    assert replay.calls == 4 * 4


async def test_an_article_the_engine_fails_on_is_recorded_and_scored_as_all_missed(llm_settings, gold_dir):
    douma, homs = load_gold(gold_dir)
    replies = answering(
        {homs.article_text(): perfect_output(homs), douma.article_text(): {"headline_en": "and nothing else"}}
    )
    record = await run_replayed(llm_settings, ReplayLLM([replies]), gold_dir)

    failed = record.article("fixture-douma")
    assert failed is not None and failed.error is not None and failed.digest is None
    assert record.metrics.failed_articles == 1
    assert record.metrics.schema_validity_rate == 0.5
    assert failed.metrics.fields[FieldName.quotes].recall == 0.0


async def test_a_run_in_which_the_llm_found_nothing_scores_zero_and_lists_the_failures(
    llm_settings, gold_dir
):
    nothing = {"actors": [], "events": [], "figures": [], "quotes": []}
    replay = ReplayLLM(
        [
            lambda request: completion(
                {key: value for key, value in nothing.items() if key in TASK_KEYS[task_of(request)]}
            )
        ]
    )
    record = await run_replayed(llm_settings, replay, gold_dir)

    assert record.metrics.failed_articles == 2
    for name in FIELDS:
        score = record.metrics.fields[name]
        assert (score.precision, score.recall, score.f1) == (0.0, 0.0, 0.0), name
    assert record.metrics.grounding_rate == 0.0
    assert all("nothing that could be grounded" in (article.error or "") for article in record.articles)
    report = render_markdown(record)
    assert "## Failed articles" in report and "fixture-douma" in report.split("## Per article")[0]


async def test_the_report_of_an_llm_run_says_what_each_digest_cost_and_whether_it_is_usable(
    llm_settings, gold_dir
):
    douma, homs = load_gold(gold_dir)
    replies = answering(
        {homs.article_text(): perfect_output(homs), douma.article_text(): {"headline_en": "and nothing else"}}
    )
    record = await run_replayed(llm_settings, ReplayLLM([replies]), gold_dir)

    table = render_markdown(record).split("### LLM calls")[1].split("###")[0]
    rows = {
        line.split("|")[1].strip(): line.split("|")[2:-1] for line in table.splitlines() if "fixture-" in line
    }
    assert rows["fixture-douma"][0].strip() == "no (failed)"
    usable, _time, calls, reasks, prompt_tokens, output_tokens, *_ = (
        cell.strip() for cell in rows["fixture-homs"]
    )
    assert usable == "yes"
    assert (calls, reasks) == ("4", "0")
    assert int(prompt_tokens) > 0 and int(output_tokens) > 0
    offline = await evaluate(llm_settings, RunOptions(Engine.offline, gold_dir))
    assert "### LLM calls" not in render_markdown(offline)


async def test_the_report_of_an_llm_run_lists_the_tasks_that_failed_in_each_digest(llm_settings, gold_dir):
    douma, homs = load_gold(gold_dir)
    perfect = answering({gold.article_text(): perfect_output(gold) for gold in (douma, homs)})

    def figures_fail_for_homs(request: httpx2.Request) -> httpx2.Response:
        if task_of(request) == "figures" and homs.article_text() in request.content.decode():
            return completion("no JSON here")
        return perfect(request)

    record = await run_replayed(llm_settings, ReplayLLM([figures_fail_for_homs]), gold_dir)

    table = render_markdown(record).split("### LLM calls")[1].split("###")[0]
    cells = [[cell.strip() for cell in line.split("|")[1:-1]] for line in table.splitlines() if "|" in line]
    header = cells[0]
    rows = {row[0]: dict(zip(header, row, strict=True)) for row in cells if row and "fixture-" in row[0]}
    assert rows["fixture-homs"]["failed tasks"] == "figures"
    assert rows["fixture-homs"]["usable"].startswith("no: no figures")
    assert "llm_part_failed" in rows["fixture-homs"]["warnings"]
    assert rows["fixture-douma"]["failed tasks"] == "—" and rows["fixture-douma"]["usable"] == "yes"


async def test_the_llm_engine_without_an_endpoint_is_refused_with_what_to_do(offline_settings, gold_dir):
    with pytest.raises(EvalError, match="DIGEST_LLM_BASE_URL"):
        await evaluate(offline_settings, RunOptions(Engine.llm, gold_dir))


async def test_an_empty_gold_directory_is_refused(offline_settings, tmp_path):
    with pytest.raises(EvalError, match="no gold files"):
        await evaluate(offline_settings, RunOptions(Engine.offline, tmp_path))


def test_run_command_saves_json_markdown_and_self_contained_html(gold_dir, tmp_path, capsys):
    out = tmp_path / "run"
    assert eval_main(["run", "--engine", "offline", "--gold", str(gold_dir), "--out", str(out)]) == 0

    captured = capsys.readouterr()
    progress = [line for line in captured.err.splitlines() if line.startswith("[")]
    # articles run concurrently: progress lines come in the order they finish
    assert sorted(line.split(":")[0].split("] ")[1] for line in progress) == ["fixture-douma", "fixture-homs"]
    assert sorted(line.split("]")[0] for line in progress) == ["[1/2", "[2/2"]
    assert "figures" in captured.out and str(out / "run.json") in captured.out

    record = load_run(out)
    assert record.config.engine == "offline" and record.config.gold_articles == [
        "fixture-douma",
        "fixture-homs",
    ]
    assert json.loads((out / "run.json").read_text(encoding="utf-8"))["format"] == "digest-eval-run/1"
    assert "| figures |" in (out / "report.md").read_text(encoding="utf-8")

    html = (out / "report.html").read_text(encoding="utf-8")
    assert '<div class="text" dir="rtl" lang="ar">' in html
    assert re.search(r'<mark class="gold-(matched|missed)', html)
    assert "<style>" in html and not re.search(r'(src|href)="(https?:)?//', html)  # no external assets
    assert "الوضع كارثي ولا مستشفيات تعمل" in html


def test_prompt_and_model_options_belong_to_the_llm_engine(gold_dir, capsys):
    assert eval_main(["run", "--engine", "offline", "--model", "x", "--gold", str(gold_dir)]) == 1
    assert "--engine llm" in capsys.readouterr().err


CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = REPO / "test-output" / "screenshots"


@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not at /usr/bin/chromium")
def test_the_html_report_shows_arabic_right_to_left_with_highlighted_spans_in_chromium(gold_dir, tmp_path):
    playwright_api = pytest.importorskip(
        "playwright.sync_api", reason="the playwright package is not installed"
    )
    out = tmp_path / "run"
    assert eval_main(["run", "--engine", "offline", "--gold", str(gold_dir), "--out", str(out)]) == 0

    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=["--headless", "--no-sandbox"]
        )
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto((out / "report.html").as_uri())
            page.locator("#fixture-douma > summary").click()  # each article is collapsed at first
            article = page.locator("#fixture-douma details[open] div.text").first
            article.scroll_into_view_if_needed()
            style = "(element, name) => getComputedStyle(element).getPropertyValue(name)"
            assert article.evaluate(style, "direction") == "rtl"
            assert page.locator("#fixture-douma td[lang=ar]").first.evaluate(style, "direction") == "rtl"
            gold = page.locator("#fixture-douma details[open] mark.gold-matched").first
            predicted = page.locator("#fixture-douma details[open] mark.predicted-matched").first
            assert gold.is_visible() and gold.evaluate(style, "border-bottom-style") == "solid"
            assert (
                predicted.is_visible() and predicted.evaluate(style, "background-color") != "rgba(0, 0, 0, 0)"
            )
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SCREENSHOTS / "eval-report-article.png"))
        finally:
            browser.close()
