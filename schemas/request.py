"""What a client sends: one article and what is known about it."""

from __future__ import annotations

import datetime as dt
import re

from pydantic import BaseModel, ConfigDict, Field, field_validator

MAX_ARTICLE_CHARS = 100_000
MAX_TITLE_CHARS = 1_000
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class DigestRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(
        min_length=1,
        max_length=MAX_ARTICLE_CHARS,
        description="The article body, Arabic, as plain text. Offsets in the digest refer to it as sent.",
    )
    title: str | None = Field(default=None, max_length=MAX_TITLE_CHARS)
    source: str | None = Field(default=None, max_length=300, description="Outlet or agency")
    published_at: dt.date | None = Field(
        default=None, description="Publication date (YYYY-MM-DD); relative dates resolve against it"
    )

    @field_validator("published_at", mode="before")
    @classmethod
    def _iso_date_only(cls, value: object) -> object:
        if value is None or isinstance(value, dt.date):
            return value
        if isinstance(value, str) and _ISO_DATE.fullmatch(value):
            return value
        raise ValueError("published_at must be a date written YYYY-MM-DD, e.g. 2018-02-23")

    @field_validator("text")
    @classmethod
    def _has_content(cls, text: str) -> str:
        if not text.strip():
            raise ValueError("text is empty or only whitespace: send the article body in 'text'")
        if "\x00" in text:
            raise ValueError("text contains NUL characters: send plain text, not binary data")
        return text
