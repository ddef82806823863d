"""Every command in the README's bash blocks runs as written, in a fresh copy of the checkout.

A command the test cannot run as written (it needs an LLM endpoint, or it is `make test` itself)
is listed here with what is checked instead; a new README command that is not handled fails the
test, so the README cannot drift from what runs.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from evals.baseline import read_baseline
from evals.records import FieldName
from tests.paths import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")
SERVER = "make run &"
STOP_SERVER = "kill %1"
THIS_SUITE = "make test"
LOCAL_LLM = "make llm-local"  # minutes of building and a 1.1 GB download: its script's --help is run instead
NO_ENDPOINT = "no LLM endpoint is configured"
NO_LOCAL_SERVER = "no local LLM server is running"
_UNCOPIED = shutil.ignore_patterns(
    ".git", ".venv", ".cache", ".llm-local", "runs", "test-output", "__pycache__", ".*_cache"
)


def readme_commands() -> list[str]:
    """The commands of every ```bash block, continuation lines joined, in README order."""
    commands = []
    for block in re.findall(r"```bash\n(.*?)```", README, flags=re.DOTALL):
        for command in re.sub(r"\\\n", " ", block).splitlines():
            if command.strip():
                commands.append(command.strip())
    return commands


def _without_comment(command: str) -> str:
    return command.split(" #")[0].strip()


def _needs_llm(command: str) -> bool:
    return "--engine llm" in command or "evals/runs/llm-" in command or "eval-local" in command


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def checkout(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's files as a new user has them after `make install` (the .venv is shared)."""
    stamp = REPO / ".venv" / ".installed-stamp"
    if not stamp.exists():
        pytest.fail("the checkout has no installed .venv: run `make install` first")
    copy = tmp_path_factory.mktemp("clone") / "repo"
    shutil.copytree(REPO, copy, ignore=_UNCOPIED)
    (copy / ".venv").symlink_to(REPO / ".venv")
    # make reinstalls when pyproject.toml is newer than the stamp: never into the shared .venv from here
    installed = (
        stamp.stat().st_mtime_ns
    )  # in nanoseconds: a float can round up past the stamp, and make reinstalls
    os.utime(copy / "pyproject.toml", ns=(installed, installed))
    return copy


@pytest.fixture(scope="module")
def environment() -> dict[str, str]:
    """The user's environment without any LLM endpoint or digest setting of this machine."""
    return {name: value for name, value in os.environ.items() if not name.startswith(("DIGEST_", "OPENAI_"))}


@pytest.fixture(scope="module")
def server_port(checkout: Path, environment: dict[str, str]) -> Iterator[int]:
    """`make run` in the copy, on a free port instead of 8000 (other servers may hold 8000 here)."""
    port = _free_port()
    server = subprocess.Popen(
        SERVER.removesuffix("&").split(),
        cwd=checkout,
        env=environment | {"DIGEST_PORT": str(port)},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.2)
        else:
            pytest.fail("make run did not answer /healthz within 60 s")
        yield port
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def run(command: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", "-c", command],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_every_readme_command_runs_as_written(checkout, environment, server_port):
    commands = readme_commands()
    assert SERVER in commands and any("curl" in command for command in commands)
    for command in commands:
        if _without_comment(command) in (SERVER, SERVER.removesuffix(" &"), THIS_SUITE):
            continue  # the server is the fixture's `make run`; `make test` is this very suite
        if _without_comment(command) == STOP_SERVER:
            _check_the_background_server_stops(checkout, environment)
            continue
        if _without_comment(command) == LOCAL_LLM:
            assert run("python3 scripts/llm_local.py --help", checkout, environment).returncode == 0
            continue
        written = command.replace("127.0.0.1:8000", f"127.0.0.1:{server_port}")
        result = run(written, checkout, environment)
        if _needs_llm(command):
            # without an endpoint: the command is well formed and its files exist, and it says what is missing
            assert result.returncode != 0, command
            assert any(
                reason in result.stderr for reason in (NO_ENDPOINT, NO_LOCAL_SERVER, "cannot read the run")
            ), result.stderr
            continue
        assert result.returncode == 0, f"{command}\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}"
        if "curl" in command:
            assert "\\u06" not in result.stdout and '"headline_en"' in result.stdout, result.stdout[:500]
            assert re.search("[\u0600-\u06ff]", result.stdout), "the Arabic is shown as Arabic"
        if command.startswith(".venv/bin/digest extract"):
            assert json.loads(result.stdout)["provenance"]["engine"] == "offline"


def _check_the_background_server_stops(checkout: Path, environment: dict[str, str]) -> None:
    """`make run &` then `kill %1` in one interactive shell (job control on) leaves nothing listening."""
    port = _free_port()
    session = (
        f"set -m; {SERVER}\n"
        f"for _ in $(seq 150); do curl -sf http://127.0.0.1:{port}/healthz >/dev/null && break; "
        "sleep 0.2; done\n"
        f"{STOP_SERVER}; wait"
    )
    result = run(session, checkout, environment | {"DIGEST_PORT": str(port)})
    assert f"listening on http://127.0.0.1:{port}" in result.stdout, (
        result.stdout[-2000:] + result.stderr[-2000:]
    )
    with socket.socket() as probe:
        assert probe.connect_ex(("127.0.0.1", port)) != 0, f"`{STOP_SERVER}` left the server listening"


def test_the_readme_scores_are_the_recorded_baseline():
    """The last column of the README's score table (the whole gold set) is the baseline's P / R / F1."""
    baseline = read_baseline(REPO / "evals" / "baselines" / "offline.json")
    assert f"| all {len(baseline.gold_articles)} |" in README
    for name in FieldName:
        scores = baseline.fields[name]
        whole_set = f"{scores.precision:.3f} / {scores.recall:.3f} / {scores.f1:.3f} |"
        [row] = [line for line in README.splitlines() if line.startswith(f"| {name.value} |")]
        assert row.endswith(whole_set), f"README's {name.value} row should end with {whole_set}"
