"""An open-loop HTTP/1.1 load generator: requests at a fixed arrival rate over N keep-alive connections.

Open loop (as wrk2 does it): request i is due at start + i / rate whether or not earlier ones have
been answered, and its latency runs from that intended time, not from when a free connection
finally sent it. A closed-loop tool (wrk, ab, hey) waits for an answer before sending more, so a
slow server also slows the arrivals and the queueing it causes never shows in the latencies
("coordinated omission"). Requests that wait for a free connection wait in a queue here, and the
wait counts.

No Debian package offers such a tool (wrk2, oha and vegeta are not packaged), so this is one in
Python on uvloop, with httptools parsing answers; it used 10-13 % of a core at 1,000 req/s, and
the CPU it used is reported with each run so that its share of a small machine is on the table.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from dataclasses import dataclass, field
from typing import cast

import httptools
import numpy as np
import uvloop

TICK_S = 0.001
GRACE_S = 5.0  # after the last due request, how long answers are awaited before counting as lost


@dataclass
class RunResult:
    """One run: what was offered, what came back, and the latencies (seconds) of every answer."""

    label: str
    rate: float | None  # None: closed loop, every connection sends again as soon as it is answered
    connections: int
    duration_s: float
    completed: int = 0  # answers to the requests due in the measured window
    answered_in_window: int = 0  # answers that arrived in the measured window, whenever due
    answered: int = 0  # every answer, warm-up included
    non_2xx: int = 0
    failed: int = 0  # the connection broke under the request
    unfinished: int = 0  # still unanswered GRACE_S after the run ended
    latencies_s: list[float] = field(default_factory=list)
    loadgen_cpu_s: float = 0.0

    @property
    def errors(self) -> int:
        return self.non_2xx + self.failed + self.unfinished

    @property
    def achieved_rps(self) -> float:
        return self.answered_in_window / self.duration_s

    def percentiles_ms(self, *points: float) -> list[float]:
        """Latency percentiles in ms; unfinished requests count with the wait they had so far."""
        if not self.latencies_s:
            return [float("nan")] * len(points)
        return [float(v) * 1000 for v in np.percentile(self.latencies_s, points)]


class _Connection(asyncio.Protocol):
    def __init__(self, run: _Run) -> None:
        self.run = run
        self.parser = httptools.HttpResponseParser(self)
        self.transport: asyncio.Transport | None = None
        self.intended: float | None = None  # when the request in flight was due
        self.status = 0

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        # uvloop's transports are not asyncio.Transport subclasses, but they are Transports.
        self.transport = cast(asyncio.Transport, transport)
        self.run.ready(self)

    def data_received(self, data: bytes) -> None:
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserError:
            assert self.transport is not None
            self.transport.close()

    def connection_lost(self, exc: Exception | None) -> None:
        self.run.lost(self)

    def on_headers_complete(self) -> None:
        self.status = self.parser.get_status_code()

    def on_message_complete(self) -> None:
        intended, self.intended = self.intended, None
        if intended is not None:
            self.run.answered(self, intended, self.status)

    def send(self, request: bytes, intended: float) -> None:
        assert self.transport is not None
        self.intended = intended
        self.transport.write(request)


class _Run:
    """The schedule, the queue of due requests waiting for a connection, and the tallies."""

    def __init__(self, host: str, port: int, request: bytes, result: RunResult) -> None:
        self.host, self.port, self.request, self.result = host, port, request, result
        self.idle: deque[_Connection] = deque()
        self.waiting: deque[float] = deque()  # intended send times of due requests
        self.in_flight: set[_Connection] = set()
        self.measure_from = self.measure_to = float("inf")
        self.closed_loop = result.rate is None
        self.stopping = False
        self.reconnects: set[asyncio.Task[object]] = set()

    def ready(self, conn: _Connection) -> None:
        self.idle.append(conn)

    def due(self, intended: float) -> None:
        if self.idle:  # the longest idle: every connection stays in use, none times out
            self._send(self.idle.popleft(), intended)
        else:
            self.waiting.append(intended)

    def answered(self, conn: _Connection, intended: float, status: int) -> None:
        now = time.perf_counter()
        self.in_flight.discard(conn)
        self.result.answered += 1
        if self.measure_from <= now < self.measure_to:
            self.result.answered_in_window += 1
        if self.measure_from <= intended < self.measure_to:
            self.result.completed += 1
            self.result.latencies_s.append(now - intended)
            if not 200 <= status < 300:
                self.result.non_2xx += 1
        if self.closed_loop and not self.stopping:
            self._send(conn, now)
        elif self.waiting:
            self._send(conn, self.waiting.popleft())
        else:
            self.idle.append(conn)

    def lost(self, conn: _Connection) -> None:
        if conn in self.in_flight:
            self.in_flight.discard(conn)
            if conn.intended is not None and self.measure_from <= conn.intended < self.measure_to:
                self.result.failed += 1
        if conn in self.idle:
            self.idle.remove(conn)
        if not self.stopping:  # the server closed it (after an error, say): open another
            loop = asyncio.get_running_loop()
            task = loop.create_task(
                loop.create_connection(lambda: _Connection(self), self.host, self.port)
            )
            self.reconnects.add(task)
            task.add_done_callback(self.reconnects.discard)

    def _send(self, conn: _Connection, intended: float) -> None:
        self.in_flight.add(conn)
        conn.send(self.request, intended)


async def _drive(run: _Run, warmup_s: float) -> None:
    loop = asyncio.get_running_loop()
    result = run.result
    for _ in range(result.connections):
        await loop.create_connection(lambda: _Connection(run), run.host, run.port)
    start = time.perf_counter()
    run.measure_from = start + warmup_s
    run.measure_to = end = run.measure_from + result.duration_s
    if run.closed_loop:
        for _ in range(result.connections):
            run.due(time.perf_counter())
        await asyncio.sleep(end - time.perf_counter())
    else:
        assert result.rate is not None
        interval, sent = 1.0 / result.rate, 0
        while (due := start + sent * interval) < end:
            now = time.perf_counter()
            if due > now:
                # The loop's timers tick in whole milliseconds; a shorter sleep would spin.
                await asyncio.sleep(max(due - now, TICK_S))
                continue
            while (due := start + sent * interval) <= now and due < end:
                run.due(due)
                sent += 1
    run.stopping = True
    deadline = time.perf_counter() + GRACE_S
    while (run.in_flight or run.waiting) and time.perf_counter() < deadline:
        await asyncio.sleep(0.01)
    now = time.perf_counter()
    pending = [c.intended for c in run.in_flight if c.intended is not None] + list(run.waiting)
    for intended in pending:
        if run.measure_from <= intended < run.measure_to:
            result.unfinished += 1
            result.latencies_s.append(now - intended)  # a lower bound: it is still waiting
    for conn in [*run.idle, *run.in_flight]:
        if conn.transport is not None:
            conn.transport.close()


def run_load(
    label: str, host: str, port: int, path: str, *, rate: float | None, connections: int,
    duration_s: float, warmup_s: float,
) -> RunResult:  # fmt: skip
    """GET `path` at `rate` requests per second (None: as fast as answered) for warm-up + duration."""
    request = (
        f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nUser-Agent: tradelab-load\r\n"
        "Accept: application/json\r\n\r\n"
    ).encode("ascii")
    result = RunResult(label, rate, connections, duration_s)
    run = _Run(host, port, request, result)
    cpu_before = time.process_time()
    uvloop.run(_drive(run, warmup_s))
    result.loadgen_cpu_s = time.process_time() - cpu_before
    return result
