"""The gateway's watchdog over job rows, the record that outlives workers and broker.

A running job that stops sending heartbeats (its worker died) is queued again and its task sent,
up to JOB_MAX_ATTEMPTS attempts, then failed with a reason; a queued job whose task the broker no
longer holds (a Redis restart, a crash between the insert and the send) is sent again.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from celery import Celery

from shared.jobs.broker import broker_client, task_ids_in_broker
from shared.jobs.events import EventPublisher
from shared.jobs.submit import BROKER_ERRORS, requeue_job, resend_job
from shared.schemas.jobs import JobStatus
from shared.storage import jobs as store
from shared.storage.db import Database, utcnow
from shared.storage.tables import JobRow

log = logging.getLogger(__name__)


@dataclass
class DeadWorkers:
    """What one sweep of silent running jobs did: jobs queued again, and jobs ended for good."""

    requeued: list[str] = field(default_factory=list)
    ended: list[str] = field(default_factory=list)


def reap_stale_jobs(
    db: Database,
    celery: Celery,
    events: EventPublisher,
    *,
    timeout_s: float,
    max_attempts: int,
    queue_depth: Callable[[str], int] = lambda queue: 0,
) -> DeadWorkers:
    """Queue again every running job silent for `timeout_s` (its worker died) and send its task;
    fail it instead after `max_attempts` attempts, cancel it if a cancel was asked.

    A fanned-out job whose queue still holds messages may only be waiting for its chunks to
    reach a worker (they run when workers come back), so it is left alone. Queued again, it runs
    its coordinator once more, which queues only the chunks with no stored result.
    A send the broker refuses leaves the job queued; the lost-task sweep sends it later.
    """
    outcome = DeadWorkers()
    for job in store.stale_running(db, older_than=timedelta(seconds=timeout_s)):
        if job.detached and queue_depth(job.queue) > 0:
            continue
        silent_s = (utcnow() - job.heartbeat_at).total_seconds() if job.heartbeat_at else timeout_s
        silent = f"worker {job.worker} stopped responding (no heartbeat for {silent_s:.0f} s)"
        if job.cancel_requested or job.attempts >= max_attempts:
            if _end(db, job, silent, max_attempts):
                log.warning("job %s ended: %s", job.id, silent)
                outcome.ended.append(job.id)
                events.publish(store.get(db, job.id))
            continue
        message = f"queued again: {silent}; attempt {job.attempts + 1} of {max_attempts} waits"
        try:
            row = requeue_job(db, celery, job, message=message)
        except BROKER_ERRORS as exc:
            log.warning("job %s queued again, but its send failed (%s); will resend", job.id, exc)
            row = store.get(db, job.id)
        if row is not None:
            outcome.requeued.append(job.id)
            events.publish(row)
    return outcome


def _end(db: Database, job: JobRow, silent: str, max_attempts: int) -> bool:
    """Cancel (if asked) or fail a dead worker's job; False if it changed since it was read."""
    if job.cancel_requested:
        values = dict(status=JobStatus.CANCELLED, message="cancelled (worker gone)")
    else:
        values = dict(
            status=JobStatus.FAILED, message="failed",
            error=f"{silent} on attempt {job.attempts} of {max_attempts}; it was probably "
            "killed or lost its connection — resubmit the job",
        )  # fmt: skip
    attempt = store.Attempt(job.id, job.attempts)
    return store.update_attempt(db, attempt, finished_at=utcnow(), **values)


@dataclass
class LostTasks:
    """What one sweep of queued jobs did: the jobs sent again, and those given up on."""

    resent: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


def resend_lost_jobs(
    db: Database, celery: Celery, events: EventPublisher, *, lost_after_s: float, max_sends: int,
    held_for_s: float,
) -> LostTasks:  # fmt: skip
    """Send again the task of every queued job the broker no longer holds; give up after
    `max_sends` sends.

    Only jobs last sent `lost_after_s` ago are looked at, so a submission still on its way is
    not doubled. A task waiting in its queue (however long) is left alone, and so is one a
    worker holds, unless it was delivered more than `held_for_s` ago and its job never started:
    that worker died holding it. A second delivery is harmless (a worker claims a job once).
    Raises the broker's error when Redis is unreachable; nothing is changed then.
    """
    outcome = LostTasks()
    overdue = store.overdue_queued(db, older_than=timedelta(seconds=lost_after_s))
    if not overdue:
        return outcome
    client = broker_client(celery)
    held: dict[str, set[str]] = {}
    for job in overdue:
        if job.queue not in held:
            held[job.queue] = task_ids_in_broker(client, job.queue, held_for_s=held_for_s)
        if job.id in held[job.queue]:
            continue
        if job.sends < max_sends:
            if resend_job(db, celery, job) is not None:
                log.warning(
                    "job %s: its task was lost or held by a dead worker; sent again", job.id
                )
                outcome.resent.append(job.id)
            continue
        row = store.update_if(
            db, job.id, {"status": JobStatus.QUEUED, "sends": job.sends},
            status=JobStatus.FAILED, finished_at=utcnow(), message="failed",
            error=f"the job's task was lost from the queue {job.sends} times before a worker "
            "took it (was Redis restarted or flushed?); resubmit the job",
        )  # fmt: skip
        if row is not None:
            log.warning("job %s failed: its task was lost %d times", job.id, job.sends)
            events.publish(row)
            outcome.failed.append(job.id)
    return outcome
