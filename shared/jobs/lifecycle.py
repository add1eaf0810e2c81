"""API-side job operations: submit, cancel. Each call persists first, then notifies."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from celery import Celery
from kombu.exceptions import OperationalError

from shared.errors import Conflict, Unavailable
from shared.jobs import store
from shared.jobs.events import EventPublisher
from shared.jobs.kinds import JobStatus
from shared.storage.db import Database, utcnow
from shared.storage.models import JobRow

log = logging.getLogger(__name__)


def submit_job(
    db: Database,
    celery: Celery,
    *,
    kind: str,
    queue: str,
    params: dict[str, Any],
    idempotency_key: str | None = None,
    on_created: Callable[[JobRow], None] | None = None,
) -> tuple[JobRow, bool]:
    """Record a queued job and hand it to the workers; returns (job, created).

    A repeat with the same idempotency key returns the first job and queues nothing.
    `on_created` stores what the job will fill in (e.g. its simulation row) before it can run.
    """
    job, created = store.create(
        db, kind=kind, queue=queue, params=params, idempotency_key=idempotency_key
    )
    if not created:
        return job, False
    if on_created is not None:
        on_created(job)
    try:
        # The task id is the job id, so revoking and tracing need no lookup table.
        celery.send_task(kind, args=[job.id], task_id=job.id, queue=queue)
    except (OperationalError, OSError) as exc:
        store.set_status(
            db, job.id, status=JobStatus.FAILED, finished_at=utcnow(),
            error=f"could not queue the job: broker unreachable ({exc})", message="failed",
        )  # fmt: skip
        raise Unavailable("the job queue (Redis) is unreachable; retry shortly") from exc
    log.info("queued job %s kind=%s queue=%s", job.id, kind, queue)
    return job, True


def cancel_job(db: Database, celery: Celery, events: EventPublisher, job_id: str) -> JobRow:
    """Cancel a queued job at once; ask a running one to stop at its next progress step."""
    job = store.get(db, job_id)
    if store.is_final(job):
        raise Conflict(f"job {job_id} already {job.status}; nothing to cancel", field="job_id")
    if job.status == JobStatus.QUEUED:
        job = store.set_status(
            db, job_id, status=JobStatus.CANCELLED, cancel_requested=True,
            finished_at=utcnow(), message="cancelled before it started",
        )  # fmt: skip
        celery.control.revoke(job_id)
    else:
        job = store.set_status(db, job_id, cancel_requested=True, message="cancellation requested")
    events.publish(store.to_dict(job))
    return job
