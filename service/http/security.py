"""Access: optional API keys (constant-time check) and a per-key rate limit.

With no key configured, everything is open and unlimited (local use). With keys, every route needs
one except the public ones (health, metrics, OpenAPI); a missing or wrong key is a 401 with
`WWW-Authenticate`, a key over its budget a 429 with `Retry-After`. Keys are never logged: logs
carry a short hash of the key (`api_key_id`) instead.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import math
import time
from collections import deque
from collections.abc import Callable, Sequence
from typing import Any, Protocol, cast
from urllib.parse import parse_qsl

from litestar.connection import ASGIConnection
from litestar.datastructures import Headers
from litestar.exceptions import ClientException, NotAuthorizedException, TooManyRequestsException
from litestar.handlers import BaseRouteHandler
from litestar.types import Scope
from pydantic import SecretStr

PUBLIC_PATHS = ("/healthz", "/metrics")
KEY_PARAMETERS = frozenset({"api_key", "apikey", "api-key", "key", "token", "access_token"})
PUBLIC_PREFIXES = ("/schema",)
CHALLENGE = 'Bearer realm="digest", Basic realm="digest"'
WINDOW_S = 60.0
_DECISION = "access_decision"  # scope state: None when admitted, else the refusal raised


def key_id(key: bytes) -> str:
    """A short, non-reversible name of a key, safe to log."""
    return "key-" + hashlib.sha256(key).hexdigest()[:10]


class ApiKeys:
    """The configured keys; a presented key is compared with every one of them in constant time."""

    def __init__(self, keys: Sequence[SecretStr]) -> None:
        self._digests = [_digest(key.get_secret_value().encode("utf-8")) for key in keys]
        self._ids = [key_id(key.get_secret_value().encode("utf-8")) for key in keys]

    @property
    def enabled(self) -> bool:
        return bool(self._digests)

    def identify(self, presented: str) -> str | None:
        """The id of the matching key, or None. Comparing fixed-length digests hides the length."""
        candidate = _digest(presented.encode("utf-8"))
        found: str | None = None
        for digest, ident in zip(self._digests, self._ids, strict=True):
            if hmac.compare_digest(candidate, digest):  # no early exit: every key is compared
                found = ident
        return found


class SlidingWindowLimiter:
    """At most `limit` hits per key in any `window_s` seconds; memory is one deque per key."""

    def __init__(
        self, limit: int, window_s: float = WINDOW_S, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._limit = limit
        self._window = window_s
        self._clock = clock
        self._hits: dict[str, deque[float]] = {}

    def hit(self, key: str) -> float | None:
        """Record a hit; None when allowed, else the seconds until the oldest hit leaves the window."""
        if self._limit <= 0:
            return None
        now = self._clock()
        hits = self._hits.setdefault(key, deque())
        while hits and hits[0] <= now - self._window:
            hits.popleft()
        if len(hits) >= self._limit:
            return hits[0] + self._window - now
        hits.append(now)
        return None


class RateLimiter(Protocol):
    def hit(self, key: str) -> float | None:
        """Record a hit; None when allowed, else the seconds to wait."""
        ...


class AccessGuard:
    """A Litestar guard for the whole app: key check, then the key's rate limit. The cache-hit fast path
    (`service.http.hot_path`) asks it too, before Litestar sees the request; each request is decided once,
    by whichever asks first, and every later ask gets the same answer (one rate-limit hit a request)."""

    def __init__(self, keys: ApiKeys, limiter: RateLimiter) -> None:
        self._keys = keys
        self._limiter = limiter

    async def __call__(self, connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
        """Async, so Litestar runs it on the event loop: a sync guard would go to the default thread pool
        and wait there behind any slow work."""
        self.admit(connection.scope)

    def admit(self, scope: Scope) -> None:
        """Return when the request may go on, else raise its refusal (401, 429, 400 for a key in the URL,
        503 when the shared rate limit is unreachable); the decision is kept in the request's scope state."""
        state = cast("dict[str, Any]", scope).setdefault("state", {})  # a server may send none
        if _DECISION not in state:
            state[_DECISION] = self._refusal(scope)
        if (refusal := state[_DECISION]) is not None:
            raise refusal

    def _refusal(self, scope: Scope) -> Exception | None:
        try:
            self._decide(scope)
        except Exception as refusal:
            return refusal
        return None

    def _decide(self, scope: Scope) -> None:
        refuse_keys_in_url(scope["query_string"])
        if not self._keys.enabled or is_public(scope["path"]):
            return
        presented = presented_key(Headers.from_scope(scope))
        ident = self._keys.identify(presented) if presented else None
        if ident is None:
            raise NotAuthorizedException(
                detail=_unauthorized_detail(presented), headers={"WWW-Authenticate": CHALLENGE}
            )
        scope["state"]["api_key_id"] = ident
        wait = self._limiter.hit(ident)
        if wait is not None:
            raise TooManyRequestsException(
                detail="this API key is over its rate limit (DIGEST_RATE_LIMIT_PER_MINUTE); "
                "retry after the number of seconds in Retry-After",
                headers={"Retry-After": str(max(1, math.ceil(wait)))},
            )


def refuse_keys_in_url(query_string: bytes) -> None:
    """A key in the URL ends up in logs, proxies and browser histories: refuse it, whether keys are on."""
    if not query_string or _clearly_keyless(query_string):
        return
    names = {name.lower() for name, _ in parse_qsl(query_string.decode("latin-1"), keep_blank_values=True)}
    if names & KEY_PARAMETERS:
        raise ClientException(
            status_code=400,
            detail="send the API key in the Authorization (Bearer KEY) or X-API-Key header, never in the "
            "URL: URLs are logged and kept in histories",
        )


def _clearly_keyless(query_string: bytes) -> bool:
    """No parameter name can be a key: every key name holds "key" or "token", and nothing is escaped."""
    lowered = query_string.lower()
    return b"%" not in lowered and b"key" not in lowered and b"token" not in lowered


def is_public(path: str) -> bool:
    return path in PUBLIC_PATHS or path.startswith(PUBLIC_PREFIXES)


def presented_key(headers: Any) -> str | None:
    """The key from `Authorization: Bearer KEY`, `Authorization: Basic` (password) or `X-API-Key`."""
    authorization = str(headers.get("authorization", "")).strip()
    scheme, _, credentials = authorization.partition(" ")
    if scheme.lower() == "bearer" and credentials.strip():
        return credentials.strip()
    if scheme.lower() == "basic" and credentials.strip():
        return _basic_password(credentials.strip())
    api_key = str(headers.get("x-api-key", "")).strip()
    return api_key or None


def _basic_password(credentials: str) -> str | None:
    try:
        decoded = base64.b64decode(credentials, validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    return decoded.partition(":")[2] or None


def _digest(key: bytes) -> bytes:
    return hashlib.sha256(key).digest()


def _unauthorized_detail(presented: str | None) -> str:
    if presented is None:
        return "this server needs an API key: send Authorization: Bearer KEY (or X-API-Key: KEY)"
    return "the API key is not valid: send one of the keys in the server's DIGEST_API_KEYS"
