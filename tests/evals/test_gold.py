"""The gold set: every span verbatim at its offsets, every reference resolvable, nothing stale."""

from __future__ import annotations

import csv
import itertools
import json
import subprocess
import sys
from pathlib import Path

import pytest

from evals.gold import GOLD_DIR, REPO_ROOT, GoldArticle, GoldKind, load_gold
from evals.labelling import LabelError, compile_file, locate
from schemas.digest import Figure, Location, Metric, Qualifier, Span
from service.digest.reconcile import reconcile

GOLD = load_gold()
BY_ID = {gold.id: gold for gold in GOLD}


def _spans(gold: GoldArticle) -> list[tuple[str, Span]]:
    spans: list[tuple[str, Span]] = []
    spans += [(f"actor {a.id} mention", m) for a in gold.actors for m in a.mentions]
    spans += [(f"figure {f.id}", f.span) for f in gold.figures]
    spans += [(f"quote {q.id}", q.span) for q in gold.quotes]
    spans += [(f"event {e.id} evidence", s) for e in gold.events for s in e.evidence]
    return spans


@pytest.fixture(params=sorted(BY_ID), ids=str)
def gold(request: pytest.FixtureRequest) -> GoldArticle:
    return BY_ID[request.param]


def test_gold_set_is_not_empty_and_ids_are_unique() -> None:
    assert len(GOLD) >= 11
    assert len(BY_ID) == len(GOLD)


def test_every_seed_has_a_gold_file() -> None:
    index = json.loads((REPO_ROOT / "seeds" / "index.json").read_text(encoding="utf-8"))
    labelled = {gold.article_file for gold in GOLD if gold.kind is GoldKind.seed}
    for entry in index["articles"]:
        assert f"seeds/{entry['file']}" in labelled, f"no gold file for seed {entry['file']}"
    for path in (REPO_ROOT / "seeds").glob("*.txt"):
        assert f"seeds/{path.name}" in labelled, f"no gold file for seed {path.name}"


def test_challenge_articles_are_synthetic_and_described() -> None:
    challenges = [gold for gold in GOLD if gold.synthetic]
    assert len(challenges) >= 6
    for gold in challenges:
        assert gold.id.startswith("challenge-")
        assert gold.article_file.startswith("evals/challenge/")
        assert gold.notes, f"{gold.id}: notes must say what the article exercises"
        assert 600 <= len(gold.article_text()) <= 1500, gold.id


def test_gold_id_matches_file_name_and_article_exists(gold: GoldArticle) -> None:
    assert (GOLD_DIR / f"{gold.id}.json").is_file()
    assert (REPO_ROOT / gold.article_file).is_file()
    if gold.kind is GoldKind.seed:
        assert gold.id == f"seed-{Path(gold.article_file).stem}"


def test_real_articles_keep_their_source_outlet_and_licence() -> None:
    manifest = (REPO_ROOT / "evals" / "real" / "manifest.tsv").read_text(encoding="utf-8").splitlines()
    rows = {row["file"]: row for row in csv.DictReader(manifest, delimiter="\t")}
    real = [gold for gold in GOLD if gold.kind is GoldKind.real]
    assert len(real) >= 4
    for gold in real:
        assert not gold.synthetic
        assert gold.article_file == f"evals/real/{gold.id}.txt", gold.id
        row = rows[f"{gold.id}.txt"]
        assert gold.outlet == row["outlet"] and gold.licence and gold.source, gold.id
        assert row["source_repository"] in gold.source and row["licence"].split(" ")[0] in gold.licence
        assert int(row["chars"]) == len(gold.article_text()) <= 4000, gold.id


def test_every_span_is_verbatim_at_its_offsets(gold: GoldArticle) -> None:
    article = gold.article_text()
    for where, span in _spans(gold):
        assert 0 <= span.start <= span.end <= len(article), f"{gold.id} {where}: offsets out of range"
        assert article[span.start : span.end] == span.text, (
            f"{gold.id} {where}: {span.text!r} not at its offsets"
        )
        assert span.text.strip() == span.text and span.text, (
            f"{gold.id} {where}: untrimmed span {span.text!r}"
        )


_MARKS = {"«": "»", "“": "”", '"': '"'}


def _wrapped_in_marks(text: str) -> bool:
    """True when the whole text sits inside one pair of quote marks, e.g. «...»."""
    opening = text[0]
    closing = _MARKS.get(opening)
    if closing is None or len(text) < 2 or text[-1] != closing:
        return False
    if closing == opening:  # straight quotes pair up in order
        return text.index(closing, 1) == len(text) - 1
    depth = 0
    for position, char in enumerate(text):
        if char == opening:
            depth += 1
        elif char == closing:
            depth -= 1
            if depth == 0:
                return position == len(text) - 1
    return False


