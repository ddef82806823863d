"""One exception tree for everything the service reports to a caller.

Third-party errors (openai, instructor, pydantic) are translated into these at one
boundary each; the API turns them into RFC 9457 problem details.
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


class EngineUnavailable(DigestError):
    """The requested engine is not set up on this server (e.g. no LLM endpoint)."""

    status = 503
    slug = "engine-unavailable"
    title = "Engine not available"


class UpstreamError(DigestError):
    """The LLM answered, but not with something usable (bad output, refusal, rejected request)."""

    status = 502
    slug = "upstream-bad-response"
    title = "The LLM provider gave no usable answer"


class UpstreamUnavailable(DigestError):
    """The LLM provider is rate-limiting, failing or unreachable, after retries."""

    status = 503
    slug = "upstream-unavailable"
    title = "The LLM provider is unavailable"


class UpstreamTimeout(DigestError):
    status = 504
    slug = "upstream-timeout"
    title = "The LLM provider did not answer in time"


class Overloaded(DigestError):
    status = 503
    slug = "overloaded"
    title = "Too many digests in progress"
