"""Request bodies answered before, so that a repeated one reaches its cached digest without being parsed.

A cache hit needs the digest's cache key, and the key needs the validated request: parsing and
validating the JSON body and hashing the request cost more than the rest of a hit (issue 11, measured
by `bench/bench_cache_hit.py`). The same body bytes with the same query string always validate to the
same request and so to the same key, so the key is remembered under those exact bytes (compared whole,
so two bodies never share a key; Python's hash of bytes is cheaper than a cryptographic one). Only the
key is remembered, never the digest, which is still read from the cache; a body not seen before takes
the whole path (validation, problem details).
"""

from __future__ import annotations

from collections import OrderedDict

from schemas.digest import Engine

KNOWN_BYTES = 16 * 1024 * 1024  # of remembered bodies, in all


class KnownRequests:
    """The (query, body) pairs used last, each with its cache key and engine, up to `limit` bytes."""

    def __init__(self, limit: int = KNOWN_BYTES) -> None:
        self._limit = limit
        self._size = 0
        self._keys: OrderedDict[tuple[bytes, bytes], tuple[str, Engine]] = OrderedDict()

    def get(self, body: bytes, query: bytes) -> tuple[str, Engine] | None:
        name = (query, body)
        found = self._keys.get(name)
        if found is not None:
            self._keys.move_to_end(name)
        return found

    def add(self, body: bytes, query: bytes, key: str, engine: Engine) -> None:
        name = (query, body)
        if self._keys.pop(name, None) is None:
            self._size += len(body) + len(query)
        self._keys[name] = (key, engine)
        while self._size > self._limit:
            (old_query, old_body), _ = self._keys.popitem(last=False)
            self._size -= len(old_body) + len(old_query)
