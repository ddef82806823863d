"""The recent-digests list: one small write per digest, newest first, one entry per digest."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from schemas.digest import Digest
from schemas.request import DigestRequest
from service.engines.offline.engine import offline_digest
from service.runtime import listing
from service.runtime.cache import ModelCache


def _digest(text: str) -> Digest:
    return offline_digest(DigestRequest(text=text))


def test_a_digest_made_again_moves_to_the_top_and_is_listed_once(tmp_path: Path) -> None:
    cache = ModelCache(tmp_path)
    first, second = (
        DigestRequest(text="قتل خمسة مدنيين في حلب", title="Aleppo"),
        DigestRequest(text="نزح ألف شخص من الغوطة", title="Ghouta"),
    )
    for request in (first, second, first):
        listing.record(cache, request.title or "", request, _digest(request.text))
    assert [entry.title for entry in listing.recent(cache)] == ["Aleppo", "Ghouta"]
    assert [entry.title for entry in listing.recent(cache, "ghou")] == ["Ghouta"]


def test_the_list_keeps_its_newest_entries_and_survives_a_reopen(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(listing, "CAPACITY", 3)
    monkeypatch.setattr(listing, "_KEPT", 3)
    cache = ModelCache(tmp_path)
    digest = _digest("قتل خمسة مدنيين في حلب")
    for number in range(5):
        listing.record(cache, f"k{number}", DigestRequest(text="نص", title=f"t{number}"), digest)
    cache.close()
    reopened = ModelCache(tmp_path)
    assert [entry.key for entry in listing.recent(reopened)] == ["k4", "k3", "k2"]
    assert all(entry.created_at <= dt.datetime.now(dt.UTC) for entry in listing.recent(reopened))


def test_without_a_cache_nothing_is_listed() -> None:
    cache = ModelCache(None)
    listing.record(cache, "k", DigestRequest(text="نص"), _digest("قتل خمسة مدنيين في حلب"))
    assert listing.recent(cache) == []
