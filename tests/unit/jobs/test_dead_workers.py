"""A running job whose worker died goes back to its queue, up to JOB_MAX_ATTEMPTS attempts."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import redis
from celery import Celery

from shared.config import Settings
from shared.jobs.celery_app import make_celery
from shared.jobs.submit import requeue_job
from shared.jobs.watchdog import DeadWorkers, reap_stale_jobs
from shared.storage import jobs as store
from shared.storage.db import Database, utcnow
from shared.storage.tables import JobRow
from tests.unit.jobs.conftest import waiting_task_ids
from tests.unit.jobs.test_submit import NOTHING_LISTENS
from tests.unit.jobs.test_watchdog import RecordingPublisher

TIMEOUT_S = 60
MAX_ATTEMPTS = 3


def _running_row(
    db: Database, queue: str, *, attempts: int, silent_s: float, detached: bool = False
) -> JobRow:
    """A job as a worker left it: running, its last heartbeat `silent_s` ago, sent once."""
    job, _ = store.create(
        db, kind="data_download", queue=queue, params={"n": attempts}, idempotency_key=None
    )
    beat = utcnow() - timedelta(seconds=silent_s)
    return store.set_status(
        db, job.id, status="running", attempts=attempts, worker="w1", started_at=beat,
        heartbeat_at=beat, progress=0.4, sends=1, sent_at=beat, detached=detached,
    )  # fmt: skip


def _reap(db: Database, celery: Celery, events: RecordingPublisher) -> DeadWorkers:
    return reap_stale_jobs(
        db, celery, events, timeout_s=TIMEOUT_S, max_attempts=MAX_ATTEMPTS,  # type: ignore[arg-type]
    )  # fmt: skip


def test_a_dead_workers_job_is_queued_again_and_its_task_sent(
    database: Database, celery: Celery, broker: redis.Redis, queue: str
) -> None:
    dead = _running_row(database, queue, attempts=1, silent_s=120)
    alive = _running_row(database, queue, attempts=1, silent_s=1)
    events = RecordingPublisher()
    before = utcnow()
    _reap(database, celery, events)
    row = store.get(database, dead.id)
    assert row.status == "queued", row.error
    assert row.attempts == 1  # a worker's claim counts the next attempt, not the watchdog
    assert row.finished_at is None and row.error is None and row.progress == 0.0
    assert row.sent_at is not None and row.sent_at >= before
    assert "w1" in row.message and "attempt 2 of 3" in row.message
    assert waiting_task_ids(broker, queue) == [dead.id]
    assert [(e["id"], e["status"]) for e in events.events] == [(dead.id, "queued")]
    assert store.get(database, alive.id).status == "running"
    # Queued now, with its task in the queue: the next pass sends nothing more.
    _reap(database, celery, RecordingPublisher())
    assert waiting_task_ids(broker, queue) == [dead.id]


def test_a_job_whose_worker_died_on_its_last_attempt_is_failed(
    database: Database, celery: Celery, broker: redis.Redis, queue: str
) -> None:
    last = _running_row(database, queue, attempts=MAX_ATTEMPTS, silent_s=120)
    _reap(database, celery, RecordingPublisher())
    row = store.get(database, last.id)
    assert row.status == "failed" and row.finished_at is not None
    error = row.error or ""
    assert "worker w1 stopped responding" in error and "resubmit" in error
    assert f"{MAX_ATTEMPTS} of {MAX_ATTEMPTS}" in error
    assert waiting_task_ids(broker, queue) == []


def test_a_fanned_out_job_whose_chunk_worker_died_is_queued_to_redo_missing_chunks(
    database: Database, celery: Celery, broker: redis.Redis, queue: str
) -> None:
    # Its chunks keep its heartbeat; silent with none waiting, a chunk's worker died mid-chunk.
    fanned = _running_row(database, queue, attempts=1, silent_s=120, detached=True)
    _reap(database, celery, RecordingPublisher())
    row = store.get(database, fanned.id)
    assert (row.status, row.attempts, row.detached) == ("queued", 1, False)
    # The coordinator's task runs again; it queues only the chunks with no stored result.
    assert waiting_task_ids(broker, queue) == [fanned.id]


def test_of_two_watchdogs_acting_on_one_read_only_one_sends_and_a_late_beat_wins(
    database: Database, celery: Celery, broker: redis.Redis, queue: str
) -> None:
    dead = _running_row(database, queue, attempts=1, silent_s=120)
    assert requeue_job(database, celery, dead) is not None
    assert requeue_job(database, celery, dead) is None  # the other watchdog read the same row
    assert waiting_task_ids(broker, queue) == [dead.id]
    # A worker that was only slow beats between the watchdog's read and its write: it lives on.
    slow = _running_row(database, queue, attempts=1, silent_s=120)
    store.update_attempt(database, store.Attempt(slow.id, 1), heartbeat_at=utcnow())
    assert requeue_job(database, celery, slow) is None
    assert store.get(database, slow.id).status == "running"
    assert waiting_task_ids(broker, queue) == [dead.id]


def test_with_the_broker_down_the_job_is_queued_for_the_lost_task_sweep(
    database: Database, queue: str, tmp_path: Path
) -> None:
    down = make_celery("test-down", Settings(var_dir=tmp_path, redis_url=NOTHING_LISTENS))
    dead = _running_row(database, queue, attempts=1, silent_s=120)
    try:
        outcome = _reap(database, down, RecordingPublisher())
    finally:
        down.close()
    assert outcome.requeued == [dead.id]
    row = store.get(database, dead.id)
    # Queued and marked sent: after JOB_LOST_AFTER_S the sweep finds its task in no queue.
    assert (row.status, row.attempts, row.sends) == ("queued", 1, 1)
