"""The `digest` command: serve the API, digest one article or a batch, run the evals."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence
from pathlib import Path

from pydantic import ValidationError

from schemas.digest import Digest
from schemas.request import DigestRequest
from service.batch_command import add_batch_parser
from service.errors import DigestError
from service.runtime.digester import Digester, EngineChoice
from service.settings import load_settings


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    if arguments[:1] == ["eval"]:  # the eval commands parse their own options, -h included
        return _run_eval(arguments[1:])
    parser = _parser()
    args = parser.parse_args(arguments)
    if args.command is None:
        parser.print_help()
        return 2
    result: int = args.run(args)
    return result


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="digest", description="Grounded bilingual digests of Arabic news")
    commands = parser.add_subparsers(dest="command")

    serve = commands.add_parser("serve", help="run the REST API")
    serve.add_argument("--host", help="interface to listen on (default DIGEST_HOST or 127.0.0.1)")
    serve.add_argument("--port", type=int, help="port (default DIGEST_PORT or 8000)")
    serve.add_argument("--workers", type=int, help="worker processes (default DIGEST_WORKERS or 1)")
    serve.set_defaults(run=_serve)

    extract = commands.add_parser("extract", help="digest one article file (or - for stdin) to stdout")
    extract.add_argument("file", help="UTF-8 text file with the article, or - to read stdin")
    extract.add_argument("--engine", choices=[choice.value for choice in EngineChoice], default="auto")
    extract.add_argument("--title")
    extract.add_argument("--source")
    extract.add_argument("--published-at", help="publication date, YYYY-MM-DD")
    extract.add_argument("--refresh", action="store_true", help="ignore the cache")
    extract.add_argument("--no-fallback", action="store_true", help="fail instead of falling back to offline")
    extract.add_argument("--pretty", action="store_true", help="indent the JSON")
    extract.set_defaults(run=_extract)

    add_batch_parser(commands)

    commands.add_parser("eval", help="score engines and prompts on the gold set: run | compare | baseline")
    return parser


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    settings = load_settings()
    host = args.host or settings.host
    port = args.port or settings.port
    engine = (
        f"llm ({settings.llm_model})" if settings.llm_configured else "offline (no LLM endpoint configured)"
    )
    workers = args.workers or settings.workers
    print(
        f"digest service listening on http://{host}:{port}  engine: {engine}  workers: {workers}", flush=True
    )
    print(f"  editor: http://{host}:{port}/   API docs: http://{host}:{port}/schema", flush=True)
    # each worker process builds its own app from the same settings
    uvicorn.run(
        "service.http.app:serve_app", factory=True, host=host, port=port, workers=workers, log_level="info"
    )
    return 0


def _extract(args: argparse.Namespace) -> int:
    try:
        text = sys.stdin.read() if args.file == "-" else Path(args.file).read_text(encoding="utf-8")
        request = DigestRequest(
            text=text, title=args.title, source=args.source, published_at=args.published_at
        )
    except (OSError, UnicodeDecodeError) as error:
        return _fail(f"cannot read {args.file}: {error}")
    except ValidationError as error:
        return _fail("invalid article: " + "; ".join(str(item["msg"]) for item in error.errors()))
    try:
        digest = asyncio.run(_digest(request, EngineChoice(args.engine), args.refresh, not args.no_fallback))
    except DigestError as error:
        return _fail(f"{error.title}: {error.detail}")
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


def _fail(message: str) -> int:
    print(f"digest: {message}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    raise SystemExit(main())
