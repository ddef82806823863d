"""Security headers of every HTML response: the article is untrusted text, so scripts and styles come
only from us. The pages' router sends them; `HtmlSecurityHeaders` adds them to any other HTML response
that lacks a policy (error pages raised before a route runs, 401 pages, the API docs)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

from litestar.datastructures import ResponseHeader
from litestar.types import ASGIApp, Message, Receive, Scope, Send

PAGE_POLICY = (
    "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
# Swagger UI and ReDoc (served from /schema/assets) start from an inline script holding the OpenAPI
# document; ReDoc's search runs in a worker it makes from a blob.
DOCS_POLICY = (
    "default-src 'none'; style-src 'self' 'unsafe-inline'; script-src 'self' 'unsafe-inline'; "
    "worker-src blob:; img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; "
    "frame-ancestors 'none'"
)
DOCS_PREFIX = "/schema"
_PLAIN_HEADERS = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin"}

SECURITY_HEADERS = [
    ResponseHeader(name="Content-Security-Policy", value=PAGE_POLICY),
    *(ResponseHeader(name=name, value=value) for name, value in _PLAIN_HEADERS.items()),
]


class HtmlSecurityHeaders:
    """ASGI wrapper: an HTML response without a Content-Security-Policy gets ours."""

    def __init__(self, app: ASGIApp) -> None:
        self._app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        http = cast("Mapping[str, Any]", scope)
        if http["type"] != "http":
            await self._app(scope, receive, send)
            return
        policy = DOCS_POLICY if http["path"].startswith(DOCS_PREFIX) else PAGE_POLICY

        async def send_secured(message: Message) -> None:
            event = cast("dict[str, Any]", message)
            if event["type"] == "http.response.start" and _needs_policy(event.get("headers", [])):
                event["headers"] = [*event.get("headers", []), *_security_headers(policy)]
            await send(message)

        await self._app(scope, receive, send_secured)


def _needs_policy(headers: list[tuple[bytes, bytes]]) -> bool:
    names: Mapping[bytes, bytes] = {bytes(name).lower(): bytes(value) for name, value in headers}
    html = names.get(b"content-type", b"").startswith(b"text/html")
    return html and b"content-security-policy" not in names


def _security_headers(policy: str) -> list[tuple[bytes, bytes]]:
    headers = {"Content-Security-Policy": policy, **_PLAIN_HEADERS}
    return [(name.lower().encode(), value.encode()) for name, value in headers.items()]
