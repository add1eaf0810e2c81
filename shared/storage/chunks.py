"""Finished chunks of fanned-out jobs in SQL: a row per chunk; a missing row is work still to do."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from shared.errors import AppError
from shared.storage.db import Database, utcnow
from shared.storage.tables import ChunkRow


def done(db: Database, owner_id: str) -> set[int]:
    """Indices of the chunks of `owner_id` stored so far."""
    with db.session() as s:
        return set(s.scalars(select(ChunkRow.idx).where(ChunkRow.owner_id == owner_id)).all())


def count_done(db: Database, owner_id: str) -> int:
    with db.session() as s:
        return int(s.scalar(select(func.count()).where(ChunkRow.owner_id == owner_id)) or 0)


def results_so_far(db: Database, owner_id: str) -> list[dict[str, Any]]:
    """The results of the chunks finished so far, in chunk order."""
    with db.session() as s:
        return list(
            s.scalars(
                select(ChunkRow.result).where(ChunkRow.owner_id == owner_id).order_by(ChunkRow.idx)
            ).all()
        )


def all_results(db: Database, owner_id: str, n_chunks: int) -> list[dict[str, Any]]:
    """Every chunk's result in order; an AppError naming the missing ones if any is absent."""
    with db.session() as s:
        rows = s.scalars(
            select(ChunkRow).where(ChunkRow.owner_id == owner_id).order_by(ChunkRow.idx)
        ).all()
    if [r.idx for r in rows] != list(range(n_chunks)):
        missing = sorted(set(range(n_chunks)) - {r.idx for r in rows})
        raise AppError(f"chunks {missing[:10]} never finished; resume the job to compute them")
    return [r.result for r in rows]


def save(db: Database, owner_id: str, idx: int, result: dict[str, Any], worker: str) -> None:
    """Store a finished chunk; a redelivered duplicate keeps the first result, even when both
    finish at the same moment (the loser's insert meets the primary key and is dropped)."""
    row = ChunkRow(owner_id=owner_id, idx=idx, result=result, worker=worker, finished_at=utcnow())
    try:
        with db.transaction() as s:
            if s.get(ChunkRow, (owner_id, idx)) is None:
                s.add(row)
    except IntegrityError:
        pass  # the other run stored it first