def _mark_pairs(text: str) -> list[tuple[int, int]]:
    """Positions of the «» and “” marks that pair up (nested); unpaired ones are left out."""
    pairs: list[tuple[int, int]] = []
    for opening, closing in (("«", "»"), ("“", "”")):
        open_at: list[int] = []
        for position, char in enumerate(text):
            if char == opening:
                open_at.append(position)
            elif char == closing and open_at:
                pairs.append((open_at.pop(), position))
    return pairs


def test_quote_span_text_is_the_quote(gold: GoldArticle) -> None:
    # real articles leave marks unpaired (or pair them backwards); a span never cuts a pair the article has
    pairs = _mark_pairs(gold.article_text())
    for quote in gold.quotes:
        where = f"{gold.id} quote {quote.id}"
        assert quote.span.text == quote.text_ar, where
        span = quote.span
        for opening, closing in pairs:
            inside = [span.start <= opening < span.end, span.start <= closing < span.end]
            assert inside[0] == inside[1], f"{where}: a quote mark of the span has its partner outside it"
        assert quote.text_ar.count('"') % 2 == 0, f"{where}: a straight quote of the span has no partner"
        assert not _wrapped_in_marks(quote.text_ar), f"{where}: the span must exclude the quote marks"


def test_mentions_of_different_actors_never_overlap(gold: GoldArticle) -> None:
    mentions = sorted((m.start, m.end, a.id) for a in gold.actors for m in a.mentions)
    for (_, end, first), (start, _, second) in itertools.pairwise(mentions):
        assert start >= end, f"{gold.id}: mentions of {first} and {second} overlap"


def test_every_referenced_id_exists(gold: GoldArticle) -> None:
    actors = {a.id for a in gold.actors}
    figures = {f.id for f in gold.figures}
    events = {e.id for e in gold.events}
    for kind, items in (("actor", gold.actors), ("figure", gold.figures), ("event", gold.events)):
        assert len({item.id for item in items}) == len(items), f"{gold.id}: duplicate {kind} ids"
    assert len({q.id for q in gold.quotes}) == len(gold.quotes), f"{gold.id}: duplicate quote ids"
    for figure in gold.figures:
        assert figure.source_actor_id in actors | {None}, f"{gold.id} figure {figure.id} source_actor_id"
        assert figure.event_id in events | {None}, f"{gold.id} figure {figure.id} event_id"
        assert figure.part_of in figures | {None}, f"{gold.id} figure {figure.id} part_of"
        assert figure.part_of != figure.id
    for quote in gold.quotes:
        assert quote.speaker_actor_id in actors | {None}, f"{gold.id} quote {quote.id} speaker_actor_id"
    for event in gold.events:
        for actor in event.actors:
            assert actor.actor_id in actors, f"{gold.id} event {event.id} actor {actor.actor_id}"
        for figure_id in event.figure_ids:
            assert figure_id in figures, f"{gold.id} event {event.id} figure {figure_id}"
    for casualty in gold.casualties:
        assert set(casualty.figure_ids) <= figures, f"{gold.id} casualty {casualty.metric}"
        for bound in (casualty.low, casualty.best, casualty.high):
            assert set(bound.figure_ids) <= set(casualty.figure_ids), f"{gold.id} casualty {casualty.metric}"
            assert set(bound.source_actor_ids) <= actors, f"{gold.id} casualty {casualty.metric}"


def test_figure_bounds_follow_the_qualifier(gold: GoldArticle) -> None:
    for f in gold.figures:
        expected = {
            Qualifier.exact: (f.value, f.value),
            Qualifier.at_least: (f.value, None),
            Qualifier.more_than: (f.value + 1, None),
            Qualifier.about: (None, None),
            Qualifier.up_to: (None, f.value),
        }.get(f.qualifier)
        stated_range = f.qualifier is Qualifier.exact and f.high is not None and f.high > f.value
        if expected is None or stated_range:  # vague ("بضع" is 3..9) or "بين 25 و30": low is the value
            assert f.low == f.value, f"{gold.id} figure {f.id}"
        else:
            assert (f.low, f.high) == expected, f"{gold.id} figure {f.id}"


def test_casualties_are_reconciled_from_the_figures(gold: GoldArticle) -> None:
    """Casualties only group killed / injured / displaced / evacuated totals, never subsets."""
    by_id = {f.id: f for f in gold.figures}
    for casualty in gold.casualties:
        assert casualty.metric in {Metric.killed, Metric.injured, Metric.displaced, Metric.evacuated}
        for figure_id in casualty.figure_ids:
            figure = by_id[figure_id]
            assert figure.part_of is None and figure.metric == casualty.metric
            assert figure.location == casualty.location
        assert casualty.high.value == max(
            max(by_id[i].value, by_id[i].low or 0, by_id[i].high or 0) for i in casualty.figure_ids
        )


