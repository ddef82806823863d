"""Errors in plain words for the form page: what went wrong and what to do, per field when known."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from schemas.request import MAX_ARTICLE_CHARS
from service.errors import DigestError

KEPT = "Everything you typed is kept."

FIELD_LABELS = {
    "text": "Article text",
    "title": "Title",
    "source": "Source",
    "published_at": "Publication date",
    "engine": "Engine",
}


@dataclass(frozen=True)
class FormProblem:
    """The message above the form, the message next to each field at fault, the HTTP status."""

    message: str
    fields: dict[str, str] = field(default_factory=dict)
    status: int = 422


def invalid_fields(error: ValidationError) -> FormProblem:
    fields: dict[str, str] = {}
    for item in error.errors():
        name = str(item["loc"][0]) if item["loc"] else "text"
        fields.setdefault(name, _field_message(name, item))
    return FormProblem(f"Correct the fields marked below. {KEPT}", fields)


def unknown_engine(value: str) -> FormProblem:
    return FormProblem(
        f"Choose an engine. {KEPT}",
        {"engine": f"“{value}” is not an engine: choose Automatic, LLM or Offline."},
    )


def digest_failed(error: DigestError) -> FormProblem:
    detail = error.detail.rstrip(".")
    advice = "" if error.status < 500 else " Try again in a minute, or choose the offline engine."
    return FormProblem(f"{error.title}: {detail}.{advice} {KEPT}", {}, error.status)


def cross_site_submission() -> FormProblem:
    return FormProblem(f"This form can only be sent from this site's own page. {KEPT}", {}, 403)


def unexpected_failure() -> FormProblem:
    return FormProblem(
        "The service failed unexpectedly while digesting the article (the error is logged). "
        f"Try again, or choose the offline engine. {KEPT}",
        {},
        500,
    )


def _field_message(name: str, item: Any) -> str:
    kind = str(item.get("type", ""))
    context = item.get("ctx") or {}
    if name == "text":
        return _text_message(kind, str(item.get("msg", "")))
    if name == "published_at":
        return (
            f"“{item.get('input')}” is not a date: write the publication date as YYYY-MM-DD "
            "(for example 2018-02-25), or leave it empty."
        )
    label = FIELD_LABELS.get(name, name)
    if kind == "string_too_long":
        return f"The {label.lower()} is longer than {context.get('max_length', 0):,} characters: shorten it."
    return f"{label}: {_plain(str(item.get('msg', 'not acceptable')))}."


def _text_message(kind: str, message: str) -> str:
    if kind in {"missing", "string_too_short"} or "empty" in message:
        return "The article text is empty: paste the body of the Arabic article."
    if kind == "string_too_long":
        return (
            f"The article is longer than {MAX_ARTICLE_CHARS:,} characters: "
            "paste a shorter article or part of it."
        )
    return f"{_plain(message)}."


def _plain(message: str) -> str:
    return message.removeprefix("Value error, ").rstrip(".")
