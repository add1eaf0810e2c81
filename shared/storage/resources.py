"""Rows a job fills in (a simulation, a sweep, a stress test, a training): insert, find by job, read."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import TypeVar

from sqlalchemy import Select, bindparam, select
from sqlalchemy.orm import defer

from shared.errors import NotFound
from shared.storage.db import Database
from shared.storage.owners import EVERYONE, OwnerScope, scoped
from shared.storage.tables import (
    JobRow,
    SimulationRow,
    StressTestRow,
    StudyRow,
    SweepRow,
    TrainingRow,
)

R = TypeVar("R", SimulationRow, SweepRow, StressTestRow, TrainingRow, StudyRow)

# What each kind of row is called in messages, and the id field that names it in the API.
_NAMES = {
    SimulationRow: ("simulation", "simulation_id"),
    SweepRow: ("sweep", "sweep_id"),
    StressTestRow: ("stress test", "stress_id"),
    TrainingRow: ("training", "training_id"),
    StudyRow: ("study", "study_id"),
}


def add(
    db: Database, row: SimulationRow | SweepRow | StressTestRow | TrainingRow | StudyRow
) -> None:
    with db.transaction() as s:
        s.add(row)


def by_job(db: Database, row_type: type[R], job_id: str) -> R | None:
    """The row a job is filling in, if any."""
    with db.session() as s:
        return s.scalars(select(row_type).where(row_type.job_id == job_id)).first()


def of_job(db: Database, row_type: type[R], job_id: str) -> R:
    """The row a job fills in; NotFound when the job has none (it was submitted without one)."""
    row = by_job(db, row_type, job_id)
    if row is None:
        raise NotFound(f"job {job_id} has no {_NAMES[row_type][0]} row", field="job_id")
    return row


def with_job(
    db: Database, row_type: type[R], row_id: str, *, skip: Sequence[str] = (),
    scope: OwnerScope = EVERYONE,
) -> tuple[R, JobRow]:  # fmt: skip
    """A row and the job that fills it in; NotFound naming the id field when it is unknown or
    not the scope's to see (another researcher's work does not exist for them).

    `skip` names bulky columns the caller does not read (a simulation's equity curve), left
    unloaded: reading one afterwards is an error, not a silent second query.
    """
    query = scoped(_with_job_query(row_type, tuple(skip)), scope, row_type.owner)
    with db.session() as s:
        found = s.execute(query, {"row_id": row_id}).first()
    if found is None:
        raise not_found(row_type, row_id)
    return found[0], found[1]


@functools.cache
def _with_job_query(row_type: type[R], skip: tuple[str, ...]) -> Select[R, JobRow]:
    # Built once per shape, the id bound at execution: on SQLite, building the statement and its
    # cache key cost as much as running it (the most read route, GET /simulations/{id}).
    query = (
        select(row_type, JobRow)
        .join(JobRow, JobRow.id == row_type.job_id)
        .where(row_type.id == bindparam("row_id"))
    )
    if skip:
        query = query.options(*(defer(getattr(row_type, name), raiseload=True) for name in skip))
    return query


def not_found(row_type: type[R], row_id: str) -> NotFound:
    what, field = _NAMES[row_type]
    return NotFound(f"no {what} with id {row_id!r}", field=field)


def relink(db: Database, row_type: type[R], row_id: str, job_id: str) -> None:
    """Point a row at the job that now fills it in (a resumed sweep)."""
    with db.transaction() as s:
        row = s.get(row_type, row_id)
        if row is None:
            what, field = _NAMES[row_type]
            raise NotFound(f"no {what} with id {row_id!r}", field=field)
        row.job_id = job_id
