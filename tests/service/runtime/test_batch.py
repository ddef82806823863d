"""Batches: input parsing, the durable result file, the runner over the real Digester."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from schemas.digest import Digest
from service.runtime.batch import (
    BadInput,
    BatchInputError,
    BatchItem,
    BatchOptions,
    BatchRunner,
    BatchSummary,
    ResultFile,
    count_input,
    parse_line,
    read_folder,
    read_input,
)
from service.runtime.digester import Digester, EngineChoice
from service.settings import Settings

ARTICLE = "قتل خمسة مدنيين في قصف مدفعي على مدينة حلب، بحسب المرصد السوري لحقوق الإنسان."


def test_a_line_with_its_own_id_keeps_it() -> None:
    item = parse_line(json.dumps({"id": "x-1", "text": ARTICLE, "published_at": "2019-03-01"}), 1)
    assert isinstance(item, BatchItem)
    assert (item.id, item.request.text, str(item.request.published_at)) == ("x-1", ARTICLE, "2019-03-01")


def test_a_line_without_id_is_named_by_its_number() -> None:
    item = parse_line(json.dumps({"text": ARTICLE}), 7)
    assert isinstance(item, BatchItem)
    assert item.id == "line-7"


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("{not json", "not valid JSON"),
        ('["a list"]', "not a JSON object"),
        ('{"text": "   "}', "text is empty"),
        ('{"text": "نص", "published_at": "yesterday"}', "published_at must be a date"),
        ('{"text": "نص", "colour": "red"}', 'unknown field "colour" (the fields are id, text, title,'),
        ('{"txt": "نص"}', 'no "text": each article needs its text'),
        ('{"text": ""}', "the text is empty"),
        ('{"text": 5}', '"text" must be a string'),
        ('{"text": "نص", "title": "' + "t" * 1001 + '"}', "the title is longer than 1,000 characters"),
        ('{"id": "", "text": "نص"}', "id must be a non-empty string"),
        ('{"id": true, "text": "نص"}', "id must be a non-empty string"),
    ],
)
def test_a_bad_line_says_where_and_why(line: str, reason: str) -> None:
    bad = parse_line(line, 12)
    assert isinstance(bad, BadInput)
    assert bad.where == "line 12"
    assert reason in bad.reason
    assert not any(words in bad.reason for words in VALIDATOR_WORDS), bad.reason


VALIDATOR_WORDS = ("Field required", "Extra inputs", "String should", "Input should", "Value error")


def test_blank_lines_are_not_items(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text(f"\n{json.dumps({'text': ARTICLE})}\n   \n", encoding="utf-8")
    items = list(read_input(str(source)))
    assert [item.id for item in items if isinstance(item, BatchItem)] == ["line-2"]
    assert count_input(str(source)) == 1


def test_a_folder_of_txt_files_is_named_by_path(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "empty.txt").write_text(" \n", encoding="utf-8")
    (tmp_path / "latin1.txt").write_bytes("caf\xe9".encode("latin-1"))
    (tmp_path / "notes.md").write_text("ignored", encoding="utf-8")
    items = list(read_folder(tmp_path))
    assert [item.id for item in items if isinstance(item, BatchItem)] == ["a.txt", "sub/b.txt"]
    assert sorted(item.where for item in items if isinstance(item, BadInput)) == ["empty.txt", "latin1.txt"]
    assert count_input(str(tmp_path)) == 4


def test_a_missing_input_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(BatchInputError, match="cannot read"):
        list(read_input(str(tmp_path / "absent.jsonl")))


def test_result_file_cuts_off_a_partial_last_line(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    out.write_bytes(b'{"id": "a", "problem": {}}\n{"id": "b", "dig')
    results = ResultFile(out)
    results.close()
    assert results.done == {"a"}
    assert out.read_bytes() == b'{"id": "a", "problem": {}}\n'


def test_result_file_refuses_a_file_that_is_not_batch_output(tmp_path: Path) -> None:
    out = tmp_path / "notes.jsonl"
    out.write_text('{"id": "a"}\nsome notes\n', encoding="utf-8")
    with pytest.raises(BatchInputError, match="line 2 is not a result line"):
        ResultFile(out)


async def _run(settings: Settings, items: list[BatchItem | BadInput], out: Path) -> BatchSummary:
    results = ResultFile(out)
    summary = BatchSummary()
    digester = Digester(settings)
    try:
        runner = BatchRunner(digester, BatchOptions(engine=EngineChoice.offline, concurrency=3))
        await runner.run(items, results.done, results, [summary])
    finally:
        results.close()
        await digester.close()
    return summary


def _items(count: int) -> list[BatchItem | BadInput]:
    lines = [json.dumps({"id": f"n{n}", "text": f"{ARTICLE} وأصيب {n + 2} آخرون."}) for n in range(count)]
    return [item for number, line in enumerate(lines, 1) if (item := parse_line(line, number)) is not None]


async def test_runner_writes_one_valid_line_per_item_and_resumes(
    offline_settings: Settings, tmp_path: Path
) -> None:
    out = tmp_path / "out.jsonl"
    first = await _run(offline_settings, _items(4), out)
    assert (first.done, first.failed, first.skipped) == (4, 0, 0)

    bad = BadInput("line 9", "not valid JSON", "line-9")
    again = await _run(offline_settings, [*_items(6), bad, *_items(1)], out)
    assert (again.done, again.skipped) == (2, 4)
    assert [item.where for item in again.bad_inputs] == ["line 9", "id 'n0'"]  # the repeated id is reported

    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert sorted(line["id"] for line in lines) == [f"n{n}" for n in range(6)]
    for line in lines:
        digest = Digest.model_validate(line["digest"])
        assert digest.figures, "each article states a toll"


async def test_a_failing_item_is_a_problem_line(tmp_path: Path) -> None:
    settings = Settings(_env_file=None, cache_dir=tmp_path / "cache")  # type: ignore[call-arg]
    out = tmp_path / "out.jsonl"
    results = ResultFile(out)
    summary = BatchSummary()
    digester = Digester(settings)
    try:  # engine=llm with no LLM configured: every item fails with 503 engine-unavailable
        runner = BatchRunner(digester, BatchOptions(engine=EngineChoice.llm, concurrency=2))
        await runner.run(_items(2), results.done, results, [summary])
    finally:
        results.close()
        await digester.close()
    assert (summary.done, summary.failed) == (2, 2)
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert {line["problem"]["type"] for line in lines} == {"/problems/engine-unavailable"}
    assert all(
        line["problem"]["status"] == 503 and "DIGEST_LLM_BASE_URL" in line["problem"]["detail"]
        for line in lines
    )
