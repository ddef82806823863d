"""Digests through a provider's batch API, in rounds (`service.engines.llm.batch_api`, DESIGN §7).

`prepare` runs every article of INPUT through the Digester with its calls answered from the results
collected so far, and writes the calls it still needs to a request file; `collect` keeps a batch's
results in the digest cache, runs again the articles they answer and writes those that are now
digests (or problems) to OUT, in the line format of `digest batch`. Results and articles are kept in
the digest cache, so the rounds can run in different processes, days apart:

    batch-call:CUSTOM_ID      a CollectedCall (the completion, or the provider's error)
    batch-article:ARTICLE     the BatchItem (id and request) behind the custom_ids of ARTICLE
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from schemas.digest import Digest
from schemas.request import DigestRequest
from service.engines.llm.batch_api import CollectedCall, article_id, article_of
from service.errors import DigestError
from service.runtime.batch import (
    BadInput,
    BatchItem,
    BatchSummary,
    ResultFile,
    digest_line,
    pending_items,
    problem_body,
    problem_line,
)
from service.runtime.digester import Digester

CALL_PREFIX = "batch-call:"
ARTICLE_PREFIX = "batch-article:"


class BatchArticle(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    request: DigestRequest


@dataclass
class RoundSummary:
    """What a `prepare` or a `collect` did, article by article."""

    requests: int = 0
    waiting: int = 0
    digested: int = 0
    failed: int = 0
    already_done: int = 0
    unknown: int = 0
    bad_inputs: list[BadInput] = field(default_factory=list)
    cost_usd: float = 0.0


class ProviderBatch:
    def __init__(self, digester: Digester) -> None:
        self._digester = digester
        self._cache = digester.cache

    async def prepare(self, items: Iterable[BatchItem | BadInput], requests: Path) -> RoundSummary:
        """Write the calls the articles need next to `requests`; count the articles already digested."""
        reported = BatchSummary()  # collects the bad and repeated input items
        summary = RoundSummary(bad_inputs=reported.bad_inputs)
        with requests.open("wb") as out:
            for item in pending_items(items, set(), [reported]):
                self._remember(item)
                result = await self._run(item.request)
                if isinstance(result, list):
                    out.writelines(result)
                    summary.requests += len(result)
                    summary.waiting += 1
                elif isinstance(result, Digest):
                    summary.already_done += 1
                else:
                    summary.failed += 1
        return summary

    async def collect(self, calls: list[CollectedCall], out: ResultFile) -> RoundSummary:
        """Keep the results, then write every article they complete to `out` (a digest or a problem)."""
        summary = RoundSummary()
        for call in calls:
            self._cache.put(CALL_PREFIX + call.custom_id, call)
        for article in sorted({article_of(call.custom_id) for call in calls}):
            item = self._cache.get(ARTICLE_PREFIX + article, BatchArticle)
            if item is None:
                summary.unknown += 1
                continue
            if item.id in out.done:
                summary.already_done += 1
                continue
            result = await self._run(item.request)
            if isinstance(result, list):
                summary.waiting += 1
                continue
            if isinstance(result, Digest):
                await out.write(digest_line(item.id, result))
                summary.digested += 1
                summary.cost_usd += result.provenance.cost_usd or 0.0
            else:
                await out.write(problem_line(item.id, problem_body(result)))
                summary.failed += 1
            out.done.add(item.id)
        return summary

    async def _run(self, request: DigestRequest) -> Digest | list[bytes] | DigestError:
        try:
            return await self._digester.digest_answered(request, self._collected)
        except DigestError as error:
            return error

    def _collected(self, call_id: str) -> CollectedCall | None:
        return self._cache.get(CALL_PREFIX + call_id, CollectedCall)

    def _remember(self, item: BatchItem) -> None:
        article = article_id(self._digester.answer_key(item.request))
        if not self._cache.put(ARTICLE_PREFIX + article, BatchArticle(id=item.id, request=item.request)):
            raise DigestError(
                "the digest cache cannot store the batch's articles (DIGEST_CACHE_ENABLED, a full disk?): "
                "collect could not match the results to them"
            )
