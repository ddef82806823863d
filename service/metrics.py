"""The service's Prometheus metrics: one registry per app instance, so tests never collide."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

METRICS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
_LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120)


class Metrics:
    """The service's metrics, in a registry of its own."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        registry = self.registry
        self.http_requests = Counter(
            "digest_http_requests",
            "HTTP requests by method, route template and status",
            ["method", "route", "status"],
            registry=registry,
        )
        self.http_latency = Histogram(
            "digest_http_request_duration_seconds",
            "Time to answer an HTTP request, by route template",
            ["route"],
            buckets=_LATENCY_BUCKETS,
            registry=registry,
        )
        self.llm_calls = Counter(
            "digest_llm_calls", "HTTP calls to the LLM endpoint by outcome", ["outcome"], registry=registry
        )
        self.llm_tokens = Counter(
            "digest_llm_tokens", "Tokens billed by the LLM endpoint", ["kind"], registry=registry
        )
        self.llm_retries = Counter(
            "digest_llm_retries", "Transport retries of LLM calls by reason", ["reason"], registry=registry
        )
        self.llm_reasks = Counter(
            "digest_llm_reasks", "Re-asks after invalid or ungrounded LLM output", registry=registry
        )
        self.llm_failed_tasks = Counter(
            "digest_llm_failed_tasks",
            "LLM tasks of a digest that gave no usable answer (the digest served the others)",
            ["task"],
            registry=registry,
        )
        self.cache_lookups = Counter(
            "digest_cache_lookups",
            "Digest cache lookups by engine and result",
            ["engine", "result"],
            registry=registry,
        )
        self.cache_hits = {  # bound once: the hot path counts a hit without looking up its labels
            engine: self.cache_lookups.labels(engine, "hit") for engine in ("offline", "llm")
        }
        self.cache_write_failures = Counter(
            "digest_cache_write_failures", "Digests the cache could not store", registry=registry
        )
        self.fallbacks = Counter(
            "digest_fallbacks", "Offline digests served because the LLM failed", registry=registry
        )
        self.llm_rejected = Counter(
            "digest_llm_rejected", "Uncached LLM digests refused with 503 (queue full)", registry=registry
        )
        self.llm_in_flight = Gauge("digest_llm_in_flight", "LLM digests running", registry=registry)
        self.llm_waiting = Gauge("digest_llm_waiting", "LLM digests waiting for a slot", registry=registry)
        self.offline_rejected = Counter(
            "digest_offline_rejected", "Offline digests refused with 503 (queue full)", registry=registry
        )
        self.offline_in_flight = Gauge(
            "digest_offline_in_flight", "Offline digests running", registry=registry
        )
        self.offline_waiting = Gauge(
            "digest_offline_waiting", "Offline digests waiting for a worker", registry=registry
        )
        self.offline_over_budget = Counter(
            "digest_offline_over_budget",
            "Offline digests stopped after DIGEST_ARTICLE_BUDGET_S",
            registry=registry,
        )

    def exposition(self) -> bytes:
        return generate_latest(self.registry)
