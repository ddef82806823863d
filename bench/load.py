"""Load test: the real service under uvicorn, an LLM replayed with 200 ms of latency, 64 clients.

    PYTHONPATH=. .venv/bin/python bench/load.py                # 2,000 requests, 64 clients, 100/s
    PYTHONPATH=. .venv/bin/python bench/load.py --rate 0      # closed loop: as fast as it goes
    PYTHONPATH=. .venv/bin/python bench/load.py --requests 500 --clients 16 --uncached 0.5

Starts `uvicorn bench.load:replayed_app --factory` on 127.0.0.1 (a free port) in a subprocess: the
production app from `service.http.app.create_app`, whose LLM client talks to a replay at the httpx2
transport (tests/llm_replay.py) instead of the network, so the replay never enters the production
code path. Warms a set of cached articles, then sends a shuffled mix of cached requests (the same
article and title as a warmed one) and uncached ones (a new title each, so a new cache key and four
replayed LLM calls in three steps, 600 ms). With `--rate R` (the default, 100) request i is due at i/R
seconds and its latency is counted from then, so a slow server cannot hide its queue (no coordinated
omission); at most `--clients` requests are in flight. `--rate 0` is a closed loop that finds the
saturation throughput, where latency is mostly queueing. Reports throughput, p50/p99 latency for cached
and uncached requests, errors (any status but 200), lost requests (no answer at all) and the server's
peak RSS. Exits non-zero when there are errors or lost requests, or when the p99 of cached requests is
50 ms or more.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx2
from litestar import Litestar

REPO = Path(__file__).resolve().parent.parent
LLM_LATENCY_S = 0.2
WARM_ARTICLES = 16
CACHED_P99_TARGET_MS = 50.0


def replayed_app() -> Litestar:
    """The service with its LLM replayed (200 ms per call), tuned as `digest serve` tunes it."""
    from service.engines.llm.client import LLMClient
    from service.engines.llm.prompt import load_prompt
    from service.http.app import create_app
    from service.http.gc_tuning import tune_garbage_collector
    from service.runtime.digester import Digester
    from service.settings import DEFAULT_PROMPT, Settings
    from tests.llm_replay import ReplayLLM, answers

    example = load_prompt(DEFAULT_PROMPT).file.example
    replay = ReplayLLM([answers(example.output)], latency_s=LLM_LATENCY_S)
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        cache_dir=Path(os.environ["BENCH_CACHE_DIR"]),
        max_llm_in_flight=int(os.environ.get("BENCH_LLM_IN_FLIGHT", "64")),
        max_llm_queue=int(os.environ.get("BENCH_LLM_QUEUE", "64")),
        llm_max_concurrent_calls=int(
            os.environ.get("BENCH_LLM_CALLS", "64")
        ),  # a replay has no limit to respect
    )
    tune_garbage_collector(settings.gc_gen0_threshold)
    return create_app(settings, Digester(settings, LLMClient(settings, http_client=replay.http_client())))


@dataclass
class Results:
    latencies: dict[str, list[float]] = field(default_factory=lambda: {"cached": [], "uncached": []})
    errors: dict[str, int] = field(default_factory=dict)
    lost: int = 0


def article() -> str:
    from service.engines.llm.prompt import load_prompt
    from service.settings import DEFAULT_PROMPT

    return load_prompt(DEFAULT_PROMPT).file.example.article


def plan(requests: int, uncached_share: float, seed: int) -> list[tuple[str, str]]:
    """(kind, title) per request: cached ones reuse a warmed title, uncached ones get a new one."""
    rng = random.Random(seed)
    uncached = round(requests * uncached_share)
    kinds = ["uncached"] * uncached + ["cached"] * (requests - uncached)
    rng.shuffle(kinds)
    return [
        (kind, f"new-{index}" if kind == "uncached" else f"warm-{rng.randrange(WARM_ARTICLES)}")
        for index, kind in enumerate(kinds)
    ]


async def send_all(
    base: str, work: list[tuple[str, str]], clients: int, rate: float, text: str
) -> tuple[Results, float]:
    results = Results()
    queue: asyncio.Queue[tuple[int, str, str]] = asyncio.Queue()
    for index, (kind, title) in enumerate(work):
        queue.put_nowait((index, kind, title))
    async with httpx2.AsyncClient(base_url=base, timeout=60) as client:
        await warm(client, text)
    host, port = base.removeprefix("http://").split(":")
    connections = [Connection(host, int(port)) for _ in range(clients)]
    started = time.perf_counter()
    due = (lambda index: started + index / rate) if rate > 0 else (lambda _: time.perf_counter())
    await asyncio.gather(*(worker(connection, queue, results, text, due) for connection in connections))
    elapsed = time.perf_counter() - started
    for connection in connections:
        connection.close()
    return results, elapsed


async def warm(client: httpx2.AsyncClient, text: str) -> None:
    for index in range(WARM_ARTICLES):
        response = await client.post("/v1/digests", json={"text": text, "title": f"warm-{index}"})
        response.raise_for_status()


class Connection:
    """One keep-alive HTTP/1.1 connection, written by hand: the load generator shares the machine's
    two cores with the service, so it must spend as little CPU per request as possible."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.streams: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None

    async def post_json(self, path: str, body: bytes) -> tuple[int, dict[str, str]]:
        if self.streams is None:
            self.streams = await asyncio.open_connection(self.host, self.port)
        reader, writer = self.streams
        head = f"POST {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\nContent-Type: application/json\r\n"
        writer.write(head.encode() + f"Content-Length: {len(body)}\r\n\r\n".encode() + body)
        await writer.drain()
        status_line, *header_lines = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
        headers = dict(line.lower().split(": ", 1) for line in header_lines if ": " in line)
        await reader.readexactly(int(headers.get("content-length", "0")))
        return int(status_line.split()[1]), headers

    def close(self) -> None:
        if self.streams is not None:
            self.streams[1].close()


