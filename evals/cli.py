"""`digest eval ...`: run an engine over the gold set, compare two runs, record the baseline.

digest eval run [--engine llm|offline] [--prompt FILE] [--model NAME] [--gold DIR] [--out DIR] [--refresh]
digest eval compare RUN_A RUN_B [--max-drop 0.02] [--html FILE]   (RUN: a run directory, run.json or baseline)
digest eval baseline [--engine offline] [--gold DIR] [--out FILE]
digest eval feedback export [--out DIR]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence
from pathlib import Path

from evals.baseline import baseline_of, baseline_path, write_baseline
from evals.compare import compare_runs, render_comparison
from evals.compare_html import render_comparison_html
from evals.errors import EvalError
from evals.feedback import DRAFTS_DIR, drafts, write_drafts
from evals.gate import DEFAULT_MAX_DROP
from evals.gold import GOLD_DIR
from evals.paths import display_path
from evals.records import FIELDS, RunRecord
from evals.run_files import REPORT_HTML, REPORT_MD, RUN_JSON, load_run_or_baseline, new_run_dir, save_run
from evals.runner import RunOptions, evaluate
from evals.tables import by_kind_table, score, text_table
from schemas.digest import Engine
from service.engines.llm.prompt import PromptFileError, load_prompt
from service.runtime.digester import Digester
from service.settings import Settings, load_settings

_DEFAULT_PROMPT = display_path(Settings.model_fields["prompt_file"].default)
_DEFAULT_MODEL = Settings.model_fields["llm_model"].default


def main(argv: Sequence[str]) -> int:
    parser = _parser()
    args = parser.parse_args(list(argv))
    if args.command is None:
        parser.print_help()
        return 2
    try:
        result: int = args.handler(args)
    except EvalError as error:
        print(f"digest eval: {error}", file=sys.stderr)
        return 1
    return result


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="digest eval", description="Score engines and prompts against the hand-labelled gold set"
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    run_help = "run an engine over the gold set and save the scored run (run.json, report.md, report.html)"
    run = commands.add_parser("run", help=run_help, description=run_help)
    _engine_options(run, default=None)
    run.add_argument(
        "--out", type=Path, metavar="DIR", help="run directory (default evals/runs/<timestamp>-<engine>/)"
    )
    run.add_argument("--refresh", action="store_true", help="ignore cached LLM digests and ask again")
    run.add_argument(
        "--concurrency",
        type=int,
        default=None,
        metavar="N",
        help="articles at the same time (default: DIGEST_LLM_MAX_CONCURRENT_CALLS for the LLM, 4 offline)",
    )
    run.set_defaults(handler=_run)

    compare_help = (
        "compare two saved runs (or a run and a baseline) on the articles both scored; "
        "exit 1 when B regresses"
    )
    compare = commands.add_parser("compare", help=compare_help, description=compare_help)
    compare.add_argument(
        "run_a",
        type=Path,
        metavar="RUN_A",
        help="reference: a run directory, its run.json, or a baseline (evals/baselines/offline.json)",
    )
    compare.add_argument(
        "run_b", type=Path, metavar="RUN_B", help="candidate: a run directory, its run.json, or a baseline"
    )
    compare.add_argument(
        "--max-drop",
        type=float,
        default=DEFAULT_MAX_DROP,
        metavar="MARGIN",
        help=f"largest allowed drop of a field's F1 or of the grounding rate (default {DEFAULT_MAX_DROP})",
    )
    compare.add_argument(
        "--html",
        type=Path,
        metavar="FILE",
        help="also write the comparison as a self-contained page to open in a browser (default none)",
    )
    compare.set_defaults(handler=_compare)

    baseline_help = "run an engine over the gold set and record its scores in evals/baselines/<engine>.json"
    baseline = commands.add_parser("baseline", help=baseline_help, description=baseline_help)
    _engine_options(baseline, default=Engine.offline.value)
    baseline.add_argument(
        "--out", type=Path, metavar="FILE", help="baseline file (default evals/baselines/<engine>.json)"
    )
    baseline.set_defaults(handler=_baseline, refresh=False, concurrency=None)

    feedback_help = "the editors' feedback on digests (the digest page's Feedback)"
    feedback = commands.add_parser("feedback", help=feedback_help, description=feedback_help)
    feedback_commands = feedback.add_subparsers(
        dest="feedback_command", metavar="COMMAND", required=True, help="export: write the gold drafts"
    )
    export_help = (
        "write a gold draft (JSON and text) for every digest in the cache with feedback: items marked wrong "
        "left out, the notes saying what was reviewed and what is missing"
    )
    export = feedback_commands.add_parser("export", help=export_help, description=export_help)
    export.add_argument(
        "--out",
        type=Path,
        default=DRAFTS_DIR,
        metavar="DIR",
        help=f"folder for the drafts (default {DRAFTS_DIR})",
    )
    export.set_defaults(handler=_export_feedback)
    return parser


def _engine_options(parser: argparse.ArgumentParser, default: str | None) -> None:
    parser.add_argument(
        "--engine",
        choices=[engine.value for engine in Engine],
        default=default,
        help="engine to score (default: llm when an endpoint is configured, else offline)"
        if default is None
        else f"engine to score (default {default})",
    )
    parser.add_argument(
        "--prompt",
        type=Path,
        metavar="FILE",
        help=f"prompt file for the LLM engine (default DIGEST_PROMPT_FILE or {_DEFAULT_PROMPT})",
    )
    parser.add_argument(
        "--model",
        metavar="NAME",
        help=f"model name for the LLM engine (default DIGEST_LLM_MODEL or {_DEFAULT_MODEL})",
    )
    parser.add_argument(
        "--gold", type=Path, default=GOLD_DIR, metavar="DIR", help="gold set directory (default evals/gold)"
    )


# --------------------------------------------------------------------------- run


def _settings(args: argparse.Namespace) -> tuple[Settings, Engine]:
    settings = load_settings()
    engine = (
        Engine(args.engine) if args.engine else (Engine.llm if settings.llm_configured else Engine.offline)
    )
    if engine is Engine.offline and (args.prompt or args.model):
        raise EvalError("--prompt and --model apply to the LLM engine: add --engine llm")
    updates: dict[str, object] = {}
    if args.model:
        updates["llm_model"] = args.model
    if args.prompt:
        updates["prompt_file"] = args.prompt.resolve()
    settings = settings.model_copy(update=updates)
    if engine is Engine.llm:
        try:
            load_prompt(settings.prompt_file)
        except (OSError, PromptFileError) as error:
            raise EvalError(f"cannot use the prompt {settings.prompt_file}: {error}") from error
    return settings, engine


def _progress(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def _evaluate(args: argparse.Namespace) -> RunRecord:
    settings, engine = _settings(args)
    if args.engine is None:
        _progress(
            f"engine: {engine.value}" + ("" if engine is Engine.llm else " (no LLM endpoint is configured)")
        )
    options = RunOptions(
        engine=engine, gold_dir=args.gold, refresh=args.refresh, concurrency=args.concurrency
    )
    return asyncio.run(evaluate(settings, options, progress=_progress))


def _run(args: argparse.Namespace) -> int:
    record = _evaluate(args)
    directory = args.out or new_run_dir(record.config.engine, record.config.started_at)
    save_run(record, directory)
    print(summary_table(record))
    saved = f"{display_path(directory / RUN_JSON)}, {REPORT_MD} and {REPORT_HTML}"
    print(f"\nsaved {saved} ({record.config.duration_s:.2f} s)")
    print(f"open in a browser: {(directory / REPORT_HTML).resolve().as_uri()}")
    if record.metrics.failed_articles:
        print(
            f"warning: the engine failed on {record.metrics.failed_articles} article(s); see the report",
            file=sys.stderr,
        )
    return 1 if record.metrics.failed_articles == record.metrics.articles else 0


def summary_table(record: RunRecord) -> str:
    metrics = record.metrics
    rows = [
        [
            name.value,
            score(metrics.fields[name].precision),
            score(metrics.fields[name].recall),
            score(metrics.fields[name].f1),
        ]
        for name in FIELDS
    ]
    table = text_table(["field", "P", "R", "F1"], rows)
    others = (
        f"grounding rate {score(metrics.grounding_rate)}"
        f" · schema-validity rate {score(metrics.schema_validity_rate)}"
        f" · casualty accuracy {score(metrics.casualty_accuracy)}"
    )
    if not record.metrics_by_kind:
        return f"{table}\n{others}"
    by_kind = text_table(*by_kind_table(record.metrics_by_kind))
    return f"{table}\n{others}\n\nby kind of article (articles)\n{by_kind}"


# --------------------------------------------------------------------------- compare, baseline


def _compare(args: argparse.Namespace) -> int:
    comparison = compare_runs(
        load_run_or_baseline(args.run_a),
        load_run_or_baseline(args.run_b),
        a_name=str(args.run_a),
        b_name=str(args.run_b),
        max_drop=args.max_drop,
    )
    print(render_comparison(comparison), end="")
    if args.html:
        args.html.parent.mkdir(parents=True, exist_ok=True)
        args.html.write_text(render_comparison_html(comparison), encoding="utf-8")
        print(f"wrote {display_path(args.html)}: open {args.html.resolve().as_uri()} in a browser")
    return 1 if comparison.failed else 0


def _export_feedback(args: argparse.Namespace) -> int:
    digester = Digester(load_settings())
    try:
        written = write_drafts(drafts(digester, args.out), args.out)
    finally:
        asyncio.run(digester.close())
    if not written:
        print("no digest in the cache has feedback: give some on a digest page (Feedback under each item)")
        return 0
    print(f"wrote {len(written)} gold draft(s) to {display_path(args.out)}:")
    for path in written:
        print(f"  {display_path(path)} (its article: {display_path(path.with_suffix('.txt'))})")
    print(
        "review each by evals/GUIDE.md before it joins evals/gold/; to score an engine on them now: "
        f"digest eval run --engine offline --gold {display_path(args.out)}"
    )
    return 0


def _baseline(args: argparse.Namespace) -> int:
    record = _evaluate(args)
    if record.metrics.failed_articles:
        raise EvalError(
            f"the engine failed on {record.metrics.failed_articles} article(s); the baseline was not written"
        )
    path = args.out or baseline_path(record.config.engine)
    write_baseline(baseline_of(record), path)
    print(summary_table(record))
    print(f"\nwrote {display_path(path)}")
    return 0
