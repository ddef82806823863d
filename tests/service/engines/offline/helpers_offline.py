"""Shared helpers of the offline engine tests (imported by module name: the test tree has no packages)."""

from __future__ import annotations

import datetime as dt
import re

from schemas.digest import Digest, Figure
from schemas.request import DigestRequest
from service.engines.offline import offline_digest

NUMBER_RE = re.compile(r"\d[\d,]*(?:\.\d+)?")


def digest_of(text: str, published_at: dt.date | None = None) -> Digest:
    return offline_digest(DigestRequest(text=text, published_at=published_at))


def figure_at(digest: Digest, text: str, phrase: str) -> Figure:
    """The figure whose span overlaps the first occurrence of `phrase` in `text`."""
    start = text.index(phrase)
    end = start + len(phrase)
    found = [f for f in digest.figures if f.span.start < end and start < f.span.end]
    assert found, f"no figure at {phrase!r}: {[f.span.text for f in digest.figures]}"
    return found[0]


def actor_name(digest: Digest, actor_id: str | None) -> str | None:
    return next((a.name_en for a in digest.actors if a.id == actor_id), None)


def numbers_in(english: str) -> set[int]:
    return {int(float(match.replace(",", ""))) for match in NUMBER_RE.findall(english)}
