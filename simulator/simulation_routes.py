"""Simulations: submit a backtest job, list them, read summary, trades and equity; strategies."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter

from shared.jobs.kinds import JobKind, Queue
from shared.jobs.lifecycle import submit_job
from shared.schemas.jobs import JobOut
from shared.schemas.simulations import (
    EquityOut,
    EquityPoint,
    SimulationAccepted,
    SimulationOut,
    SimulationRequest,
    SimulationsPage,
    TradeOut,
    TradesPage,
)
from shared.storage import simulations as sims
from shared.storage.db import utcnow
from shared.storage.models import JobRow, SimulationRow
from shared.strategies.builtin import STRATEGIES, get_strategy
from shared.web.deps import CeleryDep, DbDep, IdempotencyKey, Limit, Offset
from simulator.data_routes import MarketDataDep
from simulator.report import model_used

router = APIRouter(prefix="/api/v1", tags=["simulations"])


@router.get("/strategies")
def list_strategies() -> dict[str, Any]:
    """Built-in strategies with their parameters, defaults and ranges."""
    items = [
        {
            "name": spec.name,
            "description": spec.description,
            "params": {
                name: {
                    "default": p.default,
                    "min": p.minimum,
                    "max": p.maximum,
                    "integer": p.integer,
                    "description": p.doc,
                }
                for name, p in spec.params.items()
            },
        }
        for spec in STRATEGIES.values()
    ]
    return {"items": items, "total": len(items)}


@router.post("/simulations", status_code=202, response_model=SimulationAccepted)
def submit_simulation(
    req: SimulationRequest, db: DbDep, celery: CeleryDep, market: MarketDataDep,
    idempotency_key: IdempotencyKey = None,
) -> SimulationAccepted:  # fmt: skip
    """Queue a backtest; returns the job and the id of the simulation it will fill in."""
    get_strategy(req.strategy).resolve(req.params)
    market.check_request(req.source, req.symbols, req.start, req.end, req.interval)
    simulation_id = str(uuid.uuid4())

    def create_row(job: JobRow) -> None:
        sims.add(db, SimulationRow(
            id=simulation_id, job_id=job.id, created_at=utcnow(), strategy=req.strategy,
            symbols=req.symbols, request=req.model_dump(mode="json"),
        ))  # fmt: skip

    job, created = submit_job(
        db, celery, kind=JobKind.SIMULATION, queue=Queue.SIMULATION,
        params=req.model_dump(mode="json"), idempotency_key=idempotency_key, on_created=create_row,
    )  # fmt: skip
    if not created:
        existing = sims.simulation_by_job(db, job.id)
        simulation_id = existing.id if existing else simulation_id
    return SimulationAccepted(job=JobOut.model_validate(job), simulation_id=simulation_id)


def _out(row: SimulationRow, job: JobRow) -> SimulationOut:
    summary = dict(row.summary or {})
    seed = {k: summary.pop(k, None) for k in SimulationOut.model_fields if k in summary}
    req = SimulationRequest.model_validate(row.request)
    return SimulationOut(
        simulation_id=row.id, status=job.status, job_id=job.id, created_at=row.created_at,
        model_used=model_used(req), error=job.error, request=row.request, metrics=summary, **seed,
    )  # fmt: skip


@router.get("/simulations", response_model=SimulationsPage)
def list_simulations(
    db: DbDep, strategy: str | None = None, status: str | None = None,
    symbol: str | None = None, limit: Limit = 50, offset: Offset = 0,
) -> SimulationsPage:  # fmt: skip
    """Simulations, newest first, filtered by strategy, job status or symbol."""
    rows, total = sims.list_simulations(
        db, strategy=strategy, status=status, symbol=symbol, limit=limit, offset=offset
    )
    return SimulationsPage(items=[_out(*r) for r in rows], total=total, limit=limit, offset=offset)


@router.get("/simulations/{simulation_id}", response_model=SimulationOut)
def get_simulation(simulation_id: str, db: DbDep) -> SimulationOut:
    """The summary in the seed's shape, every other metric, the status and the full request."""
    return _out(*sims.get_simulation(db, simulation_id))


@router.get("/simulations/{simulation_id}/trades", response_model=TradesPage)
def list_trades(
    simulation_id: str, db: DbDep, sort: str = "entry_time", limit: Limit = 100,
    offset: Offset = 0,
) -> TradesPage:  # fmt: skip
    """Every trade; sort by entry_time, exit_time, pnl, return_pct or symbol (prefix - to reverse)."""
    sims.get_simulation(db, simulation_id)
    rows, total = sims.trades_page(db, simulation_id, sort=sort, limit=limit, offset=offset)
    items = [TradeOut.model_validate(r) for r in rows]
    return TradesPage(items=items, total=total, limit=limit, offset=offset, sort=sort)


@router.get("/simulations/{simulation_id}/equity", response_model=EquityOut)
def get_equity(simulation_id: str, db: DbDep) -> EquityOut:
    """Equity, drawdown (%) and the buy-and-hold benchmark at every bar."""
    row, _ = sims.get_simulation(db, simulation_id)
    curve = row.equity or {"timestamps": [], "equity": [], "drawdown_pct": [], "benchmark": []}
    points = [
        EquityPoint(timestamp=t, equity=e, drawdown_pct=d, benchmark=b)
        for t, e, d, b in zip(
            curve["timestamps"],
            curve["equity"],
            curve["drawdown_pct"],
            curve["benchmark"],
            strict=True,
        )
    ]
    return EquityOut(simulation_id=simulation_id, items=points)
