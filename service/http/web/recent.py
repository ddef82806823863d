"""The last digests made through the pages, by key, as they were returned.

The digester's cache is the lasting store behind `/d/{key}`; this small in-memory store makes the
redirect after a submission work even with the cache disabled, and keeps the digest exactly as it
was returned (with, for instance, its warning that the LLM failed and the offline engine stood in).
"""

from __future__ import annotations

from collections import OrderedDict
from threading import Lock

from schemas.digest import Digest
from schemas.request import DigestRequest

Entry = tuple[DigestRequest, Digest]


class RecentDigests:
    def __init__(self, capacity: int = 64) -> None:
        self._capacity = capacity
        self._entries: OrderedDict[str, Entry] = OrderedDict()
        self._lock = Lock()

    def put(self, key: str, request: DigestRequest, digest: Digest) -> None:
        with self._lock:
            self._entries[key] = (request, digest)
            self._entries.move_to_end(key)
            while len(self._entries) > self._capacity:
                self._entries.popitem(last=False)

    def get(self, key: str) -> Entry | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
            return entry
