"""A process-wide asyncio loop, in its own thread, for the LLM calls.

Building a request and parsing and validating an answer (openai, pydantic) costs
several milliseconds of CPU per call. On the serving loop that time would queue every other
request behind it, cached ones included; on this loop the interpreter switches threads every few
milliseconds, so the serving loop keeps answering while an LLM call is being prepared or parsed.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Coroutine
from typing import Any, TypeVar

T = TypeVar("T")

_lock = threading.Lock()
_loop: asyncio.AbstractEventLoop | None = None


def _llm_loop() -> asyncio.AbstractEventLoop:
    global _loop
    with _lock:
        if _loop is None:
            _loop = asyncio.new_event_loop()
            threading.Thread(target=_loop.run_forever, name="llm-loop", daemon=True).start()
        return _loop


async def on_llm_loop(work: Coroutine[Any, Any, T]) -> T:
    """Run `work` on the LLM loop and await its result here; cancelling the caller cancels it there."""
    return await asyncio.wrap_future(asyncio.run_coroutine_threadsafe(work, _llm_loop()))
