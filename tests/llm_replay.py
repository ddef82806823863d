"""Replays the OpenAI chat-completions protocol at the httpx transport: no network, real SDK path."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

import httpx2

from schemas.llm_output import (
    ActorsEventsAnswer,
    DraftedActorsEventsAnswer,
    DraftedFiguresAnswer,
    DraftedQuotesAnswer,
    FiguresAnswer,
    LLMDigest,
    NumberedActorsEventsAnswer,
    NumberedFiguresAnswer,
    NumberedQuotesAnswer,
    QuotesAnswer,
    SummaryAnswer,
)

Reply = httpx2.Response | BaseException | Callable[[httpx2.Request], httpx2.Response]


def completion(
    content: str | dict[str, Any] | LLMDigest,
    *,
    finish_reason: str = "stop",
    status: int = 200,
    headers: dict[str, str] | None = None,
    completion_tokens: int = 300,
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
        "usage": {
            "prompt_tokens": 1200,
            "completion_tokens": completion_tokens,
            "total_tokens": 1200 + completion_tokens,
        },
    }
    return httpx2.Response(status, json=body, headers=headers)


TASK_ANSWERS = {
    "ActorsEventsAnswer": ("actors_events", ActorsEventsAnswer),
    "FiguresAnswer": ("figures", FiguresAnswer),
    "QuotesAnswer": ("quotes", QuotesAnswer),
    "SummaryAnswer": ("summary", SummaryAnswer),
    "NumberedActorsEventsAnswer": ("actors_events", NumberedActorsEventsAnswer),
    "NumberedFiguresAnswer": ("figures", NumberedFiguresAnswer),
    "NumberedQuotesAnswer": ("quotes", NumberedQuotesAnswer),
    "DraftedActorsEventsAnswer": ("actors_events", DraftedActorsEventsAnswer),
    "DraftedFiguresAnswer": ("figures", DraftedFiguresAnswer),
    "DraftedQuotesAnswer": ("quotes", DraftedQuotesAnswer),
}


def task_of(request: httpx2.Request) -> str:
    """The task a replayed request asks: its forced tool, its response format or its task message."""
    body = json.loads(request.content)
    name = (body.get("tool_choice") or {}).get("function", {}).get("name")
    name = name or ((body.get("response_format") or {}).get("json_schema") or {}).get("name")
    if name:
        return TASK_ANSWERS[name][0]
    task_message = next(m["content"] for m in body["messages"][1:] if m["content"].startswith("Task "))
    return next(task for task, _ in TASK_ANSWERS.values() if task_message.startswith(f"Task {task}:"))


def task_answer(output: LLMDigest, task: str) -> dict[str, Any]:
    """The part of a whole-article output that answers one task."""
    model = next(model for name, model in TASK_ANSWERS.values() if name == task)
    part: dict[str, Any] = json.loads(output.model_dump_json(include=set(model.model_fields)))
    return part


def answers(output: LLMDigest, **replies: Reply) -> Callable[[httpx2.Request], httpx2.Response]:
    """A reply answering each task's call with its part of `output`, or with `replies[task]`."""

    def reply(request: httpx2.Request) -> httpx2.Response:
        task = task_of(request)
        special = replies.get(task)
        if special is None:
            return completion(task_answer(output, task))
        if isinstance(special, BaseException):
            raise special
        return special(request) if callable(special) else special

    return reply


def tool_completion(
    arguments: str, tool: str, *, completion_tokens: int = 300, finish_reason: str = "tool_calls"
) -> httpx2.Response:
    """A forced tool call as llama.cpp's server answers it: finish_reason "tool_calls" even when cut off."""
    message = {
        "role": "assistant",
        "content": None,
        "tool_calls": [
            {"id": "call_1", "type": "function", "function": {"name": tool, "arguments": arguments}}
        ],
    }
    body = {
        "id": "chatcmpl-replay",
        "object": "chat.completion",
        "created": 1_700_000_000,
        "model": "replay-model",
        "choices": [{"index": 0, "finish_reason": finish_reason, "message": message}],
        "usage": {
            "prompt_tokens": 1200,
            "completion_tokens": completion_tokens,
            "total_tokens": 1200 + completion_tokens,
        },
    }
    return httpx2.Response(200, json=body)


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


