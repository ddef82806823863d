"""Facts about the article itself that every engine reports the same way."""

from __future__ import annotations

import hashlib

from schemas.digest import ArticleInfo
from schemas.request import DigestRequest


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def article_info(request: DigestRequest) -> ArticleInfo:
    return ArticleInfo(
        title=request.title,
        source=request.source,
        published_at=request.published_at,
        chars=len(request.text),
        sha256=text_sha256(request.text),
    )
