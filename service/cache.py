"""The digest cache (diskcache): validated on read, failures never stored (DESIGN §5)."""

from __future__ import annotations

import hashlib
import json
import logging
from pathlib import Path
from typing import Any

import diskcache
from pydantic import ValidationError

from schemas.digest import SCHEMA_VERSION, Digest
from schemas.request import DigestRequest

log = logging.getLogger(__name__)


def cache_key(
    request: DigestRequest,
    *,
    engine: str,
    model: str | None,
    prompt_version: str | None,
    sampling: dict[str, Any],
) -> str:
    """Hash of everything that can change the digest of this article."""
    material = {
        "engine": engine,
        "model": model,
        "prompt": prompt_version,
        "schema": SCHEMA_VERSION,
        "sampling": sampling,
        "request": request.model_dump(mode="json"),
    }
    encoded = json.dumps(material, ensure_ascii=False, sort_keys=True).encode("utf-8")
    return hashlib.sha256(encoded).hexdigest()


class DigestCache:
    """A miss is returned for absent, corrupt or schema-incompatible entries; never an exception."""

    def __init__(self, directory: Path | None) -> None:
        self._store = diskcache.Cache(str(directory)) if directory is not None else None

    def get(self, key: str) -> Digest | None:
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
            return Digest.model_validate_json(raw)
        except (ValidationError, ValueError, TypeError):
            log.warning("cache entry %s is corrupt or from another schema; dropping it", key[:12])
            self._discard(key)
            return None

    def put(self, key: str, digest: Digest, request: DigestRequest) -> None:
        """Store the digest and the request it answers (the editor's page shows both)."""
        if self._store is None:
            return
        try:
            self._store.set(_request_key(key), request.model_dump_json())
            self._store.set(key, digest.model_dump_json())
        except Exception:
            log.warning("cache write failed; the digest is returned uncached", exc_info=True)

    def request_for(self, key: str) -> DigestRequest | None:
        if self._store is None:
            return None
        try:
            raw = self._store.get(_request_key(key))
            return DigestRequest.model_validate_json(raw) if raw is not None else None
        except Exception:
            log.warning("cached request %s is unreadable; treating as a miss", key[:12])
            return None

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


def _request_key(key: str) -> str:
    return f"{key}:request"
