"""Keep-alive HTTP/1.1 connections to one service: the transport under every forwarded request.

Built on asyncio's protocol layer and httptools' parser (uvicorn's own, so already installed with
`uvicorn[standard]`) rather than a general client: forwarding is one request shape, and a general
client spent more per request than the service it calls (httpx cost the gateway ~6 ms of CPU a
request under 32 connections: a failed `import sniffio` per call, which searches sys.path, and a
scan of every pooled connection). Bytes pass through as they are: headers are not decoded, bodies
are not re-parsed, and a large answer (a model archive) streams with backpressure instead of
being held in memory.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import AsyncIterator
from typing import cast

import httptools

# Buffered answer bytes above which the service's socket stops being read (a slow client).
HIGH_WATER = 256 * 1024
LOW_WATER = 64 * 1024


class UpstreamFailure(Exception):
    """The service could not be reached or did not answer whole."""


class ConnectFailed(UpstreamFailure):
    """No connection could be opened (refused, unreachable)."""


class ConnectionDropped(UpstreamFailure):
    """The connection closed or broke before the answer was complete."""


class UpstreamTimeout(UpstreamFailure):
    """The service did not connect or send the next bytes within the timeout."""


class _Connection(asyncio.Protocol):
    """One TCP connection; its parser hands the answer's head and body chunks to the waiting task."""

    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self.parser = httptools.HttpResponseParser(self)
        self.closed = False
        self.busy = False
        self._waiter: asyncio.Future[None] | None = None
        self._paused = False
        self.begin(head_only=False)

    def begin(self, *, head_only: bool) -> None:
        """Forget the last answer before sending a request; `head_only` for HEAD (no body follows)."""
        self.busy = True
        self.head_only = head_only
        self.status = 0
        self.headers: list[tuple[bytes, bytes]] = []
        self.head_done = False
        self.complete = False
        self.keep_alive = False
        self.chunks: deque[bytes] = deque()
        self.buffered = 0
        self.error: UpstreamFailure | None = None

    # asyncio.Protocol
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        # uvloop's transports are not asyncio.Transport subclasses, but they are Transports.
        self.transport = cast(asyncio.Transport, transport)

    def data_received(self, data: bytes) -> None:
        if not self.busy:  # bytes nobody asked for: this connection cannot be trusted again
            self.close()
            return
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserError as exc:
            self._fail(ConnectionDropped(f"malformed answer ({exc})"))
            self.close()

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        if self.busy and not self.complete:
            self._fail(
                ConnectionDropped(f"connection closed before the answer was complete ({exc})")
            )

    # httptools callbacks
    def on_header(self, name: bytes, value: bytes) -> None:
        self.headers.append((name.lower(), value))

    def on_headers_complete(self) -> None:
        self.status = self.parser.get_status_code()
        self.head_done = True
        if (
            self.head_only
        ):  # the parser would wait for a body of Content-Length bytes that never come
            self.complete = True
        self._wake()

    def on_body(self, body: bytes) -> None:
        self.chunks.append(body)
        self.buffered += len(body)
        if self.buffered > HIGH_WATER and self.transport is not None and not self._paused:
            self.transport.pause_reading()
            self._paused = True
        self._wake()

    def on_message_complete(self) -> None:
        self.complete = True
        self.keep_alive = not self.head_only and self.parser.should_keep_alive()
        self._wake()

    # used by the request's task
    def take_chunk(self) -> bytes:
        chunk = self.chunks.popleft()
        self.buffered -= len(chunk)
        if self._paused and self.buffered < LOW_WATER and self.transport is not None:
            self.transport.resume_reading()
            self._paused = False
        return chunk

    async def wait(self, timeout_s: float) -> None:
        """Until the parser has news (head, chunk, end) or the connection fails; raises the failure."""
        loop = asyncio.get_running_loop()
        waiter: asyncio.Future[None] = loop.create_future()
        self._waiter = waiter
        timer = loop.call_later(timeout_s, _expire, waiter, timeout_s)
        try:
            await waiter
        finally:
            timer.cancel()
            self._waiter = None
        if self.error is not None:
            raise self.error

    def reusable(self) -> bool:
        return self.complete and self.keep_alive and not self.closed and not self.chunks

    def close(self) -> None:
        self.closed = True
        if self.transport is not None:
            self.transport.close()

    def _fail(self, error: UpstreamFailure) -> None:
        if self.error is None:
            self.error = error
        self._wake()

    def _wake(self) -> None:
        if self._waiter is not None and not self._waiter.done():
            self._waiter.set_result(None)


