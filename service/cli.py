"""The `digest` command: serve the API, digest one article or a batch, run the evals."""

from __future__ import annotations

import argparse
import asyncio
import errno
import re
import socket
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from schemas.digest import Digest
from schemas.request import MAX_ARTICLE_CHARS, DigestRequest
from service.batch_command import add_batch_parser
from service.errors import DigestError
from service.provider_batch_command import is_provider_batch, run_provider_batch
from service.runtime.digester import Digester, EngineChoice
from service.settings import load_settings


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    if arguments[:1] == ["eval"]:  # the eval commands parse their own options, -h included
        return _run_eval(arguments[1:])
    if is_provider_batch(arguments):  # digest batch prepare|submit|collect: a provider's Batch API
        return run_provider_batch(arguments)
    parser = _parser()
    args = parser.parse_args(arguments)
    if args.command is None:
        parser.print_help()
        return 2
    result: int = args.run(args)
    return result


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="digest", description="Grounded bilingual digests of Arabic news")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    serve_help = "run the REST API and the editor's pages"
    serve = commands.add_parser("serve", help=serve_help, description=serve_help)
    serve.add_argument("--host", help="interface to listen on (default DIGEST_HOST or 127.0.0.1)")
    serve.add_argument("--port", type=int, help="port to listen on (default DIGEST_PORT or 8000)")
    serve.add_argument(
        "--workers", type=int, metavar="N", help="worker processes (default DIGEST_WORKERS or 1)"
    )
    serve.set_defaults(run=_serve)

    extract_help = "digest one article file (or - for stdin) and print the digest as JSON"
    extract = commands.add_parser("extract", help=extract_help, description=extract_help)
    extract.add_argument("file", help="UTF-8 text file with the article, or - to read stdin")
    extract.add_argument(
        "--engine",
        choices=[choice.value for choice in EngineChoice],
        default="auto",
        help="auto: the LLM when one is configured, else offline (default auto)",
    )
    extract.add_argument("--title", help="the article's headline, Arabic (default none)")
    extract.add_argument("--source", help="outlet or agency (default none)")
    extract.add_argument(
        "--published-at",
        metavar="YYYY-MM-DD",
        help="publication date; relative dates resolve against it (default none: they stay unresolved)",
    )
    extract.add_argument("--refresh", action="store_true", help="ignore the cache and digest again")
    extract.add_argument(
        "--no-fallback",
        action="store_true",
        help="fail when the LLM fails instead of falling back to the offline engine",
    )
    extract.add_argument("--pretty", action="store_true", help="indent the JSON")
    extract.set_defaults(run=_extract)

    add_batch_parser(commands)

    worker = commands.add_parser(
        "worker",
        help="run batch-job workers on this machine (SAQ over the Redis in DIGEST_REDIS_URL)",
        description="Takes the articles of batch jobs from the SAQ queue in DIGEST_REDIS_URL, "
        "DIGEST_BATCH_CONCURRENCY at a time, until SIGINT or SIGTERM; run any number, on any machine.",
    )
    worker.set_defaults(run=_worker)

    commands.add_parser(
        "eval", help="score engines and prompts on the gold set (digest eval --help lists its commands)"
    )
    return parser


def _serve(args: argparse.Namespace) -> int:
    from service.http.server import serve

    settings = load_settings()
    host = args.host or settings.host
    port = args.port or settings.port
    engine = (
        f"llm ({settings.llm_model})" if settings.llm_configured else "offline (no LLM endpoint configured)"
    )
    workers = args.workers or settings.workers
    taken = _port_taken(host, port)
    if taken:
        return _fail(
            f"cannot listen on {host}:{port}: {taken} (is another `digest serve` running?); "
            f"pick another port with --port {port + 1} or DIGEST_PORT={port + 1}"
        )
    print(
        f"digest service listening on http://{host}:{port}  engine: {engine}  workers: {workers}", flush=True
    )
    print(f"  editor: http://{host}:{port}/   API docs: http://{host}:{port}/schema", flush=True)
    serve(host, port, workers)  # each worker process builds its own app from the same settings
    return 0


def _port_taken(host: str, port: int) -> str | None:
    """Why `host:port` cannot be listened on, or None when it is free."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn does
        try:
            probe.bind((host, port))
        except OSError as error:
            return "the port is already in use" if error.errno == errno.EADDRINUSE else str(error)
    return None


def _worker(args: argparse.Namespace) -> int:
    from service.http.observability import configure_json_logging
    from service.runtime.redis_jobs import run_worker

    settings = load_settings()
    if settings.redis_url is None:
        return _fail("digest worker needs DIGEST_REDIS_URL: the Redis that the API replicas use")
    print(
        f"digest worker: {settings.batch_concurrency} articles at a time from {settings.redis_url}",
        flush=True,
    )
    configure_json_logging()
    asyncio.run(run_worker(settings))
    return 0


def _extract(args: argparse.Namespace) -> int:
    source = "standard input" if args.file == "-" else args.file
    try:
        text = sys.stdin.read() if args.file == "-" else Path(args.file).read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return _fail(f"{source} is not UTF-8 text: save the article as UTF-8")
    except OSError as error:
        return _fail(f"cannot read {source}: {error.strerror or error}")
    try:
        request = DigestRequest(
            text=text, title=args.title, source=args.source, published_at=args.published_at
        )
    except ValidationError as error:
        return _fail("; ".join(_in_cli_words(item, source) for item in error.errors()))
    try:
        digest = asyncio.run(_digest(request, EngineChoice(args.engine), args.refresh, not args.no_fallback))
    except DigestError as error:
        return _fail(f"{error.title}: {_with_flags(error.detail)}")
    print(digest.model_dump_json(indent=2 if args.pretty else None))
    return 0


async def _digest(request: DigestRequest, engine: EngineChoice, refresh: bool, fallback: bool) -> Digest:
    digester = Digester(load_settings())
    try:
        return await digester.digest(request, engine, refresh=refresh, fallback=fallback)
    finally:
        await digester.close()


def _run_eval(arguments: list[str]) -> int:
    from evals.cli import main as eval_main

    result: int = eval_main(arguments)
    return result


_FLAGS = {"title": "--title", "source": "--source", "published_at": "--published-at"}


def _in_cli_words(error: Any, source: str) -> str:
    """One validation error of the request, said in terms of the file and the flags."""
    field = str(error["loc"][0]) if error["loc"] else ""
    kind = error["type"]
    if field == "text":
        if kind == "string_too_long":
            return f"{source} is longer than {MAX_ARTICLE_CHARS:,} characters: split the article"
        if kind == "string_too_short" or "empty" in str(error.get("ctx", {}).get("error", "")):
            return f"{source} has no text (it is empty or only whitespace): give the article's file"
        return f"{source}: {error['ctx']['error'] if kind == 'value_error' else error['msg']}"
    flag = _FLAGS.get(field, field)
    if kind == "string_too_long":
        return f"{flag} is longer than {error['ctx']['max_length']:,} characters: shorten it"
    if field == "published_at":
        return f"{flag} {error['input']} is not a date: write YYYY-MM-DD, e.g. --published-at 2018-02-23"
    return f"{flag}: {error['msg']}"


_API_TO_FLAGS = {r"\bengine=(\w+)": r"--engine \1", r"\bfallback=false\b": "--no-fallback"}


def _with_flags(detail: str) -> str:
    """A service error names the API's query parameters; on the command line they are flags."""
    for pattern, flag in _API_TO_FLAGS.items():
        detail = re.sub(pattern, flag, detail)
    return detail


def _fail(message: str) -> int:
    print(f"digest: {message}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    raise SystemExit(main())
