"""Identical requests in flight at the same time share one piece of work."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class SingleFlight(Generic[T]):
    def __init__(self) -> None:
        self._in_flight: dict[str, asyncio.Task[T]] = {}

    def _settle(self, key: str, done: asyncio.Task[T]) -> None:
        self._in_flight.pop(key, None)
        if not done.cancelled():
            done.exception()  # retrieved here too, so a failure nobody awaited any more is not logged as lost

    async def run(self, key: str, work: Callable[[], Awaitable[T]]) -> T:
        """Run `work` once per key at a time; callers that arrive meanwhile await the same task.

        The work runs as its own task, so a caller that goes away does not cancel it for the others."""
        task = self._in_flight.get(key)
        if task is None:
            task = asyncio.ensure_future(work())
            self._in_flight[key] = task
            task.add_done_callback(lambda done: self._settle(key, done))
        return await asyncio.shield(task)
