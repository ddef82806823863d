"""Offline engine speed: milliseconds per seed article, and as a ratio to a baseline in the same process.

    PYTHONPATH=. .venv/bin/python bench/bench_offline.py [--repeat 20]

The baseline is `service.arabic.numbers.find_numbers` alone over the same article (one pass of the number
reader, the cheapest whole-article step the engine builds on), measured in the same process right before
the engine, so the ratio holds across machines of different speeds. Target: well under 100 ms per article.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from schemas.request import DigestRequest
from service.arabic.numbers import find_numbers
from service.engines.offline import offline_digest

SEEDS = sorted((Path(__file__).resolve().parent.parent / "seeds").glob("*.txt"))


def median_ms(run: Callable[[], object], repeat: int) -> float:
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20, help="runs per article (median reported)")
    repeat = parser.parse_args().repeat
    offline_digest(DigestRequest(text=SEEDS[0].read_text(encoding="utf-8")))  # load the gazetteer once
    print(f"{'article':42} {'chars':>6} {'baseline ms':>12} {'offline ms':>11} {'ratio':>7}")
    totals = []
    for path in SEEDS:
        text = path.read_text(encoding="utf-8")
        request = DigestRequest(text=text)
        baseline = median_ms(lambda text=text: find_numbers(text), repeat)
        engine = median_ms(lambda request=request: offline_digest(request), repeat)
        totals.append(engine)
        print(f"{path.stem:42} {len(text):>6} {baseline:>12.2f} {engine:>11.2f} {engine / baseline:>6.1f}x")
    print(f"{'mean':42} {'':>6} {'':>12} {statistics.mean(totals):>11.2f}")


if __name__ == "__main__":
    main()
