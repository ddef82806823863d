"""The cache (diskcache) of digests and of LLM answers: checked on read, failures never stored.

Digests are stored as the JSON bytes the API sends for a hit, made from a validated model when the
digest was made and framed with a format version and a CRC-32: a hit is those bytes once the checksum
holds, not a re-validation and re-serialisation (issue 11: the hot path). The digests read or written
last are also kept in memory (`RECENT_BYTES` in all), so a repeated hit skips the disk read and the
checksum; the memory copy is the checked or freshly made bytes, and a write replaces it. With several
serving processes, a digest one of them re-made (`refresh=true`) reaches the others when their copy
leaves memory. LLM answers and requests are stored as model JSON and validated on read.

The cache never stops the service: a cache that cannot be opened because it is damaged ("file is not
a database") is moved aside (`<dir>.damaged-<time>`) and rebuilt empty; one that cannot be opened or
created at all (a full or read-only disk) leaves the service running without a cache. Both are logged
as warnings. A write that fails is reported to the caller (`put` returns False), which tells the
client in the digest.

Two layers share one store (docs/DESIGN.md §5):
- finished digests, keyed by everything that shapes them including the code that built them, so a
  change to the rules or the grounding is never served stale;
- raw LLM answers, keyed by what the model saw (model, prompt version, sampling, the request) but
  not by our code, so re-grounding after a code change costs no LLM call.
"""

from __future__ import annotations

import errno
import hashlib
import json
import logging
import sqlite3
import threading
import time
import zlib
from collections import OrderedDict
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

import diskcache
from pydantic import BaseModel, ValidationError

from schemas.digest import SCHEMA_VERSION
from schemas.request import DigestRequest
from service.paths import PACKAGE_ROOT

log = logging.getLogger(__name__)

ModelT = TypeVar("ModelT", bound=BaseModel)
_FRAME = b"json-1"  # stored JSON: b"json-1 <crc32 hex>\n" + the bytes
_PACKAGES = ("schemas", "service")
RECENT_BYTES = 64 * 1024 * 1024


