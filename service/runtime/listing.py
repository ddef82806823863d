"""The list of recent digests (`/digests`), kept in the digest cache beside the digests it points to.

Each digest stored adds one entry at the head of a bounded list in the cache (`ModelCache.prepend`:
a diskcache deque, or a Redis list shared by the replicas), so storing a digest costs one small
write however long the list is. A digest made again is listed again; reading keeps the newest entry
of each key.
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict

from schemas.digest import Digest
from schemas.request import DigestRequest
from service.runtime.cache import ModelCache

LIST_NAME = "recent-digests-2"
CAPACITY = 500
_KEPT = 2 * CAPACITY  # entries kept, repeats included


class Listing(BaseModel):
    model_config = ConfigDict(extra="ignore")

    key: str
    title: str | None
    source: str | None
    headline_en: str
    engine: str
    created_at: dt.datetime

    def matches(self, words: list[str]) -> bool:
        text = " ".join(filter(None, (self.title, self.source, self.headline_en, self.engine))).casefold()
        return all(word in text for word in words)


def record(cache: ModelCache, key: str, request: DigestRequest, digest: Digest) -> None:
    listing = Listing(
        key=key,
        title=request.title,
        source=request.source,
        headline_en=digest.summary.headline_en,
        engine=digest.provenance.engine.value,
        created_at=digest.provenance.created_at,
    )
    cache.prepend(LIST_NAME, listing.model_dump_json(), _KEPT)


def recent(cache: ModelCache, query: str = "") -> list[Listing]:
    """The listings, newest first, whose title, source, headline or engine contain every word of `query`."""
    words = query.casefold().split()
    return [listing for listing in _newest_per_key(cache) if listing.matches(words)]


def _newest_per_key(cache: ModelCache) -> list[Listing]:
    seen: set[str] = set()
    listings = []
    for item in cache.items(LIST_NAME, _KEPT):
        try:
            listing = Listing.model_validate_json(item)
        except ValueError:
            continue  # an entry of another version
        if listing.key not in seen:
            seen.add(listing.key)
            listings.append(listing)
    return listings[:CAPACITY]
