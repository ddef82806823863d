"""Editors' feedback on a digest's items, kept in the digest cache beside the digest it is about.

An item is marked correct or wrong (a later mark replaces an earlier one), and something the digest
missed is noted; `digest eval feedback export` turns the feedback into gold drafts for review.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from service.runtime.cache import ModelCache

MAX_NOTE_CHARS = 1_000


class Verdict(StrEnum):
    correct = "correct"
    wrong = "wrong"
    missing = "missing"


class ItemFeedback(BaseModel):
    model_config = ConfigDict(extra="ignore")

    item_id: str | None = Field(description="The item judged; null for something the digest missed")
    verdict: Verdict
    note: str = Field(default="", max_length=MAX_NOTE_CHARS)
    at: dt.datetime


class DigestFeedback(BaseModel):
    model_config = ConfigDict(extra="ignore")

    entries: list[ItemFeedback] = []

    def of(self, item_id: str) -> ItemFeedback | None:
        return next((entry for entry in self.entries if entry.item_id == item_id), None)

    @property
    def missing(self) -> list[ItemFeedback]:
        return [entry for entry in self.entries if entry.verdict is Verdict.missing]

    def with_entry(self, entry: ItemFeedback) -> DigestFeedback:
        kept = [e for e in self.entries if entry.item_id is None or e.item_id != entry.item_id]
        return DigestFeedback(entries=[*kept, entry])


def feedback_key(key: str) -> str:
    return f"{key}:feedback"


def load_feedback(cache: ModelCache, key: str) -> DigestFeedback:
    return cache.get(feedback_key(key), DigestFeedback) or DigestFeedback()


def save_feedback(cache: ModelCache, key: str, entry: ItemFeedback) -> bool:
    """Add `entry` to the digest's feedback; False when the cache could not keep it."""
    return cache.put(feedback_key(key), load_feedback(cache, key).with_entry(entry))
