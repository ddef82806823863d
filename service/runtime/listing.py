"""The list of recent digests (`/digests`), kept in the digest cache beside the digests it points to.

One cache entry holds the newest `capacity` listings, newest first; a digest made again moves to
the top. Each process rewrites the whole entry, so with several workers a listing written at the
same instant by another can be lost from the list (the digest itself stays in the cache).
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict

from schemas.digest import Digest
from schemas.request import DigestRequest
from service.runtime.cache import ModelCache

LISTING_KEY = "recent-digests/1"
CAPACITY = 500


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


class RecentListings(BaseModel):
    model_config = ConfigDict(extra="ignore")

    listings: list[Listing] = []


def record(cache: ModelCache, key: str, request: DigestRequest, digest: Digest) -> None:
    listing = Listing(
        key=key,
        title=request.title,
        source=request.source,
        headline_en=digest.summary.headline_en,
        engine=digest.provenance.engine.value,
        created_at=digest.provenance.created_at,
    )
    current = cache.get(LISTING_KEY, RecentListings) or RecentListings()
    others = [entry for entry in current.listings if entry.key != key]
    cache.put(LISTING_KEY, RecentListings(listings=[listing, *others][:CAPACITY]))


def recent(cache: ModelCache, query: str = "") -> list[Listing]:
    """The listings, newest first, whose title, source, headline or engine contain every word of `query`."""
    words = query.casefold().split()
    listed = cache.get(LISTING_KEY, RecentListings) or RecentListings()
    return [listing for listing in listed.listings if listing.matches(words)]
