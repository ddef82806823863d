"""A replayed LLM that answers with the gold labels (evals/gold_answers.py)."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import httpx2

from evals.gold import GoldArticle
from evals.gold_answers import perfect_output
from schemas.llm_output import LLMDigest
from tests.llm_replay import answers

__all__ = ["answering", "perfect_output", "perfect_replies"]


def answering(
    outputs: Mapping[str, LLMDigest | dict[str, Any]],
) -> Callable[[httpx2.Request], httpx2.Response]:
    """A replay reply that answers each request with the output of the article it carries."""

    def reply(request: httpx2.Request) -> httpx2.Response:
        messages = json.loads(request.content)["messages"]
        contents = "\n".join(str(message.get("content") or "") for message in messages)
        for article, output in outputs.items():
            if article in contents:
                return answers(output)(request)
        raise AssertionError("the replayed LLM got an article it has no answer for")

    return reply


def perfect_replies(gold_set: Sequence[GoldArticle]) -> Callable[[httpx2.Request], httpx2.Response]:
    return answering({gold.article_text(): perfect_output(gold) for gold in gold_set})
