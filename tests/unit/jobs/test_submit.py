"""Submitting a job: the broker down answers 503 at once; a repeat re-sends a lost task."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
import redis
from celery import Celery
from sqlalchemy.exc import IntegrityError

from shared.config import Settings
from shared.errors import Unavailable
from shared.jobs.celery_app import make_celery
from shared.jobs.submit import submit_job, submit_owned_job
from shared.storage import jobs as store
from shared.storage import resources
from shared.storage.db import Database, utcnow
from shared.storage.tables import SimulationRow
from tests.unit.jobs.conftest import waiting_task_ids

NOTHING_LISTENS = "redis://127.0.0.1:1/0"


def _submit(db: Database, celery: Celery, queue: str, key: str, **kw: object) -> tuple:
    return submit_job(
        db, celery, kind="data_download", params={"symbol": "SP500"}, idempotency_key=key,
        queue=queue, **kw,  # type: ignore[arg-type]
    )  # fmt: skip


def test_the_broker_down_answers_unavailable_and_leaves_the_job_failed(
    database: Database, celery: Celery, broker: redis.Redis, queue: str, tmp_path: Path
) -> None:
    down = make_celery("test-api-down", Settings(var_dir=tmp_path, redis_url=NOTHING_LISTENS))
    try:
        with pytest.raises(Unavailable, match="unreachable"):
            _submit(database, down, queue, "key-down")
    finally:
        down.close()
    rows, total = store.list_page(database, kind=None, status=None, limit=10, offset=0)
    assert total == 1
    failed = rows[0]
    assert failed.status == "failed" and failed.finished_at is not None
    assert "broker unreachable" in (failed.error or "")
    # The client was told to retry: the same key, once Redis is back, makes a job that runs.
    retry, created = _submit(database, celery, queue, "key-down")
    assert created and retry.id != failed.id
    assert waiting_task_ids(broker, queue) == [retry.id]
    assert store.get(database, failed.id).status == "failed"


def test_a_repeat_of_a_queued_job_whose_task_was_lost_sends_it_again(
    database: Database, celery: Celery, broker: redis.Redis, queue: str
) -> None:
    job, created = _submit(database, celery, queue, "key-lost")
    assert created and waiting_task_ids(broker, queue) == [job.id]
    broker.delete(queue)  # a Redis restart without persistence loses the queue
    old = utcnow() - timedelta(seconds=120)
    store.set_status(database, job.id, created_at=old, sent_at=old)
    again, created = _submit(database, celery, queue, "key-lost", lost_after_s=30)
    assert not created and again.id == job.id
    assert waiting_task_ids(broker, queue) == [job.id]
    row = store.get(database, job.id)
    assert (row.status, row.sends) == ("queued", 2)
    assert row.sent_at is not None and row.sent_at > old


def test_a_repeat_of_a_queued_job_whose_task_still_waits_sends_nothing(
    database: Database, celery: Celery, broker: redis.Redis, queue: str
) -> None:
    job, _ = _submit(database, celery, queue, "key-waiting")
    old = utcnow() - timedelta(seconds=120)
    store.set_status(database, job.id, created_at=old, sent_at=old)
    again, created = _submit(database, celery, queue, "key-waiting", lost_after_s=30)
    assert not created and again.id == job.id
    assert waiting_task_ids(broker, queue) == [job.id]  # no duplicate
    assert store.get(database, job.id).sends == 1


def test_a_repeat_soon_after_the_first_submission_leaves_the_task_to_the_sweep(
    database: Database, celery: Celery, broker: redis.Redis, queue: str
) -> None:
    # The first request may still be between its insert and its send; sending here could
    # deliver the job twice. The watchdog's sweep re-sends it once it is overdue.
    job, _ = _submit(database, celery, queue, "key-fresh")
    broker.delete(queue)
    again, created = _submit(database, celery, queue, "key-fresh", lost_after_s=30)
    assert not created and again.id == job.id
    assert waiting_task_ids(broker, queue) == []
    assert store.get(database, job.id).sends == 1


def test_a_submission_that_dies_between_its_rows_leaves_neither_and_a_retry_works(
    database: Database, celery: Celery, broker: redis.Redis, queue: str
) -> None:
    # The simulator killed between the job's insert and its simulation's (the drills' burst):
    # here the simulation's insert fails (a NOT NULL column left empty) after the job's.
    fields = {"strategy": "sma_crossover", "symbols": ["SP500"], "request": {"fast": 5}}
    with pytest.raises(IntegrityError):
        submit_owned_job(
            database, celery, kind="simulation", params={"fast": 5}, row_type=SimulationRow,
            row_fields={**fields, "strategy": None}, idempotency_key="key-half",
        )  # fmt: skip
    assert store.list_page(database, kind=None, status=None, limit=10, offset=0)[1] == 0
    assert waiting_task_ids(broker, "simulation") == []
    # The client's retry with the same key makes the job, with its row, rather than a 409.
    job, row = submit_owned_job(
        database, celery, kind="simulation", params={"fast": 5}, row_type=SimulationRow,
        row_fields=fields, idempotency_key="key-half",
    )  # fmt: skip
    try:
        assert (
            row.job_id == job.id and resources.by_job(database, SimulationRow, job.id) is not None
        )
        assert store.get(database, job.id).status == "queued"
    finally:
        broker.delete("simulation")