@dataclass
class ReplayBatchAPI:
    """The Files and Batches API of a provider, replayed: a submitted batch runs every request line
    through `reply` (as the chat replay answers it) and completes at the second poll."""

    reply: Callable[[httpx2.Request], httpx2.Response]
    files: dict[str, str] = field(default_factory=dict)
    batches: dict[str, dict[str, Any]] = field(default_factory=dict)
    polls: int = 0

    async def handle(self, request: httpx2.Request) -> httpx2.Response:
        path = request.url.path.removeprefix("/v1")
        if request.method == "POST" and path == "/files":
            return self._upload(request)
        if request.method == "POST" and path == "/batches":
            return self._create(json.loads(request.content))
        if request.method == "GET" and path.startswith("/batches/"):
            return self._poll(path.removeprefix("/batches/"))
        if request.method == "GET" and path.startswith("/files/") and path.endswith("/content"):
            return httpx2.Response(200, text=self.files[path.split("/")[2]])
        return httpx2.Response(404, json={"error": {"message": f"no route {request.method} {path}"}})

    def http_client(self) -> httpx2.AsyncClient:
        return httpx2.AsyncClient(transport=httpx2.MockTransport(self.handle))

    def run_lines(self, requests: str) -> tuple[str, str]:
        """The output and error files of a batch of `requests` (as `vllm run-batch` writes them too)."""
        output, errors = [], []
        for number, line in enumerate(requests.splitlines()):
            call = json.loads(line)
            answer = self.reply(httpx2.Request("POST", "http://replay" + call["url"], json=call["body"]))
            record = {
                "id": f"batch_req_{number}",
                "custom_id": call["custom_id"],
                "response": {
                    "status_code": answer.status_code,
                    "request_id": f"req_{number}",
                    "body": answer.json(),
                },
                "error": None,
            }
            (output if answer.status_code == 200 else errors).append(json.dumps(record, ensure_ascii=False))
        return "".join(line + "\n" for line in output), "".join(line + "\n" for line in errors)

    def _upload(self, request: httpx2.Request) -> httpx2.Response:
        assert b'name="purpose"\r\n\r\nbatch' in request.content
        lines = [line for line in request.content.decode().splitlines() if line.startswith('{"custom_id"')]
        file_id = f"file-{len(self.files) + 1}"
        self.files[file_id] = "".join(line + "\n" for line in lines)
        body = {
            "id": file_id,
            "object": "file",
            "bytes": len(request.content),
            "created_at": 0,
            "filename": "requests.jsonl",
            "purpose": "batch",
            "status": "processed",
        }
        return httpx2.Response(200, json=body)

    def _create(self, body: dict[str, Any]) -> httpx2.Response:
        assert (body["endpoint"], body["completion_window"]) == ("/v1/chat/completions", "24h")
        batch_id = f"batch_{len(self.batches) + 1}"
        self.batches[batch_id] = {
            "id": batch_id,
            "object": "batch",
            "endpoint": body["endpoint"],
            "input_file_id": body["input_file_id"],
            "completion_window": "24h",
            "status": "validating",
            "created_at": 0,
            "polls": 0,
        }
        return httpx2.Response(200, json=self._public(batch_id))

    def _poll(self, batch_id: str) -> httpx2.Response:
        batch = self.batches[batch_id]
        batch["polls"] += 1
        self.polls += 1
        total = len(self.files[batch["input_file_id"]].splitlines())
        if batch["polls"] == 1:
            batch.update(status="in_progress", request_counts={"total": total, "completed": 0, "failed": 0})
        elif batch["status"] != "completed":
            output, errors = self.run_lines(self.files[batch["input_file_id"]])
            batch.update(status="completed")
            for kind, text in (("output", output), ("error", errors)):
                if text:
                    file_id = f"file-{kind}-{batch_id}"
                    self.files[file_id] = text
                    batch[f"{kind}_file_id"] = file_id
            failed = len(errors.splitlines())
            batch["request_counts"] = {"total": total, "completed": total - failed, "failed": failed}
        return httpx2.Response(200, json=self._public(batch_id))

    def _public(self, batch_id: str) -> dict[str, Any]:
        return {key: value for key, value in self.batches[batch_id].items() if key != "polls"}


@dataclass
class StreamedReply:
    """An answer streamed one server-sent event per piece, as llama.cpp's server streams it (no usage);
    counts the pieces the client took before it closed the stream."""

    pieces: list[str]
    tool: str | None = None
    sent: int = 0

    def __call__(self, request: httpx2.Request) -> httpx2.Response:
        async def events() -> AsyncIterator[bytes]:
            for piece in self.pieces:
                self.sent += 1
                yield f"data: {json.dumps(self._chunk(piece), ensure_ascii=False)}\n\n".encode()
            yield b"data: [DONE]\n\n"

        return httpx2.Response(200, headers={"content-type": "text/event-stream"}, content=events())

    def _chunk(self, piece: str) -> dict[str, Any]:
        delta: dict[str, Any] = {"content": piece}
        if self.tool is not None:
            function = {"name": self.tool, "arguments": piece}
            delta = {"tool_calls": [{"index": 0, "id": "call_1", "type": "function", "function": function}]}
        return {
            "id": "chatcmpl-replay",
            "object": "chat.completion.chunk",
            "created": 1_700_000_000,
            "model": "replay-model",
            "choices": [{"index": 0, "delta": delta, "finish_reason": None}],
        }


def pieces_of(text: str, size: int = 7) -> list[str]:
    """`text` cut into the short pieces a server streams."""
    return [text[start : start + size] for start in range(0, len(text), size)]
