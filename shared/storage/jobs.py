"""Job rows in SQL: creation with idempotency, leased state transitions, queries, counts."""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.exc import IntegrityError

from shared.errors import Conflict, NotFound
from shared.schemas.jobs import FINAL_STATUSES, JobStatus
from shared.storage.db import Database, utcnow
from shared.storage.owners import EVERYONE, OwnerScope, scoped
from shared.storage.tables import JobRow


def request_hash(kind: str, params: dict[str, Any]) -> str:
    """A stable fingerprint of a request, to tell a retry from a different request."""
    blob = json.dumps({"kind": kind, "params": params}, sort_keys=True, default=str)
    return hashlib.sha256(blob.encode()).hexdigest()


def create(
    db: Database, *, kind: str, queue: str, params: dict[str, Any], idempotency_key: str | None,
    owner: str | None = None,
    companion: Callable[[JobRow], Any] | None = None,
) -> tuple[JobRow, bool]:  # fmt: skip
    """Insert a queued job, or return the one already made with this idempotency key.

    Returns (job, created). The same key with different parameters is a Conflict.
    `companion(job)` makes the row the job fills in (a simulation, a sweep...): inserted in the
    same transaction, so a crash leaves both rows or neither, never a job without its row.
    """
    digest = request_hash(kind, params)
    if idempotency_key:
        existing = _by_key(db, idempotency_key)
        if existing is not None:
            return _same_request(existing, digest), False
    now = utcnow()
    row = JobRow(
        id=str(uuid.uuid4()), kind=kind, queue=queue, status=JobStatus.QUEUED, progress=0.0,
        message="queued", params=params, idempotency_key=idempotency_key, request_hash=digest,
        cancel_requested=False, detached=False, attempts=0, sends=0, created_at=now,
        updated_at=now, owner=owner,
    )  # fmt: skip
    try:
        with db.transaction() as s:
            s.add(row)
            if companion is not None:
                s.add(companion(row))
    except IntegrityError:
        # Two submissions with one key raced; the other insert won.
        existing = _by_key(db, idempotency_key) if idempotency_key else None
        if existing is None:
            raise
        return _same_request(existing, digest), False
    return row, True


def _by_key(db: Database, key: str) -> JobRow | None:
    with db.session() as s:
        return s.scalars(select(JobRow).where(JobRow.idempotency_key == key)).first()


def _same_request(existing: JobRow, digest: str) -> JobRow:
    if existing.request_hash != digest:
        raise Conflict(
            "this Idempotency-Key was already used for a different request; "
            "use a new key for new parameters",
            field="Idempotency-Key",
            code="idempotency_conflict",
        )
    return existing


def get(db: Database, job_id: str, scope: OwnerScope = EVERYONE) -> JobRow:
    """One job; NotFound when unknown or not the scope's to see."""
    with db.session() as s:
        row = s.get(JobRow, job_id)
    if row is None or not scope.sees(row.owner):
        raise not_found(job_id)
    return row


def not_found(job_id: str) -> NotFound:
    return NotFound(f"no job with id {job_id!r}", field="job_id")


def list_page(
    db: Database, *, kind: str | None, status: str | None, limit: int, offset: int,
    scope: OwnerScope = EVERYONE,
) -> tuple[list[JobRow], int]:  # fmt: skip
    """Newest first, filtered by kind and status, of the jobs the scope sees."""
    query = scoped(select(JobRow), scope, JobRow.owner)
    if kind:
        query = query.where(JobRow.kind == kind)
    if status:
        query = query.where(JobRow.status == status)
    with db.session() as s:
        total = s.scalar(select(func.count()).select_from(query.subquery())) or 0
        rows = s.scalars(
            query.order_by(JobRow.created_at.desc(), JobRow.id).limit(limit).offset(offset)
        ).all()
    return list(rows), total


def set_status(db: Database, job_id: str, **values: Any) -> JobRow:
    """Unconditional update (used when no worker holds the job)."""
    with db.transaction() as s:
        row = s.get(JobRow, job_id)
        if row is None:
            raise NotFound(f"no job with id {job_id!r}", field="job_id")
        for name, value in values.items():
            setattr(row, name, value)
        row.updated_at = utcnow()
    return row


