"""Cache-hit throughput as a ratio of a bare Litestar endpoint returning the same bytes: same server, same
client, same run.

    PYTHONPATH=. .venv/bin/python bench/bench_cache_hit.py [--seconds 5] [--rounds 3] [--clients 8]

Starts `uvicorn bench.bench_cache_hit:app_with_bare_endpoint --factory` in a subprocess: the production
app of `service.http.app.create_app` (offline engine, a temporary cache), plus `POST /bare`, which
answers with the exact bytes the service sends for a cache hit of the seed article, without reading
the request. `/bare` takes Litestar's whole path (routing, the app-wide access guard, a handler and its
Response); a digest hit is answered in front of Litestar by `service.http.hot_path.CachedDigests`, after
the same guard. Both pass through the same request observer (request id, access log line, metrics).
At start-up the app digests the seed once, so every later digest request is a hit. Then,
in alternating rounds of `--seconds`, `--clients` keep-alive connections (bench/load.py's hand-written
client, the cheapest one) send the same POST body in a closed loop to `/v1/digests?engine=offline` and
to `/bare`. Reports requests per second of both per round, their ratio per round and the median ratio.
Target (issue 11): >= 0.95 on an otherwise idle machine; the machine's load average is printed with
the result, because a busy machine moves the ratio.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from litestar import Litestar, Response, post

from bench.load import REPO, Connection, free_port, wait_until_up

SEED = REPO / "seeds" / "aleppo-shelling-de-mistura-moscow.txt"
DIGEST_PATH = "/v1/digests?engine=offline"


def seed_body() -> bytes:
    return json.dumps({"text": SEED.read_text(encoding="utf-8")}, ensure_ascii=False).encode()


def app_with_bare_endpoint() -> Litestar:
    """The service, and /bare answering with the bytes of the service's own cache hit."""
    from schemas.request import DigestRequest
    from service.http.app import create_app
    from service.http.gc_tuning import tune_garbage_collector
    from service.runtime.digester import Digester, EngineChoice
    from service.settings import Settings

    settings = Settings(_env_file=None, cache_dir=Path(os.environ["BENCH_CACHE_DIR"]))  # type: ignore[call-arg]
    tune_garbage_collector(settings.gc_gen0_threshold)
    digester = Digester(settings)
    hit: list[bytes] = []

    async def warm() -> None:
        request = DigestRequest.model_validate_json(seed_body())
        await digester.serve(request, EngineChoice.offline)
        hit.append((await digester.serve(request, EngineChoice.offline)).body)

    @post("/bare", status_code=200, sync_to_thread=False)
    def bare() -> Response[bytes]:
        return Response(hit[0], media_type="application/json")

    app = create_app(settings, digester)
    app.register(bare)
    app.on_startup.append(warm)
    return app


async def closed_loop(port: int, path: str, clients: int, seconds: float) -> float:
    """Requests per second answered 200 by `path`, `clients` connections sending back to back."""
    body = seed_body()
    connections = [Connection("127.0.0.1", port) for _ in range(clients)]
    done = 0
    stop = time.perf_counter() + seconds

    async def loop(connection: Connection) -> None:
        nonlocal done
        while time.perf_counter() < stop:
            status, _ = await connection.post_json(path, body)
            if status != 200:
                raise SystemExit(f"{path} answered {status}")
            done += 1

    started = time.perf_counter()
    await asyncio.gather(*(loop(connection) for connection in connections))
    elapsed = time.perf_counter() - started
    for connection in connections:
        connection.close()
    return done / elapsed


def start_server(port: int, cache_dir: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "BENCH_CACHE_DIR": cache_dir, "PYTHONPATH": str(REPO)}
    command = [sys.executable, "-m", "uvicorn", "bench.bench_cache_hit:app_with_bare_endpoint", "--factory"]
    command += ["--host", "127.0.0.1", "--port", str(port), "--log-level", "warning", "--no-access-log"]
    command += ["--http", "h11"]
    return subprocess.Popen(command, cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0, help="length of one round")
    parser.add_argument("--rounds", type=int, default=3, help="rounds per endpoint, alternating")
    parser.add_argument("--clients", type=int, default=8, help="keep-alive connections")
    options = parser.parse_args()
    port = free_port()
    with tempfile.TemporaryDirectory() as cache_dir:
        server = start_server(port, cache_dir)
        try:
            wait_until_up(f"http://127.0.0.1:{port}", server)
            asyncio.run(closed_loop(port, DIGEST_PATH, options.clients, 1.0))  # warm both paths
            asyncio.run(closed_loop(port, "/bare", options.clients, 1.0))
            ratios = []
            print(f"{'round':>5} {'cache hit req/s':>16} {'bare req/s':>11} {'ratio':>6}")
            for round_ in range(1, options.rounds + 1):
                hits = asyncio.run(closed_loop(port, DIGEST_PATH, options.clients, options.seconds))
                bare = asyncio.run(closed_loop(port, "/bare", options.clients, options.seconds))
                ratios.append(hits / bare)
                print(f"{round_:>5} {hits:>16.0f} {bare:>11.0f} {hits / bare:>6.3f}", flush=True)
        finally:
            server.terminate()
            server.wait(timeout=30)
    load = " ".join(f"{value:.2f}" for value in os.getloadavg())
    print(f"median ratio {statistics.median(ratios):.3f} (target >= 0.95); load average {load}")


if __name__ == "__main__":
    main()
