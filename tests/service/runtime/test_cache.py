"""The cache never stops the service: damaged caches are rebuilt, full ones (a SQLite file that may not
grow, and a real filesystem with no byte left) leave digests unstored and say so in the digest, with a
metric."""

from __future__ import annotations

import errno
import logging
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import diskcache
import pytest
from litestar.testing import TestClient

from schemas.digest import WarningCode
from service.http.app import create_app
from service.settings import Settings

ARTICLE = {"text": "قتل خمسة أشخاص في قصف على حلب، بحسب المرصد السوري."}


def offline_settings(cache_dir: Path) -> Settings:
    return Settings(_env_file=None, cache_dir=cache_dir)  # type: ignore[call-arg]


def post(client: TestClient[Any]) -> Any:
    response = client.post("/v1/digests", json=ARTICLE, params={"engine": "offline"})
    assert response.status_code == 200, response.text
    return response


def fill_to_the_brim(cache_dir: Path) -> None:
    """A cache whose SQLite file may not grow (max_page_count, kept in diskcache's settings table): every
    write fails with "database or disk is full", as on a full disk."""
    store = diskcache.Cache(str(cache_dir), sqlite_max_page_count=16)
    refusal = ""
    for index in range(10_000):
        try:
            store.set(index, "x" * 1000)
        except sqlite3.OperationalError as error:
            refusal = str(error)
            break
    store.close()
    assert "full" in refusal


def test_a_garbage_cache_file_is_moved_aside_and_the_cache_rebuilt(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    cache_dir = tmp_path / "cache"
    cache_dir.mkdir()
    (cache_dir / "cache.db").write_bytes(b"not a database at all " * 100)
    with caplog.at_level(logging.WARNING), TestClient(app=create_app(offline_settings(cache_dir))) as client:
        first, second = post(client), post(client)
    assert (first.headers["x-digest-cache"], second.headers["x-digest-cache"]) == ("miss", "hit")
    assert first.json()["warnings"] == []
    aside = [path for path in tmp_path.iterdir() if path.name.startswith("cache.damaged-")]
    assert len(aside) == 1 and (aside[0] / "cache.db").read_bytes().startswith(b"not a database")
    assert any("moved it to" in record.getMessage() for record in caplog.records)


def test_with_a_full_cache_digests_are_served_and_say_they_are_not_stored(tmp_path: Path) -> None:
    cache_dir = tmp_path / "cache"
    fill_to_the_brim(cache_dir)
    with TestClient(app=create_app(offline_settings(cache_dir))) as client:
        digest = post(client).json()
        assert post(client).headers["x-digest-cache"] == "miss"
        metrics = client.get("/metrics").text
    assert digest["figures"] and digest["provenance"]["cache_key"] is None
    warning = next(w for w in digest["warnings"] if w["code"] == WarningCode.not_stored)
    assert "no shareable link" in warning["message"]
    assert "digest_cache_write_failures_total 2.0" in metrics


def test_a_cache_directory_that_cannot_be_created_leaves_the_service_running(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("in the way")
    with TestClient(app=create_app(offline_settings(blocker / "cache"))) as client:
        digest = post(client).json()
    assert digest["figures"]
    assert [w["code"] for w in digest["warnings"]] == [WarningCode.not_stored]


def fill(path: Path) -> int | None:
    """Write zeros to `path` until the filesystem refuses; the error number it refused with."""
    with path.open("wb", buffering=0) as handle:
        try:
            while True:
                handle.write(b"\0" * 4096)
        except OSError as refusal:
            return refusal.errno


@pytest.fixture
def full_disk(tmp_path: Path) -> Iterator[Path]:
    """A real, tiny filesystem (tmpfs) holding a cache made while it had room, then filled to the last
    byte. Needs the right to mount (root here; CI may refuse): skipped only when the mount is refused."""
    disk = tmp_path / "disk"
    disk.mkdir()
    try:
        mounted = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(disk)], capture_output=True, text=True
        )
    except FileNotFoundError:
        pytest.skip("no mount command here")
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.strip() or mounted.returncode}")
    try:
        with TestClient(app=create_app(offline_settings(disk / "cache"))) as client:
            post(client)
        assert fill(disk / "filler") == errno.ENOSPC
        yield disk
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=True)


def test_start_up_on_a_really_full_disk_serves_digests_that_say_they_are_not_stored(
    full_disk: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with (
        caplog.at_level(logging.WARNING),
        TestClient(app=create_app(offline_settings(full_disk / "cache"))) as client,
    ):
        responses = [post(client), post(client)]
        assert client.get("/healthz").status_code == 200
    for response in responses:
        digest = response.json()
        assert response.headers["x-digest-cache"] == "miss"
        assert digest["figures"] and digest["provenance"]["cache_key"] is None
        assert [w["code"] for w in digest["warnings"]] == [WarningCode.not_stored]
    # diskcache writes while it opens, so a full disk leaves even the entries stored before unreadable
    assert any("running without a cache" in record.getMessage() for record in caplog.records)
