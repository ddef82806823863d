"""Errors on the pages as pages (not JSON problem details), in plain words."""

from __future__ import annotations

import logging
from typing import Any

from litestar import Request
from litestar.exceptions import HTTPException
from litestar.response import Template

from service.errors import DigestError

log = logging.getLogger(__name__)

_PLAIN = {
    401: "This server needs an API key: sign in with it (any user name, the key as password).",
    404: "There is no page at this address.",
    413: "The article is too large to send. Paste a shorter article, or send it in parts.",
    429: "Too many requests with this key: wait a minute and try again.",
}


def http_error_page(_: Request[Any, Any, Any], error: HTTPException) -> Template:
    message = _PLAIN.get(
        error.status_code, f"The request could not be handled ({error.detail}). Go back and try again."
    )
    headers = dict(error.headers or {})  # WWW-Authenticate, Retry-After
    return _page(error.status_code, message, headers)


def digest_error_page(_: Request[Any, Any, Any], error: DigestError) -> Template:
    return _page(error.status, f"{error.title}: {error.detail}.")


def unexpected_error_page(_: Request[Any, Any, Any], error: Exception) -> Template:
    log.error("a page failed unexpectedly", exc_info=error)
    return _page(500, "The page failed unexpectedly; the error is logged. Try again.")


def _page(status: int, message: str, headers: dict[str, str] | None = None) -> Template:
    return Template(
        template_name="error.html",
        context={"status": status, "message": message},
        status_code=status,
        headers=headers or {},
    )
