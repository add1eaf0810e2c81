"""API-side job operations: submit (with the row the job fills in) and cancel.

Each call persists first, then notifies: the job row exists before its task can reach a worker.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from typing import Any

from celery import Celery
from kombu.exceptions import OperationalError

from shared.errors import Conflict, Unavailable
from shared.jobs.events import EventPublisher
from shared.schemas.jobs import QUEUE_OF, JobStatus
from shared.storage import jobs as store
from shared.storage import resources
from shared.storage.db import Database, utcnow
from shared.storage.resources import R
from shared.storage.tables import JobRow

log = logging.getLogger(__name__)


def submit_job(
    db: Database,
    celery: Celery,
    *,
    kind: str,
    params: dict[str, Any],
    idempotency_key: str | None = None,
    on_created: Callable[[JobRow], None] | None = None,
    queue: str | None = None,
) -> tuple[JobRow, bool]:
    """Record a queued job and hand it to the workers; returns (job, created).

    The queue is the kind's (QUEUE_OF); `queue` only serves kinds outside the catalogue (tests).
    A repeat with the same idempotency key returns the first job and queues nothing.
    `on_created` stores what the job will fill in before it can run.
    """
    queue = queue or QUEUE_OF[kind]
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


def submit_owned_job(
    db: Database,
    celery: Celery,
    *,
    kind: str,
    params: dict[str, Any],
    row_type: type[R],
    row_fields: dict[str, Any],
    idempotency_key: str | None = None,
) -> tuple[JobRow, R]:
    """Queue a job together with the row it fills in (`row_type(**row_fields)`, new id).

    A repeat with the same idempotency key returns the first job and its row.
    """
    made: list[R] = []

    def create_row(job: JobRow) -> None:
        row = row_type(id=str(uuid.uuid4()), job_id=job.id, created_at=utcnow(), **row_fields)
        resources.add(db, row)
        made.append(row)

    job, created = submit_job(
        db, celery, kind=kind, params=params, idempotency_key=idempotency_key,
        on_created=create_row,
    )  # fmt: skip
    row = made[0] if created else resources.by_job(db, row_type, job.id)
    if row is None:  # the first submission died between its job row and its own row
        raise Conflict(
            f"job {job.id} of this Idempotency-Key never recorded its {kind}; "
            "submit again with a new key",
            field="Idempotency-Key",
        )
    return job, row


def resubmit_owned_job(
    db: Database, celery: Celery, *, kind: str, params: dict[str, Any], row_type: type[R],
    row_id: str,
) -> JobRow:  # fmt: skip
    """Queue a new job for an existing row (e.g. resuming a sweep) and point the row at it."""
    job, _ = submit_job(
        db, celery, kind=kind, params=params,
        on_created=lambda new: resources.relink(db, row_type, row_id, new.id),
    )  # fmt: skip
    return job


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
    events.publish(job)
    return job
