"""The offline engine over the real development articles (`../shared/real-dev` beside the repository):
an article that reports violence never gets an empty digest, and names at least one actor.

The folder is not part of the repository (`REAL_DEV_DIR` points elsewhere, e.g. from a worktree);
without it the test is skipped, except on CI (CI=true), where its absence is a failure."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from helpers_offline import digest_of
from paths import REAL_DEV_ARTICLES

from service.arabic.document import Document
from service.arabic.lexicon import words

REAL_DEV = REAL_DEV_ARTICLES
_VIOLENCE = words(
    "قتل", "مقتل", "قتلى", "قتيلا", "جرحى", "انفجار", "تفجير", "غارة", "غارات", "قصف", "هجوم", "اشتباكات",
    "انتحاري", "مفخخة", "اعتقال", "اختطاف", "إعدام",
)  # fmt: skip


def _articles() -> list[Path]:
    if not REAL_DEV.is_dir():
        if os.environ.get("CI") == "true":
            pytest.fail(f"the real development articles are missing on CI: {REAL_DEV}")
        pytest.skip(f"no real development articles at {REAL_DEV}")
    return sorted(REAL_DEV.glob("*.txt"))


def _reports_violence(text: str) -> bool:
    document = Document(text)
    return any(document.has(index, _VIOLENCE) for index in range(len(document.tokens)))


def test_a_real_article_reporting_violence_gets_events_or_figures_and_an_actor() -> None:
    empty, without_actor = [], []
    for path in _articles():
        text = path.read_text(encoding="utf-8")
        if not _reports_violence(text):
            continue
        digest = digest_of(text)
        if not (digest.events or digest.figures):
            empty.append(path.name)
        if not digest.actors:
            without_actor.append(path.name)
    assert (empty, without_actor) == ([], [])
