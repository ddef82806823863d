"""Growth of each text-pipeline stage with the article's length, on hostile shapes (`bench/shapes.py`).

    PYTHONPATH=. .venv/bin/python bench/bench_complexity.py [--lengths 10000 30000 100000] [--shape NAME]

For every shape and length it times each stage on its own, in CPU seconds of this process
(`time.process_time`: one core's work, which other processes on a shared machine barely change): normalise
(`service.arabic.normalize.normalize`), tokens (`Document`: tokens, sentences, clauses), numbers
(`find_numbers`), quotes (`find_quotes`), align (`align` of a 60-character piece of the text with two
letters changed, so the exact and normalised searches fail and the fuzzy one runs over the whole text),
and attribution and events as they run inside the whole offline digest ("digest", the last column). The
growth exponent of a stage is the slope of log(time) over log(length) between the first and the last
length: 1 is linear, 2 quadratic. Stages under a millisecond at the largest length are too fast for a
meaningful slope and show "-". The criterion of issue 11 is every shape at 100k characters digested in
under 2 s on one core.
"""

from __future__ import annotations

import argparse
import math
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from bench.shapes import SHAPES
from schemas.request import DigestRequest
from service.arabic.align import align
from service.arabic.document import Document
from service.arabic.normalize import normalize
from service.arabic.numbers import find_numbers
from service.arabic.quotes import find_quotes
from service.engines.offline import engine as offline_engine
from service.engines.offline import offline_digest

STAGES = ("normalise", "tokens", "numbers", "quotes", "align", "attribution", "events", "digest")


def seconds(run: Callable[[], object]) -> float:
    started = time.process_time()
    run()
    return time.process_time() - started


def changed_piece(text: str) -> str:
    middle = len(text) // 2
    piece = list(text[middle : middle + 60])
    for position in (10, 40):
        if position < len(piece):
            piece[position] = "ث" if piece[position] != "ث" else "ج"
    return "".join(piece)


@contextmanager
def timing_inside_digest(timings: dict[str, float]) -> Iterator[None]:
    """Time the offline engine's attribution and event readers while a whole digest runs."""
    attributions, event_read = offline_engine.Attributions, offline_engine.EventReader.read

    def timed_attributions(*args: Any) -> Any:
        started = time.process_time()
        built = attributions(*args)
        timings["attribution"] = time.process_time() - started
        return built

    def timed_read(self: Any) -> Any:
        started = time.process_time()
        events = event_read(self)
        timings["events"] = time.process_time() - started
        return events

    offline_engine.Attributions = timed_attributions  # type: ignore[misc,assignment]
    offline_engine.EventReader.read = timed_read  # type: ignore[method-assign]
    try:
        yield
    finally:
        offline_engine.Attributions = attributions  # type: ignore[misc]
        offline_engine.EventReader.read = event_read  # type: ignore[method-assign]


def stage_times(text: str) -> dict[str, float]:
    timings = {
        "normalise": seconds(lambda: normalize(text)),
        "tokens": seconds(lambda: Document(text)),
        "numbers": seconds(lambda: find_numbers(text)),
        "quotes": seconds(lambda: find_quotes(text)),
        "align": seconds(lambda: align(text, changed_piece(text))),
    }
    with timing_inside_digest(timings):
        timings["digest"] = seconds(lambda: offline_digest(DigestRequest(text=text)))
    return timings


def exponent(short: float, long: float, lengths: tuple[int, int]) -> str:
    if long < 1e-3 or short <= 0:
        return "-"
    return f"{math.log(long / short) / math.log(lengths[1] / lengths[0]):.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lengths", type=int, nargs="+", default=[10_000, 30_000, 100_000])
    parser.add_argument("--shape", action="append", choices=sorted(SHAPES), help="only these shapes")
    options = parser.parse_args()
    offline_digest(DigestRequest(text="قال المصدر إن خمسة أشخاص قتلوا."))  # load the word lists once
    lengths = sorted(options.lengths)
    header = " ".join(f"{stage:>11}" for stage in STAGES)
    print(f"{'shape':24} {'chars':>7} {header}   (CPU seconds; last row: growth exponent)")
    for name in options.shape or SHAPES:
        rows = [stage_times(SHAPES[name](length)) for length in lengths]
        for length, row in zip(lengths, rows, strict=True):
            print(f"{name:24} {length:>7} " + " ".join(f"{row[stage]:>11.3f}" for stage in STAGES))
        span = (lengths[0], lengths[-1])
        slopes = " ".join(f"{exponent(rows[0][s], rows[-1][s], span):>11}" for s in STAGES)
        print(f"{name:24} {'exp':>7} {slopes}", flush=True)


if __name__ == "__main__":
    main()
