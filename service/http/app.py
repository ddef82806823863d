"""The REST API (Litestar): POST /v1/digests, batch jobs at /v1/batches, GET /healthz, OpenAPI at /schema."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Litestar, MediaType, Request, Response, get, post
from litestar.config.cors import CORSConfig
from litestar.datastructures import State
from litestar.exceptions import HTTPException, ValidationException
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import JSONBody, Parameter
from litestar_saq import SAQPlugin

from schemas.digest import SCHEMA_VERSION, Digest
from schemas.request import DigestRequest
from service.errors import DigestError
from service.http.batches import batch_handlers
from service.http.docs import docs_assets, openapi_config
from service.http.gc_tuning import tune_garbage_collector
from service.http.hot_path import DIGESTS_PATH, CachedDigests, sends_json, served_headers
from service.http.observability import RequestObserver, configure_json_logging
from service.http.problems import (
    on_digest_error,
    on_http_error,
    on_undecodable_body,
    on_unexpected_error,
    on_validation_error,
    problem_responses,
)
from service.http.security import WINDOW_S, AccessGuard, ApiKeys, RateLimiter, SlidingWindowLimiter
from service.http.web.headers import HtmlSecurityHeaders
from service.http.web.plugin import WebPages
from service.metrics import METRICS_CONTENT_TYPE
from service.runtime.digester import Digester, EngineChoice, Served
from service.runtime.jobs import JobBackend, embedded_jobs
from service.runtime.redis_jobs import redis_jobs, saq_config
from service.runtime.redis_tier import RedisSlidingWindow
from service.settings import Settings, load_settings

VERSION = "0.1.0"


def require_json(request: Request[Any, Any, Any]) -> None:
    if not sends_json(request.scope):
        raise HTTPException(status_code=415, detail="unsupported media type")


DIGEST_ERRORS = {
    400: "The body is not JSON (malformed, empty, not UTF-8)",
    401: "An API key is needed (DIGEST_API_KEYS is set) and was missing or wrong",
    413: "The body is larger than DIGEST_MAX_BODY_BYTES",
    415: "The body is not sent as application/json",
    422: "The JSON is not a valid article (fields, types, empty text, bad date), or it took longer than "
    "DIGEST_ARTICLE_BUDGET_S to read",
    429: "This API key is over its rate limit; see Retry-After",
    502: "The LLM gave no usable answer (after retries and re-asks)",
    503: "The LLM is unavailable, rate-limited or not configured, or too many digests are queued",
    504: "The LLM did not answer in time",
}


def digest_response() -> ResponseSpec:
    """The 200 of POST /v1/digests in OpenAPI: the handler sends the digest's JSON bytes (see `serve`)."""
    return ResponseSpec(data_container=Digest, description="The digest", generate_examples=False)


def served_response(served: Served) -> Response[bytes]:
    return Response(served.body, media_type=MediaType.JSON, headers=served_headers(served))


async def serve_known_request(request: Request[Any, Any, Any]) -> Response[bytes] | None:
    """Runs after the app's guards, before the body is parsed: a JSON body already answered with this query
    string is a cache hit that needs no parsing or validation (the body is read within its size limit); any
    other request goes on to `create_digest`. Most hits never get here: `CachedDigests` (hot_path.py) serves
    them in front of Litestar; these are the ones it passes on (CORS requests). The JSON check is here, not
    a guard, because Litestar copies the route handler for every guard it calls (~20 µs, a tenth of a hit)."""
    require_json(request)
    digester: Digester = request.app.state.digester
    served = digester.serve_known(await request.body(), request.scope["query_string"])
    return served_response(served) if served is not None else None


@post(
    DIGESTS_PATH,
    before_request=serve_known_request,
    status_code=200,
    responses={200: digest_response(), **problem_responses(DIGEST_ERRORS)},
    summary="Digest one Arabic news article",
    description=(
        "Returns the events, actors, figures, quotes and an English summary of the article, each item "
        "with the exact character span of the article it came from. Errors are RFC 9457 problem details."
    ),
)
async def create_digest(
    request: Request[Any, Any, Any],
    state: State,
    data: JSONBody[DigestRequest],
    engine: Annotated[EngineChoice, Parameter(description="auto: the LLM when configured, else offline")] = (
        EngineChoice.auto
    ),
    refresh: Annotated[bool, Parameter(description="Ignore the cache and digest again")] = False,
    fallback: Annotated[
        bool, Parameter(description="With engine=auto, serve the offline digest if the LLM fails")
    ] = True,
) -> Response[bytes]:
    digester: Digester = state.digester
    served = await digester.serve(data, engine, refresh=refresh, fallback=fallback)
    if not refresh:
        digester.remember(await request.body(), request.scope["query_string"], data, engine)
    return served_response(served)


