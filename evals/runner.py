"""Run an engine over every gold article through the real `Digester`, and score each digest.

* The LLM engine goes through the Digester's cache, so a re-run with the same prompt, model and
  sampling reuses the cached LLM answers (`refresh=True` asks again); they are re-grounded when the
  code changed. It never falls back to the offline engine: a failed article is recorded as failed,
  not scored as someone else's digest.
* The offline engine always runs afresh (cache off): it takes well under a second for the whole set,
  and its latency per article is only meaningful when measured.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import subprocess
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from evals.errors import EvalError
from evals.gold import REPO_ROOT, GoldArticle, load_gold
from evals.metrics import metrics_by_kind, set_metrics
from evals.paths import display_path
from evals.records import FIELDS, ArticleResult, RunConfig, RunRecord
from evals.scoring import score_article
from schemas.digest import SCHEMA_VERSION, Digest, Engine
from schemas.request import DigestRequest
from service.engines.llm.client import LLMClient
from service.engines.llm.prompt import load_prompt
from service.runtime.digester import Digester, EngineChoice
from service.settings import Settings

Progress = Callable[[str], None]

OFFLINE_CONCURRENCY = 4


@dataclass(frozen=True)
class RunOptions:
    engine: Engine
    gold_dir: Path
    refresh: bool = False
    concurrency: int | None = None  # None: what the engine can serve (see `concurrency_for`)


def concurrency_for(settings: Settings, options: RunOptions) -> int:
    """Articles at once: as asked, else the endpoint's `llm_max_concurrent_calls` for the LLM (more
    would only queue, and queued time would count against each digest), else 4 for the offline engine."""
    if options.concurrency is not None:
        return max(1, options.concurrency)
    return settings.llm_max_concurrent_calls if options.engine is Engine.llm else OFFLINE_CONCURRENCY


def _silent(_: str) -> None:
    return None


def engine_settings(settings: Settings, engine: Engine) -> Settings:
    """The settings the run uses: the offline engine never reads or writes the digest cache."""
    return settings.model_copy(update={"cache_enabled": False}) if engine is Engine.offline else settings


async def evaluate(
    settings: Settings,
    options: RunOptions,
    *,
    llm_client: LLMClient | None = None,
    progress: Progress = _silent,
) -> RunRecord:
    """Run `options.engine` over the gold set in `options.gold_dir` and score it."""
    gold = load_gold(options.gold_dir)
    if not gold:
        raise EvalError(
            f"no gold files (*.json) in {options.gold_dir}: pass --gold DIR or compile the gold set"
        )
    settings = engine_settings(settings, options.engine)
    digester = Digester(settings, llm_client)
    if options.engine is Engine.llm and not digester.llm_available:
        await digester.close()
        raise EvalError(
            "no LLM endpoint is configured: set DIGEST_LLM_BASE_URL (or OPENAI_BASE_URL) and "
            "DIGEST_LLM_API_KEY (or OPENAI_API_KEY), or run with --engine offline"
        )
    started_at, clock = dt.datetime.now(dt.UTC), time.perf_counter()
    try:
        results = await score_gold_set(gold, digester, options, concurrency_for(settings, options), progress)
    finally:
        await digester.close()
    config = run_config(settings, options, gold, started_at, time.perf_counter() - clock)
    failed = sum(1 for result in results if result.error is not None)
    return RunRecord(
        config=config,
        metrics=set_metrics([r.metrics for r in results], failed),
        metrics_by_kind=metrics_by_kind(results),
        articles=results,
    )


async def score_gold_set(
    gold: Sequence[GoldArticle],
    digester: Digester,
    options: RunOptions,
    concurrency: int,
    progress: Progress = _silent,
) -> list[ArticleResult]:
    """Every gold article digested (at most `concurrency` at a time) and scored, in gold order."""
    slots = asyncio.Semaphore(max(1, concurrency))
    done = 0

    async def one(article: GoldArticle) -> ArticleResult:
        nonlocal done
        async with slots:
            result = await digest_and_score(article, digester, options)
        done += 1
        progress(progress_line(result, done, len(gold)))
        return result

    return list(await asyncio.gather(*(one(article) for article in gold)))


async def digest_and_score(gold: GoldArticle, digester: Digester, options: RunOptions) -> ArticleResult:
    text = gold.article_text()
    request = DigestRequest(text=text, title=gold.title, source=gold.source)
    digest: Digest | None = None
    error: str | None = None
    try:
        digest = await digester.digest(
            request, EngineChoice(options.engine.value), refresh=options.refresh, fallback=False
        )
    except Exception as failure:  # one broken article is recorded as failed, the run goes on
        error = f"{type(failure).__name__}: {getattr(failure, 'detail', None) or failure}"
    return score_article(gold, text, digest, error)


def progress_line(result: ArticleResult, done: int, total: int) -> str:
    head = f"[{done}/{total}] {result.id}"
    if result.error is not None:
        return f"{head}: FAILED ({result.error})"
    scores = " · ".join(f"{name.value} {result.metrics.fields[name].f1:.2f}" for name in FIELDS)
    latency = result.metrics.latency_ms
    timing = f"{latency:.0f} ms" if latency is not None else "? ms"
    cached = " (cached)" if result.metrics.cached else ""
    return f"{head}: F1 {scores} · grounded {result.metrics.grounding_rate:.2f} · {timing}{cached}"


def run_config(
    settings: Settings,
    options: RunOptions,
    gold: Sequence[GoldArticle],
    started_at: dt.datetime,
    duration_s: float,
) -> RunConfig:
    is_llm = options.engine is Engine.llm
    return RunConfig(
        engine=options.engine.value,
        model=settings.llm_model if is_llm else None,
        prompt_file=display_path(settings.prompt_file) if is_llm else None,
        prompt_version=load_prompt(settings.prompt_file).version if is_llm else None,
        schema_version=SCHEMA_VERSION,
        gold_dir=display_path(options.gold_dir),
        gold_articles=[article.id for article in gold],
        gold_fingerprint=gold_fingerprint(gold),
        refresh=options.refresh,
        git_commit=git_commit(),
        started_at=started_at,
        duration_s=round(duration_s, 3),
    )


def gold_fingerprint(gold: Sequence[GoldArticle]) -> str:
    """Changes when any label or any article text of the gold set changes."""
    digest = hashlib.sha256()
    for article in sorted(gold, key=lambda item: item.id):
        digest.update(article.model_dump_json().encode())
        digest.update(hashlib.sha256(article.article_text().encode()).digest())
    return "sha256:" + digest.hexdigest()[:16]


def git_commit() -> str | None:
    """The commit checked out in the repository, if git is there to say (read-only)."""
    try:
        found = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=REPO_ROOT, capture_output=True, text=True, timeout=5, check=True
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return found.stdout.strip() or None
