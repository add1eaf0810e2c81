"""A worker runs a delivered job only when no live attempt holds it: duplicates are harmless."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from celery import Celery

from shared.config import Settings
from shared.jobs.celery_app import make_celery
from shared.jobs.submit import requeue_job
from shared.jobs.worker_runtime import JobContext, WorkerRuntime, register_jobs
from shared.storage import jobs as store
from shared.storage.db import Database, utcnow
from shared.storage.tables import JobRow

TIMEOUT_S = 60
KIND = "test_claimed"


class Worker:
    """A job kind registered as a task, and what each attempt that actually ran saw."""

    def __init__(self, app: Celery, runtime: WorkerRuntime) -> None:
        self.app = app
        self.runtime = runtime
        self.ran: list[int] = []
        self.during: list[dict[str, Any]] = []  # the row after a delivery made while running
        register_jobs(app, {KIND: self._job}, runtime)

    def deliver(self, job_id: str) -> None:
        """What a worker process does with one delivery of the job's task."""
        self.app.tasks[KIND](job_id)

    def _job(self, ctx: JobContext) -> dict[str, Any]:
        self.ran.append(ctx.attempt.number)
        if ctx.params.get("redelivered_while_running") and len(self.ran) == 1:
            self.deliver(ctx.job_id)  # the broker hands out the old message meanwhile
            row = store.get(ctx.runtime.db, ctx.job_id)
            self.during.append({"status": row.status, "attempts": row.attempts})
        return {"attempt": ctx.attempt.number}


@pytest.fixture
def worker(database: Database, broker_url: str, tmp_path: Path) -> Iterator[Worker]:
    settings = Settings(
        var_dir=tmp_path, redis_url=broker_url, job_heartbeat_timeout_s=TIMEOUT_S,
        job_max_attempts=3,
    )  # fmt: skip
    runtime = WorkerRuntime(settings)
    runtime.db = database  # type: ignore[misc]  # the parametrised database, not VAR_DIR's
    app = make_celery("test-claims", settings)
    yield Worker(app, runtime)
    app.close()


def _job(db: Database, *, status: str, attempts: int, silent_s: float, **params: object) -> JobRow:
    job, _ = store.create(db, kind=KIND, queue="claims", params=dict(params), idempotency_key=None)
    if status == "queued":
        return job
    beat = utcnow() - timedelta(seconds=silent_s)
    return store.set_status(
        db, job.id, status=status, attempts=attempts, worker="w1", heartbeat_at=beat,
        started_at=beat,
    )  # fmt: skip


def test_a_queued_job_runs_once_however_often_it_is_delivered(
    database: Database, worker: Worker
) -> None:
    job = _job(database, status="queued", attempts=0, silent_s=0)
    worker.deliver(job.id)
    worker.deliver(job.id)  # a duplicate after it finished
    row = store.get(database, job.id)
    assert (row.status, row.attempts, row.result) == ("succeeded", 1, {"attempt": 1})
    assert worker.ran == [1]


def test_a_delivery_for_a_job_alive_on_another_worker_is_ignored(
    database: Database, worker: Worker
) -> None:
    # E.g. the broker's visibility timeout passed while a long job still runs elsewhere.
    job = _job(database, status="running", attempts=1, silent_s=1)
    worker.deliver(job.id)
    row = store.get(database, job.id)
    assert (row.status, row.attempts, row.worker) == ("running", 1, "w1")
    assert worker.ran == []


def test_the_old_delivery_arriving_while_the_next_attempt_runs_is_ignored(
    database: Database, worker: Worker, broker_url: str
) -> None:
    job = _job(
        database, status="running", attempts=1, silent_s=2 * TIMEOUT_S,
        redelivered_while_running=True,
    )  # fmt: skip
    celery = worker.app
    assert requeue_job(database, celery, store.get(database, job.id)) is not None
    worker.deliver(job.id)  # the watchdog's new message: attempt 2, which meets the old one
    assert worker.ran == [2]
    assert worker.during == [{"status": "running", "attempts": 2}]
    row = store.get(database, job.id)
    assert (row.status, row.attempts, row.result) == ("succeeded", 2, {"attempt": 2})
    assert row.message == "done"


@pytest.mark.parametrize(("attempts", "status"), [(1, "succeeded"), (3, "failed")])
def test_a_late_delivery_takes_over_a_job_whose_worker_died_when_no_watchdog_did(
    database: Database, worker: Worker, attempts: int, status: str
) -> None:
    # The broker's own backstop: its visibility timeout redelivers what a dead worker held.
    job = _job(database, status="running", attempts=attempts, silent_s=2 * TIMEOUT_S)
    worker.deliver(job.id)
    row = store.get(database, job.id)
    assert row.status == status
    if status == "succeeded":
        assert row.attempts == attempts + 1 and worker.ran == [attempts + 1]
    else:
        assert "died 3 times" in (row.error or "") and worker.ran == []


@pytest.mark.parametrize("final", ["succeeded", "failed", "cancelled"])
def test_a_delivery_for_a_finished_job_is_ignored(
    database: Database, worker: Worker, final: str
) -> None:
    job = _job(database, status=final, attempts=1, silent_s=2 * TIMEOUT_S)
    worker.deliver(job.id)
    assert store.get(database, job.id).status == final and worker.ran == []
