"""The service's one entry point: pick an engine, use the cache, share identical work, fall back."""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass
from enum import StrEnum

from schemas.digest import Digest, DigestWarning, Engine, WarningCode
from schemas.request import DigestRequest
from service.engines.llm.batch_api import BatchAnswers, CollectedCall, PendingCall
from service.engines.llm.client import CallSlots, LLMClient
from service.engines.llm.engine import LLMAnswer, LLMEngine
from service.engines.llm.loop import on_llm_loop
from service.engines.llm.prompt import load_prompt
from service.engines.offline.engine import offline_draft
from service.errors import EngineUnavailable, UpstreamFailure
from service.metrics import Metrics
from service.runtime.backpressure import Limiter, llm_bounds, llm_slot_metrics
from service.runtime.cache import ModelCache, cache_key, code_fingerprint
from service.runtime.feedback import DigestFeedback, ItemFeedback, load_feedback, save_feedback
from service.runtime.known_requests import KnownRequests
from service.runtime.listing import Listing, recent, record
from service.runtime.redis_leases import RedisCallSlots, RedisFlights
from service.runtime.redis_tier import RedisCacheTier
from service.runtime.singleflight import SingleFlight
from service.runtime.workers import OfflineWorkers
from service.settings import Settings

log = logging.getLogger(__name__)


class EngineChoice(StrEnum):
    auto = "auto"
    llm = "llm"
    offline = "offline"


@dataclass(frozen=True, slots=True)
class Served:
    """A digest as the API sends it: its JSON, the engine that made it, whether it came from the cache."""

    body: bytes
    engine: Engine
    cached: bool


