"""Replays the OpenAI chat-completions protocol at the httpx transport: no network, real SDK path."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx2

from schemas.llm_output import LLMDigest

Reply = httpx2.Response | BaseException | Callable[[httpx2.Request], httpx2.Response]


def completion(
    content: str | dict[str, Any] | LLMDigest,
    *,
    finish_reason: str = "stop",
    status: int = 200,
    headers: dict[str, str] | None = None,
) -> httpx2.Response:
    """A chat.completion whose message content is `content` (a model or dict is sent as JSON)."""
    if isinstance(content, LLMDigest):
        content = content.model_dump_json()
    elif isinstance(content, dict):
        content = json.dumps(content, ensure_ascii=False)
    body = {
        "id": "chatcmpl-replay",
        "object": "chat.completion",
        "created": 1_700_000_000,
        "model": "replay-model",
        "choices": [
            {"index": 0, "finish_reason": finish_reason, "message": {"role": "assistant", "content": content}}
        ],
        "usage": {"prompt_tokens": 1200, "completion_tokens": 300, "total_tokens": 1500},
    }
    return httpx2.Response(status, json=body, headers=headers)


def error_response(status: int, headers: dict[str, str] | None = None) -> httpx2.Response:
    return httpx2.Response(
        status, json={"error": {"message": f"replayed {status}", "type": "server_error"}}, headers=headers
    )


@dataclass
class ReplayLLM:
    """Answers each call with the next queued reply; the last reply repeats when the queue runs out."""

    replies: list[Reply]
    latency_s: float = 0.0
    requests: list[httpx2.Request] = field(default_factory=list)

    async def handle(self, request: httpx2.Request) -> httpx2.Response:
        self.requests.append(request)
        reply = self.replies[min(len(self.requests) - 1, len(self.replies) - 1)]
        if self.latency_s:
            await asyncio.sleep(self.latency_s)
        if isinstance(reply, BaseException):
            raise reply
        if callable(reply):
            return reply(request)
        return reply

    def http_client(self) -> httpx2.AsyncClient:
        return httpx2.AsyncClient(transport=httpx2.MockTransport(self.handle))

    @property
    def calls(self) -> int:
        return len(self.requests)

    def request_json(self, index: int = -1) -> dict[str, Any]:
        parsed: dict[str, Any] = json.loads(self.requests[index].content)
        return parsed