@dataclass(frozen=True)
class Attempt:
    """The lease a worker holds on a running job: updates only land while it is current."""

    job_id: str
    number: int


def update_if(
    db: Database, job_id: str, expected: Mapping[str, Any], **values: Any
) -> JobRow | None:
    """Update the job only while its columns still hold `expected`; the new row, or None.

    Two processes acting on one read of a job (two deliveries of its task, two sweeps) cannot
    both win: the second finds the row changed and gets None.
    """
    return get(db, job_id) if _update_where(db, job_id, expected, values) else None


def update_attempt(db: Database, attempt: Attempt, **values: Any) -> bool:
    """Update a running job if `attempt` still holds it; False if it was reaped or superseded."""
    expected = {"status": JobStatus.RUNNING, "attempts": attempt.number}
    return _update_where(db, attempt.job_id, expected, values)


def record_sent(db: Database, job_id: str) -> None:
    """Note that the job's task was just handed to the broker."""
    _update_where(db, job_id, {}, {"sends": JobRow.sends + 1, "sent_at": utcnow()})


def _update_where(
    db: Database, job_id: str, expected: Mapping[str, Any], values: Mapping[str, Any]
) -> bool:
    conditions = [getattr(JobRow, name) == value for name, value in expected.items()]
    with db.transaction() as s:
        result = s.execute(
            update(JobRow)
            .where(JobRow.id == job_id, *conditions)
            .values(updated_at=utcnow(), **values)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]


def is_cancel_requested(db: Database, job_id: str) -> bool:
    with db.session() as s:
        return bool(s.scalar(select(JobRow.cancel_requested).where(JobRow.id == job_id)))


def stale_running(
    db: Database, *, older_than: timedelta, now: datetime | None = None
) -> list[JobRow]:
    """Running jobs whose worker has not sent a heartbeat for `older_than`."""
    cutoff = (now or utcnow()) - older_than
    with db.session() as s:
        return list(
            s.scalars(
                select(JobRow).where(
                    JobRow.status == JobStatus.RUNNING, JobRow.heartbeat_at < cutoff
                )
            ).all()
        )


def overdue_queued(
    db: Database, *, older_than: timedelta, now: datetime | None = None
) -> list[JobRow]:
    """Queued jobs last sent (or, never sent, created) more than `older_than` ago, oldest first."""
    cutoff = (now or utcnow()) - older_than
    with db.session() as s:
        return list(
            s.scalars(
                select(JobRow)
                .where(
                    JobRow.status == JobStatus.QUEUED,
                    or_(
                        JobRow.sent_at < cutoff,
                        and_(JobRow.sent_at.is_(None), JobRow.created_at < cutoff),
                    ),
                )
                .order_by(JobRow.created_at)
            ).all()
        )


def is_final(row: JobRow) -> bool:
    return row.status in FINAL_STATUSES


def counts_by_kind_and_status(db: Database) -> list[tuple[str, str, int]]:
    """How many jobs there are of each (kind, status)."""
    with db.session() as s:
        rows = s.execute(
            select(JobRow.kind, JobRow.status, func.count()).group_by(JobRow.kind, JobRow.status)
        ).all()
    return [(kind, status, int(n)) for kind, status, n in rows]


def recent_run_times(db: Database, limit: int = 1000) -> list[tuple[str, str, float]]:
    """(kind, status, seconds from start to finish) of the last `limit` finished jobs."""
    with db.session() as s:
        rows = s.execute(
            select(JobRow.kind, JobRow.status, JobRow.started_at, JobRow.finished_at)
            .where(JobRow.finished_at.is_not(None), JobRow.started_at.is_not(None))
            .order_by(JobRow.finished_at.desc())
            .limit(limit)
        ).all()
    return [
        (kind, status, (ended - started).total_seconds())
        for kind, status, started, ended in rows
        if started is not None and ended is not None
    ]
