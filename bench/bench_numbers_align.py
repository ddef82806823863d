"""Grounding time per seed article: find_numbers + find_quotes + aligning ~30 candidates.

Run from the repository root:

    PYTHONPATH=. .venv/bin/python bench/bench_numbers_align.py [--repeat 30]

For each seed it times, on one core, the Arabic toolkit over the whole article (numbers, quotes, and
`align` of ~30 candidate strings cut from the article, every fifth with its tashkeel changed so it
needs the normalised path), with the normalisation caches cleared before each run, and reports the
median in ms per article. The baseline, measured in the same process, is a plain `str.find` of the
same candidates; the ratio says how many times slower the toolkit is than that floor. The issue's
target is under 5 ms per article for all spans together. The word-level lookup caches of
`service.arabic.numbers` stay warm between runs, as they do in a running service; 'fastest' is the best run,
the least disturbed by other processes on a shared machine.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from service.arabic import align as align_module
from service.arabic.align import align
from service.arabic.numbers import find_numbers
from service.arabic.quotes import find_quotes

SEEDS = sorted((Path(__file__).resolve().parent.parent / "seeds").glob("*.txt"))
CANDIDATES_PER_ARTICLE = 30
DAMMA = "\u064f"


def candidates(article: str) -> list[str]:
    """~30 runs of 2-6 words spread over the article; every fifth gets a damma after its first letter."""
    words = article.split()
    step = max(1, len(words) // CANDIDATES_PER_ARTICLE)
    picked = []
    for number, first in enumerate(range(0, len(words) - 6, step)):
        candidate = " ".join(words[first : first + 2 + number % 5])
        if number % 5 == 4:
            candidate = candidate[:1] + DAMMA + candidate[1:]
        picked.append(candidate)
    return picked[:CANDIDATES_PER_ARTICLE]


def timings_ms(run: Callable[[], object], repeat: int) -> list[float]:
    """Wall times of `repeat` runs, each with the article normalisation caches cleared first."""
    times = []
    for _ in range(repeat):
        align_module.normalized_article.cache_clear()
        align_module._space_free.cache_clear()
        started = time.perf_counter_ns()
        run()
        times.append((time.perf_counter_ns() - started) / 1e6)
    return times


def median_ms(run: Callable[[], object], repeat: int) -> float:
    return statistics.median(timings_ms(run, repeat))


def grounding(article: str, strings: list[str]) -> object:
    """All the toolkit does for one article: its numbers, its quotes, and the candidates' spans."""
    return find_numbers(article), find_quotes(article), [align(article, string) for string in strings]


def measure(path: Path, repeat: int) -> tuple[str, float]:
    """One table row for the article at `path`, and its median total in ms."""
    article = path.read_text(encoding="utf-8")
    strings = candidates(article)
    numbers_ms = median_ms(lambda: find_numbers(article), repeat)
    quotes_ms = median_ms(lambda: find_quotes(article), repeat)
    align_ms = median_ms(lambda: [align(article, string) for string in strings], repeat)
    totals = timings_ms(lambda: grounding(article, strings), repeat)
    baseline_ms = median_ms(lambda: [article.find(string) for string in strings], repeat)
    total_ms = statistics.median(totals)
    ratio = total_ms / baseline_ms
    row = (
        f"{path.stem:36} {len(article):5} {len(strings):5} {numbers_ms:8.2f} {quotes_ms:7.2f} "
        f"{align_ms:6.2f} {total_ms:7.2f} {min(totals):7.2f} {baseline_ms:9.4f} {ratio:6.0f}x"
    )
    return row, total_ms


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30, help="runs per article (the median is reported)")
    repeat = parser.parse_args().repeat
    print(
        f"{'article':36} {'chars':>5} {'cands':>5} {'numbers':>8} {'quotes':>7} {'align':>6} "
        f"{'total':>7} {'fastest':>7} {'str.find':>9} {'ratio':>7}"
    )
    totals = []
    for path in SEEDS:
        row, total_ms = measure(path, repeat)
        print(row)
        totals.append(total_ms)
    print(
        f"median total over the seeds: {statistics.median(totals):.2f} ms per article "
        f"(every column but 'fastest' is the median of {repeat} runs; ratio = total / str.find)"
    )


if __name__ == "__main__":
    main()
