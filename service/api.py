"""The REST API (Litestar): POST /v1/digests, GET /healthz, OpenAPI at /schema."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Litestar, Response, get, post
from litestar.connection import ASGIConnection
from litestar.datastructures import State
from litestar.exceptions import HTTPException, ValidationException
from litestar.handlers import BaseRouteHandler
from litestar.openapi import OpenAPIConfig
from litestar.params import JSONBody, Parameter

from schemas.digest import SCHEMA_VERSION, Digest
from schemas.request import DigestRequest
from service.digester import Digester, EngineChoice
from service.errors import DigestError
from service.problems import on_digest_error, on_http_error, on_unexpected_error, on_validation_error
from service.settings import Settings, load_settings

VERSION = "0.1.0"


def require_json(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
    content_type = connection.headers.get("content-type", "")
    if content_type.split(";")[0].strip().lower() != "application/json":
        raise HTTPException(status_code=415, detail="unsupported media type")


@post(
    "/v1/digests",
    guards=[require_json],
    status_code=200,
    summary="Digest one Arabic news article",
    description=(
        "Returns the events, actors, figures, quotes and an English summary of the article, each item "
        "with the exact character span of the article it came from. Errors are RFC 9457 problem details."
    ),
)
async def create_digest(
    state: State,
    data: JSONBody[DigestRequest],
    engine: Annotated[EngineChoice, Parameter(description="auto: the LLM when configured, else offline")] = (
        EngineChoice.auto
    ),
    refresh: Annotated[bool, Parameter(description="Ignore the cache and digest again")] = False,
    fallback: Annotated[
        bool, Parameter(description="With engine=auto, serve the offline digest if the LLM fails")
    ] = True,
) -> Response[Digest]:
    digester: Digester = state.digester
    digest = await digester.digest(data, engine, refresh=refresh, fallback=fallback)
    headers = {"X-Digest-Cache": "hit" if digest.provenance.cached else "miss"}
    return Response(digest, headers=headers)


@get("/healthz", summary="Liveness and which engines are available")
async def healthz(state: State) -> dict[str, Any]:
    digester: Digester = state.digester
    return {
        "status": "ok",
        "version": VERSION,
        "schema_version": SCHEMA_VERSION,
        "engines": {"offline": True, "llm": digester.llm_available},
    }


def create_app(settings: Settings | None = None, digester: Digester | None = None) -> Litestar:
    settings = settings or load_settings()
    digester = digester or Digester(settings)

    async def close_digester() -> None:
        await digester.close()

    return Litestar(
        route_handlers=[create_digest, healthz],
        state=State({"digester": digester, "settings": settings}),
        on_shutdown=[close_digester],
        request_max_body_size=settings.max_body_bytes,
        openapi_config=OpenAPIConfig(title="Arabic news digest", version=VERSION, path="/schema"),
        exception_handlers={
            DigestError: on_digest_error,
            ValidationException: on_validation_error,
            HTTPException: on_http_error,
            Exception: on_unexpected_error,
        },
    )
