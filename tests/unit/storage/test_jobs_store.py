"""Job rows on SQLite and PostgreSQL: idempotency, leases, pagination, counts."""

from __future__ import annotations

from datetime import timedelta

import pytest

from shared.errors import Conflict, NotFound
from shared.schemas.jobs import JobStatus
from shared.storage import jobs as store
from shared.storage.db import Database, utcnow


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


def test_counts_and_run_times_feed_the_metrics(database: Database) -> None:
    done, _ = _create(database, n=1)
    _create(database, n=2)
    start = utcnow()
    store.set_status(
        database, done.id, status=JobStatus.SUCCEEDED, started_at=start,
        finished_at=start + timedelta(seconds=2.5),
    )  # fmt: skip
    counts = sorted(store.counts_by_kind_and_status(database))
    assert counts == [("data_download", "queued", 1), ("data_download", "succeeded", 1)]
    assert store.recent_run_times(database) == [("data_download", "succeeded", 2.5)]


def test_two_claims_made_from_one_read_cannot_both_win(database: Database) -> None:
    # Two deliveries of one queued job read it at the same moment; only the first may run it.
    job, _ = _create(database, symbol="SP500")
    seen = store.get(database, job.id)
    expected = {"status": seen.status, "attempts": seen.attempts}
    first = store.update_if(database, job.id, expected, status="running", attempts=1, worker="w1")
    second = store.update_if(database, job.id, expected, status="running", attempts=1, worker="w2")
    assert first is not None and second is None
    row = store.get(database, job.id)
    assert (row.status, row.attempts, row.worker) == ("running", 1, "w1")
