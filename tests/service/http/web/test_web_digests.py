"""`/digests`: the digests kept in the cache, newest first, searchable, each linking to its page."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from litestar.testing import TestClient

from service.http.app import create_app
from service.runtime.digester import Digester
from service.settings import Settings
from tests.paths import SEED_FILES
from tests.service.http.web.test_web_pages import digest_path

Client = TestClient[Any]
LISTING = re.compile(r'<a class="listing-headline" href="(/d/[0-9a-f]{64})">')


def test_the_list_shows_the_digests_newest_first_and_survives_a_restart(offline_settings: Settings) -> None:
    with TestClient(app=create_app(offline_settings, Digester(offline_settings))) as client:
        first = digest_path(
            client, text=SEED_FILES[0].read_text(encoding="utf-8"), title="حلب: القصف", source="Reuters"
        )
        second = digest_path(client, text=SEED_FILES[1].read_text(encoding="utf-8"), title="الغوطة الشرقية")
        page = client.get("/digests").text
        assert LISTING.findall(page) == [second, first]
        assert "حلب: القصف" in page and "Reuters" in page and "Offline engine" in page
    with TestClient(app=create_app(offline_settings, Digester(offline_settings))) as restarted:
        assert LISTING.findall(restarted.get("/digests").text) == [second, first]  # kept in the cache
        assert restarted.get(first).status_code == 200


def test_the_search_keeps_the_digests_with_every_word(offline_settings: Settings) -> None:
    with TestClient(app=create_app(offline_settings, Digester(offline_settings))) as client:
        aleppo = digest_path(
            client, text=SEED_FILES[0].read_text(encoding="utf-8"), title="حلب: القصف", source="Reuters"
        )
        digest_path(client, text=SEED_FILES[1].read_text(encoding="utf-8"), title="الغوطة الشرقية")
        assert LISTING.findall(client.get("/digests", params={"q": "reuters حلب"}).text) == [aleppo]
        nothing = client.get("/digests", params={"q": "nowhere"}).text
        assert LISTING.findall(nothing) == [] and "No digest matches" in nothing


def test_with_the_cache_off_the_list_says_why_it_is_empty(tmp_path: Path) -> None:
    settings = Settings(_env_file=None, cache_enabled=False, cache_dir=tmp_path)  # type: ignore[call-arg]
    with TestClient(app=create_app(settings, Digester(settings))) as client:
        digest_path(client, text=SEED_FILES[0].read_text(encoding="utf-8"))
        assert "DIGEST_CACHE_ENABLED=false" in client.get("/digests").text
