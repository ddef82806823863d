"""Jinja for the pages: autoescaped, strict about undefined names, with the digest's wording filters."""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.template import TemplateConfig

from schemas.request import MAX_TITLE_CHARS
from service.http.web.labels import claim, english_date, label, number, short_hash

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"
STATIC_PATH = "/static"


def template_config() -> TemplateConfig[JinjaTemplateEngine]:
    return TemplateConfig(instance=JinjaTemplateEngine.from_environment(environment()))


def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        label=label, number=number, claim=claim, short_hash=short_hash, english_date=english_date
    )
    env.globals["asset"] = asset_url
    env.globals["max_title_chars"] = MAX_TITLE_CHARS
    return env


@cache
def asset_url(name: str) -> str:
    """`/static/app.css?v=<content hash>`: browsers refetch a file when it changes."""
    digest = hashlib.sha256((STATIC / name).read_bytes()).hexdigest()[:10]
    return f"{STATIC_PATH}/{name}?v={digest}"