@get("/healthz", summary="Liveness and which engines are available")
async def healthz(state: State) -> dict[str, Any]:
    digester: Digester = state.digester
    return {
        "status": "ok",
        "version": VERSION,
        "schema_version": SCHEMA_VERSION,
        "engines": {"offline": True, "llm": digester.llm_available},
    }


@get("/metrics", include_in_schema=False, sync_to_thread=False)
def metrics(state: State) -> Response[bytes]:
    """Prometheus metrics of this app instance."""
    digester: Digester = state.digester
    return Response(digester.metrics.exposition(), media_type=METRICS_CONTENT_TYPE)


def cors_config(settings: Settings) -> CORSConfig | None:
    """CORS is off unless DIGEST_CORS_ORIGINS lists the origins allowed to call the API."""
    if not settings.cors_origins:
        return None
    return CORSConfig(
        allow_origins=settings.cors_origins,
        allow_methods=["GET", "POST"],
        allow_headers=["Authorization", "Content-Type", "X-API-Key", "X-Request-ID"],
        expose_headers=["X-Request-ID", "X-Digest-Cache", "X-Digest-Engine", "Retry-After"],
    )


def access_guard(settings: Settings) -> AccessGuard:
    """Keys and their rate limit: per process, or shared by every replica through Redis."""
    limiter: RateLimiter = (
        RedisSlidingWindow(settings.redis_url, settings.rate_limit_per_minute, WINDOW_S)
        if settings.redis_url is not None
        else SlidingWindowLimiter(settings.rate_limit_per_minute)
    )
    return AccessGuard(ApiKeys(settings.api_keys), limiter)


def job_backend(settings: Settings, digester: Digester) -> tuple[JobBackend, list[SAQPlugin]]:
    """Batch jobs in this process, or on SAQ workers through Redis (with the plugin that holds the queue)."""
    if settings.redis_url is None:
        return embedded_jobs(settings, digester), []
    plugin = SAQPlugin(saq_config(settings))
    return redis_jobs(settings, plugin), [plugin]


def serve_app() -> Litestar:
    """The app as `digest serve` runs it, once per worker process, with the collector tuned for serving."""
    settings = load_settings()
    tune_garbage_collector(settings.gc_gen0_threshold)
    return create_app(settings)


def create_app(settings: Settings | None = None, digester: Digester | None = None) -> Litestar:
    settings = settings or load_settings()
    digester = digester or Digester(settings)

    jobs, job_plugins = job_backend(settings, digester)

    async def close_digester() -> None:
        await digester.close()

    guard = access_guard(settings)
    configure_json_logging()
    app = Litestar(
        route_handlers=[create_digest, healthz, metrics, *docs_assets(), *batch_handlers(settings)],
        state=State(
            {"digester": digester, "settings": settings, "job_store": jobs.store, "job_queue": jobs.queue}
        ),
        on_startup=[jobs.start],
        on_shutdown=[jobs.stop, close_digester],
        request_max_body_size=settings.max_body_bytes,
        guards=[guard],
        cors_config=cors_config(settings),
        openapi_config=openapi_config("Arabic news digest", VERSION),
        plugins=[WebPages(), *job_plugins],  # the editor's pages: /, /d/{key}, /static (service/http/web)
        exception_handlers={
            DigestError: on_digest_error,
            ValidationException: on_validation_error,
            HTTPException: on_http_error,
            RecursionError: on_undecodable_body,
            UnicodeDecodeError: on_undecodable_body,
            Exception: on_unexpected_error,
        },
        logging_config=None,  # logs are JSON lines from service.http.observability, not Litestar's format
    )
    secured = HtmlSecurityHeaders(app.asgi_handler)  # every HTML response, error pages included
    hits = CachedDigests(secured, digester, guard, settings.max_body_bytes, cors=bool(settings.cors_origins))
    app.asgi_handler = RequestObserver(hits, digester.metrics)  # sees 401/404/413 and the fast path too
    return app
