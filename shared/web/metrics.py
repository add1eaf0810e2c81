"""Prometheus metrics: HTTP latency and counts per route, plus job and queue gauges."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable

from fastapi import FastAPI, Response
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.registry import Collector
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shared.schemas.jobs import FINAL_STATUSES, JobKind
from shared.storage import jobs as job_store
from shared.storage.db import Database


class RequestMetrics:
    """Counts and times each request by route template (a plain ASGI layer: no per-request
    wrapping objects, so measuring costs next to nothing)."""

    def __init__(
        self, app: ASGIApp, *, service: str, requests: Counter, latency: Histogram
    ) -> None:
        self.app, self.service, self.requests, self.latency = app, service, requests, latency

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        status = 500

        async def send_and_see(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_and_see)
        finally:
            template = getattr(scope.get("route"), "path", "unmatched")
            method = scope["method"]
            self.requests.labels(self.service, method, template, str(status)).inc()
            self.latency.labels(self.service, method, template).observe(time.perf_counter() - start)


def install_metrics(
    app: FastAPI, service: str, registry: CollectorRegistry | None = None
) -> CollectorRegistry:
    """Count and time every request by route template; serve them at /metrics."""
    registry = registry or CollectorRegistry()
    requests = Counter(
        "http_requests_total", "HTTP requests", ["service", "method", "route", "status"],
        registry=registry,
    )  # fmt: skip
    latency = Histogram(
        "http_request_duration_seconds", "HTTP request latency", ["service", "method", "route"],
        buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10), registry=registry,
    )  # fmt: skip

    app.add_middleware(RequestMetrics, service=service, requests=requests, latency=latency)

    @app.get("/metrics", include_in_schema=False)
    def metrics() -> Response:
        return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)

    return registry


class JobsCollector(Collector):
    """Job counts by kind and status and queue depth, read at scrape time (the DB is the record)."""

    def __init__(
        self,
        db: Database,
        queue_depth: Callable[[], dict[str, int]],
        workers: Callable[[], dict[str, int]],
    ) -> None:
        self.db = db
        self.queue_depth = queue_depth
        self.workers = workers

    def collect(self) -> Iterable[GaugeMetricFamily | CounterMetricFamily]:
        jobs = GaugeMetricFamily("jobs", "Jobs by kind and status", labels=["kind", "status"])
        durations = GaugeMetricFamily(
            "job_duration_seconds_avg", "Mean run time of finished jobs", labels=["kind", "status"]
        )
        counts = {
            (kind, status): n for kind, status, n in job_store.counts_by_kind_and_status(self.db)
        }
        for (kind, status), count in counts.items():
            jobs.add_metric([kind, status], count)
        yield jobs
        yield _finished_jobs(counts)
        run_times: dict[tuple[str, str], list[float]] = {}
        for kind, status, seconds in job_store.recent_run_times(self.db):
            run_times.setdefault((kind, status), []).append(seconds)
        for (kind, status), values in run_times.items():
            durations.add_metric([kind, status], sum(values) / len(values))
        yield durations
        depth = GaugeMetricFamily("queue_depth", "Messages waiting per queue", labels=["queue"])
        for queue, n in self.queue_depth().items():
            depth.add_metric([queue], n)
        yield depth
        alive = GaugeMetricFamily("workers", "Live workers per queue", labels=["queue"])
        for queue, n in self.workers().items():
            alive.add_metric([queue], n)
        yield alive


def _finished_jobs(counts: dict[tuple[str, str], int]) -> CounterMetricFamily:
    """Ended jobs as a counter, for rates (a failure ratio over 15 minutes). It only grows: rows
    are never deleted and a final status is never left (a resumed sweep is a new job). Every
    kind and final status is present from the start, at 0, so that `increase()` counts the
    first failure of a kind too (a series that appears at 1 shows no increase)."""
    finished = CounterMetricFamily(
        "jobs_finished", "Jobs that ended, by kind and final status", labels=["kind", "status"]
    )
    keys = {(kind.value, status.value) for kind in JobKind for status in FINAL_STATUSES}
    keys |= {key for key in counts if key[1] in FINAL_STATUSES}
    for kind, status in sorted(keys):
        finished.add_metric([kind, status], counts.get((kind, status), 0))
    return finished
