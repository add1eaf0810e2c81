"""Training rows: list them with their jobs, and record the model a finished training made."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from shared.errors import NotFound
from shared.storage.db import Database
from shared.storage.owners import EVERYONE, OwnerScope, scoped
from shared.storage.tables import JobRow, TrainingRow


def list_trainings(
    db: Database, *, model_name: str | None, status: str | None, limit: int, offset: int,
    scope: OwnerScope = EVERYONE,
) -> tuple[list[tuple[TrainingRow, JobRow]], int]:  # fmt: skip
    """Newest first, filtered by model name or job status."""
    query = select(TrainingRow, JobRow).join(JobRow, JobRow.id == TrainingRow.job_id)
    query = scoped(query, scope, TrainingRow.owner)
    if model_name:
        query = query.where(TrainingRow.model_name == model_name)
    if status:
        query = query.where(JobRow.status == status)
    with db.session() as s:
        total = s.scalar(select(func.count()).select_from(query.subquery())) or 0
        page = query.order_by(TrainingRow.created_at.desc()).limit(limit).offset(offset)
        rows = [(r[0], r[1]) for r in s.execute(page)]
    return rows, total


def set_result(db: Database, training_id: str, model_id: str, report: dict[str, Any]) -> None:
    """Link a finished training to the model it registered, with its report."""
    with db.transaction() as s:
        row = s.get(TrainingRow, training_id)
        if row is None:
            raise NotFound(f"no training with id {training_id!r}", field="training_id")
        row.model_id, row.result = model_id, report
