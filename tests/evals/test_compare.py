"""`digest eval compare`: side by side, flipped items, and a non-zero exit on a regression."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

import service.runtime.workers
from evals.cli import main as eval_main
from evals.gate import GatedScores, regressions
from evals.records import FieldName
from evals.run_files import load_run
from schemas.digest import Digest
from schemas.request import DigestRequest
from tests.evals.gold_fixture import write_gold_set


@pytest.fixture
def gold_dir(tmp_path: Path) -> Path:
    return write_gold_set(tmp_path / "fixture")


def run_offline(gold_dir: Path, out: Path) -> Path:
    assert eval_main(["run", "--engine", "offline", "--gold", str(gold_dir), "--out", str(out)]) == 0
    return out


def quoteless(engine: Callable[[DigestRequest], Digest]) -> Callable[[DigestRequest], Digest]:
    """A deliberately weakened engine: the given one with every quote removed from its digests."""

    def without_quotes(request: DigestRequest) -> Digest:
        return engine(request).model_copy(update={"quotes": []})

    return without_quotes


def test_a_run_compared_with_itself_shows_zero_deltas_and_exits_0(gold_dir, tmp_path, capsys):
    run = run_offline(gold_dir, tmp_path / "a")
    assert f"open in a browser: {(run / 'report.html').resolve().as_uri()}" in capsys.readouterr().out

    assert eval_main(["compare", str(run), str(run / "run.json")]) == 0
    out = capsys.readouterr().out
    field_rows = [
        line.split()
        for line in out.splitlines()
        if line.split()[:1] in (["actors"], ["figures"], ["quotes"], ["events"])
    ]
    assert len(field_rows) == 4
    assert all(row[-3:] == ["0", "0", "0"] for row in field_rows)  # ΔP ΔR ΔF1
    assert "Flipped items: none" in out
    assert out.rstrip().splitlines()[-1].startswith("OK")


def test_a_weakened_engine_shows_the_drop_and_flipped_items_and_exits_non_zero(
    gold_dir, tmp_path, capsys, monkeypatch
):
    before = run_offline(gold_dir, tmp_path / "a")
    monkeypatch.setattr(
        service.runtime.workers, "offline_digest", quoteless(service.runtime.workers.offline_digest)
    )
    after = run_offline(gold_dir, tmp_path / "b")
    capsys.readouterr()

    quotes_a = load_run(before).metrics.fields[FieldName.quotes]
    assert quotes_a.true_positives > 0  # the real engine finds quotes on the fixture
    assert eval_main(["compare", str(before), str(after), "--max-drop", "0.02"]) == 1
    out = capsys.readouterr().out
    assert f"quotes F1 dropped from {quotes_a.f1:.3f} to 0.000" in out
    assert "REGRESSION" in out
    assert "matched in A, missed in B: fixture-douma quotes q1 «الوضع كارثي ولا مستشفيات تعمل»" in out
    assert "figures F1 dropped" not in out  # only what changed is blamed

    # the other way round it is an improvement: exit 0, the same items flipped back
    assert eval_main(["compare", str(after), str(before)]) == 0
    assert "missed in A, matched in B: fixture-douma quotes q1" in capsys.readouterr().out


def test_the_margin_allows_a_drop_up_to_it_and_watches_the_grounding_rate():
    f1 = dict.fromkeys(FieldName, 0.80)
    reference = GatedScores(f1, grounding_rate=1.0)
    assert regressions(reference, GatedScores(f1 | {FieldName.events: 0.78}, 1.0), 0.02) == []  # exactly 0.02
    dropped = regressions(reference, GatedScores(f1 | {FieldName.events: 0.7799}, 0.97), 0.02)
    assert [(found.metric, found.before, found.after) for found in dropped] == [
        ("events F1", 0.80, 0.7799),
        ("grounding rate", 1.0, 0.97),
    ]


def test_an_unreadable_run_is_reported_with_what_to_pass(tmp_path, capsys):
    assert eval_main(["compare", str(tmp_path / "nowhere"), str(tmp_path / "nowhere")]) == 1
    assert "pass a run directory of `digest eval run`" in capsys.readouterr().err


def test_a_file_that_is_neither_run_nor_baseline_says_which_key_is_wrong(tmp_path, capsys):
    (tmp_path / "other.json").write_text('{"hello": 1}', encoding="utf-8")
    assert eval_main(["compare", str(tmp_path / "other.json"), str(tmp_path / "other.json")]) == 1
    err = capsys.readouterr().err
    assert "is neither a saved eval run nor a baseline" in err
    assert "('config',) Field required" in err


def test_runs_on_different_gold_sets_are_compared_on_their_shared_articles_only(gold_dir, tmp_path, capsys):
    full = run_offline(gold_dir, tmp_path / "full")
    (gold_dir / "fixture-homs.json").unlink()
    douma_only = run_offline(gold_dir, tmp_path / "douma")
    capsys.readouterr()

    for a, b in ((full, douma_only), (douma_only, full)):
        assert eval_main(["compare", str(a), str(b)]) == 0  # the same engine on the shared article
        out = capsys.readouterr().out
        assert "compared on the 1 articles both runs scored" in out
        assert "fixture-homs" in out.split("Per field")[0]  # named as left out, in the header
        assert "fixture-homs" not in out.split("Per article")[1]
        assert out.rstrip().splitlines()[-1].startswith("OK: on the 1 shared articles")


def test_a_run_compares_with_the_baseline_of_its_gold_set(gold_dir, tmp_path, capsys):
    run = run_offline(gold_dir, tmp_path / "run")
    baseline = tmp_path / "offline.json"
    assert eval_main(["baseline", "--gold", str(gold_dir), "--out", str(baseline)]) == 0
    capsys.readouterr()

    assert eval_main(["compare", str(baseline), str(run)]) == 0
    out = capsys.readouterr().out
    assert "A (" + str(baseline) + "): baseline of the offline engine, 2 articles" in out
    assert "a baseline holds no per-article scores" in out
    assert out.rstrip().splitlines()[-1].startswith("OK")


def test_a_baseline_compares_with_a_run_on_a_larger_gold_set_on_the_baseline_articles(
    gold_dir, tmp_path, capsys
):
    smaller = write_gold_set(tmp_path / "smaller")
    (smaller / "fixture-homs.json").unlink()
    baseline = tmp_path / "offline.json"
    assert eval_main(["baseline", "--gold", str(smaller), "--out", str(baseline)]) == 0
    run = run_offline(gold_dir, tmp_path / "run")
    page = tmp_path / "compare.html"
    capsys.readouterr()

    assert eval_main(["compare", str(baseline), str(run), "--html", str(page)]) == 0
    out = capsys.readouterr().out
    assert "compared on the 1 articles both runs scored" in out
    assert "only in B, not compared: fixture-homs" in out
    assert "OK: on the 1 shared articles" in out
    html = page.read_text(encoding="utf-8")
    assert "compared on the 1 articles both runs scored" in html
    assert "only in B, not compared: fixture-homs" in html


def test_a_baseline_of_another_gold_set_says_exactly_what_to_pass(gold_dir, tmp_path, capsys):
    baseline = tmp_path / "offline.json"
    assert eval_main(["baseline", "--gold", str(gold_dir), "--out", str(baseline)]) == 0
    (gold_dir / "fixture-homs.json").unlink()
    run = run_offline(gold_dir, tmp_path / "run")
    capsys.readouterr()

    assert eval_main(["compare", str(baseline), str(run)]) == 1
    err = capsys.readouterr().err
    assert "is a baseline of 2 articles with no per-article scores" in err
    assert "did not score 1 of them (fixture-homs)" in err
    assert "pass a run of `digest eval run --engine offline`" in err


def test_the_html_view_shows_deltas_and_flipped_items_side_by_side(gold_dir, tmp_path, capsys, monkeypatch):
    before = run_offline(gold_dir, tmp_path / "a")
    monkeypatch.setattr(
        service.runtime.workers, "offline_digest", quoteless(service.runtime.workers.offline_digest)
    )
    after = run_offline(gold_dir, tmp_path / "b")
    page = tmp_path / "view" / "compare.html"

    assert eval_main(["compare", str(before), str(after), "--html", str(page)]) == 1
    assert f"wrote {page}: open {page.resolve().as_uri()} in a browser" in capsys.readouterr().out
    html = page.read_text(encoding="utf-8")
    assert "REGRESSION on the 2 shared articles" in html
    douma = html[html.index('<details class="article" id="fixture-douma"') :]
    douma = douma[: douma.index("</details>")]
    assert 'data-changed="true"' in douma
    flip = douma[douma.index('<div class="flip">') :]
    assert "الوضع كارثي ولا مستشفيات تعمل" in flip
    assert flip.index('data-side="A"') < flip.index("A: matched") < flip.index('data-side="B"')
    assert "B: missed" in flip
    assert "<script src" not in html and "<link" not in html  # self-contained
