"""/healthz latency while slow offline digests fill the worker pool, as a ratio to an idle server.

    PYTHONPATH=. .venv/bin/python bench/bench_healthz_under_load.py [--slow 8] [--probes 200]

Starts `digest serve` (offline engine, a temporary cache) on a free port, measures `--probes` sequential
GET /healthz on the idle server, then sends `--slow` uncached digests of a 100,000-character article
at once (each a different title, so each a real digest in a worker process; those beyond
DIGEST_CPU_WORKERS + DIGEST_CPU_QUEUE get 503) and, while they are in flight, measures `--probes`
/healthz again. Reports p50/p99 of both and the loaded/idle ratio of the p99. Issue 11's criterion:
with 8 slow requests in flight, /healthz p99 under 50 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time

import httpx2

from bench.load import REPO, free_port, wait_until_up
from bench.shapes import SHAPES


async def probe(client: httpx2.AsyncClient, count: int) -> list[float]:
    timings = []
    for _ in range(count):
        started = time.perf_counter()
        response = await client.get("/healthz")
        timings.append((time.perf_counter() - started) * 1000)
        response.raise_for_status()
    return timings


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


async def measure(base: str, slow: int, probes: int) -> tuple[list[float], list[float], list[int]]:
    text = SHAPES["normal article"](100_000)
    async with httpx2.AsyncClient(base_url=base, timeout=600) as client:
        idle = await probe(client, probes)
        slow_requests = [
            asyncio.create_task(
                client.post("/v1/digests?engine=offline", json={"text": text, "title": f"slow-{index}"})
            )
            for index in range(slow)
        ]
        await asyncio.sleep(0.5)  # let them reach the workers
        loaded = await probe(client, probes)
        statuses = [(await request).status_code for request in slow_requests]
    return idle, loaded, statuses


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--slow", type=int, default=8, help="slow digests in flight")
    parser.add_argument("--probes", type=int, default=200, help="/healthz requests per phase")
    options = parser.parse_args()
    port = free_port()
    with tempfile.TemporaryDirectory() as cache_dir:
        env = {**os.environ, "DIGEST_CACHE_DIR": cache_dir, "PYTHONPATH": str(REPO)}
        command = [sys.executable, "-m", "service.cli", "serve", "--port", str(port)]
        server = subprocess.Popen(
            command, cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        try:
            wait_until_up(f"http://127.0.0.1:{port}", server)
            idle, loaded, statuses = asyncio.run(
                measure(f"http://127.0.0.1:{port}", options.slow, options.probes)
            )
        finally:
            server.terminate()
            server.wait(timeout=30)
    for name, values in (("idle", idle), ("loaded", loaded)):
        p50, p99 = statistics.median(values), percentile(values, 0.99)
        print(f"{name:>7}: /healthz p50 {p50:6.1f} ms  p99 {p99:6.1f} ms")
    print(f"p99 loaded / idle: {percentile(loaded, 0.99) / percentile(idle, 0.99):.2f}")
    print(f"slow digests: {statuses.count(200)} answered 200, {statuses.count(503)} refused 503")
    load = " ".join(f"{value:.2f}" for value in os.getloadavg())
    print(f"load average {load}")


if __name__ == "__main__":
    main()
