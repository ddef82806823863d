"""`digest batch` as a user runs it: a real process, killed with SIGKILL midway and rerun."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from schemas.digest import Digest
from tests.paths import REPO, SEED_FILES

ARTICLES = 120


def _write_input(path: Path) -> set[str]:
    """Distinct articles: each seed with a sentence of its own, plus two bad lines."""
    seeds = [seed.read_text(encoding="utf-8") for seed in SEED_FILES]
    ids = set()
    with path.open("w", encoding="utf-8") as lines:
        for n in range(ARTICLES):
            text = f"{seeds[n % len(seeds)]}\nوقال مسؤول محلي إن {n + 3} منازل دمرت في القصف."
            lines.write(json.dumps({"id": f"art-{n}", "text": text}, ensure_ascii=False) + "\n")
            ids.add(f"art-{n}")
            if n == 10:
                lines.write("{broken\n")
    return ids


def _batch(source: Path, out: Path, cache: Path) -> subprocess.Popen[bytes]:
    environment = {**os.environ, "DIGEST_CACHE_DIR": str(cache), "DIGEST_CACHE_ENABLED": "false"}
    command = [sys.executable, "-m", "service.cli", "batch", str(source), "--out", str(out)]
    return subprocess.Popen(
        [*command, "--engine", "offline", "--concurrency", "4", "--quiet"],
        cwd=REPO,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def _lines(out: Path) -> int:
    return out.read_bytes().count(b"\n") if out.exists() else 0


def _kill_after(process: subprocess.Popen[bytes], out: Path, lines: int) -> None:
    deadline = time.monotonic() + 120
    while _lines(out) < lines and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    process.send_signal(signal.SIGKILL)
    process.wait()


def test_killed_twice_and_rerun_every_article_once(tmp_path: Path) -> None:
    source, out, cache = tmp_path / "in.jsonl", tmp_path / "out.jsonl", tmp_path / "cache"
    ids = _write_input(source)

    _kill_after(_batch(source, out, cache), out, 20)
    _kill_after(_batch(source, out, cache), out, 60)
    assert 20 <= _lines(out) < ARTICLES, "both kills landed midway"

    last = _batch(source, out, cache)
    _, stderr = last.communicate(timeout=300)
    assert last.returncode == 0, stderr.decode()
    assert "line 12" in stderr.decode(), "the bad line is reported with its number"

    records = [json.loads(line) for line in out.read_bytes().splitlines()]
    assert len(records) == ARTICLES
    assert {record["id"] for record in records} == ids
    for record in records:
        Digest.model_validate(record["digest"])
