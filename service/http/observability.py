"""Observability: request ids, one structured JSON log line and the HTTP metrics per request.

Every app instance gets its own metrics registry (tests never collide). The request observer wraps
the whole ASGI app, so 401s, 404s and 413s are counted and logged too. Logs never hold the article
text, the query string or an API key: only what is listed in `_access_fields`.
"""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from collections.abc import Mapping
from contextvars import ContextVar
from typing import Any, cast

from litestar.types import ASGIApp, Message, Receive, Scope, Send

from service.metrics import Metrics

_SANE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:@/+=-]{1,128}$")
_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
_LOGGED_PATH_CHARS = 300

request_id_var: ContextVar[str | None] = ContextVar("request_id", default=None)
access_log = logging.getLogger("service.access")


def sane_request_id(value: str | None) -> str:
    """The caller's request id if it is short and plain, else a fresh one."""
    if value and _SANE_REQUEST_ID.fullmatch(value):
        return value
    return uuid.uuid4().hex


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request id and any `fields`."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S") + f".{int(record.msecs):03d}",
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = request_id_var.get()
        if request_id:
            entry["request_id"] = request_id
        entry.update(getattr(record, "fields", {}))
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def configure_json_logging(level: int = logging.INFO) -> None:
    """Send the service's logs to stderr as JSON lines (idempotent)."""
    logger = logging.getLogger("service")
    if any(isinstance(handler.formatter, JsonFormatter) for handler in logger.handlers):
        return
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter())
    logger.addHandler(handler)
    logger.setLevel(level)


class RequestObserver:
    """ASGI wrapper: request id in and out, one access log line and the HTTP metrics per request."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self._app = app
        self._metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        http = cast("Mapping[str, Any]", scope)
        if http["type"] != "http":
            await self._app(scope, receive, send)
            return
        request_id = sane_request_id(header_value(http, b"x-request-id"))
        token = request_id_var.set(request_id)
        started = time.perf_counter()
        seen: dict[str, str] = {"status": "500"}

        async def send_with_id(message: Message) -> None:
            event = cast("dict[str, Any]", message)
            if event["type"] == "http.response.start":
                seen.update(_response_facts(event))
                event["headers"] = [*event.get("headers", []), (b"x-request-id", request_id.encode())]
            await send(message)

        try:
            await self._app(scope, receive, send_with_id)
        finally:
            self._record(http, seen, time.perf_counter() - started)
            request_id_var.reset(token)

    def _record(self, scope: Mapping[str, Any], seen: dict[str, str], duration: float) -> None:
        route = scope.get("path_template") or "unmatched"
        self._metrics.http_requests.labels(_method(scope), route, f"{seen['status'][0]}xx").inc()
        self._metrics.http_latency.labels(route).observe(duration)
        fields = _access_fields(scope, seen, duration)
        access_log.info(
            "%s %s %s", fields["method"], fields["path"], seen["status"], extra={"fields": fields}
        )


def _access_fields(scope: Mapping[str, Any], seen: dict[str, str], duration: float) -> dict[str, Any]:
    state = scope.get("state") or {}
    return {
        "request_id": request_id_var.get(),
        "method": _method(scope),
        "path": scope["path"][:_LOGGED_PATH_CHARS],
        "status": int(seen["status"]),
        "duration_ms": round(duration * 1000, 2),
        "engine": seen.get("engine"),
        "cache_hit": {"hit": True, "miss": False}.get(seen.get("cache", "")),
        "api_key_id": state.get("api_key_id"),
    }


def _method(scope: Mapping[str, Any]) -> str:
    """The method as a label and a log field: one of the standard ones, else "other" (a client can send
    any token as a method, of any length)."""
    method = str(scope["method"])
    return method if method in _METHODS else "other"


def _response_facts(event: Mapping[str, Any]) -> dict[str, str]:
    facts = {"status": str(event["status"])}
    for name, value in event.get("headers", []):
        lowered = bytes(name).lower()
        if lowered == b"x-digest-engine":
            facts["engine"] = bytes(value).decode("latin-1")
        elif lowered == b"x-digest-cache":
            facts["cache"] = bytes(value).decode("latin-1")
    return facts


def header_value(scope: Mapping[str, Any], name: bytes) -> str | None:
    """A request header straight from the ASGI scope (`name` in lower case), without building Litestar's
    header mapping."""
    for key, value in scope.get("headers", []):
        if bytes(key).lower() == name:
            return bytes(value).decode("latin-1")
    return None