def _expire(waiter: asyncio.Future[None], timeout_s: float) -> None:
    if not waiter.done():
        waiter.set_exception(UpstreamTimeout(f"no answer within {timeout_s:g} s"))


class UpstreamResponse:
    """An answer whose head has arrived; read or stream the body, then `release()` it (always)."""

    def __init__(self, pool: UpstreamPool, conn: _Connection, timeout_s: float) -> None:
        self._pool, self._conn, self._timeout_s = pool, conn, timeout_s
        self.status = conn.status
        self.headers = conn.headers
        self._released = False

    @property
    def complete(self) -> bool:
        """Whether the whole body has already arrived (small answers come in one read)."""
        return self._conn.complete

    async def chunks(self) -> AsyncIterator[bytes]:
        """The body as it arrives; raises an UpstreamFailure when it stops short."""
        conn = self._conn
        while True:
            while conn.chunks:
                yield conn.take_chunk()
            if conn.complete:
                return
            await conn.wait(self._timeout_s)

    async def read(self) -> bytes:
        """The whole body; the connection is released."""
        try:
            return b"".join([chunk async for chunk in self.chunks()])
        finally:
            self.release()

    def release(self) -> None:
        """Back to the pool when the answer was read to its end, else the connection is closed."""
        if not self._released:
            self._released = True
            self._pool.give_back(self._conn)


class UpstreamPool:
    """Connections to one `host:port`, reused while the service keeps them alive."""

    def __init__(self, host: str, port: int, *, timeout_s: float, max_idle: int = 100) -> None:
        self.host, self.port, self.timeout_s, self.max_idle = host, port, timeout_s, max_idle
        self.authority = f"{host}:{port}".encode("ascii")
        self._idle: list[_Connection] = []
        self._loop: asyncio.AbstractEventLoop | None = None

    async def request(
        self, method: str, target: bytes, headers: list[tuple[bytes, bytes]], body: bytes, *,
        fresh: bool = False, timeout_s: float | None = None,
    ) -> UpstreamResponse:  # fmt: skip
        """Send one request; returns once the answer's head is in. `fresh`: a new connection."""
        timeout_s = timeout_s or self.timeout_s
        loop = asyncio.get_running_loop()
        if (
            loop is not self._loop
        ):  # connections belong to the loop that opened them (tests run many)
            self._idle.clear()
            self._loop = loop
        conn = None if fresh else self._take_idle()
        if conn is None:
            conn = await self._connect(timeout_s)
        conn.begin(head_only=method == "HEAD")
        assert conn.transport is not None
        conn.transport.write(_head(method, target, self.authority, headers, body) + body)
        try:
            while not conn.head_done:
                await conn.wait(timeout_s)
        except BaseException:
            conn.close()
            raise
        return UpstreamResponse(self, conn, timeout_s)

    def give_back(self, conn: _Connection) -> None:
        conn.busy = False
        if conn.reusable() and len(self._idle) < self.max_idle:
            self._idle.append(conn)
        else:
            conn.close()

    def close(self) -> None:
        for conn in self._idle:
            conn.close()
        self._idle.clear()

    def _take_idle(self) -> _Connection | None:
        while self._idle:
            conn = self._idle.pop()  # the most recently used: least likely to have timed out
            if not conn.closed:
                return conn
        return None

    async def _connect(self, timeout_s: float) -> _Connection:
        loop = asyncio.get_running_loop()
        try:
            async with asyncio.timeout(timeout_s):
                _, conn = await loop.create_connection(_Connection, self.host, self.port)
        except TimeoutError:
            raise UpstreamTimeout(f"no connection within {timeout_s:g} s") from None
        except OSError as exc:
            raise ConnectFailed(str(exc) or exc.__class__.__name__) from exc
        return conn


def _head(
    method: str, target: bytes, authority: bytes, headers: list[tuple[bytes, bytes]], body: bytes
) -> bytes:
    lines = [b"%s %s HTTP/1.1" % (method.encode("ascii"), target), b"host: " + authority]
    lines += [name + b": " + value for name, value in headers]
    if body or method not in ("GET", "HEAD", "DELETE", "OPTIONS"):
        lines.append(b"content-length: %d" % len(body))
    lines.append(b"\r\n")
    return b"\r\n".join(lines)
