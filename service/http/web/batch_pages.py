"""The batch page: a JSONL file, `.txt` files or pasted lines become a job of the jobs API, watched
until it is done, with its results to download and a list of the jobs started from this browser.

The page's script (`static/batches.js`) talks to `/v1/batches` itself, so what a job does and who may
see it is decided by the API alone; this module only renders the page and the limits it states."""

from __future__ import annotations

from litestar import get
from litestar.datastructures import State
from litestar.params import FromPath
from litestar.response import Template

from service.runtime.digester import Digester
from service.settings import Settings


@get("/batches", name="web:batches")
async def batches_page(state: State) -> Template:
    return _page(state, None)


@get("/batches/{job_id:str}", name="web:batch")
async def batch_page(state: State, job_id: FromPath[str]) -> Template:
    """The page watching one job; whether the job exists (for this caller) is the API's answer."""
    return _page(state, job_id)


def _page(state: State, job_id: str | None) -> Template:
    settings: Settings = state.settings
    digester: Digester = state.digester
    context = {
        "job_id": job_id,
        "max_batch_bytes": settings.max_batch_bytes,
        "max_batch_size": binary_size(settings.max_batch_bytes),
        "max_batch_items": settings.max_batch_items,
        "llm_available": digester.llm_available,
    }
    return Template(template_name="batches.html", context=context)


def binary_size(size: int) -> str:
    """67108864 → `64 MiB`, 1536 → `1.5 KiB`."""
    value, unit = float(size), "bytes"
    for larger in ("KiB", "MiB"):
        if value < 1024:
            break
        value, unit = value / 1024, larger
    return f"{value:,.1f}".removesuffix(".0") + f" {unit}"
