"""RL studies in SQL: the list, the report of a finished one, the model its best trial became."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, defer

from shared.errors import NotFound
from shared.storage.db import Database
from shared.storage.owners import EVERYONE, OwnerScope, scoped
from shared.storage.tables import JobRow, StudyRow


def list_studies(
    db: Database, *, limit: int, offset: int, scope: OwnerScope = EVERYONE
) -> tuple[list[tuple[StudyRow, JobRow]], int]:
    """Newest first; the reports stay unloaded."""
    query = scoped(select(StudyRow, JobRow).join(JobRow, JobRow.id == StudyRow.job_id), scope,
                   StudyRow.owner)  # fmt: skip
    page = query.options(defer(StudyRow.result)).order_by(StudyRow.created_at.desc())
    with db.session() as s:
        total = s.scalar(select(func.count()).select_from(query.subquery())) or 0
        rows = s.execute(page.limit(limit).offset(offset))
        return [(r[0], r[1]) for r in rows], total


def set_result(db: Database, study_id: str, result: dict[str, Any]) -> None:
    """Store a finished study's report."""
    with db.transaction() as s:
        _get(s, study_id).result = result


def set_model(db: Database, study_id: str, model_id: str) -> None:
    """Record the model version the study's best trial was registered as."""
    with db.transaction() as s:
        _get(s, study_id).model_id = model_id


def _get(session: Session, study_id: str) -> StudyRow:
    row = session.get(StudyRow, study_id)
    if row is None:
        raise NotFound(f"no study with id {study_id!r}", field="study_id")
    return row