def test_compiled_gold_is_up_to_date() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "evals.labelling", "--check"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


# ------------------------------------------------------------------ the labelling tool itself


def _figure(
    fid: str, value: int, qualifier: Qualifier, source: str | None, start: int, **extra: object
) -> Figure:
    return Figure.model_validate(
        {
            "id": fid,
            "value": value,
            "qualifier": qualifier,
            "metric": extra.pop("metric", Metric.killed),
            "location": {"name_ar": "حلب"},
            "source_actor_id": source,
            "span": {"start": start, "end": start + 1, "text": "x"},
            **extra,
        }
    )


def test_reconcile_supersedes_skips_subsets_and_takes_the_lower_median() -> None:
    figures = [
        _figure("f1", 12, Qualifier.exact, "a1", 0),  # superseded by f3 (same source, later)
        _figure("f2", 23, Qualifier.at_least, "a2", 10),
        _figure("f3", 19, Qualifier.exact, "a1", 20),
        _figure("f4", 4, Qualifier.exact, "a1", 30, part_of="f3"),  # subset: never counted
        _figure("f5", 20, Qualifier.more_than, None, 40),  # unattributed: its own source
        _figure("f6", 9, Qualifier.exact, None, 50, metric=Metric.strikes),  # not a casualty metric
    ]
    [casualty] = reconcile(figures)
    assert casualty.figure_ids == ["f2", "f3", "f5"]
    assert (casualty.low.value, casualty.low.figure_ids) == (19, ["f3"])
    assert (casualty.best.value, casualty.best.figure_ids, casualty.best.source_actor_ids) == (20, ["f5"], [])
    assert (casualty.high.value, casualty.high.source_actor_ids) == (23, ["a2"])
    assert casualty.conflicting
    assert casualty.location == Location(name_ar="حلب")


def test_reconcile_same_values_from_several_sources_do_not_conflict() -> None:
    figures = [_figure("f1", 7, Qualifier.exact, None, 0), _figure("f2", 7, Qualifier.at_least, None, 5)]
    [casualty] = reconcile(figures)
    assert not casualty.conflicting
    assert casualty.low.figure_ids == casualty.best.figure_ids == casualty.high.figure_ids == ["f1", "f2"]


def test_locate_finds_the_nth_occurrence_and_fails_loudly() -> None:
    article = "قتل 4 مدنيين ثم قتل 4 مدنيين"
    assert locate(article, {"text": "4 مدنيين", "occurrence": 2}, where="x")["start"] == 20
    assert locate(article, "قتل", where="x") == {"start": 0, "end": 3, "text": "قتل", "match": "exact"}
    with pytest.raises(LabelError, match=r"art-1 figure f9.*'5 مدنيين'"):
        locate(article, "5 مدنيين", where="art-1 figure f9")
    with pytest.raises(LabelError, match=r"art-1 quote q2.*occurrence 3"):
        locate(article, {"text": "قتل", "occurrence": 3}, where="art-1 quote q2")


def test_compiler_reports_article_item_and_text(tmp_path: Path) -> None:
    source = tmp_path / "seed-broken.yaml"
    source.write_text(
        "id: seed-broken\narticle_file: seeds/aleppo-shelling-de-mistura-moscow.txt\nsynthetic: false\n"
        "figures:\n  - {id: f1, span: {text: 'نص غير موجود'}, value: 1, qualifier: exact, metric: killed}\n"
        "casualties: []\n",
        encoding="utf-8",
    )
    with pytest.raises(LabelError, match=r"seed-broken figure f1.*نص غير موجود"):
        compile_file(source, tmp_path)


def test_a_stated_range_is_written_with_both_numbers(tmp_path: Path) -> None:
    article = tmp_path / "range.txt"
    article.write_text("قتل ما بين 25 و30 مدنيا في القصف.", encoding="utf-8")
    source = tmp_path / "challenge-range.yaml"
    source.write_text(
        f"id: challenge-range\narticle_file: {article}\nsynthetic: true\nkind: challenge\n"
        "figures:\n  - {id: f1, span: {text: 'ما بين 25 و30 مدنيا'}, value: 25, low: 25, high: 30,"
        " qualifier: exact, metric: killed}\n"
        "casualties:\n  - {metric: killed, low: 25, best: 25, high: 30, conflicting: false,"
        " figure_ids: [f1]}\n",
        encoding="utf-8",
    )
    gold = compile_file(source, tmp_path).gold
    assert (gold.figures[0].low, gold.figures[0].high) == (25, 30)
    assert (gold.casualties[0].low.value, gold.casualties[0].high.value) == (25, 30)
