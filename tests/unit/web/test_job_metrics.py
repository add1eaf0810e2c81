"""The gateway's job metrics as Prometheus reads them, from real job rows."""

from __future__ import annotations

from prometheus_client import CollectorRegistry

from shared.schemas.jobs import JobKind, JobStatus
from shared.storage import jobs as store
from shared.storage.db import Database, utcnow
from shared.web.metrics import JobsCollector


def _job(db: Database, kind: str, status: JobStatus) -> None:
    job, _ = store.create(db, kind=kind, queue="simulation", params={}, idempotency_key=None)
    if status != JobStatus.QUEUED:
        store.set_status(db, job.id, status=status, started_at=utcnow(), finished_at=utcnow())


def _registry(db: Database) -> CollectorRegistry:
    registry = CollectorRegistry()
    registry.register(JobsCollector(db, lambda: {"simulation": 4}, lambda: {"simulation": 2}))
    return registry


def test_finished_jobs_are_counted_by_kind_and_final_status(database: Database) -> None:
    for status in (JobStatus.SUCCEEDED, JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.QUEUED):
        _job(database, JobKind.SIMULATION, status)
    registry = _registry(database)

    def finished(kind: str, status: str) -> float | None:
        return registry.get_sample_value("jobs_finished_total", {"kind": kind, "status": status})

    assert finished("simulation", "succeeded") == 2
    assert finished("simulation", "failed") == 1
    assert finished("simulation", "queued") is None  # not finished: not in the counter
    assert registry.get_sample_value("jobs", {"kind": "simulation", "status": "queued"}) == 1
    assert registry.get_sample_value("queue_depth", {"queue": "simulation"}) == 4
    assert registry.get_sample_value("workers", {"queue": "simulation"}) == 2


def test_every_kind_and_final_status_starts_at_zero(database: Database) -> None:
    """A series that first appears at 1 shows no increase() in Prometheus: the first failure
    of a kind would be missed by the failure-rate alert."""
    registry = _registry(database)
    for kind in JobKind:
        for status in ("succeeded", "failed", "cancelled"):
            labels = {"kind": kind.value, "status": status}
            assert registry.get_sample_value("jobs_finished_total", labels) == 0
