"""`digest batch prepare | submit | collect`: a backfill through the provider's Batch API, in rounds.

    digest batch prepare INPUT --out REQUESTS.jsonl   the calls the articles need next
    digest batch submit REQUESTS.jsonl                upload it and start a batch: prints its id
    digest batch collect BATCH_ID --out OUT.jsonl     wait, download, ground, write finished articles
    digest batch collect --from-file RESULTS.jsonl --out OUT.jsonl    (`vllm run-batch` output)

Repeat until `prepare` writes no request: an article takes three rounds (actors and events; figures
and quotes, told their refs; the summary, from the grounded facts), more when an answer is re-asked.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence
from pathlib import Path

from openai.types import Batch
from rich.console import Console

from service.engines.llm.batch_api import BatchFileError, BatchProvider, CollectedCall, read_results
from service.errors import DigestError
from service.runtime.batch import BatchInputError, ResultFile, read_input
from service.runtime.digester import Digester
from service.runtime.provider_batch import ProviderBatch, RoundSummary
from service.settings import Settings, load_settings

COMMANDS = ("prepare", "submit", "collect")
DEFAULT_POLL_S = 30.0


def is_provider_batch(arguments: Sequence[str]) -> bool:
    return len(arguments) >= 2 and arguments[0] == "batch" and arguments[1] in COMMANDS


def run_provider_batch(arguments: Sequence[str]) -> int:
    """`digest batch prepare|submit|collect ...` (the words after `digest`)."""
    args = _parser().parse_args(arguments[1:])
    settings = load_settings()
    console = Console(stderr=True)
    try:
        code: int = asyncio.run(args.run(args, settings, console))
    except (BatchInputError, BatchFileError, DigestError, OSError) as error:
        print(f"digest batch {args.command}: {_reason(error)}", file=sys.stderr)
        return 1
    return code


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="digest batch",
        description="A backfill through the LLM provider's Batch API (half price at OpenAI), in rounds: "
        "prepare, submit, collect, until prepare writes no request.",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    prepare = commands.add_parser(
        "prepare",
        help="write the Batch API requests the articles need next",
        description="Runs every article with the results collected so far and writes the LLM calls it "
        "still needs, one Batch API request per line (vllm run-batch reads the same file).",
    )
    prepare.add_argument("input", help="JSONL of requests, folder of .txt, or - (as for digest batch)")
    prepare.add_argument("--out", required=True, type=Path, help="the request file to write (replaced)")
    prepare.set_defaults(run=_prepare)

    submit = commands.add_parser(
        "submit",
        help="upload a request file and start a batch; prints the batch id",
        description="Uploads REQUESTS (Files API, purpose batch) to DIGEST_LLM_BASE_URL and creates a "
        "batch of /v1/chat/completions calls with a 24 h window. Prints the batch id on stdout.",
    )
    submit.add_argument("requests", type=Path, help="a file written by digest batch prepare")
    submit.set_defaults(run=_submit)

    collect = commands.add_parser(
        "collect",
        help="wait for a batch, ground its answers and write the finished articles",
        description="Polls the batch until it ends, downloads its output and error files (or reads "
        "--from-file), keeps every answer in the cache and writes each article they finish to OUT in "
        "the line format of digest batch. Articles that need another round are counted.",
    )
    source = collect.add_mutually_exclusive_group(required=True)
    source.add_argument("batch_id", nargs="?", help="the id digest batch submit printed")
    source.add_argument("--from-file", type=Path, help="a results file (vllm run-batch -o FILE)")
    collect.add_argument("--out", required=True, type=Path, help="result JSONL (appended to; resumes)")
    collect.add_argument(
        "--poll-s",
        type=float,
        default=DEFAULT_POLL_S,
        help=f"seconds between polls (default {DEFAULT_POLL_S:g})",
    )
    collect.set_defaults(run=_collect)
    return parser


async def _prepare(args: argparse.Namespace, settings: Settings, console: Console) -> int:
    digester = Digester(settings)
    try:
        summary = await ProviderBatch(digester).prepare(read_input(args.input), args.out)
    finally:
        await digester.close()
    for bad in summary.bad_inputs:
        console.print(f"[yellow]skipped {bad.where}[/]: {bad.reason}", highlight=False)
    console.print(
        f"wrote {summary.requests} requests for {summary.waiting} articles to {args.out}; "
        f"{summary.already_done} articles have their digest already, {summary.failed} failed "
        f"(collect wrote their problems), bad input {len(summary.bad_inputs)}",
        highlight=False,
        soft_wrap=True,
    )
    if not summary.requests:
        console.print(
            "nothing left to ask: `digest batch INPUT --out OUT.jsonl` writes every digest from the cache",
            highlight=False,
        )
    return 0


async def _submit(args: argparse.Namespace, settings: Settings, console: Console) -> int:
    if not args.requests.stat().st_size:
        console.print(f"{args.requests} is empty: there is nothing to submit", highlight=False)
        return 1
    provider = BatchProvider(settings)
    try:
        batch = await provider.submit(args.requests)
    finally:
        await provider.close()
    console.print(f"batch {batch.id}: {batch.status}", highlight=False)
    print(batch.id)
    return 0


async def _collect(args: argparse.Namespace, settings: Settings, console: Console) -> int:
    if args.from_file is not None:
        calls = read_results(args.from_file.read_text(encoding="utf-8"), str(args.from_file))
    else:
        calls = await _downloaded(args.batch_id, args.poll_s, settings, console)
    results = ResultFile(args.out)
    digester = Digester(settings)
    try:
        summary = await ProviderBatch(digester).collect(calls, results)
    finally:
        results.close()
        await digester.close()
    _print_collected(console, len(calls), summary)
    return 0


async def _downloaded(
    batch_id: str, poll_s: float, settings: Settings, console: Console
) -> list[CollectedCall]:
    provider = BatchProvider(settings)

    def show(batch: Batch) -> None:
        counts = batch.request_counts
        done = f" {counts.completed + counts.failed}/{counts.total}" if counts else ""
        console.print(f"batch {batch.id}: {batch.status}{done}", highlight=False)

    try:
        batch = await provider.wait(batch_id, poll_s, show)
        return await provider.results(batch)
    finally:
        await provider.close()


def _print_collected(console: Console, calls: int, summary: RoundSummary) -> None:
    console.print(
        f"collected {calls} answers: {summary.digested} articles digested, {summary.failed} failed, "
        f"{summary.waiting} need another round (digest batch prepare), {summary.already_done} were in OUT "
        f"already, {summary.unknown} not prepared with this cache; batch cost estimate "
        f"${summary.cost_usd:.4f} (DIGEST_LLM_PRICE_FILE)",
        highlight=False,
        soft_wrap=True,
    )


def _reason(error: Exception) -> str:
    return error.detail if isinstance(error, DigestError) else str(error)
