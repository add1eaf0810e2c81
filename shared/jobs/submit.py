"""API-side job operations: submit (with the row the job fills in), re-send, requeue, cancel.

Each call persists first, then notifies: the job row exists before its task can reach a worker.
The row is the record: a job whose task never reached the broker is failed (the broker was down)
or, if the sender died or Redis forgot the task, sent again (a repeat here, or the watchdog).
"""

from __future__ import annotations

import hashlib
import logging
import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import redis
from celery import Celery
from kombu.exceptions import OperationalError

from shared.errors import Conflict, Unavailable
from shared.jobs.broker import broker_client, send_job_task, task_ids_in_broker
from shared.jobs.events import EventPublisher
from shared.schemas.jobs import QUEUE_OF, JobStatus
from shared.storage import jobs as store
from shared.storage import resources
from shared.storage.db import Database, utcnow
from shared.storage.resources import R
from shared.storage.tables import JobRow

log = logging.getLogger(__name__)

BROKER_ERRORS = (OperationalError, OSError, redis.RedisError)
LOST_AFTER_S = 30.0  # the default of the JOB_LOST_AFTER_S setting


def _broker_down() -> Unavailable:
    return Unavailable("the job queue (Redis) is unreachable; retry shortly")


def submit_job(
    db: Database,
    celery: Celery,
    *,
    kind: str,
    params: dict[str, Any],
    idempotency_key: str | None = None,
    on_created: Callable[[JobRow], None] | None = None,
    queue: str | None = None,
    lost_after_s: float = LOST_AFTER_S,
    owner: str | None = None,
    companion: Callable[[JobRow], Any] | None = None,
) -> tuple[JobRow, bool]:
    """Record a queued job and hand it to the workers; returns (job, created).

    The queue is the kind's (QUEUE_OF); `queue` only serves kinds outside the catalogue (tests).
    `on_created` stores what the job will fill in before it can run; `companion(job)` makes a
    new row inserted with the job's, in one transaction (see store.create).
    A repeat with the same idempotency key returns the first job; if that job is still queued
    `lost_after_s` after its last send and the broker no longer holds its task, it is sent again.
    With the broker unreachable the job is failed, its idempotency key freed (a retry with the
    same key makes a new job) and Unavailable (503) raised.
    Keys are per owner: two users who happen to pick the same key get two jobs.
    """
    queue = queue or QUEUE_OF[kind]
    job, created = store.create(
        db, kind=kind, queue=queue, params=params, owner=owner,
        idempotency_key=owned_key(owner, idempotency_key), companion=companion,
    )  # fmt: skip
    if not created:
        return _repeat(db, celery, job, lost_after_s), False
    if on_created is not None:
        on_created(job)
    try:
        send_job_task(celery, job)
    except BROKER_ERRORS as exc:
        store.set_status(
            db, job.id, status=JobStatus.FAILED, finished_at=utcnow(), message="failed",
            error=f"could not queue the job: broker unreachable ({exc})", idempotency_key=None,
        )  # fmt: skip
        raise _broker_down() from exc
    store.record_sent(db, job.id)
    log.info("queued job %s kind=%s queue=%s", job.id, kind, queue)
    return job, True


def owned_key(owner: str | None, key: str | None) -> str | None:
    """The idempotency key as stored: a user's keys hashed under their name, so that they
    cannot meet another user's (and stay within the column, whatever the header's length)."""
    if owner is None or not key:
        return key
    return f"{owner}:{hashlib.sha256(key.encode()).hexdigest()}"


def _repeat(db: Database, celery: Celery, job: JobRow, lost_after_s: float) -> JobRow:
    """The first job of an idempotency key, sent again if its task was lost."""
    if job.status == JobStatus.FAILED and job.sends == 0:
        # Its submission is failing right now (the broker is down); never answer "accepted".
        raise Unavailable(
            f"job {job.id} of this Idempotency-Key could not be queued (the job queue is "
            "unreachable); retry shortly",
            field="Idempotency-Key",
        )
    last_sent = job.sent_at or job.created_at
    if job.status != JobStatus.QUEUED or utcnow() - last_sent < timedelta(seconds=lost_after_s):
        return job  # within the grace period the first submission may still be sending it
    try:
        if job.id in task_ids_in_broker(broker_client(celery), job.queue):
            return job
        resent = resend_job(db, celery, job)
    except BROKER_ERRORS as exc:
        raise _broker_down() from exc
    return resent or store.get(db, job.id)


