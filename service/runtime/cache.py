"""The cache (diskcache) of digests and of LLM answers: validated on read, failures never stored.

Two layers share one store (docs/DESIGN.md §5):
- finished digests, keyed by everything that shapes them including the code that built them, so a
  change to the rules or the grounding is never served stale;
- raw LLM answers, keyed by what the model saw (model, prompt version, sampling, the request) but
  not by our code, so re-grounding after a code change costs no LLM call.
"""

from __future__ import annotations

import hashlib
import json
import logging
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
_PACKAGES = ("schemas", "service")


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


class ModelCache:
    """pydantic models by key. Absent, corrupt or schema-incompatible entries are misses, never errors."""

    def __init__(self, directory: Path | None) -> None:
        self._store = diskcache.Cache(str(directory)) if directory is not None else None

    def get(self, key: str, model: type[ModelT]) -> ModelT | None:
        if self._store is None:
            return None
        try:
            raw = self._store.get(key)
        except Exception:  # a damaged cache must never take a request down
            log.warning("cache read failed; treating as a miss", exc_info=True)
            return None
        if raw is None:
            return None
        try:
            return model.model_validate_json(raw)
        except (ValidationError, ValueError, TypeError):
            log.warning("cache entry %s is corrupt or from another schema; dropping it", key[:12])
            self._discard(key)
            return None

    def put(self, key: str, value: BaseModel) -> None:
        if self._store is None:
            return
        try:
            self._store.set(key, value.model_dump_json())
        except Exception:
            log.warning("cache write failed; the result is returned uncached", exc_info=True)

    def close(self) -> None:
        if self._store is not None:
            self._store.close()

    def _discard(self, key: str) -> None:
        if self._store is None:
            return
        try:
            self._store.delete(key)
        except Exception:
            log.warning("could not delete cache entry", exc_info=True)
