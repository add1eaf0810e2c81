"""Ends jobs whose worker died: a running job that stops sending heartbeats is failed with a reason."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta

from shared.jobs.events import EventPublisher
from shared.schemas.jobs import JobStatus
from shared.storage import jobs as store
from shared.storage.db import Database, utcnow

log = logging.getLogger(__name__)


def reap_stale_jobs(
    db: Database,
    events: EventPublisher,
    *,
    timeout_s: float,
    queue_depth: Callable[[str], int] = lambda queue: 0,
) -> list[str]:
    """Fail (or cancel, if asked) every running job silent for `timeout_s`; returns their ids.

    A fanned-out job whose queue still holds messages may only be waiting for its chunks to
    reach a worker (they run when workers come back), so it is left alone.
    """
    reaped = []
    for job in store.stale_running(db, older_than=timedelta(seconds=timeout_s)):
        if job.detached and queue_depth(job.queue) > 0:
            continue
        attempt = store.Attempt(job.id, job.attempts)
        silent_s = (utcnow() - job.heartbeat_at).total_seconds() if job.heartbeat_at else timeout_s
        if job.cancel_requested:
            values = dict(status=JobStatus.CANCELLED, message="cancelled (worker gone)")
        else:
            values = dict(
                status=JobStatus.FAILED, message="failed",
                error=f"worker {job.worker} stopped responding (no heartbeat for {silent_s:.0f} s); "
                "it was probably killed or lost its connection — resubmit the job",
            )  # fmt: skip
        if store.update_attempt(db, attempt, finished_at=utcnow(), **values):
            log.warning("job %s reaped: worker %s silent for %.0f s", job.id, job.worker, silent_s)
            events.publish(store.get(db, job.id))
            reaped.append(job.id)
    return reaped