class Digester:
    def __init__(self, settings: Settings, llm_client: LLMClient | None = None) -> None:
        self._settings = settings
        self.metrics: Metrics = llm_client.metrics if llm_client else Metrics()
        self._llm = self._llm_engine(settings, llm_client or self._default_client(settings))
        self._limiter = Limiter(
            llm_bounds(settings.max_llm_in_flight, settings.max_llm_queue, settings.overload_retry_after_s),
            llm_slot_metrics(self.metrics),
        )
        self._offline = OfflineWorkers(
            settings.cpu_workers,
            settings.cpu_queue,
            settings.article_budget_s,
            settings.overload_retry_after_s,
            self.metrics,
        )
        self._cache = _cache_for(settings)
        self._flights: SingleFlight[Digest] = SingleFlight()
        self._shared_flights = _shared_flights(settings)
        self._known = KnownRequests()
        self._code = code_fingerprint()

    def _default_client(self, settings: Settings) -> LLMClient | None:
        if not settings.llm_configured:
            return None
        return LLMClient(settings, metrics=self.metrics, call_slots=shared_call_slots(settings))

    @staticmethod
    def _llm_engine(settings: Settings, client: LLMClient | None) -> LLMEngine | None:
        if client is None:
            return None
        return LLMEngine(client, load_prompt(settings.prompt_file), settings, drafter=offline_draft)

    @property
    def llm_available(self) -> bool:
        return self._llm is not None

    async def close(self) -> None:
        self._cache.close()
        if self._shared_flights is not None:
            await self._shared_flights.close()
        self._offline.close()
        if self._llm is not None:
            await on_llm_loop(self._llm.close())

    async def digest(
        self,
        request: DigestRequest,
        engine: EngineChoice = EngineChoice.auto,
        *,
        refresh: bool = False,
        fallback: bool = True,
    ) -> Digest:
        if self._first_engine(engine) is Engine.offline:
            return await self._cached(request, Engine.offline, refresh)
        try:
            return await self._cached(request, Engine.llm, refresh)
        except UpstreamFailure as failure:
            if engine is EngineChoice.llm or not fallback:
                raise
            log.warning("LLM failed (%s); serving the offline digest", failure.detail)
            self.metrics.fallbacks.inc()
            digest = await self._cached(request, Engine.offline, refresh)
            return _with_fallback_warning(digest, failure.detail)

    async def serve(
        self,
        request: DigestRequest,
        engine: EngineChoice = EngineChoice.auto,
        *,
        refresh: bool = False,
        fallback: bool = True,
    ) -> Served:
        """`digest`, as JSON: a cache hit is the stored bytes, checked by checksum, never re-parsed."""
        first = self._first_engine(engine)
        if not refresh and (body := self._cache.get_json(self.key_for(request, first))) is not None:
            self.metrics.cache_hits[first.value].inc()
            return Served(body, first, cached=True)
        digest = await self.digest(request, engine, refresh=refresh, fallback=fallback)
        return Served(digest.model_dump_json().encode(), digest.provenance.engine, digest.provenance.cached)

    def serve_known(self, body: bytes, query: bytes) -> Served | None:
        """The cache hit of a request body and query string that `remember` saw, without parsing it again."""
        known = self._known.get(body, query)
        if known is None:
            return None
        key, engine = known
        if (digest := self._cache.get_json(key)) is None:
            return None
        self.metrics.cache_hits[engine.value].inc()
        return Served(digest, engine, cached=True)

    def remember(self, body: bytes, query: bytes, request: DigestRequest, engine: EngineChoice) -> None:
        """Note that `body` with `query` is `request` asked of `engine` without refresh, so that `serve_known`
        can answer it from the cache (the key is computed once here, the digest is looked up there)."""
        first = self._first_engine(engine)
        self._known.add(body, query, self.key_for(request, first), first)

    def _first_engine(self, engine: EngineChoice) -> Engine:
        if engine is EngineChoice.offline or (engine is EngineChoice.auto and self._llm is None):
            return Engine.offline
        return Engine.llm

    def key_for(self, request: DigestRequest, engine: Engine) -> str:
        """The digest's cache key: what the engine saw, plus the code that built the digest."""
        material = self._llm_material() if engine is Engine.llm else {}
        return cache_key(request, kind="digest", engine=engine.value, code=self._code, **material)

    def answer_key(self, request: DigestRequest) -> str:
        """The cache key of the LLM's answers to `request` (what the model saw, not our code)."""
        return cache_key(request, kind="llm-answer", **self._llm_material())

    def _llm_material(self) -> dict[str, object]:
        llm = self._require_llm()
        sampling = {
            "temperature": self._settings.llm_temperature,
            "mode": self._settings.llm_mode,
            "max_tokens": self._settings.llm_max_output_tokens,
            "reasks": self._settings.llm_reasks,
            "context_tokens": self._settings.llm_context_tokens,
        }
        endpoint = self._settings.llm_base_url or "openai"
        return {"endpoint": endpoint, "model": llm.model, "prompt": llm.prompt_version, "sampling": sampling}

    @property
    def cache(self) -> ModelCache:
        """The digest cache, for what the runtime keeps beside the digests (a provider batch's results)."""
        return self._cache

    async def digest_answered(
        self, request: DigestRequest, lookup: Callable[[str], CollectedCall | None]
    ) -> Digest | list[bytes]:
        """The LLM digest of `request` with its calls answered from a provider batch's results (`lookup`
        by custom_id), cached as the engine's own; or the request lines of the calls it still needs."""
        key = self.key_for(request, Engine.llm)
        if (hit := self._cache.get(key, Digest)) is not None:
            return _mark_cached(hit)
        llm = self._require_llm()
        answers = BatchAnswers(llm.model, self.metrics, self.answer_key(request), lookup)
        engine = llm.answered_by(answers)
        try:
            answer = await engine.answer(request)
        except PendingCall:
            return answers.pending
        digest = await engine.digest_from(request, answer, replayed=False)
        if not answer.failed_tasks:
            self._cache.put(self.answer_key(request), answer)
            self._store(key, request, digest)
        return digest

    @property
    def cache_enabled(self) -> bool:
        return self._settings.cache_enabled

    def recent(self, query: str = "") -> list[Listing]:
        """The digests kept in the cache, newest first, filtered by the words of `query`."""
        return recent(self._cache, query)

    def feedback(self, key: str) -> DigestFeedback:
        return load_feedback(self._cache, key)

    def save_feedback(self, key: str, entry: ItemFeedback) -> bool:
        return save_feedback(self._cache, key, entry)

    def lookup(self, key: str) -> tuple[DigestRequest, Digest] | None:
        """A digest made earlier and the request it answers, by cache key (for shareable links)."""
        digest = self._cache.get(key, Digest)
        request = self._cache.get(_request_key(key), DigestRequest) if digest is not None else None
        return (request, _mark_cached(digest)) if request is not None and digest is not None else None

    async def _cached(self, request: DigestRequest, engine: Engine, refresh: bool) -> Digest:
        key = self.key_for(request, engine)
        if not refresh and (hit := self._cache.get(key, Digest)) is not None:
            self.metrics.cache_hits[engine.value].inc()
            return _mark_cached(hit)
        self.metrics.cache_lookups.labels(engine.value, "miss").inc()

        flights = self._shared_flights if engine is Engine.llm else None  # offline costs no LLM call

        async def produce() -> Digest:
            async with flights.hold(key) if flights is not None else nullcontext():
                if flights is not None and not refresh and (made := self._cache.get(key, Digest)) is not None:
                    return _mark_cached(made)  # by the replica this one waited for
                digest = await self._produce(request, engine, refresh)
                if not digest.provenance.failed_tasks:  # a partial digest is asked again next time
                    self._store(key, request, digest)
                return digest

        return await self._flights.run(key, produce)

    def _store(self, key: str, request: DigestRequest, digest: Digest) -> None:
        """Keep the digest under `key` (its shareable link); if the cache cannot, the digest says so."""
        digest.provenance.cache_key = key
        served = digest.model_copy(
            update={"provenance": digest.provenance.model_copy(update={"cached": True})}
        )
        if self._cache.put(_request_key(key), request) and self._cache.put_json(
            key, served.model_dump_json().encode()
        ):
            record(self._cache, key, request, digest)
            return
        digest.provenance.cache_key = None
        if self._settings.cache_enabled:
            self.metrics.cache_write_failures.inc()
            digest.warnings.append(DigestWarning(code=WarningCode.not_stored, message=_NOT_STORED))

    async def _produce(self, request: DigestRequest, engine: Engine, refresh: bool) -> Digest:
        if engine is Engine.offline:
            return await self._offline.digest(request)
        llm = self._require_llm()
        answer_key = self.answer_key(request)
        answer = None if refresh else self._cache.get(answer_key, LLMAnswer)
        if answer is not None:
            return await llm.digest_from(request, answer, replayed=True)
        async with self._limiter.slot():
            answer = await on_llm_loop(llm.answer(request))
        digest = await llm.digest_from(request, answer, replayed=False)
        if not answer.failed_tasks:  # only a whole answer that made a digest is worth replaying
            self._cache.put(answer_key, answer)
        return digest

    def _require_llm(self) -> LLMEngine:
        if self._llm is None:
            raise EngineUnavailable(
                "no LLM endpoint is configured: set DIGEST_LLM_BASE_URL (or OPENAI_BASE_URL) and "
                "DIGEST_LLM_API_KEY (or OPENAI_API_KEY), or use engine=offline"
            )
        return self._llm


