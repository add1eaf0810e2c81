"""The watchdog's sweep of queued jobs whose task is in no queue and with no worker."""

from __future__ import annotations

import time
from datetime import timedelta

import redis
from celery import Celery

from shared.jobs.submit import submit_job
from shared.jobs.watchdog import LostTasks, resend_lost_jobs
from shared.storage import jobs as store
from shared.storage.db import Database, utcnow
from shared.storage.tables import JobRow
from tests.unit.jobs.conftest import waiting_task_ids
from tests.unit.jobs.test_watchdog import RecordingPublisher

LOST_AFTER_S = 30
HELD_FOR_S = 60  # the heartbeat timeout: a worker holding a task this long without starting it died


def _queued_row(db: Database, queue: str, n: int, *, age_s: float = 120, sends: int = 0) -> JobRow:
    """A queued job row as a submission leaves it when it dies before sending (or Redis forgot)."""
    job, _ = store.create(
        db, kind="data_download", queue=queue, params={"n": n}, idempotency_key=None
    )
    old = utcnow() - timedelta(seconds=age_s)
    return store.set_status(db, job.id, created_at=old, sent_at=old if sends else None, sends=sends)


def _sweep(db: Database, celery: Celery, events: object, max_sends: int = 3) -> LostTasks:
    return resend_lost_jobs(
        db, celery, events, lost_after_s=LOST_AFTER_S, max_sends=max_sends,  # type: ignore[arg-type]
        held_for_s=HELD_FOR_S,
    )  # fmt: skip


def test_a_queued_job_that_never_reached_the_broker_is_sent(
    database: Database, celery: Celery, broker: redis.Redis, queue: str
) -> None:
    never_sent = _queued_row(database, queue, 1)
    fresh = _queued_row(database, queue, 2, age_s=1)  # its submission may still be sending it
    cancelled = _queued_row(database, queue, 3)
    store.set_status(database, cancelled.id, status="cancelled")
    running = _queued_row(database, queue, 4)
    store.set_status(database, running.id, status="running", attempts=1, heartbeat_at=utcnow())
    before = utcnow()
    outcome = _sweep(database, celery, RecordingPublisher())
    assert (outcome.resent, outcome.failed) == ([never_sent.id], [])
    assert waiting_task_ids(broker, queue) == [never_sent.id]
    row = store.get(database, never_sent.id)
    assert (row.status, row.sends) == ("queued", 1)
    assert row.sent_at is not None and row.sent_at >= before
    assert store.get(database, fresh.id).sends == 0
    # Sent now, so the next pass leaves it alone: one message per job.
    assert _sweep(database, celery, RecordingPublisher()).resent == []
    assert waiting_task_ids(broker, queue) == [never_sent.id]


def test_a_queue_lost_in_a_redis_restart_is_sent_again(
    database: Database, celery: Celery, broker: redis.Redis, queue: str
) -> None:
    jobs = [
        submit_job(database, celery, kind="data_download", params={"n": i}, queue=queue)[0]
        for i in range(3)
    ]
    broker.delete(queue)
    old = utcnow() - timedelta(seconds=120)
    for job in jobs:
        store.set_status(database, job.id, sent_at=old, created_at=old)
    outcome = _sweep(database, celery, RecordingPublisher())
    assert sorted(outcome.resent) == sorted(j.id for j in jobs)
    assert sorted(waiting_task_ids(broker, queue)) == sorted(j.id for j in jobs)
    assert {store.get(database, j.id).sends for j in jobs} == {2}


def test_jobs_whose_task_waits_or_is_held_by_a_worker_are_left_alone(
    database: Database, celery: Celery, broker: redis.Redis, queue: str
) -> None:
    held, _ = submit_job(database, celery, kind="data_download", params={"n": 1}, queue=queue)
    with celery.connection_for_read() as conn:
        consumer = conn.SimpleQueue(queue)
        message = consumer.get(timeout=5)  # delivered, not acknowledged: a worker holds it
        assert message.headers["id"] == held.id
        waiting, _ = submit_job(
            database, celery, kind="data_download", params={"n": 2}, queue=queue
        )
        old = utcnow() - timedelta(seconds=600)
        for job in (held, waiting):
            store.set_status(database, job.id, sent_at=old, created_at=old)
        outcome = _sweep(database, celery, RecordingPublisher())
        assert (outcome.resent, outcome.failed) == ([], [])
        assert waiting_task_ids(broker, queue) == [waiting.id]
        assert {store.get(database, j.id).sends for j in (held, waiting)} == {1}
        message.ack()
        consumer.close()


def test_a_task_held_by_a_dead_worker_is_sent_again_once_held_too_long(
    database: Database, celery: Celery, broker: redis.Redis, queue: str
) -> None:
    # A worker took the message, then was killed before it started the job: kombu keeps the
    # message unacknowledged for an hour (the visibility timeout); the job must not wait that long.
    job, _ = submit_job(database, celery, kind="data_download", params={"n": 1}, queue=queue)
    with celery.connection_for_read() as conn:
        consumer = conn.SimpleQueue(queue)
        message = consumer.get(timeout=5)
        old = utcnow() - timedelta(seconds=600)
        store.set_status(database, job.id, sent_at=old, created_at=old)
        broker.zadd("unacked_index", {message.delivery_tag: time.time() - HELD_FOR_S - 5})
        outcome = _sweep(database, celery, RecordingPublisher())
        assert (outcome.resent, outcome.failed) == ([job.id], [])
        assert waiting_task_ids(broker, queue) == [job.id]
        assert store.get(database, job.id).sends == 2
        message.ack()
        consumer.close()


def test_a_job_whose_task_is_lost_again_and_again_is_failed_with_the_reason(
    database: Database, celery: Celery, broker: redis.Redis, queue: str
) -> None:
    lost = _queued_row(database, queue, 1, sends=3)
    events = RecordingPublisher()
    outcome = _sweep(database, celery, events, max_sends=3)
    assert (outcome.resent, outcome.failed) == ([], [lost.id])
    row = store.get(database, lost.id)
    assert row.status == "failed" and row.finished_at is not None
    assert "lost" in (row.error or "") and "3 times" in (row.error or "")
    assert waiting_task_ids(broker, queue) == []
    assert [e["status"] for e in events.events if e["id"] == lost.id] == ["failed"]
