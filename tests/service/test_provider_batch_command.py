"""`digest batch prepare | collect --from-file`: the rounds of a `vllm run-batch` backfill, end to end."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from schemas.digest import Digest
from schemas.llm_output import LLMDigest
from service.cli import main
from tests.llm_replay import ReplayBatchAPI, answers


@pytest.fixture
def llm_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name, value in {
        "DIGEST_LLM_BASE_URL": "http://vllm.invalid/v1",
        "DIGEST_LLM_API_KEY": "test-key",
        "DIGEST_LLM_MODEL": "replay-model",
        "DIGEST_LLM_MODE": "tools",
        "DIGEST_CACHE_DIR": str(tmp_path / "cache"),
    }.items():
        monkeypatch.setenv(name, value)


def test_rounds_of_vllm_run_batch_files_end_in_digests(
    llm_env: None, example: tuple[str, LLMDigest], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    article, output = example
    source = tmp_path / "articles.jsonl"
    source.write_text(
        "".join(
            json.dumps({"id": f"a{n}", "text": f"{article}\nملف {n}"}, ensure_ascii=False) + "\n"
            for n in range(2)
        )
        + "not json\n",
        encoding="utf-8",
    )
    requests, results, out = tmp_path / "requests.jsonl", tmp_path / "results.jsonl", tmp_path / "out.jsonl"
    vllm = ReplayBatchAPI(answers(output))
    written = []
    for _ in range(3):
        assert main(["batch", "prepare", str(source), "--out", str(requests)]) == 0
        written.append(len(requests.read_text(encoding="utf-8").splitlines()))
        answered, failed = vllm.run_lines(requests.read_text(encoding="utf-8"))
        assert not failed
        results.write_text(answered, encoding="utf-8")
        assert main(["batch", "collect", "--from-file", str(results), "--out", str(out)]) == 0
    assert written == [2, 4, 2]

    assert main(["batch", "prepare", str(source), "--out", str(requests)]) == 0
    assert requests.read_text() == ""
    messages = capsys.readouterr().err
    assert "skipped line 3" in messages
    assert "nothing left to ask" in messages
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert sorted(line["id"] for line in lines) == ["a0", "a1"]
    assert all(Digest.model_validate(line["digest"]).figures for line in lines)

    assert main(["batch", "submit", str(requests)]) == 1, "an empty request file is not submitted"


def test_a_results_file_that_is_not_one_is_a_clear_error(
    llm_env: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    results = tmp_path / "results.jsonl"
    results.write_text('{"custom_id": "x"}\n[1, 2]\n', encoding="utf-8")
    code = main(["batch", "collect", "--from-file", str(results), "--out", str(tmp_path / "out.jsonl")])
    assert code == 1
    assert f"{results} line 2 is not a batch result line" in capsys.readouterr().err
