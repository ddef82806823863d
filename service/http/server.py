"""How `digest serve` runs uvicorn: our access log only, and a limit on the time to send headers.

uvicorn's own access log is off: `service.http.observability` writes one JSON line per request, without
the query string (where a careless client may put a key). uvicorn (0.35+) has no limit on the time a
client takes to send a request's headers, so one that sends half a header line holds its connection
for as long as it likes (measured: 15 s and more, "slowloris"); `HeaderTimeoutProtocol` closes such a
connection after `DIGEST_HEADER_TIMEOUT_S`.
"""

from __future__ import annotations

import asyncio
from functools import cache

import h11
import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

from service.settings import load_settings


@cache
def _header_timeout_s() -> float:
    """Read once per worker process (uvicorn's workers import this module afresh)."""
    return load_settings().header_timeout_s


class HeaderTimeoutProtocol(H11Protocol):
    """uvicorn's h11 protocol; a client still sending a request's headers after the limit is cut off."""

    _header_timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._await_headers()

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        if self.conn.their_state is not h11.IDLE:
            self._stop_waiting()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if self.conn.their_state is h11.IDLE and not self.transport.is_closing():
            self._await_headers()

    def connection_lost(self, exc: Exception | None) -> None:
        self._stop_waiting()
        super().connection_lost(exc)

    def _await_headers(self) -> None:
        self._stop_waiting()
        self._header_timer = self.loop.call_later(_header_timeout_s(), self._headers_too_slow)

    def _stop_waiting(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def _headers_too_slow(self) -> None:
        self._header_timer = None
        if self.conn.their_state is h11.IDLE and not self.transport.is_closing():
            self.transport.close()


def serve(host: str, port: int, workers: int) -> None:
    uvicorn.run(
        "service.http.app:serve_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="info",
        access_log=False,
        http=HeaderTimeoutProtocol,
    )
