"""A wheel of the project, installed in a fresh venv, serves an LLM digest (prompts are package data).

`pip wheel . --no-deps` builds the wheel; it is installed with `--no-deps` into a new venv made
without pip. The project's code and data come from that wheel only: the venv sees the dev
environment's third-party packages through one path entry (not `--system-site-packages`, and not
the dev venv's `.pth` hooks, so the repository's editable install is invisible), which keeps the
test offline and fast. Run from a directory outside the repository, the script asserts that every
package it imports lives in the new venv, then POSTs an article to the app with the LLM replayed at
the httpx transport from the prompt's own worked example.
"""

from __future__ import annotations

import json
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from tests.paths import REPO

SCRIPT = r"""
import json, sys
from pathlib import Path
import httpx2
from litestar.testing import TestClient
import prompts, schemas, service
from service.engines.llm.client import LLMClient
from service.engines.llm.prompt import load_prompt
from service.http.app import create_app
from service.runtime.digester import Digester
from service.settings import Settings

venv = Path(sys.prefix).resolve()
for package in (prompts, schemas, service):
    assert venv in Path(package.__file__).resolve().parents, (package.__name__, package.__file__)
settings = Settings(llm_base_url="http://llm.invalid/v1", llm_api_key="x", llm_model="replay-model",
                    cache_dir=Path("cache"))
assert venv in settings.prompt_file.resolve().parents and venv in settings.llm_price_file.resolve().parents
example = load_prompt(settings.prompt_file).file.example
keys = {"ActorsEventsAnswer": ["actors", "events"], "FiguresAnswer": ["figures"], "QuotesAnswer": ["quotes"],
        "SummaryAnswer": ["headline_en", "summary_en", "key_points_en", "summary_ar"]}

def reply(request):
    body = json.loads(request.content)
    wanted = keys[body["response_format"]["json_schema"]["name"]]
    content = example.output.model_dump_json(include=set(wanted))
    message = {"role": "assistant", "content": content}
    usage = {"prompt_tokens": 10, "completion_tokens": 10, "total_tokens": 20}
    choice = {"index": 0, "finish_reason": "stop", "message": message}
    return httpx2.Response(200, json={"id": "c", "object": "chat.completion", "created": 1,
                                      "model": "replay-model", "choices": [choice], "usage": usage})

llm = LLMClient(settings, http_client=httpx2.AsyncClient(transport=httpx2.MockTransport(reply)))
with TestClient(app=create_app(settings, Digester(settings, llm))) as client:
    answer = client.post("/v1/digests", json={"text": example.article}, params={"engine": "llm"})
print(json.dumps({"status": answer.status_code, "digest": answer.json()}))
"""


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            ".",
            "--no-deps",
            "-q",
            "-w",
            str(out),
        ],
        cwd=REPO,
        check=True,
        timeout=300,
    )
    return next(out.glob("*.whl"))


def test_the_wheel_holds_the_prompts_and_the_data_it_loads(wheel: Path) -> None:
    import zipfile

    names = set(zipfile.ZipFile(wheel).namelist())
    assert "prompts/digest-v2.yaml" in names
    assert "service/engines/llm/data/prices.yaml" in names
    assert any(name.startswith("service/arabic/data/") for name in names)


def test_a_wheel_installed_in_a_fresh_venv_serves_an_llm_digest(wheel: Path, tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "-q", str(wheel)],
        check=True,
        timeout=300,
    )
    site = Path(
        subprocess.check_output(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"], text=True
        ).strip()
    )
    (site / "dev-dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n")
    work = tmp_path / "elsewhere"
    work.mkdir()
    done = subprocess.run(
        [str(python), "-I", "-c", SCRIPT], cwd=work, capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stderr[-3000:]
    answer = json.loads(done.stdout.strip().splitlines()[-1])
    assert answer["status"] == 200, answer
    digest = answer["digest"]
    assert digest["provenance"]["engine"] == "llm" and digest["figures"] and digest["quotes"]
    assert digest["warnings"] == []