def shared_call_slots(settings: Settings) -> CallSlots | None:
    """The LLM call limit across replicas when they share Redis (None: the client keeps its own)."""
    if settings.redis_url is None:
        return None
    endpoint = settings.llm_base_url or "openai"
    return RedisCallSlots(
        settings.redis_url, endpoint, settings.llm_max_concurrent_calls, settings.redis_lease_s
    )


def _shared_flights(settings: Settings) -> RedisFlights | None:
    if settings.redis_url is None:
        return None
    return RedisFlights(settings.redis_url, settings.redis_lease_s, wait_s=settings.llm_digest_budget_s)


def _cache_for(settings: Settings) -> ModelCache:
    """The local diskcache, with Redis in front of it when replicas share one (DIGEST_REDIS_URL)."""
    if not settings.cache_enabled:
        return ModelCache(None)
    if settings.redis_url is not None:
        return RedisCacheTier(settings.redis_url, settings.cache_dir, settings.redis_cache_ttl_s)
    return ModelCache(settings.cache_dir)


_NOT_STORED = (
    "the server's cache could not store this digest (see its log: a full or damaged disk): it has no "
    "shareable link, and the same request will be digested again"
)


def _request_key(key: str) -> str:
    return f"{key}:request"


def _mark_cached(digest: Digest) -> Digest:
    digest.provenance.cached = True
    return digest


def _with_fallback_warning(digest: Digest, reason: str) -> Digest:
    copy = digest.model_copy(deep=True)
    copy.warnings.insert(
        0,
        DigestWarning(
            code=WarningCode.llm_failed_offline_fallback,
            message=f"the LLM engine failed ({reason}); this digest is from the rules-based offline engine",
        ),
    )
    return copy
