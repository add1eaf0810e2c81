"""Prometheus metrics: HTTP latency and counts per route, plus job and queue gauges."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Iterable

from fastapi import FastAPI, Request, Response
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from shared.storage import jobs as job_store
from shared.storage.db import Database


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

    @app.middleware("http")
    async def _measure(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        start = time.perf_counter()
        status = 500
        try:
            response = await call_next(request)
            status = response.status_code
            return response
        finally:
            route = request.scope.get("route")
            template = getattr(route, "path", "unmatched")
            requests.labels(service, request.method, template, str(status)).inc()
            latency.labels(service, request.method, template).observe(time.perf_counter() - start)

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

    def collect(self) -> Iterable[GaugeMetricFamily]:
        jobs = GaugeMetricFamily("jobs", "Jobs by kind and status", labels=["kind", "status"])
        durations = GaugeMetricFamily(
            "job_duration_seconds_avg", "Mean run time of finished jobs", labels=["kind", "status"]
        )
        for kind, status, count in job_store.counts_by_kind_and_status(self.db):
            jobs.add_metric([kind, status], count)
        run_times: dict[tuple[str, str], list[float]] = {}
        for kind, status, seconds in job_store.recent_run_times(self.db):
            run_times.setdefault((kind, status), []).append(seconds)
        for (kind, status), values in run_times.items():
            durations.add_metric([kind, status], sum(values) / len(values))
        yield jobs
        yield durations
        depth = GaugeMetricFamily("queue_depth", "Messages waiting per queue", labels=["queue"])
        for queue, n in self.queue_depth().items():
            depth.add_metric([queue], n)
        yield depth
        alive = GaugeMetricFamily("workers", "Live workers per queue", labels=["queue"])
        for queue, n in self.workers().items():
            alive.add_metric([queue], n)
        yield alive