def resend_job(db: Database, celery: Celery, job: JobRow) -> JobRow | None:
    """Send a queued job's task again; None if the job moved on since `job` was read.

    The row is claimed first (queued, same send count), so two senders cannot both send it.
    Raises a BROKER_ERRORS error when the broker is unreachable.
    """
    expected = {"status": JobStatus.QUEUED, "sends": job.sends}
    claimed = store.update_if(db, job.id, expected, sends=job.sends + 1, sent_at=utcnow())
    if claimed is None:
        return None
    send_job_task(celery, claimed)
    log.warning(
        "job %s: its task was not in the broker; sent again (send %d)", job.id, claimed.sends
    )
    return claimed


def requeue_job(db: Database, celery: Celery, job: JobRow, *, message: str = "") -> JobRow | None:
    """Put a running job whose worker died back in its queue and send its task again.

    Claimed from the row as read (running, same attempt, same last heartbeat): of two watchdogs,
    or a watchdog and a worker taking the job over, one wins; a heartbeat landing in between
    means the worker lives, and nothing changes. None when the claim lost. `attempts` stays: the
    worker's claim counts the next attempt. `sends` starts again (sends since last queued).
    The row is queued before the send, so if the broker is unreachable the lost-task sweep sends
    it later; the send's BROKER_ERRORS error is raised.
    """
    expected = {
        "status": JobStatus.RUNNING, "attempts": job.attempts, "heartbeat_at": job.heartbeat_at,
    }  # fmt: skip
    requeued = store.update_if(
        db, job.id, expected, status=JobStatus.QUEUED, progress=0.0, detached=False,
        message=message or f"queued again: worker {job.worker} stopped responding",
        sends=1, sent_at=utcnow(),
    )  # fmt: skip
    if requeued is None:
        return None
    send_job_task(celery, requeued)
    log.warning("job %s queued again after worker %s stopped responding", job.id, job.worker)
    return requeued


def submit_owned_job(
    db: Database,
    celery: Celery,
    *,
    kind: str,
    params: dict[str, Any],
    row_type: type[R],
    row_fields: dict[str, Any],
    idempotency_key: str | None = None,
    lost_after_s: float = LOST_AFTER_S,
    owner: str | None = None,
) -> tuple[JobRow, R]:
    """Queue a job together with the row it fills in (`row_type(**row_fields)`, new id).

    A repeat with the same idempotency key returns the first job and its row (see submit_job).
    Both rows are inserted in one transaction: a submission that dies half-way leaves neither,
    so the client's retry with the same key makes the job afresh.
    """
    made: list[R] = []

    def make_row(job: JobRow) -> R:
        made.append(
            row_type(
                id=str(uuid.uuid4()), job_id=job.id, created_at=utcnow(), owner=owner,
                **row_fields,
            )
        )  # fmt: skip
        return made[0]

    job, created = submit_job(
        db, celery, kind=kind, params=params, idempotency_key=idempotency_key,
        companion=make_row, lost_after_s=lost_after_s, owner=owner,
    )  # fmt: skip
    row = made[0] if created else resources.by_job(db, row_type, job.id)
    if row is None:  # a job made before both rows were inserted together, its row never added
        raise Conflict(
            f"job {job.id} of this Idempotency-Key never recorded its {kind}; "
            "submit again with a new key",
            field="Idempotency-Key",
        )
    return job, row


def resubmit_owned_job(
    db: Database, celery: Celery, *, kind: str, params: dict[str, Any], row_type: type[R],
    row_id: str, owner: str | None,
) -> JobRow:  # fmt: skip
    """Queue a new job for an existing row (e.g. resuming a sweep) and point the row at it;
    the job belongs to the row's owner."""
    job, _ = submit_job(
        db, celery, kind=kind, params=params, owner=owner,
        on_created=lambda new: resources.relink(db, row_type, row_id, new.id),
    )  # fmt: skip
    return job


def cancel_job(
    db: Database, celery: Celery, events: EventPublisher, job_id: str,
    check: Callable[[JobRow], None] = lambda job: None,
) -> JobRow:  # fmt: skip
    """Cancel a queued job at once; ask a running one to stop at its next progress step.
    `check` may refuse (raise) for the job as read, before anything changes."""
    job = store.get(db, job_id)
    check(job)
    if store.is_final(job):
        raise Conflict(f"job {job_id} already {job.status}; nothing to cancel", field="job_id")
    if job.status == JobStatus.QUEUED:
        job = store.set_status(
            db, job_id, status=JobStatus.CANCELLED, cancel_requested=True,
            finished_at=utcnow(), message="cancelled before it started",
        )  # fmt: skip
        try:  # a delivery of a cancelled job is ignored anyway; the revoke only saves a lookup
            celery.control.revoke(job_id)
        except BROKER_ERRORS as exc:
            log.warning("could not revoke the task of cancelled job %s: %s", job_id, exc)
    else:
        job = store.set_status(db, job_id, cancel_requested=True, message="cancellation requested")
    events.publish(job)
    return job
