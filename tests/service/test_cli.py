"""`digest serve` and `digest extract`: plain-word errors that name the file or flag, help on everything."""

from __future__ import annotations

import argparse
import re
import socket
from pathlib import Path

import pytest

from service import cli

SEED = Path(__file__).resolve().parents[2] / "seeds" / "ghouta-bombing-resumes.txt"


def extract_error(capsys: pytest.CaptureFixture[str], *arguments: str) -> str:
    assert cli.main(["extract", *arguments]) == 1
    return capsys.readouterr().err


def test_an_empty_article_file_is_named_without_validator_words(tmp_path, capsys):
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n", encoding="utf-8")
    err = extract_error(capsys, str(empty), "--engine", "offline")
    assert err == f"digest: {empty} has no text (it is empty or only whitespace): give the article's file\n"


@pytest.mark.parametrize("date", ["2020-13-01", "23/02/2018"])
def test_a_bad_date_names_the_flag_and_the_format(capsys, date):
    err = extract_error(capsys, str(SEED), "--engine", "offline", "--published-at", date)
    assert (
        err
        == f"digest: --published-at {date} is not a date: write YYYY-MM-DD, e.g. --published-at 2018-02-23\n"
    )


def test_a_long_title_names_the_flag_and_the_limit(capsys):
    err = extract_error(capsys, str(SEED), "--engine", "offline", "--title", "x" * 1001)
    assert err == "digest: --title is longer than 1,000 characters: shorten it\n"


def test_a_file_that_is_not_utf8_says_so(tmp_path, capsys):
    latin = tmp_path / "latin.txt"
    latin.write_bytes("café".encode("latin-1"))
    assert (
        extract_error(capsys, str(latin)) == f"digest: {latin} is not UTF-8 text: save the article as UTF-8\n"
    )


def test_the_missing_llm_is_explained_with_the_flag_not_the_query_parameter(capsys, monkeypatch):
    for variable in ("DIGEST_LLM_BASE_URL", "OPENAI_BASE_URL", "DIGEST_LLM_API_KEY", "OPENAI_API_KEY"):
        monkeypatch.delenv(variable, raising=False)
    err = extract_error(capsys, str(SEED), "--engine", "llm")
    assert "or use --engine offline" in err
    assert "engine=" not in err


def test_serve_on_a_taken_port_says_which_flag_picks_another_before_any_banner(capsys):
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        assert cli.main(["serve", "--port", str(port)]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""  # no "listening" banner for a server that never listens
    assert f"cannot listen on 127.0.0.1:{port}: the port is already in use" in captured.err
    assert f"--port {port + 1} or DIGEST_PORT={port + 1}" in captured.err


def _subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    actions = [action for action in parser._actions if isinstance(action, argparse._SubParsersAction)]
    return dict(actions[0].choices) if actions else {}


def test_every_command_has_a_description_and_every_option_a_help_with_its_default():
    from evals.cli import _parser as eval_parser

    commands = _subcommands(cli._parser()) | {
        f"eval {name}": parser for name, parser in _subcommands(eval_parser()).items()
    }
    assert {"serve", "extract", "batch", "eval run", "eval compare", "eval baseline"} <= set(commands)
    for name, parser in commands.items():
        if name == "eval":
            continue  # `digest eval` is parsed by evals.cli
        assert parser.description, name
        for action in parser._actions:
            if isinstance(action, argparse._HelpAction):
                continue
            assert action.help, f"{name} {action.dest}"
            takes_value = action.nargs != 0 and action.option_strings and not action.required
            if takes_value:
                assert "default" in action.help, f"{name} {action.dest}: {action.help}"
                names_only_a_setting = re.search(r"default DIGEST_\w+\)", action.help)
                assert not names_only_a_setting, f"{name} {action.dest}: give the value too: {action.help}"
