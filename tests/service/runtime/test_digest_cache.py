"""The digest cache: damaged or old entries are misses; the code fingerprint follows rules and data."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import diskcache
import pytest

from schemas.digest import SCHEMA_VERSION, Digest
from schemas.request import DigestRequest
from service.engines.offline import offline_digest
from service.paths import PACKAGE_ROOT
from service.runtime import cache as cache_module
from service.runtime.cache import ModelCache, code_fingerprint

_ARTICLE = "قتل 12 مدنيا في غارات جوية على مدينة دوما، وفقا للمرصد السوري لحقوق الإنسان."


@pytest.fixture
def store(tmp_path: Path) -> Iterator[tuple[ModelCache, diskcache.Cache]]:
    """The cache under test and a second handle on the same directory to plant raw entries."""
    cache, raw = ModelCache(tmp_path), diskcache.Cache(str(tmp_path))
    yield cache, raw
    cache.close()
    raw.close()


def _digest() -> Digest:
    return offline_digest(DigestRequest(text=_ARTICLE))


def test_a_stored_digest_is_read_back(store: tuple[ModelCache, diskcache.Cache]) -> None:
    cache, _ = store
    digest = _digest()
    cache.put("key", digest)
    assert cache.get("key", Digest) == digest


@pytest.mark.parametrize("damage", [b"\x00\x9f not json", '{"article": {', "[]", '{"summary": 1}'])
def test_a_corrupt_entry_is_a_miss_and_is_dropped(
    store: tuple[ModelCache, diskcache.Cache], damage: object
) -> None:
    cache, raw = store
    raw.set("key", damage)
    assert cache.get("key", Digest) is None
    assert "key" not in raw


def test_an_entry_of_an_older_schema_is_a_miss(store: tuple[ModelCache, diskcache.Cache]) -> None:
    cache, raw = store
    current = _digest().model_dump_json()
    older = current.replace(f'"schema_version":"{SCHEMA_VERSION}"', '"schema_version":"1.0"')
    assert older != current
    raw.set("key", older)
    assert cache.get("key", Digest) is None
    assert "key" not in raw


@pytest.fixture
def package_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A copy of the packages the fingerprint reads, with the fingerprint pointed at it."""
    root = tmp_path / "packages"
    for package in ("schemas", "service"):
        shutil.copytree(PACKAGE_ROOT / package, root / package, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(cache_module, "PACKAGE_ROOT", root)
    code_fingerprint.cache_clear()
    yield root
    code_fingerprint.cache_clear()


def _fingerprint_after(edit: Path) -> tuple[str, str]:
    before = code_fingerprint()
    with edit.open("a", encoding="utf-8") as handle:
        handle.write("\n# changed\n")
    code_fingerprint.cache_clear()
    return before, code_fingerprint()


@pytest.mark.parametrize(
    "changed",
    ["service/engines/offline/metrics.py", "service/arabic/data/time_words.yaml", "schemas/digest.py"],
    ids=["rule", "word-list", "schema"],
)
def test_the_fingerprint_changes_with_a_rule_or_a_data_file(package_copy: Path, changed: str) -> None:
    before, after = _fingerprint_after(package_copy / changed)
    assert before != after


def test_the_fingerprint_ignores_what_does_not_build_a_digest(package_copy: Path) -> None:
    notes = package_copy / "service" / "NOTES.md"
    notes.write_text("notes", encoding="utf-8")
    before, after = _fingerprint_after(notes)
    assert before == after
