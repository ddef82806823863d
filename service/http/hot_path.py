"""The cache-hit fast path of POST /v1/digests, an ASGI wrapper in front of Litestar.

A JSON body already answered with the same query string (`Digester.serve_known`) is served its stored
bytes here, after the app's own access guard, without Litestar's routing, handler, request and response
objects (`bench/bench_cache_hit.py`). Everything else goes on to Litestar unchanged: another route, a
refusal of the guard (Litestar's guard raises the same decision again, so the problem details are
Litestar's), a body over DIGEST_MAX_BODY_BYTES (Litestar's 413), a body not seen before. What was read of
the body is replayed to Litestar, so nothing is read twice or lost. A CORS request (an Origin header
when DIGEST_CORS_ORIGINS is set) goes to Litestar's CORS middleware too, where
`service.http.app.serve_known_request` still answers it from the cache.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping
from typing import Any, cast

from litestar._asgi.utils import is_valid_host
from litestar.enums import MediaType
from litestar.types import ASGIApp, Receive, ReceiveMessage, Scope, Send

from service.http.observability import header_value
from service.http.security import AccessGuard
from service.runtime.digester import Digester, Served

DIGESTS_PATH = "/v1/digests"
JSON_TYPE = MediaType.JSON.value.encode()


def sends_json(scope: Mapping[str, Any]) -> bool:
    content_type = header_value(scope, b"content-type") or ""
    return content_type.split(";")[0].strip().lower() == MediaType.JSON.value


def served_headers(served: Served) -> dict[str, str]:
    """The digest headers of a served digest, beside its content type (application/json)."""
    return {"X-Digest-Cache": "hit" if served.cached else "miss", "X-Digest-Engine": served.engine.value}


class CachedDigests:
    """ASGI wrapper: cache hits of POST /v1/digests answered without Litestar, the rest passed on to it."""

    def __init__(
        self, app: ASGIApp, digester: Digester, guard: AccessGuard, max_body_bytes: int, *, cors: bool
    ) -> None:
        self._app = app
        self._digester = digester
        self._guard = guard
        self._max_body_bytes = max_body_bytes
        self._cors = cors

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not self._may_be_a_hit(scope):
            await self._app(scope, receive, send)
            return
        try:
            self._guard.admit(scope)
        except Exception:  # Litestar's guard raises the same refusal, and its handlers answer it
            await self._app(scope, receive, send)
            return
        received, body = await read_body(receive, self._max_body_bytes)
        served = self._digester.serve_known(body, scope["query_string"]) if body is not None else None
        if served is None:
            await self._app(scope, replay(received, receive), send)
            return
        scope["path_template"] = DIGESTS_PATH  # the metrics' route label, which Litestar's router sets
        await send_digest(send, served)

    def _may_be_a_hit(self, scope: Scope) -> bool:
        """What Litestar would route to `create_digest` with a JSON body and no CORS to answer; anything
        else, however rare, takes Litestar's path."""
        http = cast("Mapping[str, Any]", scope)
        return (
            http["type"] == "http"
            and http["method"] == "POST"
            and http["path"] == DIGESTS_PATH
            and not http.get("root_path")
            and sends_json(http)
            and is_valid_host((header_value(http, b"host") or "").encode("latin-1"))
            and not (self._cors and header_value(http, b"origin") is not None)
        )


async def read_body(receive: Receive, limit: int) -> tuple[list[ReceiveMessage], bytes | None]:
    """The messages received and the whole body, or no body when it grows past `limit` or the client
    leaves (reading stops there; the caller replays what was received)."""
    received: list[ReceiveMessage] = []
    size = 0
    while True:
        message = await receive()
        received.append(message)
        if message["type"] != "http.request":
            return received, None
        size += len(message.get("body", b""))
        if size > limit:
            return received, None
        if not message.get("more_body", False):
            return received, b"".join(cast("dict[str, bytes]", part).get("body", b"") for part in received)


def replay(received: list[ReceiveMessage], receive: Receive) -> Receive:
    """A `receive` that gives the messages already received, then the rest of the request."""
    pending = deque(received)

    async def replaying() -> ReceiveMessage:
        return pending.popleft() if pending else await receive()

    return cast("Receive", replaying)


async def send_digest(send: Send, served: Served) -> None:
    """The 200 Litestar sends for `service.http.app.served_response`, the same headers and bytes."""
    headers = [(name.lower().encode(), value.encode()) for name, value in served_headers(served).items()]
    headers += [(b"content-type", JSON_TYPE), (b"content-length", b"%d" % len(served.body))]
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send({"type": "http.response.body", "body": served.body, "more_body": False})
