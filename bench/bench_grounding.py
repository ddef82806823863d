"""Grounding time per seed article: every string of a complete LLM answer aligned and checked.

    PYTHONPATH=. .venv/bin/python bench/bench_grounding.py [--repeat 20]

The answer is what a perfect model would return for the seed (built from its gold labels: every
actor, figure, quote and event). Each run starts cold: the article's normalisation cache is cleared,
so the time includes normalising the article once. Reported per article: the grounding re-ask check
(`grounding_problems`), `ground` (all spans), and `reconcile`, in ms (median of the runs), with the
item count and the ratio against a baseline measured in the same process: a plain `str.find` of the
same strings, which is the least any grounding must do. Target (issue 3): under 5 ms per article for
all spans together on one core.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

from evals.gold import load_gold
from evals.gold_answers import perfect_output
from schemas.llm_output import LLMDigest
from service.arabic.align import normalized_article
from service.digest.grounding import ground, grounding_problems
from service.digest.reconcile import reconcile


def strings_of(output: LLMDigest) -> list[str]:
    strings = [actor.name_ar for actor in output.actors]
    strings += [figure.phrase_ar for figure in output.figures]
    strings += [quote.text_ar for quote in output.quotes]
    strings += [text for event in output.events for text in event.evidence_ar]
    return strings


def median_ms(work: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        normalized_article.cache_clear()
        started = time.perf_counter()
        work()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def seed_answers() -> list[tuple[str, str, LLMDigest]]:
    return [
        (gold.id, gold.article_text(), perfect_output(gold)) for gold in load_gold() if not gold.synthetic
    ]


def report(name: str, article: str, output: LLMDigest, repeat: int) -> float:
    """Print one article's line; return its total grounding time in ms."""
    strings = strings_of(output)
    items = ground(output, article)
    check = median_ms(lambda: grounding_problems(output, article), repeat)
    grounding = median_ms(lambda: ground(output, article), repeat)
    reconciling = median_ms(lambda: reconcile(items.figures), repeat)
    baseline = median_ms(lambda: [article.find(text) for text in strings], repeat)
    total = grounding + reconciling
    print(
        f"{name:38} {len(strings):7d} {check:7.2f} {grounding:7.2f} {reconciling:7.2f} {total:7.2f} "
        f"{baseline:7.3f} {total / baseline:6.0f}x"
    )
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--repeat", type=int, default=20)
    repeat = parser.parse_args().repeat
    columns = ("items", "check", "ground", "reconc", "total", "find", "ratio")
    print(f"{'article':38} " + " ".join(f"{column:>7}" for column in columns))
    totals = [report(name, article, output, repeat) for name, article, output in seed_answers()]
    print(f"median total (ground + reconcile) over the seeds: {statistics.median(totals):.2f} ms per article")


if __name__ == "__main__":
    main()