async def worker(
    connection: Connection,
    queue: asyncio.Queue[tuple[int, str, str]],
    results: Results,
    text: str,
    due: Callable[[int], float],
) -> None:
    while not queue.empty():
        index, kind, title = queue.get_nowait()
        started = due(index)
        await asyncio.sleep(max(0.0, started - time.perf_counter()))
        body = json.dumps({"text": text, "title": title}, ensure_ascii=False).encode()
        try:
            status, headers = await connection.post_json("/v1/digests", body)
        except (OSError, asyncio.IncompleteReadError) as error:
            results.lost += 1
            results.errors[type(error).__name__] = results.errors.get(type(error).__name__, 0) + 1
            connection.close()
            connection.streams = None
            continue
        results.latencies[kind].append((time.perf_counter() - started) * 1000)
        if status != 200:
            results.errors[str(status)] = results.errors.get(str(status), 0) + 1
        elif (headers.get("x-digest-cache") == "hit") != (kind == "cached"):
            results.errors["wrong-cache-state"] = results.errors.get("wrong-cache-state", 0) + 1


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_server(port: int, cache_dir: str, log_path: Path, workers: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "BENCH_CACHE_DIR": cache_dir, "PYTHONPATH": str(REPO)}
    command = [sys.executable, "-m", "uvicorn", "bench.load:replayed_app", "--factory"]
    command += ["--host", "127.0.0.1", "--port", str(port), "--log-level", "warning", "--no-access-log"]
    command += ["--workers", str(workers)]
    with log_path.open("wb") as log:
        return subprocess.Popen(command, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)


def wait_until_up(base: str, server: subprocess.Popen[bytes]) -> None:
    for _ in range(300):
        if server.poll() is not None:
            raise SystemExit(f"the server exited with {server.returncode}")
        try:
            if httpx2.get(f"{base}/healthz", timeout=1).status_code == 200:
                return
        except httpx2.HTTPError:
            pass
        time.sleep(0.1)
    raise SystemExit("the server did not come up within 30 s")


def peak_rss_mib(pid: int) -> float:
    """VmHWM: the peak resident set size of a process, from /proc (Linux)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def server_durations(log_path: Path) -> dict[str, list[float]]:
    """Time spent inside the service per digest request, from its JSON access log (no client overhead)."""
    durations: dict[str, list[float]] = {"cached": [], "uncached": []}
    for line in log_path.read_text(encoding="utf-8", errors="replace").splitlines():
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if entry.get("path") == "/v1/digests" and entry.get("cache_hit") is not None:
            durations["cached" if entry["cache_hit"] else "uncached"].append(float(entry["duration_ms"]))
    return durations


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def report(results: Results, elapsed: float, sent: int, rss: float, args: argparse.Namespace) -> str:
    answered = sum(len(values) for values in results.latencies.values())
    pace = f"paced at {args.rate:.0f}/s" if args.rate > 0 else "closed loop"
    lines = [
        f"requests: {sent} sent, {answered} answered, {results.lost} lost; {args.clients} clients, {pace}, "
        f"{args.uncached:.0%} uncached",
        f"errors: {sum(results.errors.values())} {results.errors or ''}".rstrip(),
        f"throughput: {answered / elapsed:.0f} requests/s over {elapsed:.2f} s",
    ]
    for kind, values in results.latencies.items():
        lines.append(
            f"{kind:>8}: n={len(values)} p50={percentile(values, 0.5):.1f} ms "
            f"p99={percentile(values, 0.99):.1f} ms max={max(values, default=float('nan')):.1f} ms "
            f"mean={statistics.fmean(values) if values else float('nan'):.1f} ms"
        )
    lines.append(f"server peak RSS: {rss:.0f} MiB (LLM replayed with {LLM_LATENCY_S * 1000:.0f} ms latency)")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--requests", type=int, default=2_000)
    parser.add_argument("--clients", type=int, default=64)
    parser.add_argument("--uncached", type=float, default=0.25, help="share of uncached requests")
    parser.add_argument("--rate", type=float, default=100.0, help="requests per second; 0 = closed loop")
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes")
    args = parser.parse_args(argv)

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory(prefix="digest-load-") as scratch:
        log_path = Path(scratch) / "server.log"
        server = start_server(port, str(Path(scratch) / "cache"), log_path, args.workers)
        try:
            wait_until_up(base, server)
            work = plan(args.requests, args.uncached, args.seed)
            results, elapsed = asyncio.run(send_all(base, work, args.clients, args.rate, article()))
            rss = peak_rss_mib(server.pid)
        finally:
            server.terminate()
            server.wait(timeout=30)
        server_side = server_durations(log_path)
    print(report(results, elapsed, len(work), rss, args))
    for kind, values in server_side.items():
        print(
            f"{kind:>8} (server-side, from the access log): p50={percentile(values, 0.5):.1f} ms "
            f"p99={percentile(values, 0.99):.1f} ms max={max(values, default=float('nan')):.1f} ms"
        )
    cached_p99 = percentile(results.latencies["cached"], 0.99)
    ok = not results.errors and not results.lost and cached_p99 < CACHED_P99_TARGET_MS
    print("target (0 errors, 0 lost, cached p99 < 50 ms):", "met" if ok else "NOT met")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
