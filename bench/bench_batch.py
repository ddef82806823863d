"""Batch throughput: the real `BatchRunner`, Digester and fsync'd result file, in one process.

    PYTHONPATH=. .venv/bin/python bench/bench_batch.py
    PYTHONPATH=. .venv/bin/python bench/bench_batch.py --offline-articles 200 --rounds 8

Offline engine: articles per second at batch concurrency 1 and 2, and the ratio of the two (the
baseline is concurrency 1, measured in the same run). LLM engine replayed at the httpx2 transport
(tests/llm_replay.py) with 200 ms per call: articles per second at concurrency 8, 32 and 64, each
over `rounds * concurrency` distinct articles (every one a cache miss). An article is four calls in
three sequential steps (actors and events; figures and quotes together; the summary), so the ideal
is `concurrency / (3 * 0.2 s)`; the ratio is the rate over that ideal. The LLM limiter and the
client's call slots are sized to the concurrency, as a deployment would set DIGEST_MAX_LLM_IN_FLIGHT
and DIGEST_LLM_MAX_CONCURRENT_CALLS for a backfill.

The numbers depend on the CPU left over: the process spends CPU on every article (parsing four
answers, grounding, the summary check, assembly, cache) under one GIL. Measured on 2026-12-02 on the
2-core development machine with nothing else running, `--offline-articles 40 --rounds 8`, two runs:

    offline concurrency 2: 1.76-1.78 x concurrency 1 (after a warm-up run)
    llm 200 ms concurrency 8: ratio 0.95
    llm 200 ms concurrency 32: ratio 0.93
    llm 200 ms concurrency 64: ratio 0.66 (one GIL: grounding, the cache and the SDK's request building)
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from pathlib import Path

from service.engines.llm.client import LLMClient
from service.engines.llm.prompt import load_prompt
from service.runtime.batch import BatchItem, BatchOptions, BatchRunner, BatchSummary, ResultFile
from service.runtime.digester import Digester, EngineChoice
from service.settings import DEFAULT_PROMPT, Settings
from tests.llm_replay import ReplayLLM, answers
from tests.paths import SEED_FILES

LLM_LATENCY_S = 0.2
CALLS_PER_ARTICLE = 4
SEQUENTIAL_CALLS = 3  # figures and quotes are asked together


async def run_batch(
    settings: Settings, digester: Digester, items: list[BatchItem], options: BatchOptions
) -> float:
    """Articles per second for one batch, from the first article to the last fsync."""
    with tempfile.TemporaryDirectory() as scratch:
        results = ResultFile(Path(scratch) / "out.jsonl")
        summary = BatchSummary()
        started = time.perf_counter()
        try:
            await BatchRunner(digester, options).run(items, results.done, results, [summary])
        finally:
            results.close()
        elapsed = time.perf_counter() - started
    assert summary.done == len(items) and summary.failed == 0, summary
    return len(items) / elapsed


def offline_items(count: int) -> list[BatchItem]:
    from schemas.request import DigestRequest

    seeds = [seed.read_text(encoding="utf-8") for seed in SEED_FILES]
    return [
        BatchItem(f"o{n}", DigestRequest(text=f"{seeds[n % len(seeds)]}\nوقال مسؤول إن {n + 3} منازل دمرت."))
        for n in range(count)
    ]


async def offline_rate(concurrency: int, count: int, cache_dir: Path) -> float:
    settings = Settings(_env_file=None, cache_dir=cache_dir, cache_enabled=False)  # type: ignore[call-arg]
    digester = Digester(settings)
    try:
        options = BatchOptions(engine=EngineChoice.offline, concurrency=concurrency)
        return await run_batch(settings, digester, offline_items(count), options)
    finally:
        await digester.close()


async def llm_rate(concurrency: int, rounds: int, cache_dir: Path) -> float:
    from schemas.request import DigestRequest

    example = load_prompt(DEFAULT_PROMPT).file.example
    replay = ReplayLLM([answers(example.output)], latency_s=LLM_LATENCY_S)
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        llm_base_url="http://llm.invalid/v1",
        llm_api_key="bench",
        llm_model="replay-model",
        cache_dir=cache_dir,
        max_llm_in_flight=concurrency,
        max_llm_queue=concurrency,
        llm_max_concurrent_calls=min(2 * concurrency, 64),
    )
    digester = Digester(settings, LLMClient(settings, http_client=replay.http_client()))
    items = [
        BatchItem(f"l{n}", DigestRequest(text=f"{example.article}\n{n}")) for n in range(rounds * concurrency)
    ]
    try:
        options = BatchOptions(engine=EngineChoice.llm, concurrency=concurrency)
        rate = await run_batch(settings, digester, items, options)
    finally:
        await digester.close()
    calls = CALLS_PER_ARTICLE * len(items)
    assert replay.calls == calls, f"{replay.calls} LLM calls for {len(items)} articles, not {calls}"
    return rate


async def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--offline-articles", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=8, help="LLM articles per unit of concurrency")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        await offline_rate(1, 5, root / "warm-up")  # imports and the word tables, outside the timing
        one = await offline_rate(1, args.offline_articles, root / "offline-1")
        two = await offline_rate(2, args.offline_articles, root / "offline-2")
        print(f"offline  concurrency 1: {one:7.1f} articles/s")
        print(f"offline  concurrency 2: {two:7.1f} articles/s  ({two / one:.2f} x concurrency 1)")
        for concurrency in (8, 32, 64):
            rate = await llm_rate(concurrency, args.rounds, root / f"llm-{concurrency}")
            ideal = concurrency / (SEQUENTIAL_CALLS * LLM_LATENCY_S)
            print(
                f"llm 200 ms concurrency {concurrency:2d}: {rate:7.1f} articles/s  "
                f"ideal {ideal:5.0f}/s  ratio {rate / ideal:.2f}"
            )


if __name__ == "__main__":
    asyncio.run(main())
