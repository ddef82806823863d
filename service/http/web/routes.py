"""The editor's pages: the article form, the digest page by key, its JSON download."""

from __future__ import annotations

import datetime as dt
import logging
import re
from dataclasses import dataclass
from typing import Annotated, Any

from litestar import Request, Response, Router, get, post
from litestar.datastructures import State
from litestar.di import NamedDependency, Provide
from litestar.exceptions import HTTPException
from litestar.params import FromPath, Parameter
from litestar.response import Redirect, Template
from pydantic import ValidationError

from schemas.digest import Digest
from schemas.request import DigestRequest
from service.errors import DigestError
from service.http.web.batch_pages import batch_page, batches_page
from service.http.web.error_pages import digest_error_page, http_error_page, unexpected_error_page
from service.http.web.form import FormValues
from service.http.web.headers import SECURITY_HEADERS
from service.http.web.messages import (
    FormProblem,
    cross_site_submission,
    digest_failed,
    invalid_fields,
    unexpected_failure,
    unknown_engine,
)
from service.http.web.page import digest_page
from service.http.web.recent import RecentDigests
from service.runtime.digester import Digester
from service.runtime.feedback import MAX_NOTE_CHARS, ItemFeedback, Verdict

log = logging.getLogger(__name__)

_KEY = re.compile(r"[0-9a-f]{64}")
_JSON_SUFFIX = ".json"


@dataclass(frozen=True)
class MadeDigest:
    key: str
    request: DigestRequest
    digest: Digest


@get("/", name="web:form")
async def form_page(state: State) -> Template:
    return _form(state.digester, FormValues())


@get("/digests", name="web:digests")
async def list_digests(
    state: State, q: Annotated[str, Parameter(max_length=200, description="words to search for")] = ""
) -> Template:
    digester: Digester = state.digester
    context = {"listings": digester.recent(q), "query": q, "cache_enabled": digester.cache_enabled}
    return Template(template_name="digests.html", context=context)


@post("/digests", name="web:submit", status_code=303)
async def submit_article(
    request: Request[Any, Any, Any], state: State, recent: NamedDependency[RecentDigests]
) -> Response[Any]:
    values = FormValues.from_form(await request.form())
    if _from_another_site(request):
        return _form(state.digester, values, cross_site_submission())
    outcome = await _digest(state.digester, values)
    if isinstance(outcome, FormProblem):
        return _form(state.digester, values, outcome)
    recent.put(outcome.key, outcome.request, outcome.digest)
    return Redirect(path=f"/d/{outcome.key}", status_code=303)


def _from_another_site(request: Request[Any, Any, Any]) -> bool:
    """A browser names the page a form was sent from; a page of another site may not spend our LLM calls
    with an editor's stored credentials (requests without Origin, e.g. from scripts, are not browsers')."""
    origin = request.headers.get("origin")
    if origin is None:
        return False
    own = f"{request.url.scheme}://{request.headers.get('host', '')}"
    return origin.rstrip("/").lower() != own.lower()


@get("/d/{key:str}", name="web:digest")
async def show_digest(
    key: FromPath[str], state: State, recent: NamedDependency[RecentDigests]
) -> Response[Any]:
    """`/d/{key}` is the page, `/d/{key}.json` the digest as a JSON download."""
    wants_json = key.endswith(_JSON_SUFFIX)
    key = key.removesuffix(_JSON_SUFFIX)
    entry = _find(key, state.digester, recent)
    if entry is None:
        return Template(template_name="not_found.html", context={"key": key}, status_code=404)
    request, digest = entry
    if wants_json:
        return _download(key, digest)
    page = digest_page(key, request, digest, state.digester.feedback(key))
    return Template(template_name="digest.html", context={"page": page})


@post("/d/{key:str}/feedback", name="web:feedback", status_code=303)
async def give_feedback(
    key: FromPath[str], request: Request[Any, Any, Any], state: State, recent: NamedDependency[RecentDigests]
) -> Response[Any]:
    """One item marked correct or wrong (or something missing noted); back to the item on the page."""
    if _from_another_site(request):
        raise HTTPException(status_code=403, detail="feedback must be sent from this site's digest page")
    found = _find(key, state.digester, recent)
    if found is None:
        raise HTTPException(status_code=404, detail="no digest has this link")
    form = await request.form()
    item_id = str(form.get("item", "")) or None
    try:
        entry = ItemFeedback.model_validate(
            {
                "item_id": item_id,
                "verdict": str(form.get("verdict", "")),
                "note": str(form.get("note", "")).strip(),
                "at": dt.datetime.now(dt.UTC),
            }
        )
    except ValidationError as error:
        raise HTTPException(status_code=400, detail=_feedback_problem(error)) from error
    page = digest_page(key, *found)
    anchor = page.anchor_of(item_id)
    if (entry.verdict is Verdict.missing) != (item_id is None) or (item_id is not None and anchor is None):
        raise HTTPException(
            status_code=400, detail="mark an item of this digest correct or wrong, or note what is missing"
        )
    if not state.digester.save_feedback(key, entry):
        raise HTTPException(status_code=503, detail="the digest cache could not keep the feedback: try again")
    return Redirect(path=f"/d/{key}#{anchor or 'missing-heading'}", status_code=303)


def _feedback_problem(error: ValidationError) -> str:
    fields = {str(item["loc"][0]) for item in error.errors() if item["loc"]}
    if "verdict" in fields:
        return "choose Correct or Wrong before saving the feedback"
    return f"the note is longer than {MAX_NOTE_CHARS:,} characters: shorten it"


def web_router() -> Router:
    recent = RecentDigests()
    return Router(
        path="/",
        route_handlers=[
            form_page,
            list_digests,
            submit_article,
            show_digest,
            give_feedback,
            batches_page,
            batch_page,
        ],
        dependencies={"recent": Provide(lambda: recent, use_cache=True, sync_to_thread=False)},
        response_headers=SECURITY_HEADERS,
        exception_handlers={
            HTTPException: http_error_page,
            DigestError: digest_error_page,
            Exception: unexpected_error_page,
        },
        include_in_schema=False,
    )


async def _digest(digester: Digester, values: FormValues) -> MadeDigest | FormProblem:
    engine = values.engine_choice()
    if engine is None:
        return unknown_engine(values.engine)
    try:
        request = values.to_request()
        digest = await digester.digest(request, engine)
    except ValidationError as error:
        return invalid_fields(error)
    except DigestError as error:
        return digest_failed(error)
    except Exception:  # the page boundary: the editor keeps the text whatever failed
        log.exception("digesting from the form failed unexpectedly")
        return unexpected_failure()
    key = digest.provenance.cache_key or digester.key_for(request, digest.provenance.engine)
    return MadeDigest(key, request, digest)


def _find(key: str, digester: Digester, recent: RecentDigests) -> tuple[DigestRequest, Digest] | None:
    if not _KEY.fullmatch(key):
        return None
    return recent.get(key) or digester.lookup(key)


def _form(digester: Digester, values: FormValues, problem: FormProblem | None = None) -> Template:
    context = {
        "values": values,
        "problem": problem,
        "errors": problem.fields if problem else {},
        "llm_available": digester.llm_available,
    }
    return Template(
        template_name="form.html", context=context, status_code=problem.status if problem else 200
    )


def _download(key: str, digest: Digest) -> Response[bytes]:
    return Response(
        content=digest.model_dump_json(indent=2).encode("utf-8"),
        media_type="application/json",
        headers={"Content-Disposition": f'attachment; filename="digest-{key[:12]}.json"'},
    )