def cache_key(request: DigestRequest, **material: Any) -> str:
    """Hash of the request, the schema version and whatever else can change the cached value."""
    content = {"schema": SCHEMA_VERSION, "request": request.model_dump(mode="json"), **material}
    encoded = json.dumps(content, ensure_ascii=False, sort_keys=True).encode("utf-8")
    return hashlib.sha256(encoded).hexdigest()


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """Hash of the code and data that turn an article or an LLM answer into a digest."""
    root = PACKAGE_ROOT
    digest = hashlib.sha256()
    for package in _PACKAGES:
        for path in sorted((root / package).rglob("*")):
            if path.is_file() and path.suffix in {".py", ".yaml", ".json", ".txt"}:
                digest.update(path.relative_to(root).as_posix().encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def open_store(directory: Path) -> diskcache.Cache | None:
    """The diskcache at `directory`, rebuilt if damaged; None when no cache can be had there."""
    try:
        return diskcache.Cache(str(directory))
    except (sqlite3.Error, OSError) as error:
        if _is_full(error):
            log.warning("the cache at %s cannot be opened (%s): running without a cache", directory, error)
            return None
        damage = error
    try:
        aside = _move_aside(directory)
        store = diskcache.Cache(str(directory))
    except (sqlite3.Error, OSError) as error:
        log.warning(
            "the cache at %s is unusable (%s; then %s): running without a cache", directory, damage, error
        )
        return None
    log.warning(
        "the cache at %s was damaged (%s): moved it to %s and started an empty one", directory, damage, aside
    )
    return store


def _is_full(error: BaseException) -> bool:
    if isinstance(error, OSError):
        return error.errno in (errno.ENOSPC, errno.EDQUOT, errno.EROFS)
    return "full" in str(error) or "readonly" in str(error)


def _move_aside(directory: Path) -> Path:
    stamp = time.strftime("%Y%m%dT%H%M%S")
    aside = directory.with_name(f"{directory.name}.damaged-{stamp}")
    suffix = 1
    while aside.exists():
        aside, suffix = directory.with_name(f"{directory.name}.damaged-{stamp}-{suffix}"), suffix + 1
    directory.rename(aside)
    return aside


def _unframed(raw: bytes) -> bytes | None:
    head, _, body = raw.partition(b"\n")
    return body if head == b"%s %08x" % (_FRAME, zlib.crc32(body)) else None


class RecentBodies:
    """JSON bodies by key, the most recently used first dropped last, at most `limit` bytes in all."""

    def __init__(self, limit: int = RECENT_BYTES) -> None:
        self._limit = limit
        self._size = 0
        self._bodies: OrderedDict[str, bytes] = OrderedDict()

    def get(self, key: str) -> bytes | None:
        body = self._bodies.get(key)
        if body is not None:
            self._bodies.move_to_end(key)
        return body

    def put(self, key: str, body: bytes) -> None:
        self.discard(key)
        if len(body) > self._limit:
            return
        self._bodies[key] = body
        self._size += len(body)
        while self._size > self._limit:
            self._size -= len(self._bodies.popitem(last=False)[1])

    def discard(self, key: str) -> None:
        if (old := self._bodies.pop(key, None)) is not None:
            self._size -= len(old)


class ModelCache:
    """pydantic models by key. Absent, corrupt or schema-incompatible entries are misses, never errors."""

    def __init__(self, directory: Path | None) -> None:
        self._directory = directory
        self._store = open_store(directory) if directory is not None else None
        self._recent = RecentBodies()
        self._lists: dict[str, diskcache.Deque[str]] = {}
        self._lists_lock = threading.Lock()

    def get(self, key: str, model: type[ModelT]) -> ModelT | None:
        """The model under `key`, stored by `put` or as JSON by `put_json`."""
        raw = self._read(key)
        text = self._checked(key, raw) if isinstance(raw, bytes) else raw
        if text is None:
            return None
        try:
            return model.model_validate_json(text)
        except (ValidationError, ValueError, TypeError):
            log.warning("cache entry %s is corrupt or from another schema; dropping it", key[:12])
            self._discard(key)
            return None

    def get_json(self, key: str) -> bytes | None:
        """The JSON stored by `put_json`, checked against its checksum only: the cheap read of a hit."""
        if (body := self._recent.get(key)) is not None:
            return body
        raw = self._read(key)
        body = self._checked(key, raw) if isinstance(raw, bytes) else None
        if body is not None:
            self._recent.put(key, body)
        return body

    def _checked(self, key: str, raw: bytes) -> bytes | None:
        body = _unframed(raw)
        if body is None:
            log.warning("cache entry %s fails its checksum or is of another format; dropping it", key[:12])
            self._discard(key)
        return body

    def put(self, key: str, value: BaseModel) -> bool:
        """Store `value`; False when it was not stored (no cache, or the write failed)."""
        return self._write(key, value.model_dump_json())

    def put_json(self, key: str, body: bytes) -> bool:
        """Store JSON bytes validated by the caller, framed with a format version and a checksum."""
        self._recent.discard(key)
        stored = self._write(key, b"%s %08x\n%s" % (_FRAME, zlib.crc32(body), body))
        if stored:
            self._recent.put(key, body)
        return stored

    def _read(self, key: str) -> Any:
        if self._store is None:
            return None
        try:
            return self._store.get(key)
        except Exception:  # a damaged cache must never take a request down
            log.warning("cache read failed; treating as a miss", exc_info=True)
            return None

    def _write(self, key: str, value: str | bytes) -> bool:
        if self._store is None:
            return False
        try:
            self._store.set(key, value)
        except Exception:
            log.warning("cache write failed; the result is returned uncached", exc_info=True)
            return False
        return True

    def prepend(self, name: str, item: str, limit: int) -> bool:
        """Put `item` first in the list `name`, which keeps its newest `limit` items: one write, not a
        rewrite of the list. False when it was not stored."""
        items = self._list(name, limit)
        if items is None:
            return False
        try:
            items.appendleft(item)
        except Exception:
            log.warning("cache list write failed", exc_info=True)
            return False
        return True

    def items(self, name: str, limit: int) -> list[str]:
        """The items of the list `name`, newest first."""
        items = self._list(name, limit)
        try:
            return list(items) if items is not None else []
        except Exception:
            log.warning("cache list read failed; showing it empty", exc_info=True)
            return []

    def _list(self, name: str, limit: int) -> diskcache.Deque[str] | None:
        if self._store is None or self._directory is None:
            return None
        with self._lists_lock:
            if name not in self._lists:
                store = open_store(self._directory / "lists" / name)
                if store is None:
                    return None
                self._lists[name] = diskcache.Deque.fromcache(store, maxlen=limit)
            return self._lists[name]

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
        for items in self._lists.values():
            items.cache.close()

    def _discard(self, key: str) -> None:
        self._recent.discard(key)
        if self._store is None:
            return
        try:
            self._store.delete(key)
        except Exception:
            log.warning("could not delete cache entry", exc_info=True)
