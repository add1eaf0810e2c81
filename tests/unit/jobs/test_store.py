"""Job rows on SQLite and PostgreSQL: idempotency, leases, pagination, the watchdog."""

from __future__ import annotations

from datetime import timedelta

import pytest

from shared.errors import Conflict, NotFound
from shared.jobs import store
from shared.jobs.kinds import JobStatus
from shared.jobs.watchdog import reap_stale_jobs
from shared.storage.db import Database, utcnow


class RecordingPublisher:
    """Collects published job states (the real publisher needs Redis)."""

    def __init__(self) -> None:
        self.events: list[dict] = []

    def publish(self, job: dict) -> None:
        self.events.append(job)


def _create(db: Database, key: str | None = None, **params: object) -> tuple:
    return store.create(
        db, kind="data_download", queue="simulation", params=dict(params), idempotency_key=key
    )


def test_new_job_is_queued_with_its_params(database: Database) -> None:
    job, created = _create(database, symbol="SP500")
    assert created
    loaded = store.get(database, job.id)
    assert (loaded.status, loaded.progress, loaded.params) == ("queued", 0.0, {"symbol": "SP500"})
    assert loaded.created_at.tzinfo is not None


def test_same_idempotency_key_and_params_gives_the_same_job(database: Database) -> None:
    first, created_first = _create(database, "key-1", symbol="SP500")
    second, created_second = _create(database, "key-1", symbol="SP500")
    assert (created_first, created_second) == (True, False)
    assert second.id == first.id
    assert store.list_page(database, kind=None, status=None, limit=10, offset=0)[1] == 1


def test_same_idempotency_key_with_other_params_is_a_conflict(database: Database) -> None:
    _create(database, "key-2", symbol="SP500")
    with pytest.raises(Conflict, match="different request"):
        _create(database, "key-2", symbol="NASDAQ")
    assert store.list_page(database, kind=None, status=None, limit=10, offset=0)[1] == 1


def test_unknown_job_is_not_found(database: Database) -> None:
    with pytest.raises(NotFound, match="no job with id 'nope'"):
        store.get(database, "nope")


def test_list_is_newest_first_and_filtered(database: Database) -> None:
    ids = [_create(database, n=i)[0].id for i in range(5)]
    store.set_status(database, ids[1], status=JobStatus.FAILED)
    rows, total = store.list_page(database, kind="data_download", status=None, limit=2, offset=1)
    assert total == 5
    assert [r.id for r in rows] == [ids[3], ids[2]]
    failed, n_failed = store.list_page(database, kind=None, status="failed", limit=10, offset=0)
    assert (n_failed, [r.id for r in failed]) == (1, [ids[1]])
    assert store.list_page(database, kind="other", status=None, limit=10, offset=0)[1] == 0


def test_updates_only_land_while_the_attempt_holds_the_job(database: Database) -> None:
    job, _ = _create(database)
    store.set_status(database, job.id, status=JobStatus.RUNNING, attempts=2)
    assert store.update_attempt(database, store.Attempt(job.id, 2), progress=0.5)
    # A zombie from the first delivery must not overwrite the current attempt.
    assert not store.update_attempt(database, store.Attempt(job.id, 1), progress=0.9)
    assert store.get(database, job.id).progress == 0.5


def test_watchdog_fails_silent_running_jobs_and_spares_live_ones(database: Database) -> None:
    silent, _ = _create(database, n=1)
    alive, _ = _create(database, n=2)
    cancelling, _ = _create(database, n=3)
    now = utcnow()
    old = now - timedelta(seconds=120)
    store.set_status(
        database, silent.id, status="running", attempts=1, heartbeat_at=old, worker="w1"
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
    reaped = reap_stale_jobs(database, events, timeout_s=60)  # type: ignore[arg-type]
    assert sorted(reaped) == sorted([silent.id, cancelling.id])
    dead = store.get(database, silent.id)
    assert dead.status == "failed" and dead.finished_at is not None
    assert "worker w1 stopped responding" in (dead.error or "")
    assert store.get(database, cancelling.id).status == "cancelled"
    assert store.get(database, alive.id).status == "running"
    assert {e["id"] for e in events.events} == {silent.id, cancelling.id}


def test_watchdog_spares_a_fanned_out_job_while_its_chunks_wait_in_the_queue(
    database: Database,
) -> None:
    waiting, _ = _create(database, n=1)
    lost, _ = _create(database, n=2)
    old = utcnow() - timedelta(seconds=120)
    for job in (waiting, lost):
        store.set_status(
            database, job.id, status="running", attempts=1, heartbeat_at=old, detached=True
        )
    depth = {"simulation": 3}
    reaped = reap_stale_jobs(
        database,
        RecordingPublisher(),
        timeout_s=60,
        queue_depth=lambda q: depth.get(q, 0),  # type: ignore[arg-type]
    )
    assert reaped == []
    depth["simulation"] = 0  # the queue was lost (a Redis restart): nothing will finish the job
    again = reap_stale_jobs(database, RecordingPublisher(), timeout_s=60, queue_depth=lambda q: 0)  # type: ignore[arg-type]
    assert set(again) == {waiting.id, lost.id}
