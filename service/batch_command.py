"""`digest batch INPUT --out OUT.jsonl`: many articles through the Digester, resumable, with progress."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text

from service.runtime.batch import (
    BadInput,
    BatchInputError,
    BatchObserver,
    BatchOptions,
    BatchRunner,
    BatchSummary,
    Outcome,
    ResultFile,
    count_input,
    read_input,
)
from service.runtime.digester import Digester, EngineChoice
from service.settings import Settings, load_settings


def add_batch_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    batch = commands.add_parser(
        "batch",
        help="digest many articles: a JSONL of requests, a folder of .txt, or - (JSONL on stdin)",
        description="One result line per article in OUT (digest or problem), fsync'd; rerunning with the "
        "same OUT skips the articles already done. Bad input lines are reported and skipped.",
    )
    batch.add_argument(
        "input", help='JSONL file ({"id"?, "text", "title"?, ...} per line), folder of .txt, or -'
    )
    batch.add_argument("--out", required=True, type=Path, help="result JSONL (appended to; resumes)")
    batch.add_argument(
        "--engine",
        choices=[choice.value for choice in EngineChoice],
        default="auto",
        help="auto: the LLM when one is configured, else offline (default auto)",
    )
    default = Settings.model_fields["batch_concurrency"].default
    batch.add_argument(
        "--concurrency",
        type=int,
        metavar="N",
        help=f"articles at once (default DIGEST_BATCH_CONCURRENCY or {default})",
    )
    batch.add_argument("--refresh", action="store_true", help="ignore the cache")
    batch.add_argument(
        "--no-fallback", action="store_true", help="record a failure instead of an offline digest"
    )
    batch.add_argument("--quiet", action="store_true", help="no progress bar")
    batch.set_defaults(run=run_batch)


def run_batch(args: argparse.Namespace) -> int:
    settings = load_settings()
    options = BatchOptions(
        engine=EngineChoice(args.engine),
        refresh=args.refresh,
        fallback=not args.no_fallback,
        concurrency=args.concurrency or settings.batch_concurrency,
    )
    if options.concurrency < 1:
        return _fail("--concurrency must be at least 1")
    console = Console(stderr=True)
    try:
        summary = asyncio.run(_run(args.input, args.out, options, settings, console, quiet=args.quiet))
    except BatchInputError as error:
        return _fail(str(error))
    _print_summary(console, summary)
    return 0


async def _run(
    source: str, out: Path, options: BatchOptions, settings: Settings, console: Console, *, quiet: bool
) -> BatchSummary:
    results = ResultFile(out)
    summary = BatchSummary()
    digester = Digester(settings)
    try:
        with _progress(console, quiet) as progress:
            bar = ProgressBar(progress, count_input(source), console)
            await BatchRunner(digester, options).run(
                read_input(source), results.done, results, [summary, bar]
            )
    finally:
        results.close()
        await digester.close()
    return summary


class RateColumn(ProgressColumn):
    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text(f"{speed:.1f}/s" if speed else "-/s", style="progress.data.speed")


def _progress(console: Console, quiet: bool) -> Progress:
    return Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        RateColumn(),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
        TextColumn("cached {task.fields[cached]}  failed {task.fields[failed]}  bad {task.fields[bad]}"),
        console=console,
        disable=quiet,
    )


class ProgressBar(BatchObserver):
    """The rich bar: each input item advances it; those done in an earlier run leave the total."""

    def __init__(self, progress: Progress, total: int | None, console: Console) -> None:
        self._progress = progress
        self._console = console
        self._task = progress.add_task("batch", total=total, cached=0, failed=0, bad=0)
        self._cached = self._failed = self._bad = 0

    def on_outcome(self, outcome: Outcome) -> None:
        self._cached += outcome.cached
        self._failed += outcome.failed
        self._advance()

    def on_bad_input(self, bad: BadInput) -> None:
        self._bad += 1
        self._console.print(f"[yellow]skipped {bad.where}[/]: {bad.reason}", markup=True, highlight=False)
        self._advance()

    def on_skipped(self, item_id: str) -> None:
        total = self._progress.tasks[self._task].total
        if total is not None:
            self._progress.update(self._task, total=total - 1)

    def _advance(self) -> None:
        self._progress.update(self._task, advance=1, cached=self._cached, failed=self._failed, bad=self._bad)


def _print_summary(console: Console, summary: BatchSummary) -> None:
    console.print(
        f"done {summary.done} (cached {summary.cached}, failed {summary.failed}), "
        f"already done {summary.skipped}, bad input {len(summary.bad_inputs)}; "
        f"tokens {summary.prompt_tokens} in + {summary.completion_tokens} out, "
        f"cost estimate ${summary.cost_usd:.4f} (DIGEST_LLM_PRICE_FILE; a model it does not list costs 0)",
        highlight=False,
        soft_wrap=True,
    )


def _fail(message: str) -> int:
    print(f"digest batch: {message}", file=sys.stderr)
    return 1
