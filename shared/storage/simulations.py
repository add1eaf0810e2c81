"""Simulations, their trades, sweeps and stress tests in SQL."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import String, cast, func, insert, select
from sqlalchemy.orm import defer

from shared.errors import NotFound, ValidationError
from shared.storage.db import Database
from shared.storage.models import JobRow, SimulationRow, StressTestRow, SweepRow, TradeRow

TRADE_SORTS = {
    "entry_time": TradeRow.entry_time, "exit_time": TradeRow.exit_time, "pnl": TradeRow.pnl,
    "return_pct": TradeRow.return_pct, "symbol": TradeRow.symbol, "seq": TradeRow.seq,
}  # fmt: skip


def add(db: Database, row: SimulationRow | SweepRow | StressTestRow) -> None:
    with db.transaction() as s:
        s.add(row)


R = TypeVar("R", SimulationRow, SweepRow, StressTestRow)


def _with_job(
    db: Database, row_type: type[R], row_id: str, what: str, field: str
) -> tuple[R, JobRow]:
    """A row and the job that fills it in; NotFound naming `field` when the id is unknown."""
    with db.session() as s:
        found = s.execute(
            select(row_type, JobRow)
            .join(JobRow, JobRow.id == row_type.job_id)
            .where(row_type.id == row_id)
        ).first()
    if found is None:
        raise NotFound(f"no {what} with id {row_id!r}", field=field)
    return found[0], found[1]


def get_simulation(db: Database, simulation_id: str) -> tuple[SimulationRow, JobRow]:
    return _with_job(db, SimulationRow, simulation_id, "simulation", "simulation_id")


def get_sweep(db: Database, sweep_id: str) -> tuple[SweepRow, JobRow]:
    return _with_job(db, SweepRow, sweep_id, "sweep", "sweep_id")


def get_stress(db: Database, stress_id: str) -> tuple[StressTestRow, JobRow]:
    return _with_job(db, StressTestRow, stress_id, "stress test", "stress_id")


def simulation_by_job(db: Database, job_id: str) -> SimulationRow | None:
    return row_by_job(db, SimulationRow, job_id)


def row_by_job(db: Database, row_type: type[R], job_id: str) -> R | None:
    """The simulation, sweep or stress test a job is filling in."""
    with db.session() as s:
        return s.scalars(select(row_type).where(row_type.job_id == job_id)).first()


def list_sweeps(
    db: Database, *, limit: int, offset: int
) -> tuple[list[tuple[SweepRow, JobRow]], int]:
    query = select(SweepRow, JobRow).join(JobRow, JobRow.id == SweepRow.job_id)
    with db.session() as s:
        total = s.scalar(select(func.count()).select_from(SweepRow)) or 0
        rows = s.execute(query.order_by(SweepRow.created_at.desc()).limit(limit).offset(offset))
        return [(r[0], r[1]) for r in rows], total


def stress_tests_of(db: Database, simulation_id: str) -> list[tuple[StressTestRow, JobRow]]:
    query = (
        select(StressTestRow, JobRow)
        .join(JobRow, JobRow.id == StressTestRow.job_id)
        .where(StressTestRow.simulation_id == simulation_id)
        .order_by(StressTestRow.created_at.desc())
    )
    with db.session() as s:
        return [(r[0], r[1]) for r in s.execute(query)]


def list_simulations(
    db: Database, *, strategy: str | None, status: str | None, symbol: str | None, limit: int,
    offset: int,
) -> tuple[list[tuple[SimulationRow, JobRow]], int]:  # fmt: skip
    """Newest first; `symbol` matches simulations that include it. Equity curves stay unloaded."""
    query = select(SimulationRow, JobRow).join(JobRow, JobRow.id == SimulationRow.job_id)
    if strategy:
        query = query.where(SimulationRow.strategy == strategy)
    if status:
        query = query.where(JobRow.status == status)
    if symbol:  # the JSON list as text holds "SYMBOL" in quotes on SQLite and PostgreSQL alike
        as_text = cast(SimulationRow.symbols, String)
        query = query.where(as_text.contains(f'"{symbol}"', autoescape=True))
    with db.session() as s:
        total = s.scalar(select(func.count()).select_from(query.subquery())) or 0
        page = query.options(defer(SimulationRow.equity)).order_by(SimulationRow.created_at.desc())
        rows = [(r[0], r[1]) for r in s.execute(page.limit(limit).offset(offset))]
    return rows, total


def save_result(
    db: Database, simulation_id: str, *, summary: dict[str, Any], equity: dict[str, Any],
    trades: list[dict[str, Any]],
) -> None:  # fmt: skip
    """Store a finished run in one transaction (a retried run replaces a partial one)."""
    with db.transaction() as s:
        row = s.get(SimulationRow, simulation_id)
        if row is None:
            raise NotFound(f"no simulation with id {simulation_id!r}", field="simulation_id")
        row.summary, row.equity = summary, equity
        s.query(TradeRow).filter(TradeRow.simulation_id == simulation_id).delete()
        if trades:
            s.execute(insert(TradeRow), [{**t, "simulation_id": simulation_id} for t in trades])


def trades_page(
    db: Database, simulation_id: str, *, sort: str, limit: int, offset: int
) -> tuple[list[TradeRow], int]:
    """Trades sorted by a column (prefix '-' for descending), then by sequence."""
    column = TRADE_SORTS.get(sort.lstrip("-"))
    if column is None:
        raise ValidationError(
            f"cannot sort trades by {sort!r}; use one of {', '.join(TRADE_SORTS)} "
            "(prefix - for descending)",
            field="sort",
        )
    order = column.desc() if sort.startswith("-") else column.asc()
    where = TradeRow.simulation_id == simulation_id
    with db.session() as s:
        total = s.scalar(select(func.count()).select_from(TradeRow).where(where)) or 0
        rows = s.scalars(
            select(TradeRow).where(where).order_by(order, TradeRow.seq).limit(limit).offset(offset)
        ).all()
    return list(rows), total


def set_result(
    db: Database,
    row_type: type[SweepRow] | type[StressTestRow],
    row_id: str,
    result: dict[str, Any],
) -> None:
    """Store the combined report of a finished sweep or stress test."""
    with db.transaction() as s:
        row = s.get(row_type, row_id)
        if row is None:
            raise NotFound(f"no {row_type.__tablename__} row {row_id!r}")
        assert isinstance(row, SweepRow | StressTestRow)
        row.result = result


def set_job(db: Database, row_type: type[SweepRow], row_id: str, job_id: str) -> None:
    with db.transaction() as s:
        row = s.get(row_type, row_id)
        if row is None:
            raise NotFound(f"no {row_type.__tablename__} row {row_id!r}")
        row.job_id = job_id
