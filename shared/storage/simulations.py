"""Simulations and their trades, sweeps and stress tests in SQL: lists, results, pages."""

from __future__ import annotations

from typing import Any

from sqlalchemy import String, cast, func, insert, select
from sqlalchemy.orm import defer

from shared.errors import NotFound, ValidationError
from shared.storage.db import Database
from shared.storage.owners import EVERYONE, OwnerScope, scoped
from shared.storage.tables import JobRow, SimulationRow, StressTestRow, SweepRow, TradeRow

TRADE_SORTS = {
    "entry_time": TradeRow.entry_time, "exit_time": TradeRow.exit_time, "pnl": TradeRow.pnl,
    "return_pct": TradeRow.return_pct, "symbol": TradeRow.symbol, "seq": TradeRow.seq,
}  # fmt: skip


def list_sweeps(
    db: Database, *, limit: int, offset: int, scope: OwnerScope = EVERYONE
) -> tuple[list[tuple[SweepRow, JobRow]], int]:
    """Newest first; the reports stay unloaded."""
    query = select(SweepRow, JobRow).join(JobRow, JobRow.id == SweepRow.job_id)
    query = scoped(query, scope, SweepRow.owner)
    page = query.options(defer(SweepRow.result)).order_by(SweepRow.created_at.desc())
    with db.session() as s:
        total = s.scalar(select(func.count()).select_from(query.subquery())) or 0
        rows = s.execute(page.limit(limit).offset(offset))
        return [(r[0], r[1]) for r in rows], total


def stress_tests_of(
    db: Database, simulation_id: str, *, limit: int, offset: int, scope: OwnerScope = EVERYONE
) -> tuple[list[tuple[StressTestRow, JobRow]], int]:
    """The stress tests of one simulation the scope sees, newest first."""
    query = select(StressTestRow, JobRow).join(JobRow, JobRow.id == StressTestRow.job_id)
    query = scoped(
        query.where(StressTestRow.simulation_id == simulation_id), scope, StressTestRow.owner
    )
    page = query.order_by(StressTestRow.created_at.desc())
    with db.session() as s:
        total = s.scalar(select(func.count()).select_from(query.subquery())) or 0
        rows = s.execute(page.limit(limit).offset(offset))
        return [(r[0], r[1]) for r in rows], total


def list_simulations(
    db: Database, *, strategy: str | None, status: str | None, symbol: str | None, limit: int,
    offset: int, scope: OwnerScope = EVERYONE,
) -> tuple[list[tuple[SimulationRow, JobRow]], int]:  # fmt: skip
    """Newest first; `symbol` matches simulations that include it. Equity curves stay unloaded."""
    query = select(SimulationRow, JobRow).join(JobRow, JobRow.id == SimulationRow.job_id)
    query = scoped(query, scope, SimulationRow.owner)
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
