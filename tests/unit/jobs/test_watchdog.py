"""The watchdog ends jobs whose worker died on their last attempt, on SQLite and PostgreSQL.

(Earlier attempts are queued again: see test_dead_workers.)
"""

from __future__ import annotations

from datetime import timedelta

from celery import Celery

from shared.jobs.watchdog import reap_stale_jobs
from shared.schemas.jobs import job_json
from shared.storage import jobs as store
from shared.storage.db import Database, utcnow
from shared.storage.tables import JobRow

MAX_ATTEMPTS = 3


class RecordingPublisher:
    """Collects published job states (the real publisher needs Redis)."""

    def __init__(self) -> None:
        self.events: list[dict] = []

    def publish(self, job: JobRow) -> None:
        self.events.append(job_json(job))


def _create(db: Database, key: str | None = None, **params: object) -> tuple:
    return store.create(
        db, kind="data_download", queue="simulation", params=dict(params), idempotency_key=key
    )


def test_watchdog_fails_silent_running_jobs_on_their_last_attempt_and_spares_live_ones(
    database: Database, celery: Celery
) -> None:
    silent, _ = _create(database, n=1)
    alive, _ = _create(database, n=2)
    cancelling, _ = _create(database, n=3)
    now = utcnow()
    old = now - timedelta(seconds=120)
    store.set_status(
        database, silent.id, status="running", attempts=MAX_ATTEMPTS, heartbeat_at=old, worker="w1"
    )
    store.set_status(
        database, alive.id, status="running", attempts=1, heartbeat_at=now, worker="w2"
    )
    store.set_status(
        database,
        cancelling.id,
        status="running",
        attempts=1,
        heartbeat_at=old,
        cancel_requested=True,
    )
    events = RecordingPublisher()
    reaped = reap_stale_jobs(
        database, celery, events, timeout_s=60, max_attempts=MAX_ATTEMPTS,  # type: ignore[arg-type]
    )  # fmt: skip
    assert reaped.requeued == []
    assert sorted(reaped.ended) == sorted([silent.id, cancelling.id])
    dead = store.get(database, silent.id)
    assert dead.status == "failed" and dead.finished_at is not None
    assert "worker w1 stopped responding" in (dead.error or "")
    assert store.get(database, cancelling.id).status == "cancelled"
    assert store.get(database, alive.id).status == "running"
    assert {e["id"] for e in events.events} == {silent.id, cancelling.id}


def test_watchdog_spares_a_fanned_out_job_while_its_chunks_wait_in_the_queue(
    database: Database, celery: Celery
) -> None:
    waiting, _ = _create(database, n=1)
    lost, _ = _create(database, n=2)
    old = utcnow() - timedelta(seconds=120)
    for job in (waiting, lost):
        store.set_status(
            database, job.id, status="running", attempts=MAX_ATTEMPTS, heartbeat_at=old,
            detached=True,
        )  # fmt: skip
    depth = {"simulation": 3}
    reaped = reap_stale_jobs(
        database, celery, RecordingPublisher(), timeout_s=60,  # type: ignore[arg-type]
        max_attempts=MAX_ATTEMPTS, queue_depth=lambda q: depth.get(q, 0),
    )  # fmt: skip
    assert (reaped.requeued, reaped.ended) == ([], [])
    depth["simulation"] = 0  # the queue was lost (a Redis restart): nothing will finish the job
    again = reap_stale_jobs(
        database, celery, RecordingPublisher(), timeout_s=60,  # type: ignore[arg-type]
        max_attempts=MAX_ATTEMPTS, queue_depth=lambda q: 0,
    )  # fmt: skip
    assert set(again.ended) == {waiting.id, lost.id}
