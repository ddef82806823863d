"""One exception tree for everything the service reports to a caller.

    DigestError                  500  internal
    ├── EngineUnavailable        503  engine-unavailable   (no LLM configured)
    ├── Overloaded               503  overloaded           (LLM or offline queue full)
    ├── ArticleTooComplex        422  article-too-complex  (over DIGEST_ARTICLE_BUDGET_S in a worker)
    ├── MalformedBatch           400  malformed-batch      (a batch body that is not JSON / JSONL)
    ├── InvalidBatch             422  invalid-batch        (a batch with items that are not articles)
    ├── InvalidItem              422  invalid-item         (one such item, recorded in a job's results)
    ├── BatchNotFound            404  batch-not-found
    ├── UnsupportedBatchMedia    415  unsupported-media-type
    ├── SharedStoreUnavailable   503  shared-store-unavailable (Redis, DIGEST_REDIS_URL, unreachable)
    └── UpstreamFailure               the LLM provider failed us; `engine=auto` falls back to offline
        ├── UpstreamError        502  upstream-bad-response
        ├── UpstreamUnavailable  503  upstream-unavailable
        └── UpstreamTimeout      504  upstream-timeout

Third-party errors (openai, httpx) are translated into these in one table, in
`service.engines.llm.client`; the HTTP layer turns them into RFC 9457 problem details.
"""

from __future__ import annotations


class DigestError(Exception):
    """Base of every error the service reports; `status` is the HTTP status it maps to."""

    status = 500
    slug = "internal"
    title = "Internal error"

    def __init__(self, detail: str, *, retry_after: float | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.retry_after = retry_after
        self.usage: dict[str, object] | None = None  # what the LLM calls cost before the failure


class EngineUnavailable(DigestError):
    """The requested engine is not set up on this server (e.g. no LLM endpoint)."""

    status = 503
    slug = "engine-unavailable"
    title = "Engine not available"


class UpstreamFailure(DigestError):
    """The LLM provider gave no digest: the errors an offline fallback may stand in for."""

    status = 502


class UpstreamError(UpstreamFailure):
    """The LLM answered, but not with something usable (bad output, refusal, rejected request)."""

    status = 502
    slug = "upstream-bad-response"
    title = "The LLM provider gave no usable answer"


class UpstreamUnavailable(UpstreamFailure):
    """The LLM provider is rate-limiting, failing or unreachable, after retries."""

    status = 503
    slug = "upstream-unavailable"
    title = "The LLM provider is unavailable"


class UpstreamTimeout(UpstreamFailure):
    status = 504
    slug = "upstream-timeout"
    title = "The LLM provider did not answer in time"


class Overloaded(DigestError):
    status = 503
    slug = "overloaded"
    title = "Too many digests in progress"


class MalformedBatch(DigestError):
    status = 400
    slug = "malformed-batch"
    title = "The batch body cannot be read"


class InvalidBatch(DigestError):
    status = 422
    slug = "invalid-batch"
    title = "The batch holds items that are not valid articles"


class InvalidItem(DigestError):
    status = 422
    slug = "invalid-item"
    title = "The item is not a valid article"


class BatchNotFound(DigestError):
    status = 404
    slug = "batch-not-found"
    title = "No such batch job"


class UnsupportedBatchMedia(DigestError):
    status = 415
    slug = "unsupported-media-type"
    title = "Unsupported Media Type"


class ArticleTooComplex(DigestError):
    """Reading the article took longer than its time budget; its worker was stopped."""

    status = 422
    slug = "article-too-complex"
    title = "The article took too long to read"


class SharedStoreUnavailable(DigestError):
    status = 503
    slug = "shared-store-unavailable"
    title = "The shared store is unavailable"
