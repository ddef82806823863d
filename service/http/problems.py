"""RFC 9457 problem details for every error response."""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from enum import Enum
from http import HTTPStatus
from typing import Any

from litestar import Request, Response
from litestar.exceptions import HTTPException, ValidationException
from litestar.openapi.datastructures import ResponseSpec

from service.errors import DigestError

log = logging.getLogger(__name__)

PROBLEM_JSON = "application/problem+json"


@dataclass
class ProblemDetails:
    """RFC 9457 problem details, the body of every error response."""

    type: str
    title: str
    status: int
    detail: str
    instance: str
    errors: list[dict[str, Any]] | None = None


def problem_responses(reasons: dict[int, str]) -> dict[int, ResponseSpec]:
    """OpenAPI entries for the error statuses a route can answer, all problem details."""
    return {
        status: ResponseSpec(
            data_container=ProblemDetails,
            description=reason,
            media_type=PROBLEM_JSON,
            generate_examples=False,
        )
        for status, reason in reasons.items()
    }


def problem(
    request: Request[Any, Any, Any],
    status: int,
    title: str,
    detail: str,
    *,
    slug: str,
    retry_after: float | None = None,
    extra: dict[str, Any] | None = None,
) -> Response[dict[str, Any]]:
    body: dict[str, Any] = {
        "type": f"/problems/{slug}",
        "title": title,
        "status": status,
        "detail": detail,
        "instance": request.url.path,
        **(extra or {}),
    }
    headers = {"Retry-After": str(math.ceil(retry_after))} if retry_after is not None else {}
    return Response(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def on_digest_error(request: Request[Any, Any, Any], error: DigestError) -> Response[dict[str, Any]]:
    extra = {"llm_usage": error.usage} if error.usage is not None else None
    return problem(
        request,
        error.status,
        error.title,
        error.detail,
        slug=error.slug,
        retry_after=error.retry_after,
        extra=extra,
    )


def on_validation_error(
    request: Request[Any, Any, Any], error: ValidationException
) -> Response[dict[str, Any]]:
    errors = error.extra if isinstance(error.extra, list) else []
    if _body_missing(errors):
        detail = 'the request body is empty: send a JSON object such as {"text": "..."}'
        return problem(request, 400, "Bad Request", detail, slug="malformed-request")
    errors = [_with_valid_values(request, item) for item in errors]
    messages = "; ".join(_describe(item) for item in errors) or str(error.detail)
    in_query = bool(errors) and all(
        isinstance(item, dict) and item.get("source") == "query" for item in errors
    )
    return problem(
        request,
        422,
        "A query parameter is not valid" if in_query else "The request body is not a valid article",
        messages,
        slug="invalid-request",
        extra={"errors": errors},
    )


def _with_valid_values(request: Request[Any, Any, Any], item: Any) -> Any:
    """A query parameter's error with the values it accepts (`valid`), read from the handler's signature."""
    if not (isinstance(item, dict) and item.get("source") == "query"):
        return item
    parameter = request.route_handler.parsed_fn_signature.parameters.get(str(item.get("key")))
    annotation = parameter.annotation if parameter is not None else None
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return item | {"valid": [str(member.value) for member in annotation]}
    if annotation is bool:
        return item | {"valid": ["true", "false"]}
    return item


def on_http_error(request: Request[Any, Any, Any], error: HTTPException) -> Response[dict[str, Any]]:
    status = error.status_code
    slug = {
        400: "malformed-request",
        404: "not-found",
        405: "method-not-allowed",
        413: "body-too-large",
        415: "unsupported-media-type",
        401: "unauthorized",
        429: "rate-limited",
    }.get(status, "http-error")
    detail = _http_detail(status, str(error.detail), request.url.path)
    headers = getattr(error, "headers", None) or {}
    response = problem(request, status, _title(status), detail, slug=slug)
    response.headers.update(headers)
    return response


def on_undecodable_body(request: Request[Any, Any, Any], error: Exception) -> Response[dict[str, Any]]:
    """The JSON decoder's own failures that are not a DecodeError: bad UTF-8, absurd nesting."""
    if isinstance(error, RecursionError):
        reason = "the JSON is nested too deeply"
    elif isinstance(error, UnicodeDecodeError):
        reason = "the body is not valid UTF-8"
    else:
        return on_unexpected_error(request, error)
    return problem(
        request, 400, "Bad Request", _http_detail(400, reason, request.url.path), slug="malformed-request"
    )


def on_unexpected_error(request: Request[Any, Any, Any], error: Exception) -> Response[dict[str, Any]]:
    log.exception("unexpected error on %s", request.url.path, exc_info=error)
    return problem(
        request,
        500,
        "Internal error",
        "the service failed unexpectedly; the error is logged",
        slug="internal",
    )


def _describe(item: Any) -> str:
    if isinstance(item, dict):
        key = item.get("key")
        message = str(item.get("message", item))
        if item.get("valid"):
            message += f"; use one of: {', '.join(item['valid'])}"
        return f"{key}: {message}" if key else f'{message}: send a JSON object such as {{"text": "..."}}'
    return str(item)


def _body_missing(errors: list[Any]) -> bool:
    """Litestar reports an empty JSON body as the `data` parameter missing."""
    return any(
        isinstance(item, dict) and item.get("key") == "data" and item.get("source") == "body"
        for item in errors
    )


def _title(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def _http_detail(status: int, detail: str, path: str) -> str:
    too_large = (
        "DIGEST_MAX_BATCH_BYTES; split the batch"
        if path.startswith("/v1/batches")
        else "DIGEST_MAX_BODY_BYTES; send a shorter article"
    )
    hints = {
        400: f'{detail}: send a JSON object such as {{"text": "..."}} encoded as UTF-8',
        413: f"the request body is larger than {too_large}",
        415: "send the article as JSON with the header Content-Type: application/json",
    }
    return hints.get(status, detail)
